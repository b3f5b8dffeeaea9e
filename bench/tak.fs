\ tak.fs -- Takeuchi's function: call-heavy recursion, PICK and return-stack
\ free stack juggling, three recursive calls per level.  Standard Forth 2012,
\ CORE words only (plus BYE).  PASSES times tak(24,16,8) (= 9).
\ Expected output:  tak 9 CHECKSUM   (see expected.txt)
DECIMAL
16 CONSTANT PASSES
VARIABLE CALLS

: TAK  ( x y z -- r )
   1 CALLS +!
   OVER 3 PICK < 0= IF  NIP NIP EXIT  THEN
   2 PICK 1-  2 PICK  2 PICK  RECURSE
   2 PICK 1-  2 PICK  5 PICK  RECURSE
   2 PICK 1-  5 PICK  5 PICK  RECURSE
   RECURSE  NIP NIP NIP ;

: MAIN  ( -- )
   0 CALLS !  0
   PASSES 0 DO  DROP 24 16 8 TAK  LOOP
   ." tak " . CALLS @ . CR ;

MAIN
BYE
