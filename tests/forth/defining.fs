\ defining words: CREATE DOES> VARIABLE CONSTANT VALUE TO DEFER IS ACTION-OF
\ DEFER@ DEFER! :NONAME BUFFER: MARKER IMMEDIATE POSTPONE LITERAL COMPILE,
create buf 10 , 20 , buf @ . buf cell+ @ . cr
: const create , does> @ ; 42 const answer answer . cr
variable v 7 v ! v @ . 3 v +! v ? cr
99 constant k k . cr
5 value val val . 8 to val val . cr
: tv 11 to val ; tv val . cr
defer d ' dup is d 3 d . . cr
' drop is d 1 2 d . cr
: dd ['] + is d ; dd 1 2 d . cr
action-of d ' + = . cr
' d defer@ ' + = . cr
' * ' d defer! 3 4 d . cr
: ad action-of d ; ad ' * = . cr
:noname 6 7 * ; execute . cr
:noname 1+ ; constant inc 41 inc execute . cr
16 buffer: b16 b16 16 erase 5 b16 ! b16 @ . b16 cell+ @ . cr
: counter create 0 , does> dup @ 1+ dup rot ! ; counter c1 c1 . c1 . c1 . cr
create cc 77 , ' cc >body @ . cc ' cc >body = . cr
: lit5 5 postpone literal ; immediate : use5 lit5 ; use5 . cr
: myif postpone if ; immediate : tt myif 1 else 2 then . ; -1 tt 0 tt cr
: cdup ['] dup compile, ; immediate : t cdup ; 4 t . . cr
: st state @ 0<> ; immediate : t2 st literal ; t2 . st . cr
marker mk : gone 1 ; gone . cr
mk
gone
.( after marker) cr
: dup2 dup dup ; 6 dup2 . . . cr
: shadow 1 ; : shadow shadow 10 + ; shadow . cr
\ POSTPONE appends compilation semantics, whatever STATE is when the
\ postponing word runs (6.1.2033): state-smart words included
: ps postpone s" ; : t1 [ ps XY" ] ; t1 type cr
: psb postpone s\" ; : t1b [ psb a\tb" ] ; t1b type cr
0 value v1 : pto postpone to ; : t2 [ pto v1 ] ; 5 t2 v1 . cr
defer d1 : pis postpone is ; : t3 [ pis d1 ] ; ' dup t3 ' dup ' d1 defer@ = . cr
: pact postpone action-of ; : t4 [ pact d1 ] ; t4 ' dup = . cr
: t5 postpone s" ; immediate : t6 t5 QQ" ; t6 type cr
\ NAME>COMPILE of a state-smart word: its compilation semantics
: nc s\" s\"" forth-wordlist search-wordlist drop name>compile execute ; immediate
: t7 [ ' nc execute AB" ] ; t7 type cr
\ COMPILE, interpreted (inside [ ]) compiles, as in gforth and pforth
: t9 [ ' dup compile, ] ; 3 t9 . . cr
\ (compile-sem) runs only a state-smart word's compilation semantics
' dup ' (compile-sem) catch . drop cr
." interpreted ." cr
