\ FLOATING: literals, the float stack, arithmetic, memory, output
1e f. 1.5e f. -0e f. 1E3 f. 1.5E-3 f. .5e f. +2e f. cr
1e 3e f/ f. 0.1e 0.2e f+ f. 2e fsqrt f. cr
1e fs. 123.456e fs. -1.5e-10 fs. 12345e fe. 0.5e fe. 20e fe. cr
1e 0e f/ f. -1e 0e f/ f. 0e 0e f/ fabs f. cr
1e 2e 3e frot f. f. f. fdepth . cr
1e 2e fover f. f. f. 1e 2e fswap f. f. 1e 2e fnip f. 1e 2e ftuck f. f. f. cr
1e 2e 3e 2 fpick f. f. f. f. fdepth . cr
3e 2e f- f. 3e 2e f* f. 3e 2e f/ f. -3e fabs f. 3e fnegate f. cr
1e 2e f< . 2e 1e f< . 1e 1e f= . 1e 2e f<> . -1e f0< . 0e f0= . -0e f0= . cr
fvariable x 2.5e x f! x f@ f. 1.25e fconstant c c f. 3e fvalue v v f. 4e to v v f. cr
: t1 x f@ c f* v f+ ; t1 f. : t2 4.5e to v v ; t2 f. cr
create buf 3 floats allot 1e buf f! 2e buf float+ f! buf float+ f@ f. buf f@ f. cr
1.5e buf sf! buf sf@ f. 0.1e buf sf! buf sf@ 0.1e f= . cr
7 s>f f. -7.9e f>s . 12345678901. d>f f. -2.5e f>d d. cr
2.5e fround f. 3.5e fround f. -2.5e floor f. -2.5e ftrunc f. 2.5e floor f. cr
s" 1.25" >float . f. s" 1e5" >float . f. s"   " >float . f. s" 1e5 " >float . s" abc" >float . cr
create rb 8 allot 2e 3e f/ rb 5 represent . . . rb 5 type cr
5 set-precision precision . 1e 3e f/ f. 2e 3e f/ fs. 17 set-precision cr
1e 1.1e 0.2e f~ . 1e 1.5e 0.2e f~ . 0e -0e 0e f~ . 1e 1e 0e f~ . cr
: lit 3.25e ; lit f. ' lit execute f. cr
hex 1e . decimal cr
1e 2e 3e .s fdrop fdrop fdrop cr
fdrop
.( after the error) cr
