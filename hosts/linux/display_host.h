/*
 * display_host -- clio's --display option: the display service with an SDL2
 * window or the headless PPM backend, the keyboard mux (fed by the window
 * and, with a sermux line, by port 2), the Forth drawing words and the
 * graphical Forth shell.
 *
 *   sdl[:SCALE]        an SDL2 window, 400x240 pixels scaled by SCALE (2),
 *                      at most 60 frames a second; closing it raises
 *                      SIGTERM, which stops clio cleanly
 *   headless:FILE.ppm  no window: every presented frame, and the last one at
 *                      exit, is written to FILE.ppm (P6, gray as RGB)
 *
 * display_host_start(): after ftask_init(), before any Forth task starts
 * (it adds the drawing words); with_mux: sermux is running (port 2 feeds
 * the keyboard); shell: start the graphical shell (not in script mode,
 * where the scripts own the screen).  Registers its own atexit() for the last frame.
 */
#ifndef DISPLAY_HOST_H
#define DISPLAY_HOST_H

#include <stdbool.h>
#include "kerr.h"
#include "display/display.h"

kerr_t display_host_start(const char *spec, bool with_mux, bool shell);

/* The backends (display_sdl.c, display_headless.c). */
kerr_t display_sdl_open(int scale, display_backend_t *out);
void display_sdl_close(void);
kerr_t display_headless_open(const char *path, display_backend_t *out);
void display_headless_close(void);

#endif
