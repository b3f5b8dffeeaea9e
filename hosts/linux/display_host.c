/* display_host -- clio's --display (see display_host.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "display_host.h"
#include "display/gfxterm.h"
#include "display/keyboard.h"
#include "mux/sermux.h"

static display_backend_t backend;
static bool sdl;

static void at_exit(void)
{
    if (sdl)
        display_sdl_close();
    else
        display_headless_close();
}

kerr_t display_host_start(const char *spec, bool with_mux, bool shell)
{
    kerr_t e;
    if (!strncmp(spec, "sdl", 3) && (spec[3] == 0 || spec[3] == ':')) {
        sdl = true;
        e = display_sdl_open(spec[3] ? atoi(spec + 4) : 2, &backend);
    } else if (!strncmp(spec, "headless:", 9)) {
        e = display_headless_open(spec + 9, &backend);
    } else {
        fprintf(stderr, "clio: --display wants sdl[:SCALE] or headless:FILE.ppm\n");
        return KERR_INVAL;
    }
    if (e != KERR_OK)
        return e;
    atexit(at_exit);
    port_t *kbd = NULL;
    if (with_mux && (e = sermux_open(SERMUX_PORT_KEYBOARD, 0, &kbd)) != KERR_OK)
        return e;
    if ((e = display_start(&backend, 0, 0)) == KERR_OK && (e = keyboard_start(kbd)) == KERR_OK && shell)
        e = gfxterm_start();
    return e;
}
