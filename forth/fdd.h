/*
 * fdd.h -- double-double arithmetic for the math library (fmath_*.c):
 * a value hi + lo with |lo| <= half an ulp of hi, about 106 bits.  The
 * error-free transformations need IEEE binary64 with round to nearest and
 * no contraction into fused multiply-adds that change their rounding
 * (forth.mk builds the fmath files with -ffp-contract=off).  Internal to
 * forth/.
 */
#ifndef FDD_H
#define FDD_H

#include <stdbool.h>
#include <stdint.h>
#include "fbits.h"

typedef struct {
    double hi, lo;
} fdd_t;

static inline fdd_t fdd(double hi, double lo)
{
    fdd_t r = {hi, lo};
    return r;
}

/* a + b exactly, any magnitudes */
static inline fdd_t fdd_two_sum(double a, double b)
{
    double s = a + b, bb = s - a;
    return fdd(s, (a - (s - bb)) + (b - bb));
}

/* a + b exactly when |a| >= |b| (or a == 0) */
static inline fdd_t fdd_fast_sum(double a, double b)
{
    double s = a + b;
    return fdd(s, b - (s - a));
}

/* Veltkamp's split: a = hi + lo, each with 26 bits; |a| < 2^995 */
static inline void fdd_split(double a, double *hi, double *lo)
{
    double c = 134217729.0 * a;          /* 2^27 + 1 */
    *hi = c - (c - a);
    *lo = a - *hi;
}

/* a * b exactly (Dekker), barring underflow and |a|, |b| >= 2^995 */
static inline fdd_t fdd_two_prod(double a, double b)
{
    double p = a * b, ah, al, bh, bl;
    fdd_split(a, &ah, &al);
    fdd_split(b, &bh, &bl);
    return fdd(p, ((ah * bh - p) + ah * bl + al * bh) + al * bl);
}

static inline fdd_t fdd_add(fdd_t a, fdd_t b)
{
    fdd_t s = fdd_two_sum(a.hi, b.hi);
    return fdd_fast_sum(s.hi, s.lo + a.lo + b.lo);
}

static inline fdd_t fdd_add_d(fdd_t a, double b)
{
    fdd_t s = fdd_two_sum(a.hi, b);
    return fdd_fast_sum(s.hi, s.lo + a.lo);
}

static inline fdd_t fdd_neg(fdd_t a) { return fdd(-a.hi, -a.lo); }

static inline fdd_t fdd_mul(fdd_t a, fdd_t b)
{
    fdd_t p = fdd_two_prod(a.hi, b.hi);
    return fdd_fast_sum(p.hi, p.lo + a.hi * b.lo + a.lo * b.hi);
}

static inline fdd_t fdd_mul_d(fdd_t a, double b)
{
    fdd_t p = fdd_two_prod(a.hi, b);
    return fdd_fast_sum(p.hi, p.lo + a.lo * b);
}

/* a / b: one correction step after the quotient of the heads */
static inline fdd_t fdd_div(fdd_t a, fdd_t b)
{
    double q = a.hi / b.hi;
    fdd_t p = fdd_two_prod(q, b.hi);
    double r = ((a.hi - p.hi) - p.lo + a.lo - q * b.lo) / b.hi;
    return fdd_fast_sum(q, r);
}

/* sqrt(a), a.hi > 0 normal: Newton's step from the rounded root */
static inline fdd_t fdd_sqrt(fdd_t a, double (*sq)(double))
{
    double s = sq(a.hi);
    fdd_t p = fdd_two_prod(s, s);
    return fdd_fast_sum(s, ((a.hi - p.hi) - p.lo + a.lo) / (2 * s));
}

/* x * 2^n for -2044 < n < 2046, one rounding at the end (a subnormal
 * result rounds once, from x) */
static inline double fdd_ldexp(double x, int n)
{
    while (n > 1023) {
        x *= 0x1p1023;
        n -= 1023;
    }
    if (n < -1022) {
        x *= 0x1p-969;                   /* 2^-1022 * 2^53: still exact */
        n += 969;
        if (n < -1022) {
            x *= 0x1p-969;
            n += 969;
        }
    }
    return x * f64_from((uint64_t)(n + 1023) << 52);
}

#endif /* FDD_H */
