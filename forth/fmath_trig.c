/*
 * fmath_trig.c -- sin, cos, tan: the argument reduced exactly modulo
 * pi/2 (Payne and Hanek's method with 2/pi to 1344 bits, so a huge
 * argument keeps every bit), the remainder as a double-double, its series
 * with the leading terms exact, one rounding at the end (about half an
 * ulp).  Freestanding, the same bits on every host.
 */
#include "fmath_int.h"

#define SIXTH_HI 0x1.5555555555555p-3
#define SIXTH_LO 0x1.5555555555555p-57

/* the binary digits of 2/pi, 32 to a word (forth/fmath_consts.py) */
static const uint32_t two_over_pi[42] = {
    0xa2f9836e, 0x4e441529, 0xfc2757d1, 0xf534ddc0, 0xdb629599, 0x3c439041, 0xfe5163ab,
    0xdebbc561, 0xb7246e3a, 0x424dd2e0, 0x06492eea, 0x09d1921c, 0xfe1deb1c, 0xb129a73e,
    0xe88235f5, 0x2ebb4484, 0xe99c7026, 0xb45f7e41, 0x3991d639, 0x835339f4, 0x9c845f8b,
    0xbdf9283b, 0x1ff897ff, 0xde05980f, 0xef2f118b, 0x5a0a6d1f, 0x6d367ecf, 0x27cb09b7,
    0x4f463f66, 0x9e5fea2d, 0x7527bac7, 0xebe5f17b, 0x3d0739f7, 0x8a5292ea, 0x6bfb5fb1,
    0x1f8d5d08, 0x56033046, 0xfc7b6bab, 0xf0cfbc20, 0x9af4361d, 0xa9e39161, 0x5ee61b08,
};

/* 32 bits of the 256-bit p starting at bit pos (0 <= pos < 256) */
static uint32_t bits32(const uint32_t p[8], int pos)
{
    int i = pos / 32, sh = pos % 32;
    uint64_t v = p[i];
    if (i + 1 < 8)
        v |= (uint64_t)p[i + 1] << 32;
    return (uint32_t)(v >> sh);
}

/* a = n pi/2 + r, |r| <= pi/4 (a little more), a > pi/4 finite; returns
 * n mod 4.  a = m 2^e; the words of 2/pi whose products with m are
 * multiples of 4 are skipped, the next 6 give at least 159 bits of the
 * fraction (a double is never closer than 2^-62 to a multiple of pi/2). */
static int reduce(double a, fdd_t *r)
{
    uint64_t b = f64_bits(a);
    int e = (int)(b >> 52) - 1075;
    uint64_t m = (b & 0x000fffffffffffffu) | 0x0010000000000000u;
    int j0 = e - 2 >= 0 ? (e - 2) / 32 : 0;
    uint32_t w[6], p[8] = {0};
    for (int t = 0; t < 6; t++)
        w[t] = two_over_pi[j0 + 5 - t];             /* little-endian */
    for (int i = 0; i < 2; i++) {
        uint64_t mi = i ? m >> 32 : m & 0xffffffffu, carry = 0;
        for (int t = 0; t < 6; t++) {
            uint64_t v = mi * w[t] + p[i + t] + carry;
            p[i + t] = (uint32_t)v;
            carry = v >> 32;
        }
        p[i + 6] = (uint32_t)carry;
    }
    int s = 32 * (j0 + 6) - e;                      /* bits after the point */
    int n = (int)(bits32(p, s) & 3);
    uint32_t c[4];
    for (int k = 0; k < 4; k++)
        c[k] = bits32(p, s - 32 * (k + 1));
    bool neg = c[0] >> 31;                          /* fraction >= 1/2 */
    if (neg) {                                      /* fraction - 1 */
        n = (n + 1) & 3;
        uint64_t borrow = 1;
        for (int k = 3; k >= 0; k--) {
            uint64_t v = (uint64_t)(uint32_t)~c[k] + borrow;
            c[k] = (uint32_t)v;
            borrow = v >> 32;
        }
    }
    fdd_t f = fdd((double)c[0] * 0x1p-32, 0);
    f = fdd_add_d(f, (double)c[1] * 0x1p-64);
    f = fdd_add_d(f, (double)c[2] * 0x1p-96);
    f = fdd_add_d(f, (double)c[3] * 0x1p-128);
    f = fdd_mul(f, fdd(FMATH_PIO2_HI, FMATH_PIO2_LO));
    *r = neg ? fdd_neg(f) : f;
    return n;
}

/* sin(r), |r| < 0.8: r - r^3/6 exact, then r^5/5! - r^7/7! + ... */
static fdd_t sin_k(fdd_t r)
{
    double rh = r.hi, z = rh * rh;
    fdd_t r3 = fdd_mul_d(fdd_two_prod(rh, rh), rh);
    fdd_t t3 = fdd_mul(r3, fdd(SIXTH_HI, SIXTH_LO));
    double rest = r3.hi * z * (1.0 / 120 - z * (1.0 / 5040 - z * (1.0 / 362880 -
                  z * (1.0 / 39916800 - z * (1.0 / 6227020800.0 - z * (1.0 / 1307674368000.0 -
                  z * (1.0 / 355687428096000.0 - z * (1.0 / 121645100408832000.0 -
                  z * (1.0 / 51090942171709440000.0)))))))));
    fdd_t s = fdd_two_sum(rh, -t3.hi);
    return fdd_fast_sum(s.hi, s.lo - t3.lo + rest + r.lo * (1 - 0.5 * z));
}

/* cos(r), |r| < 0.8: 1 - r^2/2 exact, then r^4/4! - r^6/6! + ... */
static fdd_t cos_k(fdd_t r)
{
    double rh = r.hi, z = rh * rh;
    fdd_t h = fdd_two_prod(rh, rh);
    h = fdd(0.5 * h.hi, 0.5 * h.lo);
    double rest = z * z * (1.0 / 24 - z * (1.0 / 720 - z * (1.0 / 40320 - z * (1.0 / 3628800 -
                  z * (1.0 / 479001600 - z * (1.0 / 87178291200.0 - z * (1.0 / 20922789888000.0 -
                  z * (1.0 / 6402373705728000.0 - z * (1.0 / 2432902008176640000.0)))))))));
    fdd_t s = fdd_two_sum(1.0, -h.hi);
    return fdd_fast_sum(s.hi, s.lo - h.lo + rest - r.lo * rh * (1 - z / 6));
}

/* |x| reduced: n mod 4 and r */
static int reduce_abs(double x, fdd_t *r)
{
    double a = fmathi_abs(x);
    if (a <= 0.7853981633974483) {
        *r = fdd(a, 0);
        return 0;
    }
    return reduce(a, r);
}

static double round_dd(fdd_t v, bool neg)
{
    double d = v.hi + v.lo;
    return neg ? -d : d;
}

double fmath_sin(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (fmathi_abs(x) == __builtin_inf())
        return fmathi_default_nan();
    if (fmathi_abs(x) < 0x1p-27)
        return x;
    fdd_t r;
    int n = reduce_abs(x, &r);
    fdd_t v = n & 1 ? cos_k(r) : sin_k(r);
    return round_dd(v, (n >= 2) != (x < 0));
}

double fmath_cos(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (fmathi_abs(x) == __builtin_inf())
        return fmathi_default_nan();
    if (fmathi_abs(x) < 0x1p-27)
        return 1.0;
    fdd_t r;
    int n = reduce_abs(x, &r);
    fdd_t v = n & 1 ? sin_k(r) : cos_k(r);
    return round_dd(v, n == 1 || n == 2);
}

void fmath_sincos(double x, double *s, double *c)
{
    *s = fmath_sin(x);
    *c = fmath_cos(x);
}

double fmath_tan(double x)
{
    if (x != x)
        return fmathi_nan(x);
    if (fmathi_abs(x) == __builtin_inf())
        return fmathi_default_nan();
    if (fmathi_abs(x) < 0x1p-27)
        return x;
    fdd_t r;
    int n = reduce_abs(x, &r);
    fdd_t s = sin_k(r), c = cos_k(r);
    fdd_t t = n & 1 ? fdd_neg(fdd_div(c, s)) : fdd_div(s, c);
    return round_dd(t, x < 0);
}
