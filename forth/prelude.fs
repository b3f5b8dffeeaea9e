\ prelude.fs -- the part of the Forth system written in Forth; compiled
\ into every new VM by fvm_create().  Only lines that are wholly a
\ backslash comment are stripped from the image (forth/mkprelude.sh).
\ Words in parentheses are internal primitives (forth/prims.h).

32 CONSTANT BL

\ BLOCK (the buffers' bookkeeping is C: forth/block.c).  Block u is the
\ 1024 bytes at (u-1)*1024 of the block file, through the file hooks.
\ ( is not defined yet: the stack comments here are backslash lines.
\ (blk-file) ( code -- fileid ) opened read/write; made only if it is not
\ there (a file that exists but will not open is never emptied by
\ CREATE-FILE); no file throws code (-33 reading, -34 writing)
: (blk-file)
   (blk-fid) IF NIP EXIT THEN >R
   (blk-name) 2DUP 2 (open-file) IF
     DROP 2DUP FILE-STATUS NIP 0= IF R> THROW THEN
     2 CREATE-FILE IF R> THROW THEN
   ELSE NIP NIP THEN  R> DROP DUP -1 (blk-fid!) ;
\ (blk-at) ( u code -- ud fileid )
: (blk-at)  >R 1- 1024 UM* R> (blk-file) ;
\ (blk-read) ( a-addr u -- ) past the end of the file: blanks
: (blk-read)
   OVER 1024 32 FILL  -33 (blk-at) >R
   2DUP R@ FILE-SIZE IF -33 THROW THEN DU< IF
     R@ (reposition-file) IF -33 THROW THEN 1024 R@ READ-FILE IF -33 THROW THEN DROP
   ELSE 2DROP DROP THEN  R> DROP ;
\ (blk-write) ( a-addr u -- ) a short file grows first
: (blk-write)
   -34 (blk-at) >R
   2DUP R@ FILE-SIZE IF -34 THROW THEN 2SWAP DU< IF
     2DUP R@ RESIZE-FILE IF -34 THROW THEN THEN
   R@ (reposition-file) IF -34 THROW THEN 1024 R> WRITE-FILE IF -34 THROW THEN ;
\ (blk-io) ( a-addr u op -- )
: (blk-io)
   DUP >R 1 = IF OVER SWAP (blk-write) ELSE OVER SWAP (blk-read) THEN R> (blk-done) ;
\ BLOCK ( u -- a-addr )
: BLOCK  BEGIN DUP -1 (blk-find) ?DUP WHILE (blk-io) REPEAT NIP ;
\ BUFFER ( u -- a-addr )
: BUFFER  BEGIN DUP 0 (blk-find) ?DUP WHILE (blk-io) REPEAT NIP ;
\ SAVE-BUFFERS ( -- )
: SAVE-BUFFERS
   BEGIN (blk-dirty) ?DUP WHILE (blk-io) REPEAT  (blk-fid) IF FLUSH-FILE DROP THEN ;
\ FLUSH ( -- )
: FLUSH  SAVE-BUFFERS EMPTY-BUFFERS ;
\ OPEN-BLOCKS ( c-addr u -- ) gforth's: name the block file
: OPEN-BLOCKS
   FLUSH (blk-fid) IF (close-file) DROP 0 (blk-fid!) THEN (blk-name!) ;
\ BYE saves updated buffers first (as best it can: it leaves regardless)
: BYE  ['] SAVE-BUFFERS CATCH DROP BYE ;

\ Input.  A file line is read through the host's READ-LINE hook, which may
\ be asynchronous: so this part is Forth, not C.
: (refill-file)
   SOURCE-ID (file-position) IF 2DROP ELSE (set-pos) THEN
   (source-line) 1- SOURCE-ID (read-line) IF -37 THROW THEN
   IF (set-line) TRUE ELSE DROP FALSE THEN ;
: REFILL
   BLK @ ?DUP IF 1+ DUP BLOCK SWAP (set-block) 0 >IN ! TRUE EXIT THEN
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
: LOAD  ( i*x u -- j*x )
   DUP BLOCK SWAP (push-block) ['] INTERPRET CATCH (pop-source) DROP
   BLK @ ?DUP IF DUP BLOCK SWAP (set-block) THEN (rethrow) ;
: THRU  ( i*x u1 u2 -- j*x )  1+ SWAP ?DO I LOAD LOOP ;
: LIST  ( u -- )
   DUP BLOCK SWAP DUP SCR ! CR ." Screen " U.
   16 0 DO CR I 2 .R SPACE DUP I 64 * + 64 TYPE LOOP DROP CR ;
\ (open-near) ( c-addr u -- c-addr' u' fileid ior ): a relative name
\ from the including file's directory first (as gforth), then as given
: (open-near)
   2DUP (near) IF
     2DUP 0 (open-file) 0= IF >R 2SWAP 2DROP R> 0 EXIT THEN DROP
   THEN 2DROP  2DUP 0 (open-file) ;
\ (included-as) ( c-addr u -- fileid c-addr' u' ): opened, its name noted
: (included-as)
   (open-near) ?DUP IF NIP (no-file) THEN  -ROT 2DUP (included?) DROP ;
: INCLUDED  ( c-addr u -- )  (included-as) (include) ;
: INCLUDE  PARSE-NAME INCLUDED ;
: REQUIRED  ( c-addr u -- )
   (open-near) ?DUP IF NIP (no-file) THEN  -ROT 2DUP (included?)
   IF 2DROP (close-file) DROP ELSE (include) THEN ;
: REQUIRE  PARSE-NAME REQUIRED ;
: RESTORE-INPUT  ( xn .. x1 n -- flag )
   (restore-input) DUP 2 = IF DROP >R DUP BLOCK SWAP (set-block) R> >IN ! FALSE EXIT THEN
   DUP 1 <> IF EXIT THEN DROP
   2>R SOURCE-ID (reposition-file) IF 2R> 2DROP TRUE EXIT THEN
   (refill-file) 0= IF 2R> 2DROP TRUE EXIT THEN
   2R> (set-line#) >IN ! FALSE ;

: ?  ( a-addr -- )  @ . ;
\ SPACES is Forth so that fuel bounds it (n may be huge).
: SPACES  ( n -- )  BEGIN DUP 0> WHILE SPACE 1- REPEAT DROP ;
: /STRING  ( c-addr u n -- c-addr' u' )  DUP >R - SWAP R> + SWAP ;

\ #! starts a comment to the end of the line (a script's first line, as
\ in gforth).
: #!  POSTPONE \ ; IMMEDIATE

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

\ DOUBLE (the rest is C: forth/double.c).
: D.R  ( d n -- )  >R TUCK DABS <# #S ROT SIGN #> R> OVER - SPACES TYPE ;
: D.  ( d -- )  0 D.R SPACE ;

\ STRING.
: BLANK  ( c-addr u -- )  BL FILL ;

\ TOOLS EXT.  A control-flow stack item is one cell of the data stack.
: CS-PICK  ( i*x u -- i*x x )  PICK ;
: CS-ROLL  ( i*x u -- i*x )  ROLL ;
: TRAVERSE-WORDLIST  ( i*x xt wid -- j*x )
   (wl-first) BEGIN ?DUP WHILE
     2>R 2R@ SWAP EXECUTE 0= IF 2R> 2DROP EXIT THEN 2R> (nt-next)
   REPEAT DROP ;

\ LOCALS EXT (obsolescent, but old code has it): the first name is the top.
: LOCALS|
   BEGIN PARSE-NAME DUP 0= IF -22 THROW THEN 2DUP S" |" COMPARE WHILE (LOCAL) REPEAT
   2DROP 0 0 (LOCAL) ; IMMEDIATE

\ FACILITY (MS TIME&DATE KEY? are host hooks: forth/file.c).
: BEGIN-STRUCTURE  ( "name" -- struct-sys 0 )  CREATE HERE 0 , 0 DOES> @ ;
: END-STRUCTURE  ( struct-sys +n -- )  SWAP ! ;
: +FIELD  ( n1 n2 "name" -- n3 )  CREATE OVER , + DOES> @ + ;
: FIELD:  ( n1 "name" -- n2 )  ALIGNED 1 CELLS +FIELD ;
: CFIELD:  ( n1 "name" -- n2 )  1 CHARS +FIELD ;
: FFIELD:  ( n1 "name" -- n2 )  FALIGNED 1 FLOATS +FIELD ;
: DFFIELD:  ( n1 "name" -- n2 )  DFALIGNED 1 DFLOATS +FIELD ;
: SFFIELD:  ( n1 "name" -- n2 )  SFALIGNED 1 SFLOATS +FIELD ;
: EMIT?  ( -- flag )  TRUE ;
: PAGE  ( -- )  27 EMIT ." [2J" 27 EMIT ." [H" ;
: AT-XY  ( u1 u2 -- )
   27 EMIT [CHAR] [ EMIT 1+ 0 .R [CHAR] ; EMIT 1+ 0 .R [CHAR] H EMIT ;

\ FILE-ACCESS (the rest is C: the (open-file) ... primitives, forth/file.c).
0 CONSTANT R/O
1 CONSTANT W/O
2 CONSTANT R/W
: BIN  ( fam1 -- fam2 ) ;
: OPEN-FILE  ( c-addr u fam -- fileid ior )  (open-file) ;
: CLOSE-FILE  ( fileid -- ior )  (close-file) ;
: READ-LINE  ( c-addr u1 fileid -- u2 flag ior )  (read-line) ;
: FILE-POSITION  ( fileid -- ud ior )  (file-position) ;
: REPOSITION-FILE  ( ud fileid -- ior )  (reposition-file) ;
: WRITE-LINE  ( c-addr u fileid -- ior )
   DUP >R WRITE-FILE ?DUP IF R> DROP EXIT THEN  S\" \n" R> WRITE-FILE ;

\ gforth's everyday words (RDROP UTIME [: ;] { } are primitives).
: NOOP  ( -- ) ;
1 CELLS CONSTANT CELL
: PLACE  ( c-addr1 u c-addr2 -- )  OVER >R ROT OVER CHAR+ R> MOVE C! ;
: +PLACE  ( c-addr1 u c-addr2 -- )
   2DUP >R >R COUNT + SWAP MOVE  R> R> DUP C@ ROT + SWAP C! ;
: BOUNDS  ( addr u -- addr+u addr )  OVER + SWAP ;
: ?EXIT  ( flag -- )
   STATE @ 0= IF -14 THROW THEN POSTPONE IF POSTPONE EXIT POSTPONE THEN ; IMMEDIATE
: PERFORM  ( a-addr -- )  @ EXECUTE ;
: CLEARSTACK  ( i*x -- )  BEGIN DEPTH WHILE DROP REPEAT ;
: HEX.  ( u -- )  BASE @ >R HEX [CHAR] $ EMIT 0 U.R SPACE R> BASE ! ;
: 2NIP  ( x1 x2 x3 x4 -- x3 x4 )  2SWAP 2DROP ;
: UNDER+  ( n1 n2 n3 -- n1+n3 n2 )  ROT + SWAP ;
: STRING-PREFIX?  ( c-addr1 u1 c-addr2 u2 -- flag )  TUCK 2>R MIN 2R> COMPARE 0= ;
\ ~~ ( -- ) shows where it is and the stack: "file:line: <n> x1 .. xn"
: (~~)  ( c-addr u line -- )
   CR >R DUP IF TYPE ELSE 2DROP ." terminal" THEN
   [CHAR] : EMIT R> 0 U.R ." : " .S CR ;
: ~~  ( -- )
   (where) STATE @ IF >R POSTPONE SLITERAL R> POSTPONE LITERAL POSTPONE (~~)
   ELSE (~~) THEN ; IMMEDIATE
