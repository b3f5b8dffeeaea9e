\ case-insensitivity, number prefixes, CATCH/THROW, ? and the like
1 dup DUP Dup . . . . cr
: MixedCase 5 ; mixedcase . MIXEDCASE . MiXeDcAsE . cr
$FF . #10 . %101 . 'a' . $-10 . #-7 . %-1 . $fF . cr
hex 10 . #10 . $10 . decimal 10 . cr
: th 99 throw ; : ca ['] th catch . ; ca cr
: ca2 1 2 ['] + catch . . ; ca2 cr
: ca3 1 2 ['] th catch . depth . 2drop ; ca3 cr
: nest1 -3 throw ; : nest2 ['] nest1 catch 1- throw ; : nest3 ['] nest2 catch ; nest3 . cr
: z 0 throw 8 ; z . cr
variable q 123 q ! q ? cr
bl . true . false . cr
1 cells 0> . 1 chars . cr
here 1 allot here swap - . align here aligned here = . cr
pad here <> . unused 0> . cr
-1 abort
.( after abort) cr
: ab abort" custom message" ; 0 ab .( no abort) cr
1 ab
depth . cr
#! a script line for the shell: a comment to the end of the line
: sb 7 #! the rest of this line is a comment ; 8
; sb . cr
