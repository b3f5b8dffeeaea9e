\ forth-lib/links.fs -- nodes and links (docs/links.md): what the link
\ service knows, and running things on other nodes.

: link-service  ( -- h )
   uuid" 636c696f-6c69-6e6b-8000-000000000001" cerr-nonode (connect-or) ;

\ ask the link service: the reply in an ALLOCATEd buffer the caller frees
: (link-ask)  {: a u op | h buf :}  ( -- buf len status )
   link-service to h  2048 allocate throw to buf
   a u op h buf 2048 ['] call catch  h disconnect
   ?dup if  >r 2drop 2drop 2drop  buf free drop  r> throw  then
   buf -rot ;

: (link-text)  ( op -- )
   >r 0 0 r> (link-ask)  ?dup if  >r drop free drop  r> error-throw  then
   over swap type  free drop ;

\ nodes ( -- ) every node known: name, number, hops, the link it is reached by
: nodes  ( -- )  2 (link-text) ;
\ links ( -- ) every link: its end, peer, state and counters
: links  ( -- )  3 (link-text) ;

\ (node-find) ( c-addr u -- n 0 | x ior )
: (node-find)  ( c-addr u -- n ior )
   1 (link-ask) >r  drop  dup c@  swap free drop  r> ;

\ (node-wait) ( c-addr u ms -- n ) the node's number, waiting up to ms for it
: (node-wait)  ( c-addr u ms -- n )
   100 / 1 max 0 do
      2dup (node-find) 0= if  nip nip unloop exit  then  drop  100 ms
   loop  2drop cerr-nonode error-throw ;

\ node" name" ( -- n ) the number of node `name`, waiting up to 5 s for it
: node"  ( "name<">" -- n )
   [char] " parse  state @ if
      postpone sliteral  5000 postpone literal  postpone (node-wait)
   else  5000 (node-wait)  then ; immediate

\ (type-shown) ( c-addr u -- ) TYPE, but control bytes other than LF and
\ TAB as ^X: text from another node cannot drive this terminal
: (type-shown)  ( c-addr u -- )
   over + swap ?do  i c@
      dup 32 < over 10 <> and over 9 <> and  over 127 = or
      if  [char] ^ emit  64 xor  then  emit
   loop ;

\ eval-on ( c-addr u n -- code ) run the text in a new Forth task on node n
\ (the spawnulator's EVAL there); its output is typed here (control bytes
\ shown, see above); 0 or its THROW code.  At most 1024 bytes of text, 2048
\ of output.  Ctrl-C gives up the wait (the far task runs on to its end).
2052 constant eval-reply-max
: (le32s@)  ( addr -- n )  le32@  dup $80000000 and if  $7fffffff and $7fffffff - 1-  then ;
: eval-on  {: a u n | h buf :}  ( -- code )
   spawnulator n connect-on to h  eval-reply-max allocate throw to buf
   a u 5 h buf eval-reply-max ['] call catch  h disconnect
   ?dup if  >r 2drop 2drop 2drop  buf free drop  r> throw  then
   ( len status ) ?dup if  nip buf free drop  error-throw  then
   dup 4 < if  drop buf free drop  cerr-inval error-throw  then
   buf 4 + swap 4 - (type-shown)  buf (le32s@)  buf free drop ;
