/*
 * fmath_int.h -- the kernels the fmath_*.c files share, in double-double
 * (fdd.h).  Internal to forth/.
 */
#ifndef FMATH_INT_H
#define FMATH_INT_H

#include "fdd.h"
#include "fmath.h"

/* ln 2 = L1 + L2 + ..., L1 with 42 bits, so k * L1 is exact for |k| < 2^11 */
#define FMATH_LN2_1 0x1.62e42fefa3800p-1
#define FMATH_LN2_2 0x1.ef35793c76730p-45
#define FMATH_LN2_HI 0x1.62e42fefa39efp-1
#define FMATH_LN2_LO 0x1.abc9e3b39803fp-56
#define FMATH_PIO2_HI 0x1.921fb54442d18p+0
#define FMATH_PIO2_LO 0x1.1a62633145c07p-54

/* exp(x.hi + x.lo) = 2^*k * result, result in [0.7, 1.42]; |x.hi| < 1400 */
fdd_t fmathi_exp_dd(fdd_t x, int *k);

/* log(u) for a finite u with u.hi > 0 (subnormals included) */
fdd_t fmathi_log_dd(fdd_t u);

/* sinh and cosh of |x| < 23 as double-doubles (tanh divides them) */
fdd_t fmathi_sinh_dd(double x);
fdd_t fmathi_cosh_dd(double x);

/* fmath_atan.c: the angle of (x, y) in [0, pi/2] for x, y >= 0, not both
 * zero, finite */
fdd_t fmathi_atan2_dd(fdd_t y, fdd_t x);

static inline double fmathi_nan(double x)   /* x's NaN, quiet */
{
    return f64_from(f64_bits(x) | 0x0008000000000000u);
}

static inline double fmathi_default_nan(void)
{
    return f64_from(0x7ff8000000000000u);
}

static inline double fmathi_abs(double x)
{
    return f64_from(f64_bits(x) & 0x7fffffffffffffffu);
}

static inline double fmathi_copysign(double x, double s)
{
    return f64_from((f64_bits(x) & 0x7fffffffffffffffu) | (f64_bits(s) & 0x8000000000000000u));
}

#endif /* FMATH_INT_H */
