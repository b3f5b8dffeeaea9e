\ control flow: IF ELSE THEN BEGIN WHILE REPEAT UNTIL AGAIN DO ?DO LOOP +LOOP
\ LEAVE UNLOOP I J EXIT RECURSE CASE OF ENDOF ENDCASE >R R@ R> 2>R 2R@ 2R>
: t1 if 1 else 2 then . ; -1 t1 0 t1 cr
: t2 5 begin dup . 1- dup 0= until drop ; t2 cr
: t3 0 begin dup 3 < while dup . 1+ repeat drop ; t3 cr
: t4 0 begin 1+ dup 5 = if exit then again ; t4 . cr
: t5 5 0 do i . loop ; t5 cr
: t6 0 0 ?do i . loop ." none" ; t6 cr
: t7 10 0 do i . 3 +loop ; t7 cr
: t8 0 10 do i . -3 +loop ; t8 cr
: t9 0 10 do i . -1 +loop ; t9 cr
: t10 10 0 do i dup . 4 = if leave then loop ; t10 cr
: t11 3 0 do 2 0 do j 10 * i + . loop loop ; t11 cr
: t12 10 0 do i 3 = if unloop exit then i . loop ; t12 cr
: fact dup 1 > if dup 1- recurse * then ; 10 fact . cr
: t13 case 1 of ." one" endof 2 of ." two" endof ." other" endcase ; 1 t13 space 2 t13 space 5 t13 cr
: t14 >r r@ r> + ; 5 t14 . cr
: t15 1 2 2>r 2r@ . . 2r> . . ; t15 cr
: t16 7 0 ?do i . 2 +loop ; t16 cr
: t17 -1 -5 do i . loop ; t17 cr
: t18 if 1 then 2 ; 0 t18 . -1 t18 . . cr
: t19 3 begin dup while dup . 1- repeat . ; t19 cr
: t20 -1 0 ?do i . -1 +loop ; t20 cr
: t21 0 5 0 do 5 0 do 1+ loop loop . ; t21 cr
: t22 5 0 do i 2 = if leave then i . loop ." out" ; t22 cr
: broken then ;
: t23 4 0 do i 1 and if ." o" else ." e" then loop ; t23 cr
: t24 0 swap 0 ?do i + loop ; 100 t24 . 0 t24 . cr
