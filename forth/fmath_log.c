/*
 * fmath_log.c -- log, log1p, log10, pow and the inverse hyperbolic
 * functions: one kernel, log of a double-double as a double-double (good
 * to about 2^-100 relative, enough for pow's y * log x), rounded once at
 * the end.  Freestanding, the same bits on every host.
 */
#include "fmath_int.h"

#define LN2_3 0x1.f97b57a079a19p-103
#define INV_LN10_HI 0x1.bcb7b1526e50ep-2
#define INV_LN10_LO 0x1.95355baaafad3p-57
#define THIRD_HI 0x1.5555555555555p-2
#define THIRD_LO 0x1.5555555555555p-56
#define FIFTH_HI 0x1.999999999999ap-3
#define FIFTH_LO -0x1.999999999999ap-57
#define SQRT2 1.4142135623730951

static const double inf = __builtin_inf();

/* log(u) = e ln2 + log(1 + f), u = 2^e (1 + f), 1 + f in [sqrt(1/2),
 * sqrt(2)); log(1 + f) = 2 atanh(s) = 2s (1 + s^2/3 + s^4/5 + ...) with
 * s = f / (2 + f), |s| < 0.172 */
fdd_t fmathi_log_dd(fdd_t u)
{
    int pre = 0;
    if (u.hi < 0x1p-1022) {                         /* subnormal: normalize */
        u = fdd(u.hi * 0x1p54, u.lo * 0x1p54);
        pre = 54;
    }
    uint64_t b = f64_bits(u.hi);
    int e = (int)(b >> 52) - 1023;
    double m = f64_from((b & 0x000fffffffffffffu) | 0x3ff0000000000000u);
    if (m > SQRT2) {
        m *= 0.5;
        e++;
    }
    double lo = fdd_ldexp(u.lo, -e);                /* m = u.hi 2^-e exactly */
    e -= pre;
    fdd_t f = fdd_two_sum(m - 1.0, lo);   /* m - 1 is exact */
    fdd_t s = fdd_div(f, fdd_add_d(f, 2.0));
    fdd_t s2 = fdd_mul(s, s);
    double z = s2.hi;
    double r = z * z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13 + z * (1.0 / 15 +
               z * (1.0 / 17 + z * (1.0 / 19 + z * (1.0 / 21 + z * (1.0 / 23 + z * (1.0 / 25 +
               z * (1.0 / 27)))))))))));
    fdd_t w = fdd_add_d(fdd_add(fdd(THIRD_HI, THIRD_LO), fdd_mul(s2, fdd(FIFTH_HI, FIFTH_LO))), r);
    fdd_t t = fdd_mul(fdd_mul(s, s2), w);           /* s^3 W */
    fdd_t l = fdd_add(s, t);
    l = fdd(2 * l.hi, 2 * l.lo);
    double ed = e;
    fdd_t p = fdd_two_prod(ed, FMATH_LN2_2);
    fdd_t el = fdd_fast_sum(ed * FMATH_LN2_1, p.hi);   /* e * L1 is exact */
    el.lo += p.lo + ed * LN2_3;
    return fdd_add(el, l);
}

double fmath_log(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (x < 0)
        return fmathi_default_nan();
    if (x == 0)
        return -inf;
    if (x == inf)
        return x;
    fdd_t l = fmathi_log_dd(fdd(x, 0));
    return l.hi + l.lo;
}

double fmath_log10(double x)
{
    if (x != x || x < 0 || x == 0 || x == inf)
        return fmath_log(x);
    fdd_t l = fdd_mul(fmathi_log_dd(fdd(x, 0)), fdd(INV_LN10_HI, INV_LN10_LO));
    return l.hi + l.lo;
}

double fmath_log1p(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (x < -1.0)
        return fmathi_default_nan();
    if (x == -1.0)
        return -inf;
    if (x == inf || fmathi_abs(x) < 0x1p-54)
        return x;
    fdd_t l = fmathi_log_dd(fdd_two_sum(1.0, x));
    return l.hi + l.lo;
}

/* ---- pow ------------------------------------------------------------------------- */

/* 0: not an integer, 1: an odd integer, 2: an even integer */
static int int_kind(double y)
{
    if (fmath_trunc(y) != y)
        return 0;
    if (fmathi_abs(y) >= 0x1p53)
        return 2;
    return fmath_trunc(y * 0.5) != y * 0.5 ? 1 : 2;
}

double fmath_pow(double x, double y)
{
    if (y == 0 || x == 1.0)
        return 1.0;
    if (x != x)
        return fmathi_nan(x);
    if (y != y)
        return fmathi_nan(y);
    double ax = fmathi_abs(x), ay = fmathi_abs(y);
    int kind = int_kind(y);
    bool neg = x < 0 || (x == 0 && f64_bits(x) >> 63);
    double sign = neg && kind == 1 ? -1.0 : 1.0;
    if (ay == inf) {
        if (ax == 1.0)
            return 1.0;
        return (ax > 1.0) == (y > 0) ? inf : 0.0;
    }
    if (x == 0)
        return y < 0 ? sign * inf : sign * 0.0;
    if (ax == inf)
        return y < 0 ? sign * 0.0 : sign * inf;
    if (x < 0 && kind == 0)
        return fmathi_default_nan();
    if (ax == 1.0)
        return sign;                                /* x = -1, y an integer */
    fdd_t l = fmathi_log_dd(fdd(ax, 0));
    double est = y * l.hi;
    if (est > 709.8)
        return sign * inf;
    if (est < -745.2)
        return sign * 0.0;
    fdd_t z = fdd_two_prod(y, l.hi);
    z = fdd_fast_sum(z.hi, z.lo + y * l.lo);
    int k;
    fdd_t e = fmathi_exp_dd(z, &k);
    return sign * fdd_ldexp(e.hi + e.lo, k);
}

/* ---- asinh acosh atanh ------------------------------------------------------------ */

static fdd_t log_big(double a)                      /* log(2a) */
{
    return fdd_add(fmathi_log_dd(fdd(a, 0)), fdd(FMATH_LN2_HI, FMATH_LN2_LO));
}

double fmath_asinh(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a < 0x1p-28 || a == inf)
        return x;
    fdd_t l;
    if (a > 0x1p28) {
        l = log_big(a);
    } else {        /* log1p(a + a^2 / (1 + sqrt(1 + a^2))) */
        fdd_t a2 = fdd_two_prod(a, a);
        fdd_t r = fdd_sqrt(fdd_add_d(a2, 1.0), fmath_sqrt);
        fdd_t f = fdd_add_d(fdd_div(a2, fdd_add_d(r, 1.0)), a);
        l = fmathi_log_dd(fdd_add_d(f, 1.0));
    }
    return fmathi_copysign(l.hi + l.lo, x);
}

double fmath_acosh(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (x < 1.0)
        return fmathi_default_nan();
    if (x == inf)
        return x;
    fdd_t l;
    if (x > 0x1p28) {
        l = log_big(x);
    } else {        /* log(x + sqrt((x - 1)(x + 1))) */
        fdd_t t = fdd_mul(fdd_two_sum(x, -1.0), fdd_two_sum(x, 1.0));
        fdd_t r = t.hi > 0 ? fdd_sqrt(t, fmath_sqrt) : fdd(0, 0);
        l = fmathi_log_dd(fdd_add_d(r, x));
    }
    return l.hi + l.lo;
}

double fmath_atanh(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a > 1.0)
        return fmathi_default_nan();
    if (a == 1.0)
        return fmathi_copysign(inf, x);
    if (a < 0x1p-28)
        return x;
    /* log((1 + a) / (1 - a)) / 2; 1 - a is exact for a >= 1/2 */
    fdd_t q = fdd_div(fdd_two_sum(1.0, a), fdd_two_sum(1.0, -a));
    fdd_t l = fmathi_log_dd(q);
    return fmathi_copysign(0.5 * (l.hi + l.lo), x);
}
