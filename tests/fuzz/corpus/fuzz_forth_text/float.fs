1e 2e f+ f. 0e 0e f/ fdup f. f0= . 1e 0e f/ fnegate fs.
fvariable x 3.5e x f! x f@ fsqrt fe. -0e fabs f.
: g ( F: r -- r ) fdup f* 1e f+ fln ; 2e g f. 1e30 fsin fcos f.
1e308 1e308 f* f. 4.9e-324 2e f/ f. 1e 3e f/ 5 set-precision f. 17 set-precision
s" 1.5e3" >float . f. pad 20 represent . . . 1e fatan2 2e 0.5e f** f.
1e fsincos f. f. 123 s>f f>s . 1.5e f>d d. fdepth . fdrop fdrop
