\ isort.fs -- insertion sort of a cell array: BEGIN WHILE REPEAT inner loop
\ with a compound condition, cell fetch/store and address arithmetic.
\ Standard Forth 2012, CORE words only (plus BYE).  PASSES times: fill the
\ array from a 31-bit LCG, sort it, add an order-dependent checksum.
\ Expected output:  isort 2000 CHECKSUM   (see expected.txt)
DECIMAL
2000 CONSTANT N
20 CONSTANT PASSES
1000003 CONSTANT M
CREATE A N CELLS ALLOT
VARIABLE SEED
VARIABLE SUM

: RAND  ( -- u )  SEED @ 1103515245 * 12345 + 2147483647 AND DUP SEED ! 16 RSHIFT ;
: FILL-A  ( -- )  N 0 DO  RAND A I CELLS + !  LOOP ;

: SORT  ( -- )
   N 1 DO
      A I CELLS + @  I                         ( v j )
      BEGIN  DUP 0> IF  2DUP 1- CELLS A + @ <  ELSE  0  THEN
      WHILE  DUP 1- CELLS A + @  OVER CELLS A + !  1-
      REPEAT
      CELLS A + !
   LOOP ;

: CHECKSUM  ( -- n )  0  N 0 DO  A I CELLS + @ I 1+ *  +  M MOD  LOOP ;

: MAIN  ( -- )
   1 SEED !  0 SUM !
   PASSES 0 DO  FILL-A SORT  CHECKSUM SUM @ + M MOD SUM !  LOOP
   ." isort " N . SUM @ . CR ;

MAIN
BYE
