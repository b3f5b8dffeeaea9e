0e fsin f. 0e fcos f. 1e fexp f. 1e fln f. 2e fln f. cr
1000e flog f. 3e falog f. -2e falog f. 2e 10e f** f. -2e 3e f** f. 0e 0e f** f. cr
1e 1e fatan2 4e f* f. 0e -1e fatan2 f. -0e 1e fatan2 f. 1e 0e fatan2 2e f* f. cr
0.5e fasin 6e f* f. 0.5e facos 3e f* f. 1e fatan 4e f* f. cr
1e fsincos f. f. 1e fsinh f. 1e fcosh f. 1e ftanh f. cr
1e fasinh f. 2e facosh f. 0.5e fatanh f. 1e-10 fexpm1 fs. 1e-10 flnp1 fs. cr
1e30 fsin f. 1e300 fcos f. 1e22 fsin f. cr
-1e fln f. 0e fln f. 2e fasin f. 1e fatanh f. -1e 0.5e f** f. cr
0 ffield: p.x ffield: p.y constant /point 0 p.x . 0 p.y . /point . cr
0 dffield: q.a 1+ sffield: q.b constant /q 0 q.a . 0 q.b . /q . cr
create pt /point allot 1.5e pt p.x f! 2.5e pt p.y f! pt p.x f@ pt p.y f@ f+ f. cr
fvariable fv 3e fv f! : sq fdup f* ; : f2 fover fover ; : lt f< if 1 else 0 then ; : gt f> if 1 else 0 then ; : sl fswap f< ;
: va fv f@ f+ fv f@ f- fv f@ f* ; : ma f* f+ ;
3e sq f. 1e 2e f2 f. f. f. f. 1e 2e lt . 2e 1e lt . 1e 2e gt . 0e 0e f/ 1e lt . 1e 2e sl . 1e va f. 1e 2e 3e ma f. cr
see sq see ma see lt
1e sq sq sq f. fdepth . 2e ma
fsin
1e fatan2
fsincos
.( after the errors) cr
