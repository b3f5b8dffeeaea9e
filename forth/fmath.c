/*
 * fmath.c -- the exact functions of fmath.h: square root without an FPU,
 * floor, trunc, round to even.  They work on the bits, so they give the
 * same answer on every host.
 */
#include <stdint.h>
#include "fmath.h"
#include "fconv.h"
#include "fbits.h"

/* Digit-by-digit square root of m * 2^60 (57 root bits), then one
 * rounding: exact, as IEEE 754 wants. */
double fmath_sqrt_soft(double x)
{
    uint64_t b = f64_bits(x);
    if (x != x)
        return f64_from(b | 0x0008000000000000u);
    if (x == 0 || b == 0x7ff0000000000000u)
        return x;                        /* +-0, +inf */
    if (b >> 63)
        return f64_from(0x7ff8000000000000u);
    int be = (int)(b >> 52), e;
    uint64_t m = b & 0xfffffffffffffu;
    if (be) {
        m |= (uint64_t)1 << 52;
        e = be - 1075;
    } else {                             /* subnormal: normalize */
        e = -1074;
        while (!(m >> 52)) {
            m <<= 1;
            e--;
        }
    }
    if (e & 1) {
        m <<= 1;
        e--;
    }
    uint64_t root = 0, rem = 0;
    for (int i = 56; i >= 0; i--) {
        int lo = 2 * i - 60;             /* the pair's bits of m */
        uint64_t pair = lo >= 0 ? (m >> lo) & 3 : 0;
        rem = (rem << 2) | pair;
        uint64_t trial = (root << 2) | 1;
        if (rem >= trial) {
            rem -= trial;
            root = (root << 1) | 1;
        } else {
            root <<= 1;
        }
    }
    return fconv_compose(root, rem != 0, e / 2 - 30);
}

double fmath_trunc(double x)
{
    uint64_t b = f64_bits(x);
    int e = (int)((b >> 52) & 0x7ff) - 1023;   /* unbiased exponent */
    if (e >= 52)
        return x;                        /* an integer already, inf or NaN */
    if (e < 0)
        return f64_from(b & 0x8000000000000000u);
    return f64_from(b & ~((((uint64_t)1 << 52) - 1) >> e));
}

double fmath_floor(double x)
{
    double t = fmath_trunc(x);
    return x < 0 && t != x ? t - 1 : t;
}

double fmath_round(double x)
{
    uint64_t b = f64_bits(x);
    if (((b >> 52) & 0x7ff) >= 1023 + 52)
        return x;                        /* an integer already, inf or NaN */
    /* adding and removing 2^52 rounds to an integer, ties to even */
    const double big = 4503599627370496.0;
    double a = f64_from(b & 0x7fffffffffffffffu);
    double r = (a + big) - big;
    return f64_from(f64_bits(r) | (b & 0x8000000000000000u));
}
