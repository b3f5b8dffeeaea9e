/*
 * fdisplay -- drawing from Forth: host words that draw into a canvas in
 * the task's own memory and paint it to the display service (prefix
 * fdisplay_).  Call fdisplay_init() after ftask_init(), before any task.
 *
 * A canvas is a PAINT chunk in the task's data space: header {u16 x, y,
 * w, h} then w*h gray8 pixels (CANVAS-BYTES w h -- n tells its size).
 *   canvas    ( addr x y w h -- )   make addr (8 + w*h bytes) the task's
 *                                   canvas at screen (x, y), cleared to 0
 *   color     ( gray -- )           the drawing gray (0 black .. 255 white)
 *   clear     ( -- )                fill the canvas with 0
 *   pixel     ( x y -- )            coordinates are the canvas's own;
 *   line      ( x0 y0 x1 y1 -- )    drawing is clipped to the canvas
 *   rect      ( x y w h -- )        outline
 *   fill-rect ( x y w h -- )
 *   circle    ( cx cy r -- )        outline (midpoint)
 *   fill-circle ( cx cy r -- )
 *   text      ( c-addr u x y -- )   the 6x12 font (font.h)
 *   paint     ( -- )                send the canvas (PAINT); the display
 *                                   refusing it throws with its reason
 *   flush     ( -- )                FLUSH: show the frame
 *   display-clear ( gray -- )       CLEAR the whole framebuffer
 *   display-size  ( -- w h )
 * No canvas yet: drawing words throw "no canvas".  Drawing pays fuel for
 * the pixels and steps it touches (fvm_charge), never walks rows or glyphs
 * off the canvas, and clamps coordinates to +-2^28 (far off any canvas);
 * a line draws at most 100000 steps from (x0, y0), a circle's r is 0..100000.
 */
#ifndef FDISPLAY_H
#define FDISPLAY_H

#include "kerr.h"

kerr_t fdisplay_init(void);

#endif
