\ vector.fs -- vectored execution: a table of execution tokens run with
\ EXECUTE, a DEFERred word re-pointed with IS inside the loop, and
\ CREATE ... DOES> counters.  Standard Forth 2012, CORE and CORE EXT words
\ only (DEFER IS, plus BYE).  PASSES times one table entry and two
\ deferred calls.
\ Expected output:  vector PASSES CHECKSUM   (see expected.txt)
DECIMAL
10000000 CONSTANT PASSES
VARIABLE SUM
: COUNTER  CREATE 0 , DOES> 1 SWAP +! ;
COUNTER C0  COUNTER C1  COUNTER C2  COUNTER C3
: ADD1  1 SUM +! ;
: ADD3  3 SUM +! ;
: MIX  SUM @ 2* 65535 AND 7 XOR SUM ! ;
CREATE OPS  ' C0 , ' ADD1 , ' C1 , ' ADD3 , ' C2 , ' MIX , ' C3 , ' ADD1 ,
DEFER STEP

: MAIN  ( -- )
   0 SUM !
   PASSES 0 DO
      I 7 AND CELLS OPS + @ EXECUTE
      I 1 AND IF ['] ADD1 ELSE ['] MIX THEN IS STEP
      STEP STEP
   LOOP
   ." vector " PASSES .
   SUM @  ['] C0 >BODY @ +  ['] C1 >BODY @ +  ['] C3 >BODY @ + . CR ;

MAIN
BYE
