/*
 * float.c -- the float stack's API, and the FLOATING words that are not
 * the inner interpreter's: the defining words (FCONSTANT FVARIABLE
 * FVALUE), literals, alignment, F~, FLOOR FROUND FTRUNC, the conversions
 * between doubles and floats, and ENVIRONMENT?'s float queries.
 *
 * A float in memory or code is its 8 bytes at any alignment (fvm_int.h);
 * the words that lay one down (FLITERAL, FCONSTANT, FVALUE, FVARIABLE)
 * take FCELLS cells.
 */
#include "fvm_int.h"
#include "fvm_flt.h"
#include "fconv.h"
#include "fmath.h"

int fvm_fdepth(const fvm_t *vm) { return (int)(vm->f0 - vm->fsp); }

int fvm_fpush(fvm_t *vm, double r)
{
    if (vm->fsp <= vm->flim)
        return FVM_E_FSTACK_OVERFLOW;
    *--vm->fsp = vm->ftos;
    vm->ftos = r;
    return 0;
}

int fvm_fpop(fvm_t *vm, double *r)
{
    if (vm->fsp >= vm->f0)
        return FVM_E_FSTACK_UNDERFLOW;
    *r = vm->ftos;
    vm->ftos = *vm->fsp++;
    return 0;
}

#define FNEEDS(n) do { if (fvm_fdepth(vm) < (n)) return FVM_E_FSTACK_UNDERFLOW; } while (0)

static double fpop(fvm_t *vm)
{
    double r = 0;
    fvm_fpop(vm, &r);
    return r;
}

/* ---- doubles <-> floats ----------------------------------------------------- */

double fvmi_d_to_f(ucell lo, ucell hi)
{
    udcell u = ((udcell)hi << CELL_BITS) | lo;
    bool neg = (cell)hi < 0;
    if (neg)
        u = 0 - u;
    int bl = 0;
    for (udcell t = u; t; t >>= 1)
        bl++;
    double r;
    if (bl <= 63) {                     /* the FPU's (or libgcc's) conversion */
        r = (double)(int64_t)u;
    } else {                            /* the top 63 bits, the rest sticky */
        int sh = bl - 63;
        r = fconv_compose((uint64_t)(u >> sh), (u & (((udcell)1 << sh) - 1)) != 0, sh);
    }
    return neg ? -r : r;
}

bool fvmi_f_to_d(double r, ucell *lo, ucell *hi)
{
    uint64_t b = fvmi_fbits(r);
    int be = (int)((b >> 52) & 0x7ff), e = (be ? be : 1) - 1075;   /* |r| = m * 2^e */
    uint64_t m = (b & 0xfffffffffffffu) | (be ? (uint64_t)1 << 52 : 0);
    bool least = b >> 63 && m == (uint64_t)1 << 52 && e + 53 == 2 * CELL_BITS;   /* -2^(2N-1) */
    if (be == 0x7ff || (e + 53 > 2 * CELL_BITS - 1 && !least))
        return false;                   /* NaN, inf, or too big for a double cell */
    udcell u = e >= 0 ? (udcell)m << e : e > -64 ? (udcell)(m >> -e) : 0;
    if (b >> 63)
        u = 0 - u;
    *lo = (ucell)u;
    *hi = (ucell)(u >> CELL_BITS);
    return true;
}

/* ---- literals ------------------------------------------------------------- */

int fvmi_compile_fliteral(fvm_t *vm, const cell *bits)
{
    TRY(fvmi_op(vm, T_FLIT));
    for (int i = 0; i < FCELLS; i++)
        TRY(fvmi_comma(vm, bits[i]));
    return 0;
}

static int compile_float(fvm_t *vm, double r)
{
    cell bits[FCELLS];
    fvmi_fstore(bits, r);
    return fvmi_compile_fliteral(vm, bits);
}

int fvmi_float_word(fvm_t *vm, const char *s, ucell n, bool compiling)
{
    double r;
    if (*fvmi_sysvar(vm, V_BASE) != 10 || !fvmi_fparse(vm, s, n, FCONV_LITERAL, &r))
        return FVM_E_UNDEFINED;
    return compiling ? compile_float(vm, r) : fvm_fpush(vm, r);
}

int fc_fliteral(fvm_t *vm)
{
    FNEEDS(1);
    return compile_float(vm, fpop(vm));
}

/* ---- defining words --------------------------------------------------------- */

static int float_body(fvm_t *vm, cell kind, double r)
{
    cell xt, bits[FCELLS];
    fvmi_fstore(bits, r);
    TRY(fvmi_create(vm, kind, &xt));
    for (int i = 0; i < FCELLS; i++)
        TRY(fvmi_comma(vm, bits[i]));
    return 0;
}

/* the float is popped only once the name is good, so an error leaves it */
static int float_def(fvm_t *vm, cell kind)
{
    FNEEDS(1);
    TRY(float_body(vm, kind, vm->ftos));
    fpop(vm);
    return 0;
}

int fc_fconstant(fvm_t *vm) { return float_def(vm, K_DOFCON); }
int fc_fvalue(fvm_t *vm) { return float_def(vm, K_DOFVALUE); }

/* FVARIABLE: a CREATE with room for a float (0E) */
int fc_fvariable(fvm_t *vm)
{
    cell xt;
    TRY(fvmi_create(vm, K_DOCREATE, &xt));
    TRY(fvmi_comma(vm, 0));
    for (int i = 0; i < FCELLS; i++)
        TRY(fvmi_comma(vm, 0));
    return 0;
}

int fvmi_fvalue_store(fvm_t *vm, cell *cfa)
{
    FNEEDS(1);
    fvmi_fstore(cfa + 1, fpop(vm));
    return 0;
}

/* ---- alignment ---------------------------------------------------------------- */

static int align_to(fvm_t *vm, ucell a)
{
    ucell pad = (a - (vm->here & (a - 1))) & (a - 1);
    if (pad > vm->limit - vm->here)
        return FVM_E_DICT_FULL;
    for (; pad; pad--)
        TRY(fvmi_ccomma(vm, 0));
    return 0;
}

int fc_falign(fvm_t *vm) { return align_to(vm, sizeof(double)); }
int fc_sfalign(fvm_t *vm) { return align_to(vm, sizeof(float)); }

/* ---- F~ FLOOR FROUND FTRUNC ------------------------------------------------------- */

/* F~ ( F: r1 r2 r3 -- ) ( -- flag ): r3 > 0 |r1-r2| < r3; r3 = 0 the same
 * bits; r3 < 0 |r1-r2| < |r3| (|r1|+|r2|) */
int fc_fprox(fvm_t *vm)
{
    FNEEDS(3);
    double r3 = fpop(vm), r2 = fpop(vm), r1 = fpop(vm);
    bool f;
    if (r3 > 0)
        f = fvmi_fabs(r1 - r2) < r3;
    else if (r3 == 0)
        f = fvmi_fbits(r1) == fvmi_fbits(r2);
    else
        f = fvmi_fabs(r1 - r2) < -r3 * (fvmi_fabs(r1) + fvmi_fabs(r2));
    return fvm_push(vm, f ? -1 : 0);
}

static int unary(fvm_t *vm, double (*fn)(double))
{
    FNEEDS(1);
    vm->ftos = fn(vm->ftos);
    return 0;
}

int fc_floor(fvm_t *vm) { return unary(vm, fmath_floor); }
int fc_fround(fvm_t *vm) { return unary(vm, fmath_round); }
int fc_ftrunc(fvm_t *vm) { return unary(vm, fmath_trunc); }

/* ---- ENVIRONMENT? ---------------------------------------------------------------- */

static bool same(const char *s, ucell n, const char *w)
{
    ucell k = 0;
    while (w[k])
        k++;
    if (k != n)
        return false;
    for (ucell i = 0; i < n; i++)
        if (lc((unsigned char)s[i]) != lc((unsigned char)w[i]))
            return false;
    return true;
}

int fvmi_fenv(fvm_t *vm, const char *s, ucell n)
{
    if (!s)
        return 1;
    if (same(s, n, "FLOATING") || same(s, n, "FLOATING-EXT"))
        TRY(fvm_push(vm, -1));
    else if (same(s, n, "FLOATING-STACK"))
        TRY(fvm_push(vm, (cell)(vm->f0 - vm->flim)));
    else if (same(s, n, "MAX-FLOAT"))
        TRY(fvm_fpush(vm, fvmi_fword(0x7fefffffffffffffu)));
    else
        return 1;
    return fvm_push(vm, -1);
}
