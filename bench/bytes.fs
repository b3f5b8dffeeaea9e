\ bytes.fs -- byte loops over a string: count the vowels (a short helper
\ word called per character) and a rolling checksum with C@ in DO loops.
\ Standard Forth 2012, CORE words only (plus BYE).  The text is PASSES times
\ a fresh 31-bit LCG stream of letters and spaces.
\ Expected output:  bytes 8192 VOWELS CHECKSUM   (see expected.txt)
DECIMAL
8192 CONSTANT LEN
1500 CONSTANT PASSES
CREATE BUF LEN CHARS ALLOT
VARIABLE SEED
VARIABLE VOWELS
VARIABLE SUM

: RAND  ( -- u )  SEED @ 1103515245 * 12345 + 2147483647 AND DUP SEED ! 16 RSHIFT ;
: FILL-BUF  ( -- )
   BUF LEN + BUF DO  RAND 27 MOD  DUP 26 = IF DROP BL ELSE [CHAR] a + THEN  I C!  LOOP ;

: VOWEL?  ( c -- f )
   DUP [CHAR] a =  OVER [CHAR] e = OR  OVER [CHAR] i = OR
   OVER [CHAR] o = OR  SWAP [CHAR] u = OR ;
: COUNT-VOWELS  ( addr len -- n )
   0 ROT ROT  OVER + SWAP DO  I C@ VOWEL? IF 1+ THEN  LOOP ;
: CHECKSUM  ( addr len -- n )
   0 ROT ROT  OVER + SWAP DO  31 *  I C@ +  65535 AND  LOOP ;

: MAIN  ( -- )
   1 SEED !  0 VOWELS !  0 SUM !  FILL-BUF
   PASSES 0 DO
      BUF LEN COUNT-VOWELS VOWELS +!
      BUF LEN CHECKSUM SUM @ + 65535 AND SUM !
      I 7 AND 0= IF  FILL-BUF  THEN
   LOOP
   ." bytes " LEN . VOWELS @ . SUM @ . CR ;

MAIN
BYE
