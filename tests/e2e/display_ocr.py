#!/usr/bin/env python3
"""Read a clio framebuffer PPM back as text: 6x8 cells of the built-in 5x7
font (services/font5x7.c), lit pixels > 128; a cell that matches no glyph
(e.g. the cursor) prints as '#'.  One line per text row, right-stripped."""
import re, sys, os

src = os.path.join(os.path.dirname(__file__), '..', '..', 'services', 'font5x7.c')
glyphs = {}
for i, m in enumerate(re.finditer(r'\{ (0x[0-9a-f]{2}), (0x[0-9a-f]{2}), (0x[0-9a-f]{2}), (0x[0-9a-f]{2}), (0x[0-9a-f]{2}) \}', open(src).read())):
    glyphs[tuple(int(x, 16) for x in m.groups())] = chr(0x20 + i)

d = open(sys.argv[1], 'rb').read()
parts = d.split(b'\n', 3)
w, h = map(int, parts[1].split())
px = parts[3]
def lit(x, y): return px[(y * w + x) * 3] > 128
for r in range(h // 8):
    line = ''
    for c in range(w // 6):
        cols = tuple(sum(1 << row for row in range(7) if lit(c * 6 + col, r * 8 + row)) for col in range(5))
        line += glyphs.get(cols, '#')
    print(line.rstrip())
