\ strings: S" S\" C" ." .( TYPE COUNT CHAR [CHAR] PARSE PARSE-NAME WORD
s" hello" type cr
: s1 s" hello" type ; s1 cr
: s2 s" hello" nip . ; s2 cr
: s3 s\" a\tb\x41\"q\\" type ; s3 cr
: s4 s\" \a\b\e\f\l\q\r\t\v\z\\\x7e" 0 do dup i + c@ . loop drop ; s4 cr
: c1 c" abc" count type ; c1 cr
: c2 c" abc" c@ . ; c2 cr
: d1 ." dot-quote" ; d1 cr
.( paren) cr
create cs 3 c, char x c, char y c, char z c, cs count type cr
char A . : ch [char] B . ; ch cr
: p1 [char] ) parse type ; p1 hello world) .( |) cr
: p2 parse-name type ; p2    spaced   .( |) cr
: w1 bl word count type ; w1   word1 .( |) cr
: w2 [char] , word count type ; w2 ,,ab, .( |) cr
: e0 s" " nip . ; e0 s" x" drop c@ emit cr
nosuchword s1
.( still here) cr
\ interpreted S" and S\" strings: four transient buffers, the oldest reused
s" aaa" s" bbb" s\" ccc" s" ddd" 2swap type 2swap type type type cr
s" one" s" two" s" three" s" four" s" five" type type type type type cr
