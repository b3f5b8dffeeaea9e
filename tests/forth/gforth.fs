\ gforth's everyday words, quotations, { } locals, UTIME, ~~, WORDS
noop cell 1 cells = . cr
create buf 40 allot
s" abc" buf place buf count type s" de" buf +place buf count type buf c@ . cr
s" xyz" bounds swap - . cr
: ex ( f -- ) ?exit 99 . ; 0 ex -1 ex cr
variable vx ' noop vx ! vx perform 7 . cr
: rd 1 >r rdrop 8 ; rd . cr
1 2 3 clearstack depth . cr
255 hex. 0 hex. cr
1 2 3 4 2nip . . cr
1 2 3 under+ . . cr
s" abcdef" s" abc" string-prefix? . s" ab" s" abc" string-prefix? . s" x" s" " string-prefix? . cr
utime utime 2swap d- d0< 0= . cr
: q1 10 [: dup * ;] execute ; q1 . cr
[: 3 4 + ;] execute . cr
: q2 [: [: 2 ;] execute 3 * ;] execute ; q2 . cr
: bl1 { a b -- c } a b - ; 10 3 bl1 . cr
: bl2 { a | b } a 2* to b b ; 21 bl2 . cr
: bl3 {: a b :} [: 5 ;] execute a b + + ; 1 2 bl3 . cr
: sq ( n -- n*n ) dup * ~~ ; 3 sq drop
?exit
rdrop
