\ matrix.fs -- integer matrix multiply: nested loops, a dot-product inner
\ word with stack juggling, address arithmetic.  Standard Forth 2012, CORE
\ words only (plus BYE).  C = A x B, then A = C mod 100, PASSES times; the
\ checksum is the sum of the last C mod 1000003.
\ Expected output:  matrix 64 CHECKSUM   (see expected.txt)
DECIMAL
64 CONSTANT N
270 CONSTANT PASSES
1000003 CONSTANT M
N CELLS CONSTANT ROW
CREATE MA N N * CELLS ALLOT
CREATE MB N N * CELLS ALLOT
CREATE MC N N * CELLS ALLOT
VARIABLE SEED

: RAND  ( -- u )  SEED @ 1103515245 * 12345 + 2147483647 AND DUP SEED ! 16 RSHIFT ;
: INIT  ( -- )  N N * 0 DO  RAND 100 MOD MA I CELLS + !  RAND 100 MOD MB I CELLS + !  LOOP ;

\ dot product of the row at a (stride one cell) and the column at b (stride ROW)
: DOT  ( a b -- n )
   0  N 0 DO  >R  OVER @ OVER @ *  R> +  >R  SWAP CELL+ SWAP ROW +  R>  LOOP
   NIP NIP ;

: MMUL  ( -- )
   N 0 DO  N 0 DO
      MA J ROW * +  MB I CELLS +  DOT  MC J ROW * + I CELLS + !
   LOOP  LOOP ;

: FOLD  ( -- )  N N * 0 DO  MC I CELLS + @ 100 MOD  MA I CELLS + !  LOOP ;
: CHECKSUM  ( -- n )  0  N N * 0 DO  MC I CELLS + @ +  M MOD  LOOP ;

: MAIN  ( -- )
   1 SEED !  INIT
   PASSES 0 DO  MMUL FOLD  LOOP
   ." matrix " N . CHECKSUM . CR ;

MAIN
BYE
