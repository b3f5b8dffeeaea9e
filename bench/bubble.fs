\ bubble.fs -- bubble sort of a cell array: memory fetch/store, compare and
\ nested DO loops with +LOOP.  Standard Forth 2012, CORE words only (plus BYE).
\ PASSES times: fill the array from a 31-bit LCG (the same on 32- and 64-bit
\ cells), sort it, add an order-dependent checksum.
\ Expected output:  bubble 3000 CHECKSUM   (see expected.txt)
DECIMAL
3000 CONSTANT N
16 CONSTANT PASSES
1000003 CONSTANT M
CREATE A N CELLS ALLOT
VARIABLE SEED
VARIABLE SUM

: RAND  ( -- u )  SEED @ 1103515245 * 12345 + 2147483647 AND DUP SEED ! 16 RSHIFT ;
: FILL-A  ( -- )  N 0 DO  RAND A I CELLS + !  LOOP ;

: SORT  ( -- )
   N 1- 0 DO
      A N I - 1- CELLS +  A DO
         I @  I CELL+ @  2DUP > IF  I !  I CELL+ !  ELSE  2DROP  THEN
      1 CELLS +LOOP
   LOOP ;

\ sum of a[i]*(i+1) mod M: any misplaced element changes it
: CHECKSUM  ( -- n )  0  N 0 DO  A I CELLS + @ I 1+ *  +  M MOD  LOOP ;

: MAIN  ( -- )
   1 SEED !  0 SUM !
   PASSES 0 DO  FILL-A SORT  CHECKSUM SUM @ + M MOD SUM !  LOOP
   ." bubble " N . SUM @ . CR ;

MAIN
BYE
