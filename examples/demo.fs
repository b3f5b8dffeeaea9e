\ examples/demo.fs -- an animation drawn from Forth: a bouncing ball, a
\ sliding bar and a clock, 150 frames at about 30 a second, then it ends
\ by itself (so it also runs headless:  build/clio --display headless:x.ppm
\ examples/demo.fs;  or in a window:  build/clio --display sdl examples/demo.fs).
150 constant frames
300 constant cw  120 constant ch
create cv cw ch * 8 + allot
variable bx  variable by  variable dx  variable dy  variable bar
20 bx !  30 by !  3 dx !  2 dy !  0 bar !

: 2digits ( n -- ) 0 <# # # #> ;
create clock 8 chars allot
\ "hh:mm:ss" of the uptime clock
: clock$ ( -- c-addr u )
   uptime 1000 /  dup 60 mod swap 60 /  dup 60 mod swap 60 / 24 mod
   2digits clock swap move  [char] : clock 2 + c!
   2digits clock 3 + swap move  [char] : clock 5 + c!
   2digits clock 6 + swap move
   clock 8 ;
: bounce ( -- )
   bx @ dx @ + dup bx !  dup 10 < swap cw 10 - > or if dx @ negate dx ! then
   by @ dy @ + dup by !  dup 10 < swap ch 30 - > or if dy @ negate dy ! then ;
: hand ( n -- )  \ a "second hand": a line around the clock face
   60 mod dup 15 < if 4 * 230 + 10 else dup 30 < if 15 - 4 * 10 + 290 swap else
   dup 45 < if 30 - 4 * 290 swap - 70 else 45 - 4 * 70 swap - 230 swap then then then
   260 40 2swap line ;
: frame ( n -- )
   clear
   64 color  0 0 cw ch rect
   255 color  bx @ by @ 8 fill-circle
   180 color  bar @ ch 20 - 40 8 fill-rect
   bar @ 4 + cw mod bar !
   200 color  260 40 28 circle
   255 color  uptime 1000 / hand  drop
   clock$ 10 6 text
   s" clio" 10 ch 10 - text
   bounce paint show ;
: demo ( -- )
   cv 50 60 cw ch canvas  0 display-clear
   frames 0 do  i frame  33 ms  loop
   frames . ." frames" cr ;
demo
