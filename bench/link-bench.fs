\ bench/link-bench.fs -- run on node A of the line A - B - C by
\ bench/link-bench.sh: echo calls over links on loopback TCP.
\ Prints, per target node: the median and 90th percentile microseconds of
\ one call (one caller), and calls per second with 1 and 8 callers.
\ (Spawned callers have data spaces of their own: what they need is in
\ constants and compiled words.)

node" C" constant nc   node" B" constant nb
1000 constant per
variable total
create hist 4000 cells allot                 \ 1 us buckets
: t@  ( -- u )  utime drop ;
: echo-on  ( node -- h )  >r uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" r> connect-on ;
: one  ( h -- )  >r s" ping" 1 r> pad 64 call nip throw ;
: timed  ( h count -- )
   dup total !  hist 4000 cells erase
   0 do  t@ over one t@ swap -  3999 min  cells hist +  1 swap +!  loop  drop ;
: pct  ( percent -- us )
   total @ * 100 /  0                          ( target acc )
   4000 0 do  i cells hist + @ +  2dup < if  2drop i unloop exit  then  loop
   2drop 3999 ;
: worker-c  ( -- )  nc echo-on  per 0 do  dup one  loop  disconnect ;
: worker-b  ( -- )  nb echo-on  per 0 do  dup one  loop  disconnect ;
: callers  ( xt k -- calls/s )
   t@ >r  dup >r  0 do  dup spawn swap  loop  drop
   r@ 0 do  wait drop  loop
   r> per *  1000000 t@ r> - */ ;
: bench-node  ( xt node c-addr u -- )
   rot echo-on                                 ( xt c-addr u h )
   dup 200 timed                               \ warm up
   dup 2000 timed  disconnect
   type ." : median " 50 pct . ." us, p90 " 90 pct . ." us; "
   dup 1 callers . ." calls/s with 1 caller, "
   8 callers . ." calls/s with 8 callers" cr ;
' worker-c nc s" two hops (A-B-C)" bench-node
' worker-b nb s" one hop  (A-B)  " bench-node
