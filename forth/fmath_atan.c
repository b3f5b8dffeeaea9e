/*
 * fmath_atan.c -- atan, atan2, asin, acos: one kernel, the angle of a
 * point given as two double-doubles.  The ratio t <= 1 is reduced around
 * the nearest c = k/8, atan t = atan c + atan((t - c) / (1 + t c)), with
 * atan(k/8) to 106 bits in a table (forth/fmath_consts.py) and a short
 * series for the rest; one rounding at the end (about half an ulp).
 * Freestanding, the same bits on every host.
 */
#include "fmath_int.h"

#define THIRD_HI 0x1.5555555555555p-2
#define THIRD_LO 0x1.5555555555555p-56
#define PI_HI 0x1.921fb54442d18p+1
#define PI_LO 0x1.1a62633145c07p-53
#define PI3O4 0x1.2d97c7f3321d2p+1

static const double inf = __builtin_inf();

static const fdd_t atan_k8[9] = {
    {0, 0},
    {0x1.fd5ba9aac2f6ep-4, -0x1.cd37686760c17p-59},
    {0x1.f5b75f92c80ddp-3, 0x1.8ab6e3cf7afbdp-57},
    {0x1.6f61941e4def1p-2, -0x1.c63aae6f6e918p-56},
    {0x1.dac670561bb4fp-2, 0x1.a2b7f222f65e2p-56},
    {0x1.1e00babdefeb4p-1, -0x1.928df287a668fp-58},
    {0x1.4978fa3269ee1p-1, 0x1.2419a87f2a458p-56},
    {0x1.700a7c5784634p-1, -0x1.8c34d25aadef6p-56},
    {0x1.921fb54442d18p-1, 0x1.1a62633145c07p-55},
};

/* atan(t), 0 <= t <= 1 (a little more) */
static fdd_t atan_unit(fdd_t t)
{
    int k = (int)(t.hi * 8 + 0.5);
    if (k > 8)
        k = 8;
    double c = k * 0.125;
    fdd_t u = t;
    if (k) {    /* (t - c) / (1 + t c): t - c is exact, t c by parts */
        fdd_t num = fdd_fast_sum(t.hi - c, t.lo);
        fdd_t den = fdd_add_d(fdd_mul_d(t, c), 1.0);
        u = fdd_div(num, den);
    }
    /* atan u = u - u^3/3 + u^5/5 - ..., |u| <= 1/16 (u^3/3 exact enough) */
    double z = u.hi * u.hi;
    fdd_t u3 = fdd_mul_d(fdd_two_prod(u.hi, u.hi), u.hi);
    fdd_t t3 = fdd_mul(u3, fdd(THIRD_HI, THIRD_LO));
    double rest = u3.hi * z * (1.0 / 5 - z * (1.0 / 7 - z * (1.0 / 9 - z * (1.0 / 11 -
                  z * (1.0 / 13 - z * (1.0 / 15 - z * (1.0 / 17 - z * (1.0 / 19))))))));
    fdd_t s = fdd_two_sum(u.hi, -t3.hi);
    fdd_t a = fdd_fast_sum(s.hi, s.lo - t3.lo + rest + u.lo * (1 - z));
    return fdd_add(atan_k8[k], a);
}

fdd_t fmathi_atan2_dd(fdd_t y, fdd_t x)
{
    if (y.hi <= x.hi)
        return atan_unit(fdd_div(y, x));
    fdd_t a = atan_unit(fdd_div(x, y));
    return fdd_add(fdd(FMATH_PIO2_HI, FMATH_PIO2_LO), fdd_neg(a));
}

double fmath_atan(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a < 0x1p-27)
        return x;
    if (a > 0x1p60)
        return fmathi_copysign(FMATH_PIO2_HI, x);
    fdd_t r = fmathi_atan2_dd(fdd(a, 0), fdd(1.0, 0));
    return fmathi_copysign(r.hi + r.lo, x);
}

/* floor(log2 a), a > 0 finite */
static int expo(double a)
{
    int be = (int)(f64_bits(a) >> 52);
    return be ? be - 1023 : expo(a * 0x1p54) - 54;
}

double fmath_atan2(double y, double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (y != y)
        return fmathi_nan(y);
    bool xneg = f64_bits(x) >> 63;
    double ay = fmathi_abs(y), ax = fmathi_abs(x);
    double r;
    if (ay == 0) {
        r = xneg ? PI_HI : 0.0;
    } else if (ax == inf) {
        r = ay == inf ? (xneg ? PI3O4 : FMATH_PIO2_HI / 2) : (xneg ? PI_HI : 0.0);
    } else if (ay == inf || ax == 0) {
        r = FMATH_PIO2_HI;
    } else if (expo(ay) - expo(ax) > 60) {      /* pi/2 -+ a tiny angle */
        r = FMATH_PIO2_HI;
    } else if (expo(ax) - expo(ay) > 60) {      /* y / x, or pi less it */
        r = xneg ? PI_HI : ay / ax;
    } else {
        /* both scaled so the larger is in [1, 2), exactly: the products
         * in the kernel neither overflow nor lose bits */
        int n = -expo(ay > ax ? ay : ax);
        fdd_t t = fmathi_atan2_dd(fdd(fdd_ldexp(ay, n), 0), fdd(fdd_ldexp(ax, n), 0));
        if (xneg)
            t = fdd_add(fdd(PI_HI, PI_LO), fdd_neg(t));
        r = t.hi + t.lo;
    }
    return fmathi_copysign(r, y);
}

/* sqrt(1 - x^2) as a double-double, |x| <= 1 */
static fdd_t cosine_of(double a)
{
    fdd_t w = fdd_mul(fdd_two_sum(1.0, -a), fdd_two_sum(1.0, a));
    return w.hi > 0 ? fdd_sqrt(w, fmath_sqrt) : fdd(0, 0);
}

double fmath_asin(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a > 1.0)
        return fmathi_default_nan();
    if (a < 0x1p-27)
        return x;
    fdd_t r = fmathi_atan2_dd(fdd(a, 0), cosine_of(a));
    return fmathi_copysign(r.hi + r.lo, x);
}

double fmath_acos(double x)
{
    double a = fmathi_abs(x);
    if (x != x)
        return fmathi_nan(x);
    if (a > 1.0)
        return fmathi_default_nan();
    if (a < 0x1p-57)
        return FMATH_PIO2_HI;
    fdd_t r = fmathi_atan2_dd(cosine_of(a), fdd(a, 0));
    if (x < 0)
        r = fdd_add(fdd(PI_HI, PI_LO), fdd_neg(r));
    return r.hi + r.lo;
}
