\ memory: FILL ERASE MOVE CMOVE CMOVE> 2! 2@ +! C! C@ ALIGNED CHAR+ CELL+ , C, ALLOT UNUSED
create m 16 allot m 16 erase
: .m ( n -- ) 0 do m i + c@ . loop ;
: reset ( -- ) s" 0123456789" m swap move ;
m 8 char a fill m 8 + 8 char b fill 16 .m cr
reset 10 .m cr
m m 1+ 5 move 7 .m cr
reset m m 1+ 5 cmove 7 .m cr
reset m 1+ m 5 cmove> 7 .m cr
reset m 1+ m 5 move 7 .m cr
reset m 1+ m 5 cmove 7 .m cr
reset m m 1+ 5 cmove> 7 .m cr
m 16 erase 4 .m cr
1 2 m 2! m 2@ . . m @ . m cell+ @ . cr
variable vv 5 vv ! 10 vv +! -3 vv +! vv @ . cr
300 m c! m c@ . cr
m aligned m = . 1 aligned 1 cells = . 0 aligned . cr
m char+ m - . m cell+ m - 1 cells = . cr
align here 5 , here swap - 1 cells = . here 7 c, here swap - . align cr
unused 100 allot unused - . cr
0 @
.( after the error) cr
