/*
 * font -- the built-in bitmap font: 5x7 ASCII glyphs 0x20..0x7e, drawn in
 * 6x8 cells (prefix font_).  Each glyph is 5 column bytes, left to right;
 * bit 0 is the top row.  Characters outside the range draw as '?'.
 * Read-only data; freestanding.
 */
#ifndef CLIO_FONT_H
#define CLIO_FONT_H

#include <stdint.h>

#define FONT_W 5
#define FONT_H 7
#define FONT_CELL_W 6
#define FONT_CELL_H 8
#define FONT_FIRST 0x20
#define FONT_LAST 0x7e

extern const uint8_t font5x7[FONT_LAST - FONT_FIRST + 1][FONT_W];

/* The glyph of c (5 column bytes). */
static inline const uint8_t *font_glyph(unsigned c)
{
    return font5x7[(c < FONT_FIRST || c > FONT_LAST ? '?' : c) - FONT_FIRST];
}

#endif
