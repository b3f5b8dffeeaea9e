/*
 * memory.c -- words over ranges of memory: FILL ERASE MOVE CMOVE CMOVE>
 * COMPARE.  Lengths are unsigned, as the standard has them: a range must
 * lie wholly inside the VM's memory, else -9; a length of 0 does nothing.
 */
#include "fvm_int.h"

static int fill(fvm_t *vm, cell a, ucell n, int c)
{
    if (n == 0)
        return 0;
    unsigned char *p = vm_waddr(vm, (ucell)a, n);
    if (!p)
        return vm_addr(vm, (ucell)a, n) ? -20 : FVM_E_INVALID_ADDRESS;
    fvmi_charge(vm, n, 32);
    for (ucell i = 0; i < n; i++)
        p[i] = (unsigned char)c;
    return 0;
}

int fc_fill(fvm_t *vm)
{
    NEEDS(3);
    cell c = pop(vm), n = pop(vm);
    return fill(vm, pop(vm), (ucell)n, (int)c);
}

int fc_erase(fvm_t *vm)
{
    NEEDS(2);
    cell n = pop(vm);
    return fill(vm, pop(vm), (ucell)n, 0);
}

/* dir: 0 memmove, 1 ascending (CMOVE), -1 descending (CMOVE>) */
static int move(fvm_t *vm, int dir)
{
    NEEDS(3);
    ucell n = (ucell)pop(vm);
    cell d = pop(vm), s = pop(vm);
    if (n == 0)
        return 0;
    unsigned char *dp = vm_waddr(vm, (ucell)d, n);
    const unsigned char *sp = vm_addr(vm, (ucell)s, n);
    if (!dp || !sp)
        return sp && vm_addr(vm, (ucell)d, n) ? -20 : FVM_E_INVALID_ADDRESS;
    fvmi_charge(vm, n, 32);
    if (dir == 0)
        dir = dp <= sp ? 1 : -1;
    if (dir > 0)
        for (ucell i = 0; i < n; i++)
            dp[i] = sp[i];
    else
        for (ucell i = n; i-- > 0;)
            dp[i] = sp[i];
    return 0;
}

int fc_move(fvm_t *vm) { return move(vm, 0); }
int fc_cmove(fvm_t *vm) { return move(vm, 1); }
int fc_cmoveup(fvm_t *vm) { return move(vm, -1); }

int fc_compare(fvm_t *vm)  /* ( c-addr1 u1 c-addr2 u2 -- n ) */
{
    NEEDS(4);
    ucell n2 = (ucell)pop(vm), a2 = (ucell)pop(vm), n1 = (ucell)pop(vm), a1 = (ucell)pop(vm);
    const unsigned char *p1 = n1 ? vm_addr(vm, a1, n1) : (const unsigned char *)"";
    const unsigned char *p2 = n2 ? vm_addr(vm, a2, n2) : (const unsigned char *)"";
    if (!p1 || !p2)
        return FVM_E_INVALID_ADDRESS;
    ucell n = n1 < n2 ? n1 : n2;
    cell r = 0;
    fvmi_charge(vm, n, 16);
    for (ucell i = 0; i < n && !r; i++)
        r = p1[i] < p2[i] ? -1 : p1[i] > p2[i];
    if (!r)
        r = n1 < n2 ? -1 : n1 > n2;
    return fvm_push(vm, r);
}

/* ( c-addr1 u1 c-addr2 u2 -- flag ) caseless; pays for the bytes compared */
int fc_name_eq(fvm_t *vm)
{
    NEEDS(4);
    cell n2 = pop(vm), a2 = pop(vm), n1 = pop(vm), a1 = pop(vm);
    const unsigned char *p1 = n1 > 0 ? vm_addr(vm, (ucell)a1, (ucell)n1) : NULL;
    const unsigned char *p2 = n2 > 0 ? vm_addr(vm, (ucell)a2, (ucell)n2) : NULL;
    bool eq = n1 == n2 && (n1 <= 0 || (p1 && p2));
    cell i = 0;
    for (; eq && i < n1; i++)
        eq = lc(p1[i]) == lc(p2[i]);
    fvmi_charge(vm, (ucell)i, 16);
    return fvm_push(vm, eq ? -1 : 0);
}
