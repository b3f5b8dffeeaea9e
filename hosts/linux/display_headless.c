/* display_headless -- the framebuffer to a PPM file (see display_host.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "display_host.h"

static char *path;

static void write_ppm(const uint8_t *fb, uint16_t w, uint16_t h)
{
    if (!path || !fb)
        return;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return;
    fprintf(f, "P6\n%u %u\n255\n", w, h);
    uint8_t *row = malloc((size_t)w * 3);
    for (uint16_t y = 0; row && y < h; y++) {
        for (uint16_t x = 0; x < w; x++)
            memset(row + 3 * x, fb[(size_t)y * w + x], 3);
        fwrite(row, 3, w, f);
    }
    free(row);
    if (fclose(f) == 0)
        rename(tmp, path);
}

static void present(void *ctx, const uint8_t *fb, uint16_t w, uint16_t h)
{
    (void)ctx;
    write_ppm(fb, w, h);
}

kerr_t display_headless_open(const char *p, display_backend_t *out)
{
    if (!p || !*p)
        return KERR_INVAL;
    path = strdup(p);
    *out = (display_backend_t){ .present = present };
    return path ? KERR_OK : KERR_NOMEM;
}

void display_headless_close(void)
{
    uint16_t w, h;
    const uint8_t *fb = display_framebuffer(&w, &h);
    write_ppm(fb, w, h);
}
