\ forth-lib/files.fs -- words for files, over the file service (docs/files.md).
\ FILE-ACCESS and INCLUDED in a task go to the file service; paths are
\ inside its root (build/clio --files DIR, or the disk on QEMU).
\
\   ls                 ( -- )            the root's entries, sorted, files with size
\   ls-dir "dir"       ( -- )            a directory's entries
\   cat "name"         ( -- )            type a file
\   rm "name"          ( -- )            delete a file
\   mv "old" "new"     ( -- )            rename (replaces "new")
\   save-line "name"   ( c-addr u -- )   append the text and a newline
\   include name                         run a stored script
\   file-error         ( ior -- c-addr u )   the text of a file ior (in PAD)

: file-error  ( ior -- c-addr u )  pad 80 (error-text) pad swap ;

\ file-abort ( ior c-addr u -- ): a non-zero ior is thrown, its message
\ "name: text"
: file-abort  ( ior c-addr u -- )  name-throw ;

: (file-name)  ( "name" -- c-addr u )
   parse-name dup 0= abort" file name expected" ;

\ A listing: the directory's names (one a line from the service), dot
\ entries left out, sorted, the sizes of files in a column.  The names wait
\ in an ALLOCATEd table of 81-byte counted slots (at most (ls-max)).
256 constant (ls-max)
: (ls-read)  ( c-addr u -- table n )
   2dup r/o open-file 2swap file-abort
   {: fid | tbl n slot :}
   (ls-max) 81 * cell+ allocate throw to tbl
   begin  n (ls-max) <  while
      tbl n 81 * + to slot
      slot 1+ 80 fid read-line throw  0= if  drop fid close-file throw  tbl n exit  then
      dup 0<>  slot 1+ c@ [char] . <> and  if  slot c!  n 1+ to n  else drop then
   repeat
   fid close-file throw  tbl n ;
\ (ls-sort) ( table n -- ) insertion sort of the slots by name, through a
\ spare slot past the last
: (ls-sort)  ( table n -- )
   {: tbl n | k tmp :}
   tbl n 81 * + to tmp
   n 1 max 1 ?do
      tbl i 81 * + tmp 81 move  i to k
      begin  k 0> if  tbl k 1- 81 * + count  tmp count  compare 0>  else false then  while
         tbl k 1- 81 * +  tbl k 81 * +  81 move  k 1- to k
      repeat
      tmp  tbl k 81 * +  81 move
   loop ;
\ (ls-size) ( c-addr u -- u2 true | false ) a file's size; false for a directory
: (ls-size)  ( c-addr u -- u2 true | false )
   file-status if drop false exit then  dup 0< if drop false else true then ;
: (ls)  ( c-addr u sizes? -- )
   -rot (ls-read) 2dup (ls-sort)
   {: sizes? tbl n | w :}
   n 0 ?do  tbl i 81 * + c@ w max to w  loop
   n 0 ?do
      tbl i 81 * + count  2dup type
      sizes? if  2dup (ls-size) if  >r w over - spaces r> 10 u.r  then  then
      2drop cr
   loop
   tbl free throw ;
: ls  ( -- )  s" ." true (ls) ;
: ls-dir  ( "dir" -- )  (file-name) false (ls) ;

: cat  ( "name" -- )
   (file-name) 2dup r/o open-file 2swap file-abort >r
   begin  pad 64 r@ read-file throw ?dup  while  pad swap type  repeat
   r> close-file throw ;

: rm  ( "name" -- )  (file-name) 2dup delete-file -rot file-abort ;
: mv  ( "old" "new" -- )
   (file-name) (file-name) 2over 2over rename-file >r 2drop r> -rot file-abort ;

\ open-append ( c-addr u -- fileid ): open for writing at the end, made if missing
: open-append  ( c-addr u -- fileid )
   2dup r/w open-file dup if  2drop 2dup w/o create-file  then
   2swap file-abort
   dup file-size throw  2 pick reposition-file throw ;
: save-line  ( c-addr u "name" -- )
   (file-name) open-append >r  r@ write-line throw  r> close-file throw ;
