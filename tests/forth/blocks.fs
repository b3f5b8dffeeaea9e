\ BLOCK: buffers, UPDATE and FLUSH, LOAD (BLK, nesting, \ in a block,
\ REFILL to the next block), THRU, LIST (SCR kept when it fails),
\ EMPTY-BUFFERS, errors; the buffers are not the program's to FREE.  The
\ block file is blocks.fb in the current directory (tests/forth.sh runs
\ each script in a scratch directory).
: wb ( u c-addr u -- ) rot buffer dup 1024 blank swap move update ;
1 s" 11 22 + ." wb flush
1 load cr
2 s" blk @ . 1 load blk @ ." wb 2 load cr
3 s" 1 \ 2 3" wb 3 block 64 + s" 4" rot swap move update 3 load . . cr
4 s" 7 refill 8" wb 5 s" 9" wb 4 load . . . cr
6 s" 100" wb 7 s" 200" wb 6 7 thru + . cr
blk @ . s" blk @" evaluate . cr
: in-block s" blk @ ." evaluate ; 8 s" in-block blk @ ." wb 8 load cr
1 block 1 block = . cr
9 buffer drop 10 buffer drop 11 buffer drop 12 buffer drop 1 block c@ emit cr
1 block char X swap c! update empty-buffers 1 block c@ emit cr
14 s" Forth" wb 14 list scr @ . cr
15 s" 1 2 nosuchword" wb 15 load
blk @ . depth . cr
0 block
65536 load
0 list
scr @ . cr
: tryfree ( -- n ) 0  9 1 do i block free 0= - loop ;  tryfree . cr
: tryresize ( -- n ) 0  9 1 do i block 2048 resize nip 0= - loop ;  tryresize . cr
20 s" ok20" wb 20 block 4 type cr
save-buffers .( done) cr
