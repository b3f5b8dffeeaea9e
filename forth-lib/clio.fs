\ forth-lib/clio.fs -- readable words over clio's services, loaded at boot
\ into the root VM that every Forth task forks from.  (Words defined here
\ are read-only to the tasks: buffers they need come from PAD or HERE.)

\ ---- UUIDs and services -------------------------------------------------
\ uuid" 54c983fa-736f-4223-b90d-c4360a308647"  ( -- lo hi )
\ (two cells with 64-bit cells, four with 32-bit ones; compiled deepest first)
: uuid"  [char] " parse (uuid-parse)
   state @ if  [ 16 1 cells / ] literal 0 do
      [ 16 1 cells / 1- ] literal i - roll postpone literal  loop  then ; immediate

\ request ( addr u op h -- addr2 u2 ): a call whose reply (up to 256 bytes)
\ lands in PAD; a non-zero status throws it, with its text.
: request  ( addr u op h -- addr2 u2 )
   pad 256 call  ?dup if  nip error-throw  then  pad swap ;

\ little-endian fields, as every service lays out its payloads
: le16@  ( addr -- u )  dup c@  swap 1+ c@ 8 lshift or ;
: le32@  ( addr -- u )  dup le16@  swap 2 + le16@ 16 lshift or ;
: le16!  ( u addr -- )  2dup c!  swap 8 rshift swap 1+ c! ;
: le32!  ( u addr -- )  2dup le16!  swap 16 rshift swap 2 + le16! ;

\ ---- the registry ------------------------------------------------------
: services  ( -- )
   ."   #  uuid                                  name" cr
   0 begin  dup pad service-info  while
      ?dup if  pad swap type cr  then  1+
   repeat  2drop ;

\ ---- the serial multiplexer ---------------------------------------------
: sermux  uuid" 54c983fa-736f-4223-b90d-c4360a308647" ;
: mux-stats  ( -- frames-in frames-out bytes-in bytes-out malformed unknown full )
   sermux cerr-nomux (connect-or) >r
   0 0 2 r@ ['] request catch  r> disconnect  throw drop
   7 0 do  dup i 4 * + le32@ swap  loop drop ;
: .mux  ( -- )
   mux-stats
   cr ." rx full       " . cr ." unknown port  " . cr ." malformed     " .
   cr ." bytes out     " . cr ." bytes in      " . cr ." frames out    " .
   cr ." frames in     " . cr ;

\ ---- the spawnulator service ----------------------------------------------
: spawnulator  uuid" c10f0b5e-5a3a-4e4d-9f6b-7370616e7772" ;
\ live tasks, as the service sees them (newest first; at most 62: PAD's
\ 256 bytes)
: live-tasks  ( -- tid... n )
   spawnulator connect >r  0 0 4 r@ ['] request catch  r> disconnect  throw
   drop dup le32@ 62 min  ( addr n )
   dup >r 0 ?do  dup 4 + i 4 * + le32@ swap  loop drop r> ;

\ ---- tasks -------------------------------------------------------------
: tasks  ( -- )
   ."        tid parent port mode          state    memory" cr
   0 begin  dup pad (task-line)  while  pad swap type cr  1+  repeat  2drop ;

\ ---- the example echo service --------------------------------------------
: echo-service  uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" ;
: upper  ( addr u -- addr2 u2 )
   echo-service connect >r  2 r@ ['] request catch  r> disconnect  throw ;

\ ---- time and tasks ------------------------------------------------------
: sleep  ( ms -- )  ms ;
: seconds  ( n -- )  1000 * ms ;
: trace-off  4 trace-level ;
: trace-all  0 trace-level ;

\ ---- floats --------------------------------------------------------------
\ pi ( F: -- r ): the double nearest pi, a literal in the root image
3.141592653589793e fconstant pi
