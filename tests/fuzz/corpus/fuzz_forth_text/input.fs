\ the input source: EVALUATE (nested), SOURCE-ID, SAVE-INPUT RESTORE-INPUT,
\ REFILL, >IN, SOURCE
s" 1 2 +" evaluate . cr
: e-in s" 20 +" evaluate ; : e-out s" 10 e-in" evaluate ; e-out . cr
: e-def s" : made 123 ; " evaluate ; e-def made . cr
source-id . s" source-id ." evaluate cr
: sid source-id ; s" sid" evaluate . sid . cr
variable si_inc 0 si_inc !
: si1 si_inc @ >in +! 15 si_inc ! ;
: s$ s" save-input si1 restore-input 12345" ;
s$ evaluate si_inc @ . . . cr
: skip-rest source nip >in ! ; 1 . skip-rest 2 .
cr
: src source type ; src
cr
s" 5 6" evaluate swap . . cr
refill .( this is not interpreted)
. cr
s" nosuchword" evaluate
.( next line) cr
: ev-err s" 1 0 /" evaluate ; ' ev-err catch . 7 . cr
pad 80 accept pad swap type cr
this text is read by ACCEPT
key emit key emit cr
xy
