/*
 * web_display -- the display service drawn into the page's <canvas>, and
 * the page's keys into the keyboard mux (see web.h).
 *
 * The backend presents every flush at once (no frame cap, no event poll):
 * the page copies the frame into the canvas and the browser composites it
 * at its own rate, and the display service then needs no periodic task,
 * so an idle page does no work.
 */
#include "display/gfxterm.h"
#include "display/keyboard.h"
#include "web.h"

WEB_EXPORT("clio_key") void clio_key(uint32_t key);

static void present(void *ctx, const uint8_t *fb, uint16_t w, uint16_t h)
{
    (void)ctx;
    web_display_present(fb, w, h);
}

static const display_backend_t backend = { .present = present };

kerr_t web_display_start(bool gfxterm, port_t *kbd)
{
    kerr_t e = display_start(&backend, 0, 0);
    if (e == KERR_OK)
        e = keyboard_start(kbd);
    if (e == KERR_OK && gfxterm)
        e = gfxterm_start();
    return e;
}

/* A key pressed on the canvas (keyboard.h's bytes): to every subscriber.
 * Between two clio_run() calls, so in no task's way. */
void clio_key(uint32_t key)
{
    uint8_t k = (uint8_t)key;
    keyboard_publish(&k, 1);
}
