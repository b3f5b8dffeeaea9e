\ tests/e2e/display_draw.fs -- a drawing rendered headless and checksummed
\ by tests/e2e/display.sh: every primitive, on canvases in the task's own
\ data space (a script task has 64 KiB: canvases stay small).
60 display-clear
create scr 200 150 * 8 + allot
scr 10 10 200 150 canvas
40 color  0 0 200 150 fill-rect
255 color
10 10 100 60 rect
20 20 80 40 fill-rect
0 color  30 30 20 20 fill-rect
255 color
140 90 50 circle
140 90 20 fill-circle
0 0 199 149 line
0 149 199 0 line
paint
create strip 400 24 * 8 + allot
strip 0 210 400 24 canvas
128 color
s" Hello, clio! 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ" 2 0 text
s" abcdefghijklmnopqrstuvwxyz !#$%&'()*+,-./:;<=>?@[\]^_`{|}~" 2 12 text
paint
\ a small canvas painted at the right
create spr 32 32 * 8 + allot
spr 340 20 32 32 canvas
200 color  16 16 15 circle  255 color 8 8 16 16 fill-rect
paint
\ a chunk out of bounds is refused with a clear error, and drawing goes on
create bad 16 16 * 8 + allot
bad 390 230 16 16 canvas
: try-bad  ['] paint catch ?dup if ." refused: " . cr then ;
try-bad
spr 300 100 8 1 canvas 255 color 0 0 pixel 2 0 pixel 4 0 pixel paint
show
display-size . . cr
