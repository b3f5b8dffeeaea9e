/*
 * run.c -- the inner interpreter: fvm_run().
 *
 * Token threading with computed goto; the top of the data stack lives in a
 * local (tos).  Cost of safety per primitive: one compare for each stack
 * bound it can cross, one compare (after a rotate) for each memory access,
 * one for each jump target.  Fuel is charged on EXIT and taken branches --
 * every loop and every recursion passes one of them.
 *
 * Only primitives that are hot live here; the rest are C functions (the
 * "cold" ones) called with the registers saved in the VM.
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
static bool code_ok(const fvm_t *vm, const cell *p)
{
    uintptr_t u = (uintptr_t)p;
    if (u & (CELL - 1))
        return false;
    if (u - (uintptr_t)vm->mem < vm->hi - vm->lo)
        return true;
    for (int i = 0; i < vm->nimg; i++)
        if (u - (vm->img[i].bias + vm->img[i].lo) < vm->img[i].hi - vm->img[i].lo)
            return true;
    return false;
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
/* the float stack stays in the struct: as locals its pointer and top
 * would cost the integer primitives registers (callgrind: tak +9%) */
#define fsp (vm->fsp)
#define ft (vm->ftos)
    ucell *rp;
    cell *const s0 = vm->s0, *const slim = vm->slim;
    ucell *const r0 = vm->r0, *const rlim = vm->rlim;
    const uintptr_t bias = vm->bias;
    const ucell lo = vm->lo, span = vm->hi - vm->lo;
    const ucell cspan = (span - CELL) >> LOG2_CELL;
    /* the writable range's bounds are read from the struct at each check:
     * as locals they would be spilled and recomputed, 4 instructions each */
    vm->wspan = vm->hi - vm->wlo;
    vm->wcspan = (vm->wspan - CELL) >> LOG2_CELL;
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

#define SAVE() (vm->ip = ip, vm->sp = sp, vm->tos = tos, vm->rp = rp)
#define LOAD() (ip = vm->ip, sp = vm->sp, tos = vm->tos, rp = vm->rp)
#define THROW(n) do { code = (n); goto do_throw; } while (0)
/* Stack checks compare pointers (no element count: one shift less each);
 * n is a constant or bounded small (never a program's number). */
#define NEED(n) do { if (unlikely(sp > s0 - (n))) goto e_under; } while (0)
#define ROOM(n) do { if (unlikely(sp < slim + (n))) goto e_over; } while (0)
#define PUSH(x) do { cell x_ = (x); ROOM(1); *--sp = tos; tos = x_; } while (0)
#define POP() (tos = *sp++)
#define RNEED(n) do { if (unlikely(rp > r0 - (n))) goto e_runder; } while (0)
#define RROOM(n) do { if (unlikely(rp < rlim + (n))) goto e_rover; } while (0)
#define NEXT do { c = *ip++; if (likely((ucell)c < NPRIM)) goto *tab[c]; w = c; goto exec_w; } while (0)
#define CHARGE do { if (unlikely(--fuel < 0)) goto out_of_fuel; } while (0)
#define JUMP(p) do { cell *_t = (p); \
        if (unlikely(ROTR((uintptr_t)_t - mbase) > cspan) && !code_ok(vm, _t)) THROW(FVM_E_INVALID_ADDRESS); \
        ip = _t; } while (0)
#define CELLP(a) ({ ucell _a = (ucell)(a); cell *_p; \
        if (likely(ROTR(_a - lo) <= cspan)) { _p = (cell *)(bias + _a); } \
        else { _p = slow_addr(vm, _a, CELL, true, &code); if (!_p) goto do_throw; } _p; })
#define BYTEP(a) ({ ucell _a = (ucell)(a); unsigned char *_p; \
        if (likely(_a - lo < span)) { _p = (unsigned char *)(bias + _a); } \
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
        else if (!(cfa = vm_addr(vm, (ucell)w, 2 * CELL)) || ((ucell)w & (CELL - 1))) \
            THROW(FVM_E_INVALID_ADDRESS); \
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
    ip = cfa + 1;
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
    case RC_EXEC:
        w = vm->exec_xt;
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
        ip = vm->quit_ip;
        SAVE();
        fvmi_reset(vm);
        NEXT;
    default:
        st = FVM_BYE;
        goto leave;
    }

    /* ---- inline machinery -------------------------------------------------- */
L_LIT:
    PUSH(*ip++);
    NEXT;
L_BRANCH:
    JUMP((cell *)((char *)ip + *ip));
    CHARGE;
    NEXT;
L_ZBRANCH:
    NEED(1);
    w = tos;
    POP();
    if (w) {
        ip++;
        NEXT;
    }
    JUMP((cell *)((char *)ip + *ip));
    CHARGE;
    NEXT;
L_DO:
    NEED(2);
    RROOM(2);
    rp -= 2;
    rp[1] = (ucell)sp[0];
    rp[0] = (ucell)tos;
    sp++;
    POP();
    NEXT;
L_QDO: /* (?do) offset-to-loop-exit */
    NEED(2);
    if (sp[0] == tos) {
        sp++;
        POP();
        JUMP((cell *)((char *)ip + *ip));
        NEXT;
    }
    ip++;
    goto L_DO;
L_LOOP:
    RNEED(2);
    w = ADD(rp[0], 1);
    if (w != (cell)rp[1]) {
        rp[0] = (ucell)w;
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
L_PLOOP: {
    NEED(1);
    RNEED(2);
    ucell x = rp[0] - rp[1], x2 = x + (ucell)tos;
    bool done = tos >= 0 ? x2 < x : x2 > x;
    rp[0] += (ucell)tos;
    POP();
    if (!done) {
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
}
L_UNLOOP:
    RNEED(2);
    rp += 2;
    NEXT;
L_I:
    RNEED(1);
    PUSH((cell)rp[0]);
    NEXT;
L_J:
    RNEED(3);
    PUSH((cell)rp[2]);
    NEXT;
L_HALT:
    ip = vm->quit_ip;
    st = FVM_DONE;
    goto leave;
L_GUARD:
    THROW(FVM_E_INVALID_ADDRESS);
L_SLIT: /* (s") len chars...  /  (c") len count chars... */
L_CLIT: {
    ucell n = (ucell)*ip, skip = (n + CELL - 1) & ~(ucell)(CELL - 1);
    cell a = (cell)((uintptr_t)(ip + 1) - bias);
    if (n > span)
        THROW(FVM_E_INVALID_ADDRESS);
    if ((uintptr_t)(ip + 1) - mbase >= span)   /* in an ancestor's image */
        a = (cell)fvmi_virt(vm, ip + 1);
    JUMP((cell *)((char *)(ip + 1) + skip));
    if (c == T_SLIT) {
        ROOM(2);
        *--sp = tos;
        *--sp = a;
        tos = (cell)n;
    } else {
        PUSH(a);
    }
    NEXT;
}
L_DOES_RT: /* in a defining word: the latest word runs the code after this */
    if (!vm->latest || !fvmi_xt_ok(vm, vm->latest))
        THROW(-31);
    cfa = CELLW(vm->latest);
    (void)CELLW(vm->latest + CELL);
    if (*cfa != K_DOCREATE)
        THROW(-31);
    cfa[1] = (cell)fvmi_virt(vm, ip);
    goto L_EXIT;
L_CATCH:
    NEED(1);
    RROOM(CF_SIZE);
    w = tos;
    POP();
    rp -= CF_SIZE;
    rp[CF_IP] = (ucell)ip;
    rp[CF_PREV] = vm->handler;
    rp[CF_DEPTH] = (ucell)(s0 - sp);
    sp[-1] = tos;     /* THROW takes the top item back from this slot */
    rp[CF_NSRC] = (ucell)vm->nsrc;
    rp[CF_FP] = vm->fpd;
    rp[CF_FDEPTH] = (ucell)(vm->f0 - fsp);
    fsp[-1] = ft;     /* as for the data stack (flim[-1] is a spare slot) */
    vm->handler = (ucell)(r0 - rp);
    ip = fvmi_sysvar(vm, V_UNCATCH);
    goto exec_w;
L_UNCATCH:
    if (vm->handler != (ucell)(r0 - rp))
        THROW(-25);
    vm->handler = rp[CF_PREV];
    JUMP((cell *)rp[CF_IP]);
    vm->fpd = rp[CF_FP];
    rp += CF_SIZE;
    PUSH(0);
    NEXT;
L_THROW:
    NEED(1);
    code = (int)tos;
    if (tos != code)
        code = -24;
    POP();
    if (!code)
        NEXT;
    goto do_throw;
L_RETHROW:
    NEED(1);
    code = (int)tos;
    POP();
    if (!code)
        NEXT;
    goto do_rethrow;
L_INTERP:
    NEED(2);
    SAVE();
    rc = fvmi_interpret(vm);
    LOAD();
    if (rc == RC_EXEC) {
        w = vm->exec_xt;
        goto exec_w;
    }
    if (rc)
        THROW(rc);
    NEXT;
L_BYE:
    st = FVM_BYE;
    goto leave;

    /* ---- stack ------------------------------------------------------------- */
L_DUP:
    NEED(1);
    PUSH(tos);
    NEXT;
L_DROP:
    NEED(1);
    POP();
    NEXT;
L_SWAP:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = w;
    NEXT;
L_OVER:
    NEED(2);
    PUSH(sp[0]);
    NEXT;
L_ROT:
    NEED(3);
    w = sp[1];
    sp[1] = sp[0];
    sp[0] = tos;
    tos = w;
    NEXT;
L_MROT:
    NEED(3);
    w = sp[1];
    sp[1] = tos;
    tos = sp[0];
    sp[0] = w;
    NEXT;
L_NIP:
    NEED(2);
    sp++;
    NEXT;
L_TUCK:
    NEED(2);
    ROOM(1);
    w = sp[0];
    *--sp = w;
    sp[1] = tos;
    NEXT;
L_QDUP:
    NEED(1);
    if (tos)
        PUSH(tos);
    NEXT;
L_TWODUP:
    NEED(2);
    ROOM(2);
    w = sp[0];
    *--sp = tos;
    *--sp = w;
    NEXT;
L_TWODROP:
    NEED(2);
    sp++;
    POP();
    NEXT;
L_TWOSWAP:
    NEED(4);
    w = sp[1];
    sp[1] = tos;
    tos = w;
    w = sp[2];
    sp[2] = sp[0];
    sp[0] = w;
    NEXT;
L_TWOOVER:
    NEED(4);
    ROOM(2);
    sp -= 2;
    sp[1] = tos;
    sp[0] = sp[4];
    tos = sp[3];
    NEXT;
L_PICK:
    NEED(1);
    if (unlikely((ucell)tos >= (ucell)(s0 - sp - 1)))
        goto e_under;
    tos = sp[tos];
    NEXT;
L_ROLL: {
    NEED(1);
    ucell n = (ucell)tos;
    if (unlikely(n >= (ucell)(s0 - sp - 1)))
        goto e_under;
    POP();
    if (n) {
        w = sp[n - 1];
        for (ucell k = n - 1; k > 0; k--)
            sp[k] = sp[k - 1];
        sp[0] = tos;
        tos = w;
    }
    NEXT;
}
L_DEPTH:
    PUSH((cell)(s0 - sp));
    NEXT;
L_TOR:
    NEED(1);
    RROOM(1);
    *--rp = (ucell)tos;
    POP();
    NEXT;
L_RFROM:
    RNEED(1);
    PUSH((cell)*rp);
    rp++;
    NEXT;
L_RFETCH:
    RNEED(1);
    PUSH((cell)*rp);
    NEXT;
L_TWOTOR:
    NEED(2);
    RROOM(2);
    rp -= 2;
    rp[1] = (ucell)sp[0];
    rp[0] = (ucell)tos;
    sp++;
    POP();
    NEXT;
L_TWORFROM:
    RNEED(2);
    ROOM(2);
    *--sp = tos;
    *--sp = (cell)rp[1];
    tos = (cell)rp[0];
    rp += 2;
    NEXT;
L_TWORFETCH:
    RNEED(2);
    ROOM(2);
    *--sp = tos;
    *--sp = (cell)rp[1];
    tos = (cell)rp[0];
    NEXT;

    /* ---- arithmetic --------------------------------------------------------- */
#define BINOP(expr) NEED(2); w = *sp++; tos = (expr); NEXT
L_PLUS:  BINOP(ADD(w, tos));
L_MINUS: BINOP(SUB(w, tos));
L_STAR:  BINOP((cell)((ucell)w * (ucell)tos));
L_AND:   BINOP(w & tos);
L_OR:    BINOP(w | tos);
L_XOR:   BINOP(w ^ tos);
L_EQ:    BINOP(FLAG(w == tos));
L_NE:    BINOP(FLAG(w != tos));
L_LT:    BINOP(FLAG(w < tos));
L_GT:    BINOP(FLAG(w > tos));
L_ULT:   BINOP(FLAG((ucell)w < (ucell)tos));
L_UGT:   BINOP(FLAG((ucell)w > (ucell)tos));
L_MIN:   BINOP(w < tos ? w : tos);
L_MAX:   BINOP(w > tos ? w : tos);
L_LSHIFT: BINOP((ucell)tos >= (ucell)CELL_BITS ? 0 : (cell)((ucell)w << tos));
L_RSHIFT: BINOP((ucell)tos >= (ucell)CELL_BITS ? 0 : (cell)((ucell)w >> tos));
#define DIVCHK do { NEED(2); if (unlikely(tos == 0)) THROW(FVM_E_DIV_ZERO); } while (0)
L_SLASH:
    DIVCHK;
    w = *sp++;
    tos = tos == -1 ? SUB(0, w) : w / tos;
    NEXT;
L_MOD:
    DIVCHK;
    w = *sp++;
    tos = tos == -1 ? 0 : w % tos;
    NEXT;
L_SLMOD:
    DIVCHK;
    w = sp[0];
    if (tos == -1) {
        sp[0] = 0;
        tos = SUB(0, w);
    } else {
        sp[0] = w % tos;
        tos = w / tos;
    }
    NEXT;
L_STARSLASH:
L_STARSLMOD: {
    NEED(3);
    if (tos == 0)
        THROW(FVM_E_DIV_ZERO);
    dcell p = (dcell)sp[1] * sp[0], q = tos == -1 ? -p : p / tos, r = tos == -1 ? 0 : p % tos;
    if (q != (cell)q)
        THROW(-11);
    sp += 1;
    if (c == T_STARSLASH) {
        sp++;
        tos = (cell)q;
    } else {
        sp[0] = (cell)r;
        tos = (cell)q;
    }
    NEXT;
}
L_UMSTAR: {
    NEED(2);
    udcell p = (udcell)(ucell)sp[0] * (ucell)tos;
    sp[0] = (cell)(ucell)p;
    tos = (cell)(ucell)(p >> CELL_BITS);
    NEXT;
}
L_MSTAR: {
    NEED(2);
    dcell p = (dcell)sp[0] * tos;
    sp[0] = (cell)(ucell)p;
    tos = (cell)(ucell)((udcell)p >> CELL_BITS);
    NEXT;
}
L_UMSLMOD: {
    NEED(3);
    if (tos == 0)
        THROW(FVM_E_DIV_ZERO);
    udcell n = ((udcell)(ucell)sp[0] << CELL_BITS) | (ucell)sp[1];
    if ((ucell)sp[0] >= (ucell)tos)
        THROW(-11);
    sp++;
    sp[0] = (cell)(ucell)(n % (ucell)tos);
    tos = (cell)(ucell)(n / (ucell)tos);
    NEXT;
}
L_SMREM:
L_FMMOD: {
    NEED(3);
    if (tos == 0)
        THROW(FVM_E_DIV_ZERO);
    dcell n = dmake(sp[1], sp[0]), q, r;
    if (tos == -1) {
        if (n == (dcell)((udcell)1 << (2 * CELL_BITS - 1)))
            THROW(-11);
        q = -n;
        r = 0;
    } else {
        q = n / tos;
        r = n % tos;
        if (c == T_FMMOD && r != 0 && ((r < 0) != (tos < 0))) {
            q -= 1;
            r += tos;
        }
    }
    if (q != (cell)q)
        THROW(-11);
    sp++;
    sp[0] = (cell)r;
    tos = (cell)q;
    NEXT;
}
L_NEGATE:   NEED(1); tos = SUB(0, tos); NEXT;
L_ABS:      NEED(1); if (tos < 0) tos = SUB(0, tos); NEXT;
L_ONEPLUS:  NEED(1); tos = ADD(tos, 1); NEXT;
L_ONEMINUS: NEED(1); tos = SUB(tos, 1); NEXT;
L_TWOSTAR:  NEED(1); tos = (cell)((ucell)tos << 1); NEXT;
L_TWOSLASH: NEED(1); tos >>= 1; NEXT;
L_INVERT:   NEED(1); tos = ~tos; NEXT;
L_CELLS:    NEED(1); tos = (cell)((ucell)tos * CELL); NEXT;
L_CELLPLUS: NEED(1); tos = ADD(tos, CELL); NEXT;
L_CHARPLUS: NEED(1); tos = ADD(tos, 1); NEXT;
L_CHARS:    NEED(1); NEXT;
L_ALIGNED:  NEED(1); tos = (cell)(((ucell)tos + CELL - 1) & ~(ucell)(CELL - 1)); NEXT;
L_STOD:     NEED(1); PUSH(tos < 0 ? -1 : 0); NEXT;
L_DPLUS: {
    NEED(4);
    udcell a = ((udcell)(ucell)sp[1] << CELL_BITS) | (ucell)sp[2];
    udcell b = ((udcell)(ucell)tos << CELL_BITS) | (ucell)sp[0];
    a += b;
    sp += 2;
    sp[0] = (cell)(ucell)a;
    tos = (cell)(ucell)(a >> CELL_BITS);
    NEXT;
}
L_DNEGATE: {
    NEED(2);
    udcell a = ((udcell)(ucell)tos << CELL_BITS) | (ucell)sp[0];
    a = 0 - a;
    sp[0] = (cell)(ucell)a;
    tos = (cell)(ucell)(a >> CELL_BITS);
    NEXT;
}
L_ZEQ:  NEED(1); tos = FLAG(tos == 0); NEXT;
L_ZLT:  NEED(1); tos = FLAG(tos < 0); NEXT;
L_ZNE:  NEED(1); tos = FLAG(tos != 0); NEXT;
L_ZGT:  NEED(1); tos = FLAG(tos > 0); NEXT;
L_WITHIN:
    NEED(3);
    w = sp[1];
    tos = FLAG((ucell)SUB(w, sp[0]) < (ucell)SUB(tos, sp[0]));
    sp += 2;
    NEXT;
L_TRUE:  PUSH(-1); NEXT;
L_FALSE: PUSH(0); NEXT;

    /* ---- memory ------------------------------------------------------------- */
L_FETCH:
    NEED(1);
    tos = *CELLP(tos);
    NEXT;
L_STORE:
    NEED(2);
    *CELLW(tos) = sp[0];
    sp++;
    POP();
    NEXT;
L_CFETCH:
    NEED(1);
    tos = *BYTEP(tos);
    NEXT;
L_CSTORE:
    NEED(2);
    *BYTEW(tos) = (unsigned char)sp[0];
    sp++;
    POP();
    NEXT;
L_PSTORE: {
    NEED(2);
    cell *p = CELLW(tos);
    *p = ADD(*p, sp[0]);
    sp++;
    POP();
    NEXT;
}
L_TWOFETCH: {
    NEED(1);
    ROOM(1);
    cell *p = CELLP(tos), *q = CELLP(ADD(tos, CELL));
    *--sp = *q;
    tos = *p;
    NEXT;
}
L_TWOSTORE: {
    NEED(3);
    cell *p = CELLW(tos), *q = CELLW(ADD(tos, CELL));
    *p = sp[0];
    *q = sp[1];
    sp += 2;
    POP();
    NEXT;
}
L_COUNT:
    NEED(1);
    ROOM(1);
    w = *BYTEP(tos);
    *--sp = ADD(tos, 1);
    tos = w;
    NEXT;
L_BASE:  PUSH((cell)(vm->sysv + V_BASE * CELL)); NEXT;
L_STATE: PUSH((cell)(vm->sysv + V_STATE * CELL)); NEXT;
L_TOIN:  PUSH((cell)(vm->sysv + V_TOIN * CELL)); NEXT;
L_HERE:  PUSH((cell)vm->here); NEXT;

    /* ---- superinstructions (peep.c) ----------------------------------------- */
#define LITOP(expr) NEED(1); w = *ip++; tos = (expr); NEXT
L_LITPLUS:  LITOP(ADD(tos, w));
L_LITMINUS: LITOP(SUB(tos, w));
L_LITSTAR:  LITOP((cell)((ucell)tos * (ucell)w));
L_LITAND:   LITOP(tos & w);
L_LITEQ:    LITOP(FLAG(tos == w));
L_LITNE:    LITOP(FLAG(tos != w));
L_LITLT:    LITOP(FLAG(tos < w));
L_LITGT:    LITOP(FLAG(tos > w));
    /* branch unless cond(second, top) */
#define CMP0BR(cond) NEED(2); w = *sp++; c = (cond); POP(); \
    if (c) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT
L_EQ0BR:  CMP0BR(w == tos);
L_NE0BR:  CMP0BR(w != tos);
L_LT0BR:  CMP0BR(w < tos);
L_GT0BR:  CMP0BR(w > tos);
L_ULT0BR: CMP0BR((ucell)w < (ucell)tos);
#define TEST0BR(cond) NEED(1); c = (cond); POP(); \
    if (c) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT
L_ZEQ0BR: TEST0BR(tos == 0);
L_ZLT0BR: TEST0BR(tos < 0);
L_ZGT0BR: TEST0BR(tos > 0);
    /* (lit-cmp0branch) x off */
#define LITCMP0BR(cond) NEED(1); w = ip[0]; c = (cond); POP(); \
    if (c) { ip += 2; NEXT; } JUMP((cell *)((char *)(ip + 1) + ip[1])); CHARGE; NEXT
L_LITEQ0BR: LITCMP0BR(tos == w);
L_LITNE0BR: LITCMP0BR(tos != w);
L_LITLT0BR: LITCMP0BR(tos < w);
L_LITGT0BR: LITCMP0BR(tos > w);

L_ICFETCH:
    RNEED(1);
    PUSH(*BYTEP(rp[0]));
    NEXT;
L_ICSTORE:
    NEED(1);
    RNEED(1);
    *BYTEW(rp[0]) = (unsigned char)tos;
    POP();
    NEXT;
L_IFETCH:
    RNEED(1);
    PUSH(*CELLP(rp[0]));
    NEXT;
L_IPLUS:
    NEED(1);
    RNEED(1);
    tos = ADD(tos, rp[0]);
    NEXT;
L_DUPPLOOP: { /* DUP +LOOP: the step stays on the stack */
    NEED(1);
    RNEED(2);
    ucell x = rp[0] - rp[1], x2 = x + (ucell)tos;
    bool done = tos >= 0 ? x2 < x : x2 > x;
    rp[0] += (ucell)tos;
    if (!done) {
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
}
L_LITFETCH:
    PUSH(*CELLP(*ip));
    ip++;
    NEXT;
L_LITSTORE:
    NEED(1);
    *CELLW(*ip) = tos;
    ip++;
    POP();
    NEXT;
L_LITPSTORE: {
    NEED(1);
    cell *p = CELLW(*ip);
    *p = ADD(*p, tos);
    ip++;
    POP();
    NEXT;
}
L_OVERPLUS:
    NEED(2);
    tos = ADD(tos, sp[0]);
    NEXT;
L_CELLSPLUS:
    NEED(2);
    w = *sp++;
    tos = (cell)((ucell)w + (ucell)tos * CELL);
    NEXT;
L_RFROMDROP:
L_RDROP:
    RNEED(1);
    rp++;
    NEXT;
L_GE: BINOP(FLAG(w >= tos));
L_LE: BINOP(FLAG(w <= tos));
L_GE0BR: CMP0BR(w >= tos);
L_LE0BR: CMP0BR(w <= tos);
L_ICFETCH0BR:
    RNEED(1);
    if (*BYTEP(rp[0])) {
        ip++;
        NEXT;
    }
    JUMP((cell *)((char *)ip + *ip));
    CHARGE;
    NEXT;
L_TWODUPLT: NEED(2); PUSH(FLAG(sp[0] < tos)); NEXT;
L_TWODUPGT: NEED(2); PUSH(FLAG(sp[0] > tos)); NEXT;
    /* branch unless cond, without popping */
#define KEEP0BR(cond) if (cond) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT
L_TWODUPLT0BR: NEED(2); KEEP0BR(sp[0] < tos);
L_TWODUPGT0BR: NEED(2); KEEP0BR(sp[0] > tos);
L_DUPZEQ: NEED(1); PUSH(FLAG(tos == 0)); NEXT;
L_DUPZLT: NEED(1); PUSH(FLAG(tos < 0)); NEXT;
L_DUPZGT: NEED(1); PUSH(FLAG(tos > 0)); NEXT;
L_DUPZEQ0BR: NEED(1); KEEP0BR(tos == 0);
L_DUPZLT0BR: NEED(1); KEEP0BR(tos < 0);
L_DUPZGT0BR: NEED(1); KEEP0BR(tos > 0);
L_DUPLIT: /* two PUSHes: one double store of tos would be vectorized, to the cost of all */
    NEED(1);
    PUSH(tos);
    PUSH(*ip++);
    NEXT;
L_DUPLITLT: NEED(1); w = *ip++; PUSH(FLAG(tos < w)); NEXT;
L_DUPLITGT: NEED(1); w = *ip++; PUSH(FLAG(tos > w)); NEXT;
L_DUPLITEQ: NEED(1); w = *ip++; PUSH(FLAG(tos == w)); NEXT;
    /* (dup-lit-cmp0branch) x off: branch unless cond(top, x), keep top */
#define DUPLITCMP0BR(cond) NEED(1); w = ip[0]; \
    if (cond) { ip += 2; NEXT; } JUMP((cell *)((char *)(ip + 1) + ip[1])); CHARGE; NEXT
L_DUPLITLT0BR: DUPLITCMP0BR(tos < w);
L_DUPLITGT0BR: DUPLITCMP0BR(tos > w);
L_DUPLITEQ0BR: DUPLITCMP0BR(tos == w);
L_LITPLOOP: { /* (lit-+loop) n off */
    RNEED(2);
    w = *ip++;
    ucell x = rp[0] - rp[1], x2 = x + (ucell)w;
    bool done = w >= 0 ? x2 < x : x2 > x;
    rp[0] += (ucell)w;
    if (!done) {
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
}
L_OVERFETCH:
    NEED(2);
    PUSH(*CELLP(sp[0]));
    NEXT;
L_RFROMPLUS:
    RNEED(1);
    NEED(1);
    tos = ADD(tos, *rp);
    rp++;
    NEXT;
L_RFROMPLUSTOR: /* R> + >R */
    RNEED(1);
    NEED(1);
    rp[0] = (ucell)ADD(rp[0], tos);
    POP();
    NEXT;
L_SWAPCELLPLUS:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = ADD(w, CELL);
    NEXT;
L_UNDERCELLPLUS:
    NEED(2);
    sp[0] = ADD(sp[0], CELL);
    NEXT;
L_LITPICK: /* (lit-pick) n: n PICK, n < depth */
    w = *ip++;
    if (unlikely((ucell)w >= (ucell)(s0 - sp)))
        goto e_under;
    ROOM(1);
    *--sp = tos;
    tos = sp[w];
    NEXT;
L_NIPNIP:
    NEED(3);
    sp += 2;
    NEXT;
L_ISTORE:
    NEED(1);
    RNEED(1);
    *CELLW(rp[0]) = tos;
    POP();
    NEXT;
L_ICELLPLUS:
    RNEED(1);
    PUSH(ADD(rp[0], CELL));
    NEXT;
L_ICELLFETCH:
    RNEED(1);
    PUSH(*CELLP(ADD(rp[0], CELL)));
    NEXT;
L_ICELLSTORE:
    NEED(1);
    RNEED(1);
    *CELLW(ADD(rp[0], CELL)) = tos;
    POP();
    NEXT;
L_CELLSLIT:
    NEED(1);
    ROOM(1);
    *--sp = (cell)((ucell)tos * CELL);
    tos = *ip++;
    NEXT;
L_CELLSLITPLUS:
    NEED(1);
    tos = (cell)((ucell)tos * CELL + (ucell)*ip++);
    NEXT;
L_ACELLFETCH: /* CELLS x + @ */
    NEED(1);
    tos = *CELLP((ucell)tos * CELL + (ucell)*ip);
    ip++;
    NEXT;
L_ACELLSTORE: /* CELLS x + ! */
    NEED(2);
    *CELLW((ucell)tos * CELL + (ucell)*ip) = sp[0];
    ip++;
    sp++;
    POP();
    NEXT;

L_LITI:
    RNEED(1);
    ROOM(2);
    *--sp = tos;
    *--sp = *ip++;
    tos = (cell)rp[0];
    NEXT;
L_LITICSTORE: /* x I C! */
    RNEED(1);
    *BYTEW(rp[0]) = (unsigned char)*ip;
    ip++;
    NEXT;
L_LITISTORE: /* x I ! */
    RNEED(1);
    *CELLW(rp[0]) = *ip;
    ip++;
    NEXT;
L_NIP3:
    NEED(4);
    sp += 3;
    NEXT;
L_LITPICKONEMINUS: /* n PICK 1- */
    w = *ip++;
    if (unlikely((ucell)w >= (ucell)(s0 - sp)))
        goto e_under;
    ROOM(1);
    *--sp = tos;
    tos = SUB(sp[w], 1);
    NEXT;
L_OVERFETCHSTAR: /* OVER @ * */
    NEED(2);
    tos = (cell)((ucell)tos * (ucell)*CELLP(sp[0]));
    NEXT;
L_DUPONEMINUS:
    NEED(1);
    PUSH(SUB(tos, 1));
    NEXT;
L_SWAPLIT:
    NEED(2);
    ROOM(1);
    w = sp[0];
    sp[0] = tos;
    *--sp = w;
    tos = *ip++;
    NEXT;
L_SWAPLITMINUS:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = SUB(w, *ip);
    ip++;
    NEXT;
L_SWAPLITPLUS:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = ADD(w, *ip);
    ip++;
    NEXT;
L_OVERLIT:
    NEED(2);
    ROOM(2);
    w = sp[0];
    *--sp = tos;
    *--sp = w;
    tos = *ip++;
    NEXT;
L_OVERLITEQ:
    NEED(2);
    PUSH(FLAG(sp[0] == *ip));
    ip++;
    NEXT;
L_OVERLITEQOR: /* OVER x = OR */
    NEED(2);
    tos |= FLAG(sp[0] == *ip);
    ip++;
    NEXT;

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
        ip = nip;
        PUSH(code);
        NEXT;
    }
uncaught:
    rp = r0;
    sp = s0;
    fsp = vm->f0;
    vm->handler = 0;
    vm->fpd = 0;
    ip = vm->quit_ip;
    fvmi_reset(vm);
    st = FVM_ERROR;
    goto leave;

    /* a word that did work in proportion to its input pays for it */
pay:
    fuel -= vm->charge;
    vm->charge = fuel < 0 ? -fuel : 0;   /* what this slice cannot pay: a debt */
    if (rc != 0)
        goto host_rc;
    if (fuel < 0)
        goto out_of_fuel;
    NEXT;
pay_cold:
    fuel -= vm->charge;
    vm->charge = fuel < 0 ? -fuel : 0;
    if (rc != 0)
        goto cold_rc;
    if (fuel < 0)
        goto out_of_fuel;
    NEXT;

out_of_fuel:        /* at a word boundary: ip (or resume_xt) is what comes next */
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
