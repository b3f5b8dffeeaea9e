/*
 * fwords.c -- the math words of FLOATING EXT: FSIN FCOS FTAN FSINCOS
 * FASIN FACOS FATAN FATAN2 FEXP FEXPM1 FALOG FLN FLNP1 FLOG F** and the
 * hyperbolic ones, over fmath.h.  Domain errors are not THROWn: they
 * answer NaN (or an infinity), as IEEE 754 and C's Annex F say, so a
 * program can test for them and the system keeps running.
 */
#include "fvm_int.h"
#include "fvm_flt.h"
#include "fmath.h"

#define FNEEDS(n) do { if (fvm_fdepth(vm) < (n)) return FVM_E_FSTACK_UNDERFLOW; } while (0)

static int unary(fvm_t *vm, double (*fn)(double))
{
    FNEEDS(1);
    vm->ftos = fn(vm->ftos);
    return 0;
}

/* ( F: r1 r2 -- r3 ): r3 = fn(r1, r2) */
static int binary(fvm_t *vm, double (*fn)(double, double))
{
    FNEEDS(2);
    double r2 = vm->ftos, r1;
    fvm_fpop(vm, &r2);
    r1 = vm->ftos;
    vm->ftos = fn(r1, r2);
    return 0;
}

int fc_fsin(fvm_t *vm) { return unary(vm, fmath_sin); }
int fc_fcos(fvm_t *vm) { return unary(vm, fmath_cos); }
int fc_ftan(fvm_t *vm) { return unary(vm, fmath_tan); }
int fc_fasin(fvm_t *vm) { return unary(vm, fmath_asin); }
int fc_facos(fvm_t *vm) { return unary(vm, fmath_acos); }
int fc_fatan(fvm_t *vm) { return unary(vm, fmath_atan); }
int fc_fexp(fvm_t *vm) { return unary(vm, fmath_exp); }
int fc_fexpm1(fvm_t *vm) { return unary(vm, fmath_expm1); }
int fc_falog(fvm_t *vm) { return unary(vm, fmath_exp10); }
int fc_fln(fvm_t *vm) { return unary(vm, fmath_log); }
int fc_flnp1(fvm_t *vm) { return unary(vm, fmath_log1p); }
int fc_flog(fvm_t *vm) { return unary(vm, fmath_log10); }
int fc_fsinh(fvm_t *vm) { return unary(vm, fmath_sinh); }
int fc_fcosh(fvm_t *vm) { return unary(vm, fmath_cosh); }
int fc_ftanh(fvm_t *vm) { return unary(vm, fmath_tanh); }
int fc_fasinh(fvm_t *vm) { return unary(vm, fmath_asinh); }
int fc_facosh(fvm_t *vm) { return unary(vm, fmath_acosh); }
int fc_fatanh(fvm_t *vm) { return unary(vm, fmath_atanh); }

/* FATAN2 ( F: y x -- r ): the angle of (x, y), -pi..pi */
int fc_fatan2(fvm_t *vm) { return binary(vm, fmath_atan2); }
int fc_fpow(fvm_t *vm) { return binary(vm, fmath_pow); }

/* FSINCOS ( F: r1 -- r2 r3 ): sine and cosine */
int fc_fsincos(fvm_t *vm)
{
    FNEEDS(1);
    double s, c;
    fmath_sincos(vm->ftos, &s, &c);
    int err = fvm_fpush(vm, c);
    if (err)
        return err;
    vm->fsp[0] = s;
    return 0;
}
