\ forth-lib/files.fs -- words for files, over the file service (docs/files.md).
\ FILE-ACCESS and INCLUDED in a task go to the file service; paths are
\ inside its root (build/clio --files DIR, or the disk on QEMU).
\
\   ls                 ( -- )            the root's entries, files with size
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

: .entry  ( c-addr u sizes? -- )
   >r 2dup type
   r> if  2dup file-status 0= if  dup 0< 0= if 2 spaces . else drop then  else drop then  then
   2drop cr ;
: (ls)  ( c-addr u sizes? -- )
   >r 2dup r/o open-file 2swap file-abort  r> swap
   begin  pad 80 2 pick read-line throw  while  pad swap 3 pick .entry  repeat
   drop close-file throw drop ;
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
