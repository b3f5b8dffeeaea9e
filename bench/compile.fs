\ compile.fs -- the compiler: NDEFS colon definitions made as text and
\ EVALUATEd, each of 17 CORE words (looked up behind every name made
\ before it), then run once.  Standard Forth 2012, CORE words only (plus
\ BYE).  Expected output:  compile NDEFS CHECKSUM   (see expected.txt)
DECIMAL
3000 CONSTANT NDEFS
1000003 CONSTANT M
CREATE BUF 160 CHARS ALLOT
VARIABLE LEN
VARIABLE SUM

: +S  ( c-addr u -- )  DUP >R  BUF LEN @ CHARS + SWAP CMOVE  R> LEN +! ;
: +N  ( n -- )  0 <# #S #> +S  S"  " +S ;
: DEF  ( n -- )      \ : Wn n DUP 2* SWAP 1+ OVER XOR ... ; Wn SUM +!
   0 LEN !  S" : W" +S  DUP 0 <# #S #> +S  S"  " +S  DUP +N
   S" DUP 2* SWAP 1+ OVER XOR SWAP DROP ABS 7 AND DUP 3 MAX OVER 5 MIN + + ; W" +S
   0 <# #S #> +S  S"  SUM +!" +S
   BUF LEN @ EVALUATE ;

: MAIN  ( -- )
   0 SUM !  NDEFS 0 DO  I DEF  LOOP
   ." compile " NDEFS . SUM @ M MOD . CR ;
MAIN
BYE
