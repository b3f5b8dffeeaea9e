\ mandel.fs -- floating point: the Mandelbrot set's escape counts on a
\ SIZE x SIZE grid over [-2, 1] x [-1, 1], at most MAXIT iterations a
\ point; the float stack, F+ F- F* F/ F<, FVARIABLEs, S>F.  Standard
\ Forth 2012, CORE and FLOATING words only (plus BYE); IEEE doubles give
\ every system the same counts.
\ Expected output:  mandel SIZE ITERATIONS INSIDE   (see expected.txt)
DECIMAL
240 CONSTANT SIZE
200 CONSTANT MAXIT
VARIABLE TOTAL  VARIABLE INSIDE
FVARIABLE CRE  FVARIABLE CIM

: ESCAPE  ( -- n )   \ iterations until |z| > 2 for c = CRE + i CIM
   0E 0E                                 \ F: zr zi
   MAXIT 0 DO
      FOVER FDUP F*  FOVER FDUP F*       \ F: zr zi zr^2 zi^2
      FOVER FOVER F+  4E FSWAP F< IF
         FDROP FDROP FDROP FDROP  I UNLOOP EXIT
      THEN
      F-  CRE F@ F+                      \ F: zr zi zr'
      FROT FROT F*  2E F*  CIM F@ F+     \ F: zr' zi'
   LOOP
   FDROP FDROP MAXIT ;

: MAIN  ( -- )
   0 TOTAL !  0 INSIDE !
   SIZE 0 DO
      I S>F SIZE S>F F/  2E F*  1E F-  CIM F!
      SIZE 0 DO
         I S>F SIZE S>F F/  3E F*  2E F-  CRE F!
         ESCAPE  DUP TOTAL +!  MAXIT = IF  1 INSIDE +!  THEN
      LOOP
   LOOP
   ." mandel " SIZE . TOTAL @ . INSIDE @ . CR ;

MAIN
BYE
