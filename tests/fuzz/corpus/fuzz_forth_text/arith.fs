\ CORE arithmetic: single, mixed and double-cell words
1 2 + . 10 3 - . -7 2 * . 7 2 / . 7 2 mod . cr
7 2 /mod . . cr
5 negate . -5 abs . 3 7 min . 3 7 max . -3 7 min . cr
5 1+ . 5 1- . 5 2* . -6 2/ . -7 2/ . 1 4 lshift . 256 4 rshift . cr
$F0 $0F and . $F0 $0F or . $FF $0F xor . 0 invert . cr
1 2 = . 2 2 = . 1 2 < . 2 1 > . -1 1 u< . 1 -1 u< . 0 0= . 5 0= . -5 0< . 5 0> . 3 3 <> . cr
5 0 10 within . 10 0 10 within . -1 0 10 within . 0 0<> . 2 1 u> . cr
10 3 4 */ . 10 3 4 */mod . . cr
-3 4 m* . . -1 2 um* . . -5 s>d . . cr
10 0 3 um/mod . . -1 3 um* 3 um/mod . . cr
10 s>d 7 fm/mod . . -10 s>d 7 fm/mod . . 10 s>d -7 fm/mod . . -10 s>d -7 fm/mod . . cr
10 s>d 7 sm/rem . . -10 s>d 7 sm/rem . . 10 s>d -7 sm/rem . . -10 s>d -7 sm/rem . . cr
1 2 swap . . 1 2 over . . . 1 2 3 rot . . . 1 2 nip . 1 2 tuck . . . cr
1 2 3 4 2swap . . . . 1 2 3 4 2over . . . . . . 1 2 2dup . . . . cr
1 2 3 2 pick . . . . 10 20 30 2 roll . . . 0 ?dup . 5 ?dup . . depth . cr
1 0 / 5 .
.( after the error) cr
depth . cr
