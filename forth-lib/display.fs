\ forth-lib/display.fs -- the display and keyboard services by UUID.
\ The drawing words themselves (canvas color clear pixel line rect
\ fill-rect circle fill-circle text paint show display-clear display-size)
\ are host words added by clio --display (services/display/fdisplay.h); see
\ docs/display.md.  A canvas is a PAINT chunk in the task's own memory:
\   create scr 100 50 canvas-bytes allot   scr 10 10 100 50 canvas
\   255 color  0 0 99 49 line  paint show
: display-service   uuid" c10d15b1-a7f0-4d2e-8c3b-646973706c79" ;
: keyboard-service  uuid" c10b0a2d-6b65-7973-8a11-6b6579626f61" ;
: canvas-bytes  ( w h -- n )  * 8 + ;
\ the display's METADATA over the bridge: width height format(1 = gray8)
: display-info  ( -- w h fmt )
   display-service cerr-nodisplay (connect-or) >r
   0 0 1 r@ ['] request catch  r> disconnect  throw drop
   dup c@ over 1+ c@ 8 lshift or  over 2 + c@  2 pick 3 + c@ 8 lshift or
   rot 4 + c@ ;
