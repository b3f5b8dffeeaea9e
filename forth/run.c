/*
 * run.c -- the inner interpreter: fvm_run().
 *
 * Token threading with computed goto; the top of the data stack lives in a
 * local (tos).  Cost of safety per primitive: one compare for each stack
 * bound it can cross, one compare (after a rotate) for each memory access,
 * one for each jump target.  Fuel is charged on EXIT and taken branches --
 * every loop and every recursion passes one of them.
 *
 * Only primitives that are hot live in run(); the rest are C functions
 * (the "cold" ones) called with the registers saved in the VM.  run()'s
 * primitives are in run_ctl.h (control), run_stack.h, run_arith.h
 * (arithmetic and memory), run_super.h (superinstructions) and
 * run_float.h, textual parts of the one function.
 */
#include <limits.h>
#include "fvm_int.h"
#include "fvm_flt.h"
#include "fmath.h"

#define ROTR(x) (((ucell)(x) >> LOG2_CELL) | ((ucell)(x) << (CELL_BITS - LOG2_CELL)))

static const fvmi_cold_fn cold_fns[NPRIM] = {
#define P(id, name, fl)
#define C(id, name, fl, fn) [T_##id] = fn,
    FVM_PRIMS
#undef P
#undef C
};

/* The region the inline checks try after the own one (vm->ibias ..): r,
 * or the own again if r is NULL or too small to hold an xt's two cells,
 * so that a match is always a whole cell or code field and parameter. */
static void use_region(fvm_t *vm, const struct vregion *r)
{
    if (r && r->hi - r->lo >= 2 * CELL) {
        vm->ibias = r->bias, vm->ilo = r->lo, vm->ispan = r->hi - r->lo;
    } else {
        vm->ibias = vm->bias, vm->ilo = vm->lo, vm->ispan = vm->hi - vm->lo;
    }
    vm->ihost = vm->ibias + vm->ilo;
    vm->icspan = (vm->ispan - 2 * CELL) >> LOG2_CELL;
}

/* The ancestor region holding [a, a+n), made the one checked inline. */
static const struct vregion *find_region(fvm_t *vm, ucell a, ucell n)
{
    for (int i = vm->nimg - 1; i >= 0; i--) {
        const struct vregion *r = &vm->img[i];
        if (a - r->lo <= r->hi - r->lo && n <= r->hi - a) {
            use_region(vm, r);
            return r;
        }
    }
    return NULL;
}

/* Slow path of a memory access: an ancestor's image, or an error code. */
static void *slow_addr(fvm_t *vm, ucell a, ucell n, bool cell_aligned, int *code)
{
    if (cell_aligned && (a & (CELL - 1))) {
        *code = FVM_E_ALIGNMENT;
        return NULL;
    }
    void *p = vm_addr(vm, a, n);
    if (!p)
        *code = FVM_E_INVALID_ADDRESS;
    else if ((uintptr_t)p - (uintptr_t)vm->mem >= vm->hi - vm->lo)
        find_region(vm, a, n);
    return p;
}

/* Slow path of a store: always an error -- which one? */
static void *slow_waddr(fvm_t *vm, ucell a, ucell n, bool cell_aligned, int *code)
{
    if (cell_aligned && (a & (CELL - 1)))
        *code = FVM_E_ALIGNMENT;
    else
        *code = vm_addr(vm, a, n) ? -20 : FVM_E_INVALID_ADDRESS;
    return NULL;
}

/* Is the host pointer p a place code may run from? */
static bool code_ok(fvm_t *vm, const cell *p)
{
    uintptr_t u = (uintptr_t)p;
    if (u & (CELL - 1))
        return false;
    if (u - (uintptr_t)vm->mem < vm->hi - vm->lo)
        return true;
    for (int i = vm->nimg - 1; i >= 0; i--)
        if (u - (vm->img[i].bias + vm->img[i].lo) < vm->img[i].hi - vm->img[i].lo) {
            use_region(vm, &vm->img[i]);
            return true;
        }
    return false;
}

void fvmi_bounds(fvm_t *vm)
{
    vm->wspan = vm->hi - vm->wlo;
    vm->wcspan = (vm->wspan - CELL) >> LOG2_CELL;
    use_region(vm, NULL);
    for (int i = 0; i < 5; i++)
        vm->sneed[i] = vm->s0 - i;
    for (int i = 0; i < 3; i++) {
        vm->sroom[i] = vm->slim + i;
        vm->rneed[i] = vm->r0 - i;
        vm->rroom[i] = vm->rlim + i;
        vm->froom[i] = vm->flim + i;
    }
    for (int i = 0; i < 4; i++)
        vm->fneed[i] = vm->f0 - i;
}

void *fvmi_img_addr(const fvm_t *vm, ucell a, ucell n)
{
    for (int i = 0; i < vm->nimg; i++) {
        const struct vregion *r = &vm->img[i];
        if (a - r->lo <= r->hi - r->lo && n <= r->hi - a)
            return (void *)(r->bias + a);
    }
    return NULL;
}

ucell fvmi_virt(const fvm_t *vm, const void *p)
{
    uintptr_t u = (uintptr_t)p;
    if (u - (uintptr_t)vm->mem < vm->hi - vm->lo)
        return u - vm->bias;
    for (int i = 0; i < vm->nimg; i++)
        if (u - (vm->img[i].bias + vm->img[i].lo) < vm->img[i].hi - vm->img[i].lo)
            return u - vm->img[i].bias;
    return 0;
}

ucell fvmi_span(const fvm_t *vm)
{
    ucell n = vm->hi - vm->lo;
    for (int i = 0; i < vm->nimg; i++)
        n += vm->img[i].hi - vm->img[i].lo;
    return n;
}

static dcell dmake(cell lo, cell hi) { return (dcell)(((udcell)(ucell)hi << CELL_BITS) | (ucell)lo); }

static fvm_status_t run(fvm_t *vm, long fuel_in)
{
    static const void *const tab[NTOK] = {
#define P(id, name, fl) [T_##id] = &&L_##id,
#define C(id, name, fl, fn) [T_##id] = &&L_COLD,
        FVM_PRIMS
#undef P
#undef C
        [K_DOCOL] = &&L_DOCOL, [K_DOCREATE] = &&L_DOCREATE,
        [K_DOCON] = &&L_DOCON, [K_DOVALUE] = &&L_DOCON,
        [K_DODEFER] = &&L_DODEFER, [K_DOHOST] = &&L_DOHOST,
        [K_DO2CON] = &&L_DO2CON, [K_DO2VALUE] = &&L_DO2CON,
        [K_DOMARKER] = &&L_DOMARKER,
        [K_DOFCON] = &&L_DOFCON, [K_DOFVALUE] = &&L_DOFCON,
    };
    cell *ip, *sp, tos, w = 0, c, *cfa = NULL;
    cell *seg;       /* where the straight-line code now running began (PAYSEG) */
/* The float stack's pointer stays in the struct (as a local it would cost
 * the integer primitives a register: callgrind tak +9%); its top is a
 * local, which GCC keeps in an SSE register that no integer primitive
 * wants (mandel 600: 0.56 -> 0.42 s with -fno-gcse, below).  SAVE and
 * LOAD carry it to and from the struct around every call that may touch
 * the float stack. */
#define fsp (vm->fsp)
    double ft = vm->ftos;
    ucell *rp;
    cell *const s0 = vm->s0, *const slim = vm->slim;
    ucell *const r0 = vm->r0, *const rlim = vm->rlim;
    const uintptr_t bias = vm->bias;
    const ucell lo = vm->lo, span = vm->hi - vm->lo;
    const ucell cspan = (span - CELL) >> LOG2_CELL;
    /* the writable range's bounds (fvmi_bounds) are read from the struct at
     * each check: as locals they would be spilled and recomputed, 4
     * instructions each */
    const uintptr_t mbase = (uintptr_t)vm->mem;
    long budget = fuel_in > 0 ? fuel_in : LONG_MAX;
    int code = 0, rc;
    fvm_status_t st;
    if (unlikely(vm->charge)) {          /* a debt from the last run */
        if (vm->charge >= budget && fuel_in > 0) {
            vm->charge -= budget;
            return FVM_OUT_OF_FUEL;
        }
        budget -= fuel_in > 0 ? vm->charge : 0;
        vm->charge = 0;
    }
    /* fuel is spent in slices: between two, a pending fvm_interrupt is seen */
    long fuel = budget < FVM_INTR_SLICE ? budget : FVM_INTR_SLICE;
    budget -= fuel;

/* Fuel: a unit is a cell of code run, and one more for each call, return
 * and taken branch (CHARGE).  The cells are counted where straight-line
 * code ends, not one by one (a decrement in NEXT costs every primitive:
 * callgrind +25%): every change of ip but ip++ pays ip - seg and starts a
 * new segment -- JUMP, DOCOL, and SAVE/LOAD around a host call, which may
 * move ip.  Should a path move ip without that, the unsigned distance is
 * huge: the slice ends with a debt cut at FVM_DEBT_MAX, so the fault
 * stalls that task a while, never gives it free fuel. */
#define PAYSEG() (fuel -= (long)((ucell)((char *)ip - (char *)seg) >> LOG2_CELL))
#define SAVE() (PAYSEG(), vm->ip = ip, vm->sp = sp, vm->tos = tos, vm->rp = rp, vm->ftos = ft)
#define LOAD() (ip = vm->ip, seg = ip, sp = vm->sp, tos = vm->tos, rp = vm->rp, ft = vm->ftos)
#define THROW(n) do { code = (n); goto do_throw; } while (0)
/* Stack checks compare pointers (no element count: one shift less each);
 * n is a constant or bounded small (never a program's number).  With a
 * small constant n the bound is the one run() keeps in the struct (one
 * compare with memory, no arithmetic); else it is computed.  (The index
 * is constant-folded twice so that a variable n never indexes the table.) */
#define BOUND(tab, n, dflt) (__builtin_constant_p(n) && (size_t)(n) < sizeof tab / sizeof tab[0] ? \
        tab[__builtin_constant_p(n) && (size_t)(n) < sizeof tab / sizeof tab[0] ? (n) : 0] : (dflt))
#define NEED(n) do { if (unlikely(sp > BOUND(vm->sneed, n, s0 - (n)))) goto e_under; } while (0)
#define ROOM(n) do { if (unlikely(sp < BOUND(vm->sroom, n, slim + (n)))) goto e_over; } while (0)
#define PUSH(x) do { cell x_ = (x); ROOM(1); *--sp = tos; tos = x_; } while (0)
#define POP() (tos = *sp++)
#define RNEED(n) do { if (unlikely(rp > BOUND(vm->rneed, n, r0 - (n)))) goto e_runder; } while (0)
#define RROOM(n) do { if (unlikely(rp < BOUND(vm->rroom, n, rlim + (n)))) goto e_rover; } while (0)
#define NEXT do { c = *ip++; if (likely((ucell)c < NPRIM)) goto *tab[c]; w = c; goto exec_w; } while (0)
#define CHARGE do { if (unlikely(--fuel < 0)) goto out_of_fuel; } while (0)
#define JUMP(p) do { cell *_t = (p); \
        if (unlikely(ROTR((uintptr_t)_t - mbase) > cspan) && ROTR((uintptr_t)_t - vm->ihost) > vm->icspan && \
            !code_ok(vm, _t)) THROW(FVM_E_INVALID_ADDRESS); \
        PAYSEG(); ip = seg = _t; } while (0)
#define CELLP(a) ({ ucell _a = (ucell)(a); cell *_p; \
        if (likely(ROTR(_a - lo) <= cspan)) { _p = (cell *)(bias + _a); } \
        else if (ROTR(_a - vm->ilo) <= vm->icspan) { _p = (cell *)(vm->ibias + _a); } \
        else { _p = slow_addr(vm, _a, CELL, true, &code); if (!_p) goto do_throw; } _p; })
#define BYTEP(a) ({ ucell _a = (ucell)(a); unsigned char *_p; \
        if (likely(_a - lo < span)) { _p = (unsigned char *)(bias + _a); } \
        else if (_a - vm->ilo < vm->ispan) { _p = (unsigned char *)(vm->ibias + _a); } \
        else { _p = slow_addr(vm, _a, 1, false, &code); if (!_p) goto do_throw; } _p; })
#define CELLW(a) ({ ucell _a = (ucell)(a); cell *_p; \
        if (likely(ROTR(_a - vm->wlo) <= vm->wcspan)) { _p = (cell *)(bias + _a); } \
        else { _p = slow_waddr(vm, _a, CELL, true, &code); goto do_throw; } _p; })
#define BYTEW(a) ({ ucell _a = (ucell)(a); unsigned char *_p; \
        if (likely(_a - vm->wlo < vm->wspan)) { _p = (unsigned char *)(bias + _a); } \
        else { _p = slow_waddr(vm, _a, 1, false, &code); goto do_throw; } _p; })
#define ADD(a, b) ((cell)((ucell)(a) + (ucell)(b)))
#define SUB(a, b) ((cell)((ucell)(a) - (ucell)(b)))
#define FLAG(x) ((x) ? (cell)-1 : 0)

    LOAD();
    if (vm->nout && fvmi_flush(vm))
        return FVM_WAIT;
    if (vm->deferred >= 0) {
        st = (fvm_status_t)vm->deferred;
        vm->deferred = -1;
        return st;
    }
    if (vm->pending_throw) {
        code = vm->pending_throw;
        vm->pending_throw = 0;
        goto do_throw;
    }
    if (unlikely(__atomic_load_n(&vm->intr, __ATOMIC_RELAXED))) {
        if (vm->resume_tok != T_REFILLQUIT)
            goto interrupted;
        __atomic_store_n(&vm->intr, 0, __ATOMIC_RELAXED);   /* idle: too late */
    }
    if (vm->resume_xt) {          /* a DEFER that ran out of fuel */
        w = vm->resume_xt;
        vm->resume_xt = 0;
        goto exec_w;
    }
    if (vm->resume_tok >= 0) {
        c = vm->resume_tok;
        vm->resume_tok = -1;
        goto *tab[c];
    }
    NEXT;

    /* ---- calling ----------------------------------------------------------- */
/* execute the word whose xt is w: exec_w, and a copy of it in EXECUTE and
 * DEFER's code (a dispatch of their own predicts better) */
#define EXEC_W do { \
        if (likely(ROTR((ucell)w - lo) <= cspan)) \
            cfa = (cell *)(bias + (ucell)w); \
        else if (ROTR((ucell)w - vm->ilo) <= vm->icspan) \
            cfa = (cell *)(vm->ibias + (ucell)w); \
        else if (((ucell)w & (CELL - 1)) || !find_region(vm, (ucell)w, 2 * CELL)) \
            THROW(FVM_E_INVALID_ADDRESS); \
        else \
            cfa = (cell *)(vm->ibias + (ucell)w); \
        c = *cfa; \
        if (likely(c == K_DOCOL)) \
            goto L_DOCOL; \
        if (unlikely((ucell)c >= NTOK)) \
            THROW(FVM_E_INVALID_ADDRESS); \
        goto *tab[c]; \
    } while (0)
exec_w:
    EXEC_W;

L_DOCOL:
    RROOM(1);
    *--rp = (ucell)ip;
    PAYSEG();
    ip = seg = cfa + 1;
    CHARGE;           /* calls pay too: `: w R> drop w ;` never returns */
    NEXT;
L_EXIT:
    RNEED(1);
    JUMP((cell *)*rp);
    rp++;
    CHARGE;
    NEXT;
L_EXECUTE:
    NEED(1);
    w = tos;
    POP();
    EXEC_W;
L_DOCREATE:
    PUSH(ADD(w, 2 * CELL));
    if (cfa[1]) {
        RROOM(1);
        *--rp = (ucell)ip;
        JUMP(CELLP(cfa[1]));
        CHARGE;
    }
    NEXT;
L_DOCON:
    PUSH(cfa[1]);
    NEXT;
L_DO2CON:
    ROOM(2);
    *--sp = tos;
    *--sp = cfa[1];
    tos = cfa[2];
    NEXT;
L_DODEFER:
    w = cfa[1];
    if (unlikely(--fuel < 0)) {   /* CHARGE, remembering the word to run */
        vm->resume_xt = w;
        goto out_of_fuel;
    }
    EXEC_W;
/* (to) ( x xt -- ) and DEFER! ( xt2 xt1 -- ): a VALUE or DEFER of our own
 * here; 2VALUEs, an ancestor's words and errors in dict.c */
#define STORE_BODY(kind, slow) do { \
        if (likely(ROTR((ucell)tos - vm->wlo) < vm->wcspan) && sp <= s0 - 2) { \
            cfa = (cell *)(bias + (ucell)tos); \
            if (likely(cfa[0] == (kind))) { \
                cfa[1] = *sp++; \
                POP(); \
                NEXT; \
            } \
        } \
        SAVE(); \
        rc = slow(vm); \
        LOAD(); \
        if (rc) \
            THROW(rc); \
        NEXT; \
    } while (0)
L_SETTO:
    STORE_BODY(K_DOVALUE, fc_setto);
L_DEFERSTORE:
    STORE_BODY(K_DODEFER, fc_defer_store);
L_DOMARKER:
    vm->marker_xt = w;
    c = T_MARKER;     /* fc_marker restores when marker_xt is set */
    goto L_COLD;
L_DOHOST:
    c = cfa[1];
    if (unlikely((ucell)c >= vm->nhost || !vm->host[c].fn))
        THROW(FVM_E_UNSUPPORTED);
    vm->host_xt = w;
    goto call_host;
L_XOPEN:
    c = HS_OPEN;
    goto call_file;
L_XCLOSE:
    c = HS_CLOSE;
    goto call_file;
L_XREADLINE:
    c = HS_READ_LINE;
    goto call_file;
L_XPOS:
    c = HS_POSITION;
    goto call_file;
L_XREPOS:
    c = HS_REPOSITION;
call_file:
    vm->host_xt = 0;
    if (!vm->host[c].fn) {
        static const signed char in[HS_NFILE] = { 3, 1, 3, 1, 3 }, out[HS_NFILE] = { 2, 1, 3, 3, 1 };
        NEED(in[c]);
        sp += in[c] - 1;
        POP();
        ROOM(out[c]);
        for (int k = 1; k < out[c]; k++)
            PUSH(0);
        PUSH(FVM_E_NO_FILE);
        NEXT;
    }
call_host:
    SAVE();
    rc = vm->host[c].fn(vm, vm->host[c].ctx);
    LOAD();
    if (unlikely(vm->charge))
        goto pay;
    if (likely(rc == 0))
        NEXT;
host_rc:
    if (rc == FVM_PENDING) {
        st = FVM_WAIT;
        goto leave;
    }
    if (rc == FVM_AGAIN && vm->host_xt) {   /* a listing: the word runs again */
        vm->resume_xt = vm->host_xt;
        st = FVM_WAIT;
        goto leave;
    }
    THROW(rc < 0 ? rc : FVM_E_UNSUPPORTED);

L_COLD:
    SAVE();
    rc = cold_fns[c](vm);
    LOAD();
    if (unlikely(vm->charge))
        goto pay_cold;
    if (likely(rc == 0))
        NEXT;
cold_rc:
    if (rc < 0)
        THROW(rc);
    switch (rc) {
    case RC_EXEC:     /* pays like a call: no word runs itself for free */
        w = vm->exec_xt;
        if (unlikely(--fuel < 0)) {
            vm->resume_xt = w;
            goto out_of_fuel;
        }
        goto exec_w;
    case RC_NEED_INPUT:
        vm->resume_tok = (int)c;
        st = FVM_NEED_INPUT;
        goto leave;
    case RC_BLOCKED:
        vm->resume_tok = (int)c;
        st = FVM_WAIT;
        goto leave;
    case RC_HOST:   /* a cold word hands its arguments to a host hook */
        c = vm->host_slot;
        if (unlikely((ucell)c >= HS_NFILE || !vm->host[c].fn))
            THROW(FVM_E_UNSUPPORTED);
        vm->host_xt = 0;
        goto call_host;
    case RC_QUIT:   /* empty the return stack (and its catch frames), keep data */
        rp = r0;
        vm->handler = 0;
        vm->fpd = 0;
        PAYSEG();
        ip = seg = vm->quit_ip;
        SAVE();
        fvmi_reset(vm);
        ft = vm->ftos;
        NEXT;
    default:
        st = FVM_BYE;
        goto leave;
    }

    /* the hot primitives, a concept to a file; the order is run()'s */
#include "run_ctl.h"
#include "run_stack.h"
#include "run_arith.h"
#include "run_super.h"

    /* ---- locals (locals.c) ---------------------------------------------------- */
L_LOCALS: { /* (locals) nargs ntotal */
    ucell na = (ucell)ip[0], nt = (ucell)ip[1];
    if (unlikely(nt > MAX_LOCALS || na > nt))
        THROW(-22);
    NEED((cell)na);
    RROOM((cell)nt + 1);
    rp -= nt + 1;
    rp[nt] = vm->fpd;
    if (na) {
        rp[0] = (ucell)tos;
        for (ucell k = 1; k < na; k++)
            rp[k] = (ucell)sp[k - 1];
        tos = sp[na - 1];
        sp += na;
    }
    for (ucell k = na; k < nt; k++)
        rp[k] = 0;
    vm->fpd = (ucell)(r0 - rp);
    ip += 2;
    NEXT;
}
L_UNLOCALS: { /* (unlocals) ntotal */
    ucell n = (ucell)*ip++, f = vm->fpd;
    if (unlikely(f > (ucell)(r0 - rp) || f < n + 1))
        THROW(-25);
    rp = r0 - f + n;
    vm->fpd = *rp++;
    NEXT;
}
L_LOCFETCH: { /* (local@) k */
    ucell i = vm->fpd - (ucell)*ip++ - 1;
    if (unlikely(i >= (ucell)(r0 - rp)))
        THROW(-25);
    PUSH((cell)r0[-1 - (cell)i]);
    NEXT;
}
L_LOCSTORE: { /* (local!) k */
    NEED(1);
    ucell i = vm->fpd - (ucell)*ip++ - 1;
    if (unlikely(i >= (ucell)(r0 - rp)))
        THROW(-25);
    r0[-1 - (cell)i] = (ucell)tos;
    POP();
    NEXT;
}

    /* ---- floating point --------------------------------------------------------- */
#include "run_float.h"

    /* ---- errors ------------------------------------------------------------- */
e_funder:
    THROW(FVM_E_FSTACK_UNDERFLOW);
e_fover:
    THROW(FVM_E_FSTACK_OVERFLOW);
e_under:
    THROW(FVM_E_STACK_UNDERFLOW);
e_over:
    THROW(FVM_E_STACK_OVERFLOW);
e_runder:
    THROW(FVM_E_RSTACK_UNDERFLOW);
e_rover:
    THROW(FVM_E_RSTACK_OVERFLOW);

interrupted:        /* fvm_interrupt: -28 at this word boundary */
    vm->resume_xt = 0;
    vm->resume_tok = -1;
    code = FVM_E_INTERRUPT;
do_throw:
    SAVE();
    vm->listing = false;          /* a listing that threw is not run again */
    vm->list_skip = 0;
    if (code == FVM_E_INTERRUPT)
        __atomic_store_n(&vm->intr, 0, __ATOMIC_RELAXED);
    fvmi_set_error(vm, code, NULL, 0);
do_rethrow:
    if (vm->handler && vm->handler <= (ucell)(r0 - rlim) && vm->handler >= CF_SIZE) {
        rp = r0 - vm->handler;
        ucell depth = rp[CF_DEPTH], fdepth = rp[CF_FDEPTH];
        cell *nip = (cell *)rp[CF_IP];
        vm->handler = rp[CF_PREV];
        vm->fpd = rp[CF_FP];
        while (vm->nsrc > (int)rp[CF_NSRC] && vm->nsrc > 1)
            fvmi_pop_source(vm);
        rp += CF_SIZE;
        if (depth > (ucell)(s0 - slim - 1) || fdepth > (ucell)(vm->f0 - vm->flim) ||
            !code_ok(vm, nip))
            goto uncaught;
        sp = s0 - depth;
        tos = sp[-1];
        fsp = vm->f0 - fdepth;
        ft = fsp[-1];
        ip = seg = nip;     /* do_throw's SAVE or (rethrow) paid */
        PUSH(code);
        NEXT;
    }
uncaught:
    fvmi_error_word(vm);
    rp = r0;
    sp = s0;
    fsp = vm->f0;
    vm->handler = 0;
    vm->fpd = 0;
    ip = seg = vm->quit_ip;
    fvmi_reset(vm);
    ft = vm->ftos;
    st = FVM_ERROR;
    goto leave;

    /* a word that did work in proportion to its input pays for it */
pay:                /* what this slice cannot pay becomes a debt (out_of_fuel, leave) */
    fuel -= vm->charge;
    vm->charge = 0;
    if (rc != 0)
        goto host_rc;
    if (fuel < 0)
        goto out_of_fuel;
    NEXT;
pay_cold:
    fuel -= vm->charge;
    vm->charge = 0;
    if (rc != 0)
        goto cold_rc;
    if (fuel < 0)
        goto out_of_fuel;
    NEXT;

out_of_fuel:        /* at a word boundary: ip (or resume_xt) is what comes next */
    if (fuel < -1)                       /* a segment or a charge overran: a debt */
        fvmi_add_debt(vm, -1 - fuel);    /* (the unit that found fuel out is let go) */
    fuel = 0;
    if (unlikely(__atomic_load_n(&vm->intr, __ATOMIC_RELAXED)))
        goto interrupted;
    if (vm->charge && budget > 0) {      /* a debt: the rest of the budget pays */
        long d = vm->charge < budget ? vm->charge : budget;
        budget -= d;
        vm->charge -= d;
    }
    if (budget > 0) {
        fuel = budget < FVM_INTR_SLICE ? budget : FVM_INTR_SLICE;
        budget -= fuel;
        if (vm->resume_xt) {
            w = vm->resume_xt;
            vm->resume_xt = 0;
            goto exec_w;
        }
        NEXT;
    }
    st = FVM_OUT_OF_FUEL;
leave:
    SAVE();
    if (fuel < -1)
        fvmi_add_debt(vm, -1 - fuel);
    if (vm->nout && fvmi_flush(vm)) {
        vm->deferred = (int)st;
        return FVM_WAIT;
    }
    return st;
}

/* fvm_run: the inner interpreter, plus feeding the rest of an fvm_eval()
 * text whenever the QUIT loop asks for a line. */
fvm_status_t fvm_run(fvm_t *vm, long fuel)
{
    for (;;) {
        fvm_status_t st = run(vm, fuel);
        if (!vm->eval_active)
            return st;
        if (st == FVM_NEED_INPUT) {
            if (vm->eval_len) {
                size_t k = fvm_input(vm, vm->eval_text, vm->eval_len);
                vm->eval_text += k;
                vm->eval_len -= k;
                if (k)
                    continue;
            } else if (vm->tq_len > vm->tq_line && !vm->eval_ended) {
                vm->eval_ended = true;   /* end the last line */
                if (fvm_input(vm, "\n", 1))
                    continue;
            } else if (vm->want == FVM_WANT_LINE) {
                vm->eval_active = false;
                return FVM_DONE;
            }
            return st;
        }
        if (st == FVM_ERROR) {
            vm->tq_len = vm->tq_line = 0;
            vm->eval_active = false;
        }
        if (st == FVM_BYE)
            vm->eval_active = false;
        return st;
    }
}
