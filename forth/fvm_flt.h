/*
 * fvm_flt.h -- small float helpers shared by the VM's float code (run.c's
 * float primitives, float.c, fout.c, fwords.c).  Internal to forth/.
 */
#ifndef FVM_FLT_H
#define FVM_FLT_H

#include <stdbool.h>
#include <stdint.h>
#include "fvm.h"
#include "fbits.h"

/* A float in VM memory or code: any alignment. */
static inline double fvmi_fload(const void *p)
{
    double d;
    __builtin_memcpy(&d, p, sizeof d);
    return d;
}

static inline void fvmi_fstore(void *p, double d)
{
    __builtin_memcpy(p, &d, sizeof d);
}

#define fvmi_fbits f64_bits
#define fvmi_fword f64_from

static inline bool fvmi_isnan(double d) { return d != d; }

/* IEEE 754 leaves the NaN a NaN operand produces to the implementation;
 * Forth programs (and the suite's ieee-arith tests) expect the operand's
 * NaN, sign and payload, to come through, as SSE2 does.  Soft-float and
 * RISC-V produce their one canonical NaN, so there the result is fixed
 * up: r = a op b; a NaN operand (the first one if both) comes back quiet. */
#if defined(__SSE2_MATH__)
#define FVM_NAN_OPERAND 1
#endif
static inline double fvmi_fnan2(double r, double a, double b)
{
#ifndef FVM_NAN_OPERAND
    if (__builtin_expect(r != r, 0)) {
        if (a != a)
            return fvmi_fword(fvmi_fbits(a) | 0x0008000000000000u);
        if (b != b)
            return fvmi_fword(fvmi_fbits(b) | 0x0008000000000000u);
    }
#else
    (void)a;
    (void)b;
#endif
    return r;
}

static inline double fvmi_fneg(double d) { return fvmi_fword(fvmi_fbits(d) ^ 0x8000000000000000u); }
static inline double fvmi_fabs(double d) { return fvmi_fword(fvmi_fbits(d) & 0x7fffffffffffffffu); }

/* float.c: D>F (correctly rounded) and F>D (truncated; false if it does
 * not fit a double cell), the double as its two cells */
double fvmi_d_to_f(fvm_ucell_t lo, fvm_ucell_t hi);
bool fvmi_f_to_d(double r, fvm_ucell_t *lo, fvm_ucell_t *hi);
/* 2^(bits in a cell - 1): F>S takes what truncates into
 * [-CELL_FLIMIT, CELL_FLIMIT) */
#define CELL_FLIMIT ((double)((fvm_ucell_t)1 << (8 * sizeof(fvm_cell_t) - 1)))

#endif /* FVM_FLT_H */
