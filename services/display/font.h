/*
 * font -- the display's bitmap font (prefix font_): ASCII glyphs 0x20..0x7e
 * of Terminus 6x12 (Lat15-Terminus12x6 from Debian's console-setup-linux),
 * converted at build time by services/display/mkfont.py into $(BUILD)/gen/font.c.
 * A glyph is FONT_H row bytes, top row first, the leftmost pixel in bit 7;
 * the font's own spacing is inside its 6x12 cell (descenders included).
 * Characters outside the range draw as '?'.  Read-only data; freestanding.
 */
#ifndef CLIO_FONT_H
#define CLIO_FONT_H

#include <stdbool.h>
#include <stdint.h>

#define FONT_W 6                 /* a glyph's cell: the text grid's pitch */
#define FONT_H 12
#define FONT_CELL_W FONT_W
#define FONT_CELL_H FONT_H
#define FONT_FIRST 0x20
#define FONT_LAST 0x7e

extern const uint8_t font_glyphs[FONT_LAST - FONT_FIRST + 1][FONT_H];

/* The glyph of c (FONT_H row bytes). */
static inline const uint8_t *font_glyph(unsigned c)
{
    return font_glyphs[(c < FONT_FIRST || c > FONT_LAST ? '?' : c) - FONT_FIRST];
}

/* Is pixel (col, row) of glyph g lit? */
static inline bool font_pixel(const uint8_t *g, int col, int row)
{
    return (g[row] >> (7 - col)) & 1;
}

#endif
