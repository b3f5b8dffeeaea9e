/*
 * double.c -- the DOUBLE NUMBER word set (the cold part; D+ DNEGATE are
 * hot primitives in run.c, D. D.R are Forth in prelude.fs): 2LITERAL D-
 * D0< D0= D2* D2/ D< D= DU< D>S DABS DMAX DMIN M-star-slash M+ 2ROT 2VALUE.
 * A double is ( lo hi ) with hi on top.
 */
#include "fvm_int.h"

static udcell popud(fvm_t *vm)
{
    ucell hi = (ucell)pop(vm), lo = (ucell)pop(vm);
    return ((udcell)hi << CELL_BITS) | lo;
}

static dcell popd(fvm_t *vm) { return (dcell)popud(vm); }

static int pushd(fvm_t *vm, udcell d)
{
    TRY(fvm_push(vm, (cell)(ucell)d));
    return fvm_push(vm, (cell)(ucell)(d >> CELL_BITS));
}

static int flag(fvm_t *vm, bool f) { return fvm_push(vm, f ? -1 : 0); }

int fc_2literal(fvm_t *vm)
{
    NEEDS(2);
    cell hi = pop(vm), lo = pop(vm);
    TRY(fvmi_op(vm, T_LIT));
    TRY(fvmi_comma(vm, lo));
    TRY(fvmi_op(vm, T_LIT));
    return fvmi_comma(vm, hi);
}

int fc_dminus(fvm_t *vm)
{
    NEEDS(4);
    udcell b = popud(vm), a = popud(vm);
    return pushd(vm, a - b);
}

int fc_dzlt(fvm_t *vm) { NEEDS(2); return flag(vm, popd(vm) < 0); }
int fc_dzeq(fvm_t *vm) { NEEDS(2); return flag(vm, popud(vm) == 0); }
int fc_d2star(fvm_t *vm) { NEEDS(2); return pushd(vm, popud(vm) << 1); }
int fc_d2slash(fvm_t *vm) { NEEDS(2); return pushd(vm, (udcell)(popd(vm) >> 1)); }

int fc_dlt(fvm_t *vm)
{
    NEEDS(4);
    dcell b = popd(vm), a = popd(vm);
    return flag(vm, a < b);
}

int fc_deq(fvm_t *vm)
{
    NEEDS(4);
    udcell b = popud(vm), a = popud(vm);
    return flag(vm, a == b);
}

int fc_dult(fvm_t *vm)
{
    NEEDS(4);
    udcell b = popud(vm), a = popud(vm);
    return flag(vm, a < b);
}

int fc_dtos(fvm_t *vm)
{
    NEEDS(2);
    cell hi = pop(vm);
    (void)hi;
    return 0;   /* the low cell stays: ( d -- n ) */
}

int fc_dabs(fvm_t *vm)
{
    NEEDS(2);
    dcell d = popd(vm);
    return pushd(vm, d < 0 ? 0 - (udcell)d : (udcell)d);
}

int fc_dmax(fvm_t *vm)
{
    NEEDS(4);
    dcell b = popd(vm), a = popd(vm);
    return pushd(vm, (udcell)(a > b ? a : b));
}

int fc_dmin(fvm_t *vm)
{
    NEEDS(4);
    dcell b = popd(vm), a = popd(vm);
    return pushd(vm, (udcell)(a < b ? a : b));
}

int fc_mplus(fvm_t *vm)
{
    NEEDS(3);
    cell n = pop(vm);
    udcell d = popud(vm);
    return pushd(vm, d + (udcell)(dcell)n);
}

/* M-star-slash ( d1 n1 +n2 -- d2 ): d1*n1 as a triple-cell product, divided by n2,
 * symmetric (truncating) like the rest of the system.  -10 for n2 = 0,
 * -11 if the quotient does not fit in a double. */
int fc_mstarslash(fvm_t *vm)
{
    NEEDS(4);
    cell n2 = pop(vm), n1 = pop(vm);
    dcell d1 = popd(vm);
    if (n2 == 0)
        return FVM_E_DIV_ZERO;
    bool neg = (d1 < 0) != (n1 < 0);
    if (n2 < 0)
        neg = !neg;
    udcell ud = d1 < 0 ? 0 - (udcell)d1 : (udcell)d1;
    ucell un = n1 < 0 ? 0 - (ucell)n1 : (ucell)n1;
    ucell dv = n2 < 0 ? 0 - (ucell)n2 : (ucell)n2;
    /* t = ud * un as three cells t2:t1:t0 */
    udcell lo = (udcell)(ucell)ud * un;
    udcell hi = (udcell)(ucell)(ud >> CELL_BITS) * un + (lo >> CELL_BITS);
    ucell t[3] = { (ucell)lo, (ucell)hi, (ucell)(hi >> CELL_BITS) };
    /* long division by dv, most significant cell first */
    ucell q[3];
    udcell r = 0;
    for (int i = 2; i >= 0; i--) {
        udcell cur = (r << CELL_BITS) | t[i];
        q[i] = (ucell)(cur / dv);
        r = cur % dv;
    }
    udcell uq = ((udcell)q[1] << CELL_BITS) | q[0];
    if (q[2] || (uq >> (2 * CELL_BITS - 1) && !(neg && uq == (udcell)1 << (2 * CELL_BITS - 1))))
        return -11;
    return pushd(vm, neg ? 0 - uq : uq);
}

int fc_2rot(fvm_t *vm)  /* ( x1 x2 x3 x4 x5 x6 -- x3 x4 x5 x6 x1 x2 ) */
{
    NEEDS(6);
    cell x[6];
    for (int i = 5; i >= 0; i--)
        x[i] = pop(vm);
    for (int i = 2; i < 8; i++)
        fvm_push(vm, x[i % 6]);
    return 0;
}

int fc_2value(fvm_t *vm)
{
    NEEDS(2);
    cell x2 = pop(vm), x1 = pop(vm), xt;
    TRY(fvmi_create(vm, K_DO2VALUE, &xt));
    TRY(fvmi_comma(vm, x1));
    return fvmi_comma(vm, x2);
}
