/*
 * vm.c -- building a VM in the host's block, and the embedding API
 * (stacks, memory, host words, eval/execute).
 */
#include "fvm_int.h"

/* The primitives' names, NUL-separated in token order, and their flags. */
static const char prim_names[] =
#define P(id, nm, fl) nm "\0"
#define C(id, nm, fl, fn) nm "\0"
    FVM_PRIMS
#undef P
#undef C
    ;
static const unsigned char prim_flags[NPRIM] = {
#define P(id, nm, fl) [T_##id] = fl,
#define C(id, nm, fl, fn) [T_##id] = fl,
    FVM_PRIMS
#undef P
#undef C
};

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static bool name_same(const char *a, const char *b, ucell n)
{
    for (ucell i = 0; i < n; i++)
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
            return false;
    return true;
}

static uintptr_t align16(uintptr_t p) { return (p + 15) & ~(uintptr_t)15; }

static ucell clamp_size(size_t v, ucell lo, ucell hi)
{
    return v < lo ? lo : v > hi ? hi : (ucell)v & ~(ucell)15;
}

/* A colon definition from a cell array (bootstrap words only). */
static int asm_word(fvm_t *vm, const char *name, const cell *code, int n, cell *xt)
{
    TRY(fvmi_header(vm, name, slen(name), K_DOCOL, xt));
    for (int i = 0; i < n; i++)
        TRY(fvmi_comma(vm, code[i]));
    return 0;
}

static int bootstrap(fvm_t *vm)
{
    const char *name = prim_names;
    for (int t = 0; t < NPRIM; t++) {
        cell xt;
        size_t n = slen(name);
        TRY(fvmi_header(vm, name, n, t, &xt));
        *(cell *)(vm->bias + (ucell)xt - 2 * CELL) |= (cell)prim_flags[t] << 8;
        vm->prim_xt[t] = xt;
        name += n + 1;
    }
    /* INTERPRET  BEGIN PARSE-NAME DUP WHILE (interpret) REPEAT 2DROP ; */
    const cell interp[] = {
        T_PARSENAME, T_DUP, T_ZBRANCH, 4 * CELL, T_INTERP, T_BRANCH, -6 * CELL,
        T_TWODROP, T_EXIT,
    };
    cell interp_xt, quit_xt;
    TRY(asm_word(vm, "INTERPRET", interp, 9, &interp_xt));
    /* (quit)  BEGIN (refill-quit) WHILE INTERPRET REPEAT BYE AGAIN */
    const cell quit[] = {
        T_REFILLQUIT, T_ZBRANCH, 4 * CELL, interp_xt, T_BRANCH, -5 * CELL,
        T_BYE, T_BRANCH, -8 * CELL,
    };
    TRY(asm_word(vm, "(quit)", quit, 9, &quit_xt));
    vm->quit_body = quit_xt + CELL;
    return 0;
}

/* Lay a VM out in mem: struct, host table, stacks, addressable region
 * starting at virtual vbase with at least min_dict bytes of dictionary. */
fvm_t *fvmi_layout(void *mem, size_t size, const fvm_config_t *cfg, ucell vbase, ucell min_dict)
{
    if (!mem || size < sizeof(fvm_t) + 64)
        return NULL;
    /* the same layout wherever mem is, whatever its alignment (images) */
    uintptr_t p = align16((uintptr_t)mem), end = p + ((size - 15) & ~(size_t)15);
    fvm_t *vm = (fvm_t *)p;
    __builtin_memset(vm, 0, sizeof *vm);
    p = align16(p + sizeof *vm);
    vm->cfg = *cfg;
    unsigned nd = cfg->dstack_cells ? cfg->dstack_cells : 256;
    unsigned nr = cfg->rstack_cells ? cfg->rstack_cells : 256;
    unsigned nf = cfg->fstack_floats ? cfg->fstack_floats : 64;
    vm->max_host = cfg->host_words_max ? cfg->host_words_max : 64;
    if (nd > 65536 || nr > 65536 || nf > 65536 || vm->max_host > 65536)
        return NULL;
    vm->max_host += HS_NFILE;
    ucell tq_size = clamp_size(size / TQ_DIV, TQ_MIN, TQ_MAX);
    ucell line_area = clamp_size(size / LINE_DIV, LINE_AREA_MIN, LINE_AREA_MAX);
    ucell fixed = tq_size + line_area + SBUF_N * SBUF_SIZE + PAD_SIZE + HOLD_SIZE + WORD_BUF;
    ucell need = vm->max_host * sizeof(hostword_t) + (nd + nr + 2) * sizeof(cell) + 64
               + (nf + 2) * sizeof(double) + 16 + fixed + min_dict + V_NSYS * sizeof(cell) + GUARD_CELLS * sizeof(cell);
    if (p >= end || end - p < need)
        return NULL;
    vm->host = (hostword_t *)p;
    p = align16(p + vm->max_host * sizeof(hostword_t));
    vm->nhost = vm->nbound = HS_NFILE;
    vm->slim = (cell *)p;
    vm->s0 = vm->slim + nd;
    p = align16((uintptr_t)(vm->s0 + 1));
    vm->rlim = (ucell *)p;
    vm->r0 = vm->rlim + nr;
    p = align16((uintptr_t)(vm->r0 + 1));
    vm->flim = (double *)p + 1;     /* flim[-1]: CATCH's spare slot */
    vm->f0 = vm->flim + nf;
    p = align16((uintptr_t)(vm->f0 + 1));
    ucell span = ((end - p) - GUARD_CELLS * sizeof(cell)) & ~(ucell)15;
    vm->mem = (unsigned char *)p;
    vm->lo = vbase;
    vm->hi = vbase + span;
    vm->bias = p - vbase;
    for (int i = 0; i < GUARD_CELLS; i++)
        ((cell *)(p + span))[i] = T_GUARD;

    ucell top = vm->hi;
    vm->sysv = top -= V_NSYS * CELL;
    vm->tq = top -= vm->tq_size = tq_size;
    vm->line_bufs = top -= vm->line_area = line_area;
    for (int i = 0; i < SBUF_N; i++)
        vm->sbuf[i] = top -= SBUF_SIZE;     /* sbuf[SBUF_N - 1] the lowest */
    vm->pad = top -= PAD_SIZE;
    vm->hold_buf = top -= HOLD_SIZE;
    vm->word_buf = top -= WORD_BUF;
    vm->limit = vm->heap_top = top & ~(ucell)(CELL - 1);
    vm->hld = vm->hold_buf + HOLD_SIZE;

    for (int v = 0; v < V_NSYS; v++)
        *fvmi_sysvar(vm, v) = 0;
    *fvmi_sysvar(vm, V_BASE) = 10;
    *fvmi_sysvar(vm, V_UNCATCH) = T_UNCATCH;
    *fvmi_sysvar(vm, V_ENTRY1) = T_HALT;
    vm->here = vm->wlo = vm->lo;
    vm->order[0] = vm->current = vm->wordlists[0] = (cell)(vm->sysv + V_FORTH_WL * CELL);
    vm->norder = vm->nwordlists = 1;
    vm->nsrc = 1;
    vm->src[0].kind = SRC_TERM;
    vm->src[0].buf = vm->tq;
    vm->leave_chain = 1;
    vm->resume_tok = -1;
    vm->deferred = -1;
    vm->sp = vm->s0;
    vm->rp = vm->r0;
    vm->fsp = vm->f0;
    vm->precision = 17;
    vm->columns = 80;
    vm->err.message = vm->err.source = vm->err.word = vm->err.context = "";
    fvmi_bounds(vm);
    return vm;
}

static void set_files(fvm_t *vm, const fvm_file_ops_t *f)
{
    fvm_host_fn fn[HS_CREATE] = { f->open, f->close, f->read_line, f->position, f->reposition };
    for (int i = 0; i < HS_CREATE; i++)
        vm->host[i].fn = fn[i], vm->host[i].ctx = f->ctx;
}

static void set_file_ext(fvm_t *vm, const fvm_file_ext_t *f)
{
    fvm_host_fn fn[HS_MS - HS_CREATE] = {
        f->create, f->read, f->write, f->size, f->resize, f->remove, f->rename,
        f->flush, f->status,
    };
    for (int i = HS_CREATE; i < HS_MS; i++)
        vm->host[i].fn = fn[i - HS_CREATE], vm->host[i].ctx = f->ctx;
}

static void set_facility(fvm_t *vm, const fvm_facility_ops_t *f)
{
    fvm_host_fn fn[HS_UTIME - HS_MS] = { f->ms, f->time_date, f->key_q };
    for (int i = HS_MS; i < HS_UTIME; i++)
        vm->host[i].fn = fn[i - HS_MS], vm->host[i].ctx = f->ctx;
}

/* The reserved slots' functions from cfg's hooks (those it has). */
void fvmi_set_hooks(fvm_t *vm, const fvm_config_t *cfg)
{
    if (cfg->files)
        set_files(vm, cfg->files);
    if (cfg->file_ext)
        set_file_ext(vm, cfg->file_ext);
    if (cfg->facility)
        set_facility(vm, cfg->facility);
    if (cfg->utime)
        vm->host[HS_UTIME].fn = cfg->utime, vm->host[HS_UTIME].ctx = NULL;
}

fvm_t *fvm_create(void *mem, size_t size, const fvm_config_t *cfg)
{
    static const fvm_config_t none;
    if (size < FVM_MIN_SIZE)
        return NULL;
    fvm_t *vm = fvmi_layout(mem, size, cfg ? cfg : &none, FVM_VBASE, 16 * 1024);
    if (!vm)
        return NULL;
    fvmi_set_hooks(vm, &vm->cfg);
    if (bootstrap(vm))
        return NULL;
    vm->quit_ip = (cell *)(vm->bias + (ucell)vm->quit_body);
    vm->ip = vm->quit_ip;
    if (fvm_eval(vm, fvm_prelude, slen(fvm_prelude)) != FVM_DONE)
        return NULL;
    vm->tq_eof = false;
    vm->term_lines = vm->src[0].line = 0;    /* the user's lines count from 1 */
    fvmi_align(vm);
    vm->wlo = vm->here;   /* the system dictionary is read-only from now on */
    fvmi_bounds(vm);
    return vm;
}

fvm_t *fvm_fork(fvm_t *parent, void *mem, size_t size, const fvm_config_t *cfg)
{
    if (parent->nimg == FVM_MAX_IMAGES)
        return NULL;
    ucell top = parent->hi;
    for (int i = 0; i < parent->nimg; i++)
        if (parent->img[i].hi > top)
            top = parent->img[i].hi;
    top = (top + 0xffff) & ~(ucell)0xffff;
    fvm_t *vm = fvmi_layout(mem, size, cfg ? cfg : &parent->cfg, top, 4096);
    if (!vm)
        return NULL;
    for (int i = 0; i < parent->nimg; i++)
        vm->img[i] = parent->img[i];
    vm->img[parent->nimg] = (struct vregion){ parent->bias, parent->lo, parent->here };
    vm->nimg = parent->nimg + 1;
    for (unsigned i = 0; i < parent->nhost && i < vm->max_host; i++)
        vm->host[i] = parent->host[i];
    vm->nhost = vm->nbound = parent->nhost < vm->max_host ? parent->nhost : vm->max_host;
    if (cfg)
        fvmi_set_hooks(vm, cfg);
    if (!vm->cfg.throw_text)
        vm->cfg.throw_text = parent->cfg.throw_text;
    for (int t = 0; t < NPRIM; t++)
        vm->prim_xt[t] = parent->prim_xt[t];
    /* FORTH: our own head cell, continuing into the parent's list */
    cell pforth = (cell)(parent->sysv + V_FORTH_WL * CELL), forth = vm->order[0];
    *fvmi_sysvar(vm, V_FORTH_WL) = *fvmi_sysvar(parent, V_FORTH_WL);
    *fvmi_sysvar(vm, V_BASE) = *fvmi_sysvar(parent, V_BASE);
    vm->precision = parent->precision;
    vm->columns = parent->columns;
    vm->norder = parent->norder;
    for (int i = 0; i < parent->norder; i++)
        vm->order[i] = parent->order[i] == pforth ? forth : parent->order[i];
    vm->current = forth;
    /* the parent's find cache, its FORTH answers now under our FORTH (which
     * continues into the parent's list as it is now) */
    for (int i = 0; i < FB_BYTES; i++)
        vm->names_seen[i] = parent->names_seen[i];
    for (int i = 0; i < FC_SIZE; i++) {
        vm->fcache[i] = parent->fcache[i];
        if (vm->fcache[i].wl == (ucell)pforth)
            vm->fcache[i].wl = (uint32_t)forth;
    }
    vm->included = parent->included;
    vm->quit_body = parent->quit_body;
    vm->quit_ip = parent->quit_ip;
    vm->ip = vm->quit_ip;
    return vm;
}

int fvm_register(fvm_t *vm, const fvm_word_t *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (vm->nbound < vm->nhost) {       /* an image's word: bind it */
            hostword_t *h = &vm->host[vm->nbound];
            ucell len, want = slen(words[i].name);
            /* fvm_image_save left the slot's header xt in ctx */
            const char *nm = fvmi_xt_name(vm, (cell)(uintptr_t)h->ctx, &len);
            if (len != want || !name_same(nm, words[i].name, len))
                return FVM_E_IMAGE;
            h->fn = words[i].fn;
            h->ctx = words[i].ctx;
            vm->nbound++;
            continue;
        }
        if (vm->nhost == vm->max_host)
            return FVM_E_HOST_TABLE_FULL;
        cell xt;
        TRY(fvmi_header(vm, words[i].name, slen(words[i].name), K_DOHOST, &xt));
        TRY(fvmi_comma(vm, (cell)vm->nhost));
        if (words[i].flags & FVM_IMMEDIATE)
            *(cell *)(vm->bias + (ucell)xt - 2 * CELL) |= (cell)F_IMMEDIATE << 8;
        vm->host[vm->nhost].fn = words[i].fn;
        vm->host[vm->nhost].ctx = words[i].ctx;
        vm->nbound = ++vm->nhost;
    }
    return 0;
}

fvm_status_t fvm_eval(fvm_t *vm, const char *s, size_t n)
{
    vm->eval_text = s;
    vm->eval_len = n;
    vm->eval_ended = false;
    vm->eval_active = true;
    return fvm_run(vm, 0);
}

int fvm_execute(fvm_t *vm, fvm_cell_t xt)
{
    *fvmi_sysvar(vm, V_ENTRY0) = xt;
    *fvmi_sysvar(vm, V_ENTRY1) = T_HALT;
    vm->ip = fvmi_sysvar(vm, V_ENTRY0);
    vm->resume_tok = -1;
    vm->resume_xt = 0;
    vm->last_word_len = 0;         /* no word is interpreted: errors name the running one */
    vm->listing = false;           /* a blocked listing is not run again */
    vm->list_skip = 0;
    return 0;
}

fvm_cell_t fvm_find(fvm_t *vm, const char *name)
{
    int fl;
    return fvmi_find(vm, name, slen(name), &fl);
}

void fvm_interrupt(fvm_t *vm) { __atomic_store_n(&vm->intr, 1, __ATOMIC_RELAXED); }
int fvm_interrupt_pending(const fvm_t *vm) { return __atomic_load_n(&vm->intr, __ATOMIC_RELAXED); }

void fvm_fail(fvm_t *vm, int code) { vm->pending_throw = code ? code : FVM_E_UNSUPPORTED; }

int fvm_abort_msg(fvm_t *vm, const char *msg)
{
    return fvm_throw_msg(vm, FVM_E_ABORTQ, msg);
}

int fvm_throw_msg(fvm_t *vm, int code, const char *msg)
{
    if (code >= 0)
        code = FVM_E_ABORTQ;
    fvmi_set_error(vm, code, msg, slen(msg));
    return code;
}

void fvm_charge(fvm_t *vm, long units)
{
    if (units > 0)
        fvmi_add_debt(vm, units);
}

long fvm_debt(const fvm_t *vm)
{
    return vm->charge;
}

int fvm_fork_room(const fvm_t *vm)
{
    return FVM_MAX_IMAGES - vm->nimg;
}

int fvm_depth(const fvm_t *vm) { return (int)(vm->s0 - vm->sp); }

int fvm_push(fvm_t *vm, fvm_cell_t v)
{
    if (vm->sp <= vm->slim)
        return FVM_E_STACK_OVERFLOW;
    *--vm->sp = vm->tos;
    vm->tos = v;
    return 0;
}

int fvm_pop(fvm_t *vm, fvm_cell_t *v)
{
    if (vm->sp >= vm->s0)
        return FVM_E_STACK_UNDERFLOW;
    *v = vm->tos;
    vm->tos = *vm->sp++;
    return 0;
}

void *fvm_mem(fvm_t *vm, fvm_cell_t addr, size_t len) { return vm_addr(vm, (ucell)addr, len); }
void *fvm_mem_w(fvm_t *vm, fvm_cell_t addr, size_t len) { return vm_waddr(vm, (ucell)addr, len); }
void *fvm_user(const fvm_t *vm) { return vm->cfg.user; }

void *fvm_allot(fvm_t *vm, size_t n, fvm_cell_t *addr)
{
    ucell a = vm->here;
    if (n > vm->limit - vm->here || fvmi_allot(vm, (cell)n))
        return NULL;
    *addr = (fvm_cell_t)a;
    return vm_waddr(vm, a, n);
}

void fvm_type(fvm_t *vm, const char *s, size_t n) { fvmi_type(vm, s, n); }
void fvm_listing(fvm_t *vm) { fvmi_listing_begin(vm); }
int fvm_listed(fvm_t *vm) { return fvmi_listing_end(vm) ? FVM_AGAIN : 0; }
void fvm_set_columns(fvm_t *vm, unsigned cols) { vm->columns = cols < 20 ? 20 : cols > 1000 ? 1000 : cols; }
unsigned fvm_columns(const fvm_t *vm) { return vm->columns; }
int fvm_compiling(const fvm_t *vm) { return *fvmi_sysvar(vm, V_STATE) != 0; }
size_t fvm_unused(const fvm_t *vm) { return vm->limit - vm->here; }

/* ENVIRONMENT? ( c-addr u -- false | i*x true ) */
int fc_environmentq(fvm_t *vm)
{
    cell n, a;
    if (fvm_pop(vm, &n) || fvm_pop(vm, &a))
        return FVM_E_STACK_UNDERFLOW;
    const char *s = vm_addr(vm, (ucell)a, (ucell)n);
    static const struct { const char *q; cell v; int cells; } env[] = {
        { "/COUNTED-STRING", 255, 1 }, { "/HOLD", HOLD_SIZE, 1 }, { "/PAD", PAD_SIZE, 1 },
        { "ADDRESS-UNIT-BITS", 8, 1 }, { "FLOORED", 0, 1 }, { "MAX-CHAR", 255, 1 },
        { "MAX-N", INTPTR_MAX, 1 }, { "MAX-U", -1, 1 }, { "MAX-D", 0, 2 }, { "MAX-UD", 0, 3 },
        { "RETURN-STACK-CELLS", 0, 4 }, { "STACK-CELLS", 0, 5 },
        { "#LOCALS", MAX_LOCALS, 1 }, { "WORDLISTS", MAX_ORDER, 1 },
    };
    for (size_t i = 0; s && i < sizeof env / sizeof env[0]; i++) {
        size_t k = slen(env[i].q);
        if (k != (size_t)n)
            continue;
        size_t j = 0;
        while (j < k && lc((unsigned char)s[j]) == lc((unsigned char)env[i].q[j]))
            j++;
        if (j < k)
            continue;
        switch (env[i].cells) {
        case 1: TRY(fvm_push(vm, env[i].v)); break;
        case 2: TRY(fvm_push(vm, -1)); TRY(fvm_push(vm, INTPTR_MAX)); break;
        case 3: TRY(fvm_push(vm, -1)); TRY(fvm_push(vm, -1)); break;
        case 4: TRY(fvm_push(vm, (cell)(vm->r0 - vm->rlim))); break;
        default: TRY(fvm_push(vm, (cell)(vm->s0 - vm->slim))); break;
        }
        return fvm_push(vm, -1);
    }
    int rc = fvmi_fenv(vm, s, s ? (ucell)n : 0);
    return rc <= 0 ? rc : fvm_push(vm, 0);
}
