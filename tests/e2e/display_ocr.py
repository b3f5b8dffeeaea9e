#!/usr/bin/env python3
"""display_ocr.py PPM [FONT.c] -- read a clio framebuffer PPM back as text:
cells of the display's font (FONT.c, the C file services/display/mkfont.py generated,
default $BUILD/gen/font.c), lit pixels > 128; a cell that matches no glyph
(e.g. the cursor) prints as '#'.  One line per text row, right-stripped."""
import os, re, sys

src = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.environ.get('BUILD', 'build'), 'gen', 'font.c')
glyphs = {}
for i, m in enumerate(re.finditer(r'\{ ((?:0x[0-9a-f]{2}(?:, )?)+) \}', open(src).read())):
    glyphs[tuple(int(x, 16) for x in m.group(1).split(', '))] = chr(0x20 + i)
gh = len(next(iter(glyphs)))
gw = 6

d = open(sys.argv[1], 'rb').read()
parts = d.split(b'\n', 3)
w, h = map(int, parts[1].split())
px = parts[3]
def lit(x, y): return px[(y * w + x) * 3] > 128
for r in range(h // gh):
    line = ''
    for c in range(w // gw):
        rows = tuple(sum(0x80 >> col for col in range(gw) if lit(c * gw + col, r * gh + row)) for row in range(gh))
        line += glyphs.get(rows, '#')
    print(line.rstrip())
