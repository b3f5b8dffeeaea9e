\ prelude.fs -- the part of the Forth system written in Forth; compiled
\ into every new VM by fvm_create().  Only lines that are wholly a
\ backslash comment are stripped from the image (forth/mkprelude.sh).
\ Words in parentheses are internal primitives (forth/prims.h).

32 CONSTANT BL

\ Input.  A file line is read through the host's READ-LINE hook, which may
\ be asynchronous: so this part is Forth, not C.
: (refill-file)
   SOURCE-ID (file-position) IF 2DROP ELSE (set-pos) THEN
   (source-line) 1- SOURCE-ID (read-line) IF -37 THROW THEN
   IF (set-line) TRUE ELSE DROP FALSE THEN ;
: REFILL
   SOURCE-ID DUP 0= IF DROP (refill-term) EXIT THEN
   -1 = IF FALSE EXIT THEN (refill-file) ;
: (  BEGIN (paren) 0= WHILE
       SOURCE-ID DUP 0= SWAP -1 = OR IF EXIT THEN
       REFILL 0= IF EXIT THEN
     REPEAT ; IMMEDIATE

: EVALUATE  ( i*x c-addr u -- j*x )
   (push-string) ['] INTERPRET CATCH (pop-source) DROP (rethrow) ;
: (include-loop)  BEGIN (refill-file) WHILE INTERPRET REPEAT ;
: (include)  ( fileid c-addr u -- )
   (push-file) ['] (include-loop) CATCH (pop-source) (close-file) DROP (rethrow) ;
: INCLUDE-FILE  ( fileid -- )  0 0 (include) ;
: INCLUDED  ( c-addr u -- )
   2DUP (included?) DROP
   2DUP 0 (open-file) IF DROP (no-file) THEN  -ROT (include) ;
: INCLUDE  PARSE-NAME INCLUDED ;
: REQUIRED  2DUP (included?) IF 2DROP ELSE INCLUDED THEN ;
: REQUIRE  PARSE-NAME REQUIRED ;
: RESTORE-INPUT  ( xn .. x1 n -- flag )
   (restore-input) DUP 1 <> IF EXIT THEN DROP
   2>R SOURCE-ID (reposition-file) IF 2R> 2DROP TRUE EXIT THEN
   (refill-file) 0= IF 2R> 2DROP TRUE EXIT THEN
   2R> (set-line#) >IN ! FALSE ;

: ?  ( a-addr -- )  @ . ;
\ SPACES is Forth so that fuel bounds it (n may be huge).
: SPACES  ( n -- )  BEGIN DUP 0> WHILE SPACE 1- REPEAT DROP ;
: /STRING  ( c-addr u n -- c-addr' u' )  DUP >R - SWAP R> + SWAP ;

\ Conditional compilation (TOOLS EXT).
: [DEFINED]  BL WORD FIND NIP 0<> ; IMMEDIATE
: [UNDEFINED]  BL WORD FIND NIP 0= ; IMMEDIATE
: [ELSE]  ( -- )
   1 BEGIN
     BEGIN PARSE-NAME DUP WHILE
       2DUP S" [IF]" (name=) IF 2DROP 1+
       ELSE 2DUP S" [ELSE]" (name=) IF 2DROP 1- DUP IF 1+ THEN
       ELSE S" [THEN]" (name=) IF 1- THEN THEN THEN
       ?DUP 0= IF EXIT THEN
     REPEAT 2DROP
   REFILL 0= UNTIL DROP ; IMMEDIATE
: [IF]  ( flag -- )  0= IF POSTPONE [ELSE] THEN ; IMMEDIATE
: [THEN]  ( -- ) ; IMMEDIATE
