\ number conversion: >NUMBER FIND ENVIRONMENT? and the text interpreter's numbers
: >n ( c-addr u -- ud c-addr2 u2 ) 0 0 2swap >number ;
s" 123abc" >n . drop . . cr
hex s" ff" >n decimal . drop . . cr
s" " >n . drop . . cr
: fx c" dup" find nip ; fx .
: fi c" if" find nip ; fi .
: fn c" nosuchw" find nip ; fn . cr
: fxt c" dup" find drop ; fxt ' dup = . cr
s" no-such-query" environment? . cr
0 . -0 . 00012 . -00012 . cr
2 base ! 1010 . 11 . decimal 36 base ! z . Z . 10 . decimal cr
-
.( after the error) cr
