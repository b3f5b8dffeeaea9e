/*
 * fmath.h -- the math library of the FLOATING words: IEEE 754 binary64,
 * freestanding (no libc, no libm, no FPU needed), the same results on
 * every host.
 *
 * sqrt, floor, trunc and round-to-even are exact.  The transcendental
 * functions carry their argument reduction and the leading terms of their
 * series in double-double arithmetic and round once at the end, so their
 * error stays a little above half an ulp (tests/unit/test_fmath.c measures
 * them against glibc).  Special values follow C99 Annex F: NaN in, NaN out
 * (the operand's), infinities and signed zeros where F specifies them.
 * Nothing here sets errno or raises traps.
 */
#ifndef FMATH_H
#define FMATH_H

double fmath_sqrt_soft(double x);

/* Correctly rounded square root: the FPU's instruction where there is one. */
static inline double fmath_sqrt(double x)
{
#if defined(__SSE2_MATH__)
    __asm__("sqrtsd %1, %0" : "=x"(x) : "x"(x));
    return x;
#elif defined(__riscv_flen) && __riscv_flen >= 64
    __asm__("fsqrt.d %0, %1" : "=f"(x) : "f"(x));
    return x;
#elif defined(__wasm__)
    return __builtin_sqrt(x);
#else
    return fmath_sqrt_soft(x);
#endif
}

double fmath_floor(double x);
double fmath_trunc(double x);
double fmath_round(double x);          /* to nearest, ties to even */

double fmath_exp(double x);
double fmath_expm1(double x);
double fmath_exp10(double x);
double fmath_log(double x);
double fmath_log1p(double x);
double fmath_log10(double x);
double fmath_pow(double x, double y);

double fmath_sin(double x);
double fmath_cos(double x);
double fmath_tan(double x);
void fmath_sincos(double x, double *s, double *c);
double fmath_asin(double x);
double fmath_acos(double x);
double fmath_atan(double x);
double fmath_atan2(double y, double x);

double fmath_sinh(double x);
double fmath_cosh(double x);
double fmath_tanh(double x);
double fmath_asinh(double x);
double fmath_acosh(double x);
double fmath_atanh(double x);

#endif /* FMATH_H */
