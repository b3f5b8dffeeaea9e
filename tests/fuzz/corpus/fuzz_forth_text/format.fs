\ number formatting: . U. .R U.R <# # #S #> HOLD HOLDS SIGN, HEX and DECIMAL
decimal 123 . -123 . 0 . cr
42 5 .r -42 5 .r 42 1 .r cr
42 5 u.r 0 3 u.r cr
hex 255 . ff . FF . 10 . -10 . decimal 10 . cr
hex 1a2b . decimal $1a2b . #-10 . %1010 . 'a' . $-10 . %-101 . cr
hex -1 . -ff . decimal cr
: .d ( n -- ) s>d <# #s #> type ; 0 .d space 12345 .d cr
: sgn ( n -- ) dup abs s>d <# #s rot sign #> type ; -42 sgn space 42 sgn cr
: hx ( u -- ) base @ >r hex 0 <# # # # # #> type r> base ! ; 255 hx space 4096 hx cr
: ht ( u -- ) 0 <# [char] ] hold #s [char] [ hold #> type ; 123 ht cr
: hs ( u -- ) 0 <# #s s" abc" holds #> type ; 42 hs cr
: money ( n -- ) s>d <# # # [char] . hold #s #> type ; 12345 money cr
12 .r
base @ . 2 base ! 101 . decimal 5 u. cr
5 -1 .r 5 0 .r -5 -3 .r 7 -1 u.r cr
