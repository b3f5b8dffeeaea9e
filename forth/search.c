/*
 * search.c -- the SEARCH-ORDER word set and the TOOLS EXT words that work
 * on names and word lists: N>R NR> SYNONYM TRAVERSE-WORDLIST's helpers
 * NAME>STRING NAME>INTERPRET NAME>COMPILE.
 *
 * A word list id (wid) is the address of its head cell, which holds the xt
 * of its newest word; FORTH-WORDLIST is the sysvar V_FORTH_WL.  A name
 * token (nt) is the word's xt.  vm->order[0..norder) is the search order,
 * the last entry searched first.  Wids a program hands in are checked to
 * be readable cells: a bad one is -9, never a wild read.
 */
#include "fvm_int.h"

#define ALIGN_UP(n) (((ucell)(n) + CELL - 1) & ~(ucell)(CELL - 1))

static cell forth_wl(const fvm_t *vm) { return (cell)(vm->sysv + V_FORTH_WL * CELL); }

static bool wid_ok(const fvm_t *vm, cell wid)
{
    return !((ucell)wid & (CELL - 1)) && vm_addr(vm, (ucell)wid, CELL);
}

/* ---- search order ------------------------------------------------------- */

int fc_wordlist(fvm_t *vm)
{
    if (vm->nwordlists == MAX_WORDLISTS)
        return -49;
    fvmi_align(vm);
    cell wid = (cell)vm->here;
    TRY(fvmi_comma(vm, 0));
    vm->wordlists[vm->nwordlists++] = wid;
    return fvm_push(vm, wid);
}

int fc_forth_wordlist(fvm_t *vm) { return fvm_push(vm, forth_wl(vm)); }

int fc_get_order(fvm_t *vm)
{
    for (int i = 0; i < vm->norder; i++)
        TRY(fvm_push(vm, vm->order[i]));
    return fvm_push(vm, vm->norder);
}

/* SET-ORDER ( widn .. wid1 n -- ): -1 is the minimum order (ONLY) */
int fc_set_order(fvm_t *vm)
{
    NEEDS(1);
    cell n = pop(vm);
    if (n == -1)
        return fc_only(vm);
    if (n < -1)
        return -24;
    if (n > MAX_ORDER)
        return -49;
    NEEDS((int)n);
    cell w[MAX_ORDER];
    for (cell i = n; i-- > 0;)
        w[i] = pop(vm);
    for (cell i = 0; i < n; i++)
        if (!wid_ok(vm, w[i]))
            return FVM_E_INVALID_ADDRESS;
    for (cell i = 0; i < n; i++)
        vm->order[i] = w[i];
    vm->norder = (int)n;
    return 0;
}

int fc_get_current(fvm_t *vm) { return fvm_push(vm, vm->current); }

int fc_set_current(fvm_t *vm)
{
    NEEDS(1);
    cell wid = pop(vm);
    if (!wid_ok(vm, wid))
        return FVM_E_INVALID_ADDRESS;
    vm->current = wid;
    return 0;
}

/* SEARCH-WORDLIST ( c-addr u wid -- 0 | xt 1 | xt -1 ) */
int fc_search_wordlist(fvm_t *vm)
{
    NEEDS(3);
    cell wid = pop(vm), u = pop(vm), a = pop(vm);
    if (!wid_ok(vm, wid))
        return FVM_E_INVALID_ADDRESS;
    const char *s = u > 0 ? vm_addr(vm, (ucell)a, (ucell)u) : NULL;
    if (u > 0 && !s)
        return FVM_E_INVALID_ADDRESS;
    int fl = 0;
    cell xt = s && u <= MAX_NAME ? fvmi_search_wl(vm, wid, s, (ucell)u, &fl) : 0;
    if (!xt)
        return fvm_push(vm, 0);
    TRY(fvm_push(vm, xt));
    return fvm_push(vm, (fl & F_IMMEDIATE) ? 1 : -1);
}

int fc_only(fvm_t *vm)
{
    vm->order[0] = forth_wl(vm);
    vm->norder = 1;
    return 0;
}

int fc_also(fvm_t *vm)
{
    if (vm->norder == 0)
        return -50;
    if (vm->norder == MAX_ORDER)
        return -49;
    vm->order[vm->norder] = vm->order[vm->norder - 1];
    vm->norder++;
    return 0;
}

int fc_previous(fvm_t *vm)
{
    if (vm->norder == 0)
        return -50;
    vm->norder--;
    return 0;
}

int fc_definitions(fvm_t *vm)
{
    if (vm->norder == 0)
        return -50;
    vm->current = vm->order[vm->norder - 1];
    return 0;
}

int fc_forth(fvm_t *vm)
{
    if (vm->norder == 0)
        vm->norder = 1;
    vm->order[vm->norder - 1] = forth_wl(vm);
    return 0;
}

static void wl_name(fvm_t *vm, cell wid)
{
    if (wid == forth_wl(vm)) {
        fvmi_tputs(vm, "FORTH ");
        return;
    }
    for (int i = 0; i < vm->nwordlists; i++)
        if (vm->wordlists[i] == wid) {
            fvmi_tputs(vm, "#");
            fvmi_tnum(vm, i);
            return;
        }
    fvmi_tnum(vm, wid);
}

int fc_order(fvm_t *vm)
{
    fvmi_listing_begin(vm);
    fvmi_tputs(vm, "search: ");
    for (int i = vm->norder; i-- > 0;)
        wl_name(vm, vm->order[i]);
    fvmi_tputs(vm, " definitions: ");
    wl_name(vm, vm->current);
    fvmi_tputs(vm, "\n");
    return fvmi_listing_end(vm);
}

/* ---- N>R NR> ------------------------------------------------------------ */
/* Cold primitives run with the registers saved in the VM, so they may move
 * vm->rp: the caller's return stack is the one they work on. */

int fc_n_to_r(fvm_t *vm)  /* ( i*x +n -- ) ( R: -- j*x +n ) */
{
    NEEDS(1);
    cell n = vm->tos;
    if (n < 0 || n >= fvm_depth(vm))
        return FVM_E_STACK_UNDERFLOW;
    if (vm->rp - vm->rlim < n + 1)
        return FVM_E_RSTACK_OVERFLOW;
    pop(vm);
    /* R: [n][x1 (was the top)] ... [xn]: NR> pushes xn first */
    ucell *dst = vm->rp - n - 1;
    for (cell i = 0; i < n; i++)
        dst[1 + i] = (ucell)pop(vm);      /* dst[1] = top item */
    dst[0] = (ucell)n;
    vm->rp = dst;
    return 0;
}

int fc_n_r_from(fvm_t *vm)  /* ( -- i*x +n ) ( R: j*x +n -- ) */
{
    ucell depth = (ucell)(vm->r0 - vm->rp);
    if (depth < 1)
        return FVM_E_RSTACK_UNDERFLOW;
    ucell n = vm->rp[0];
    if (n > depth - 1)
        return FVM_E_RSTACK_UNDERFLOW;
    if ((ucell)(vm->sp - vm->slim) < n + 1)
        return FVM_E_STACK_OVERFLOW;
    for (ucell i = n; i > 0; i--)
        fvm_push(vm, (cell)vm->rp[i]);
    vm->rp += n + 1;
    return fvm_push(vm, (cell)n);
}

/* ---- names ---------------------------------------------------------------- */

/* The header cell (info) of an nt, or NULL. */
static const cell *info_of(fvm_t *vm, cell nt)
{
    if (((ucell)nt & (CELL - 1)) || !fvmi_xt_ok(vm, nt))
        return NULL;
    return vm_addr(vm, (ucell)nt - 2 * CELL, 2 * CELL);
}

static int flags_of(const cell *h) { return (int)((ucell)h[0] >> 8) & 0xff; }

/* SYNONYM newname oldname: a deferred word bound to oldname's xt, with its
 * immediacy and compile-only flag. */
int fc_synonym(fvm_t *vm)
{
    cell *toin = fvmi_sysvar(vm, V_TOIN);
    cell start = *toin, xt, old;
    int fl;
    ucell a, n;
    fvmi_parse_name(vm, &a, &n);    /* skip the new name, look up the old */
    if (n == 0)
        return -16;
    TRY(fvmi_tick(vm, &old, &fl));
    cell end = *toin;
    *toin = start;
    TRY(fvmi_create(vm, K_DODEFER, &xt));
    *toin = end;
    TRY(fvmi_comma(vm, old));
    cell *h = vm_waddr(vm, (ucell)xt - 2 * CELL, CELL);
    if (h)
        *h |= (cell)(fl & (F_IMMEDIATE | F_COMPILE_ONLY)) << 8;
    return 0;
}

/* Skip hidden words, and stop unless the links go strictly down (a list
 * always does: older words lie lower), so a forged list ends.  A task
 * leaves as many hidden headers as it likes (definitions never ended), so
 * the skip pays a unit a header (a loop of (WL-FIRST) over 1000
 * of them ran 36 ms in one fvm_run(vm, 20000), free). */
static cell visible(fvm_t *vm, cell nt, cell above)
{
    const ucell max = fvmi_span(vm) / (3 * CELL);
    ucell steps = max;
    cell found = 0;
    for (; nt && steps; steps--) {
        const cell *h = info_of(vm, nt);
        if (!h || (above && (ucell)nt >= (ucell)above))
            break;
        if (!(flags_of(h) & F_HIDDEN)) {
            found = nt;
            break;
        }
        above = nt;
        nt = h[1];
    }
    fvmi_charge_walk(vm, max - steps);
    return found;
}

int fc_wl_first(fvm_t *vm)  /* ( wid -- nt|0 ) */
{
    NEEDS(1);
    cell wid = pop(vm);
    if (!wid_ok(vm, wid))
        return FVM_E_INVALID_ADDRESS;
    return fvm_push(vm, visible(vm, *(const cell *)vm_addr(vm, (ucell)wid, CELL), 0));
}

int fc_nt_next(fvm_t *vm)  /* ( nt -- nt'|0 ) */
{
    NEEDS(1);
    cell nt = pop(vm);
    const cell *h = info_of(vm, nt);
    return fvm_push(vm, h ? visible(vm, h[1], nt) : 0);
}

int fc_name_string(fvm_t *vm)  /* ( nt -- c-addr u ) */
{
    NEEDS(1);
    cell nt = pop(vm);
    ucell n;
    const char *s = fvmi_xt_name(vm, nt, &n);
    TRY(fvm_push(vm, n ? (cell)fvmi_virt(vm, s) : 0));
    return fvm_push(vm, (cell)n);
}

int fc_name_interpret(fvm_t *vm)  /* ( nt -- xt|0 ) */
{
    NEEDS(1);
    cell nt = pop(vm);
    return fvm_push(vm, info_of(vm, nt) ? nt : 0);
}

int fc_name_compile(fvm_t *vm)  /* ( nt -- x xt ) */
{
    NEEDS(1);
    cell nt = pop(vm);
    const cell *h = info_of(vm, nt);
    if (!h)
        return -32;
    TRY(fvm_push(vm, nt));
    int t = fvmi_statesmart(vm, nt) ? T_COMPSEM : (flags_of(h) & F_IMMEDIATE) ? T_EXECUTE : T_COMPILEC;
    return fvm_push(vm, vm->prim_xt[t]);
}
