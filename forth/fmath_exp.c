/*
 * fmath_exp.c -- exp, expm1, 10^x and the hyperbolic functions sinh,
 * cosh, tanh: one kernel, exp of a double-double argument as a
 * double-double, rounded once at the end (about half an ulp).
 * Freestanding, the same bits on every host.
 */
#include "fmath_int.h"

#define INV_LN2 0x1.71547652b82fep+0
#define LN2_3 0x1.f97b57a079a19p-103
#define LN10_HI 0x1.26bb1bbb55516p+1
#define LN10_LO -0x1.f48ad494ea3e9p-53

/* 1/n! for n = 3..15 (the compiler rounds the quotients correctly) */
static double exp_poly(double r)
{
    return 1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720 + r * (1.0 / 5040 +
           r * (1.0 / 40320 + r * (1.0 / 362880 + r * (1.0 / 3628800 +
           r * (1.0 / 39916800 + r * (1.0 / 479001600 + r * (1.0 / 6227020800.0 +
           r * (1.0 / 87178291200.0 + r * (1.0 / 1307674368000.0))))))))))));
}

/* exp(x) = 2^k * exp(r), x = k ln2 + r, |r| <= ln2 / 2, r kept as a
 * double-double; exp(r) by its series with the first terms exact */
fdd_t fmathi_exp_dd(fdd_t x, int *k)
{
    double kd = fmath_round(x.hi * INV_LN2);
    *k = (int)kd;
    double a = x.hi - kd * FMATH_LN2_1;           /* exact */
    fdd_t b = fdd_two_prod(kd, FMATH_LN2_2);
    fdd_t r = fdd_two_sum(a, -b.hi);
    r = fdd_two_sum(r.hi, r.lo - b.lo + x.lo - kd * LN2_3);
    double rh = r.hi, rl = r.lo;
    fdd_t p2 = fdd_two_prod(rh, 0.5 * rh);        /* r^2 / 2 */
    fdd_t s1 = fdd_two_sum(1.0, rh);
    fdd_t s2 = fdd_two_sum(s1.hi, p2.hi);
    double lo = s1.lo + s2.lo + p2.lo + rl + rh * rl + rl * p2.hi +
                rh * rh * rh * exp_poly(rh);
    return fdd_fast_sum(s2.hi, lo);
}

static double exp_of(fdd_t x)
{
    int k;
    fdd_t e = fmathi_exp_dd(x, &k);
    return fdd_ldexp(e.hi + e.lo, k);
}

double fmath_exp(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (x > 709.8)
        return f64_from(0x7ff0000000000000u);
    if (x < -745.2)
        return 0.0;
    if (fmathi_abs(x) < 0x1p-54)
        return 1.0 + x;
    return exp_of(fdd(x, 0));
}

double fmath_exp10(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (x > 308.3)
        return f64_from(0x7ff0000000000000u);
    if (x < -323.7)
        return 0.0;
    if (fmathi_abs(x) < 0x1p-56)
        return 1.0 + x;
    fdd_t z = fdd_two_prod(x, LN10_HI);
    return exp_of(fdd_fast_sum(z.hi, z.lo + x * LN10_LO));
}

double fmath_expm1(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (x > 709.8)
        return f64_from(0x7ff0000000000000u);
    if (x < -38.0)
        return -1.0;
    if (fmathi_abs(x) < 0x1p-54)
        return x;
    if (fmathi_abs(x) <= 0.34657359027997264) {       /* ln2 / 2: the series */
        fdd_t p2 = fdd_two_prod(x, 0.5 * x);
        fdd_t s = fdd_two_sum(x, p2.hi);
        return s.hi + (s.lo + p2.lo + x * x * x * exp_poly(x));
    }
    int k;
    fdd_t e = fmathi_exp_dd(fdd(x, 0), &k);
    if (k > 56)
        return fdd_ldexp(e.hi + e.lo, k);
    double t = fdd_ldexp(e.hi, k);                  /* exact: -56 < k <= 56 */
    fdd_t s = fdd_two_sum(t, -1.0);
    return s.hi + (s.lo + fdd_ldexp(e.lo, k));
}

/* ---- sinh cosh tanh ------------------------------------------------------------ */

#define SIXTH_HI 0x1.5555555555555p-3
#define SIXTH_LO 0x1.5555555555555p-57

/* e^|x| and e^-|x| as double-doubles, |x| < 23 */
static void exp_pair(double a, fdd_t *ep, fdd_t *em)
{
    int k;
    fdd_t e = fmathi_exp_dd(fdd(a, 0), &k);
    double s = fdd_ldexp(1.0, k);                   /* exact scaling */
    *ep = fdd(e.hi * s, e.lo * s);
    *em = fdd_div(fdd(1.0, 0), *ep);
}

fdd_t fmathi_sinh_dd(double x)
{
    double a = fmathi_abs(x);
    fdd_t r;
    if (a < 1.0) {          /* a + a^3/6 + ..., the first two terms exact */
        fdd_t a3 = fdd_mul_d(fdd_two_prod(a, a), a);
        fdd_t t3 = fdd_mul(a3, fdd(SIXTH_HI, SIXTH_LO));
        double z = a * a;
        double rest = a3.hi * z * (1.0 / 120 + z * (1.0 / 5040 + z * (1.0 / 362880 +
                      z * (1.0 / 39916800 + z * (1.0 / 6227020800.0 + z * (1.0 / 1307674368000.0 +
                      z * (1.0 / 355687428096000.0 + z * (1.0 / 121645100408832000.0))))))));
        fdd_t s = fdd_two_sum(a, t3.hi);
        r = fdd_fast_sum(s.hi, s.lo + t3.lo + rest);
    } else {
        fdd_t ep, em;
        exp_pair(a, &ep, &em);
        r = fdd_add(ep, fdd_neg(em));
        r = fdd(r.hi * 0.5, r.lo * 0.5);
    }
    return x < 0 ? fdd_neg(r) : r;
}

fdd_t fmathi_cosh_dd(double x)
{
    fdd_t ep, em;
    exp_pair(fmathi_abs(x), &ep, &em);
    fdd_t r = fdd_add(ep, em);
    return fdd(r.hi * 0.5, r.lo * 0.5);
}

/* e^|x| / 2 for |x| >= 23, where e^-|x| no longer counts */
static double half_exp(double a)
{
    if (a > 1000.0)
        return f64_from(0x7ff0000000000000u);
    int k;
    fdd_t e = fmathi_exp_dd(fdd(a, 0), &k);
    return fdd_ldexp(e.hi + e.lo, k - 1);
}

double fmath_sinh(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a < 0x1p-28 || a == f64_from(0x7ff0000000000000u))
        return x;
    if (a >= 23.0)
        return fmathi_copysign(half_exp(a), x);
    fdd_t r = fmathi_sinh_dd(x);
    return r.hi + r.lo;
}

double fmath_cosh(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a < 0x1p-27)
        return 1.0;
    if (a >= 23.0)
        return half_exp(a);
    fdd_t r = fmathi_cosh_dd(x);
    return r.hi + r.lo;
}

double fmath_tanh(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a < 0x1p-28)
        return x;
    if (a > 22.0)
        return fmathi_copysign(1.0, x);
    fdd_t q = fdd_div(fmathi_sinh_dd(x), fmathi_cosh_dd(x));
    return q.hi + q.lo;
}
