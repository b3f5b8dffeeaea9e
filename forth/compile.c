/*
 * compile.c -- the compiler: : ; DOES> and the compiling words, control
 * structures, string literals.
 *
 * Control-flow stack entries (orig, dest) are single cells on the data
 * stack: the address of a branch offset (orig) or of a branch target
 * (dest).  ';' checks that the data stack is as deep as at ':', so an
 * unbalanced structure is reported (-22) instead of compiling garbage.
 * A branch offset is relative to the cell that holds it.
 */
#include "fvm_int.h"

#define NO_LOOP ((ucell)1)   /* leave_chain outside DO ... LOOP */

#define sysvar fvmi_sysvar

static int compile_lit(fvm_t *vm, cell v)
{
    TRY(fvmi_op(vm, T_LIT));
    return fvmi_comma(vm, v);
}

/* The cell at orig must be an own, aligned, compiled cell. */
static cell *orig_cell(fvm_t *vm, cell orig)
{
    if (((ucell)orig & (CELL - 1)) || (ucell)orig < vm->wlo || (ucell)orig >= vm->here)
        return NULL;
    return (cell *)(vm->bias + (ucell)orig);
}

static int resolve(fvm_t *vm, cell orig)
{
    cell *p = orig_cell(vm, orig);
    if (!p)
        return -22;
    *p = (cell)(vm->here - (ucell)orig);
    fvmi_label(vm);
    return 0;
}

static int branch_back(fvm_t *vm, cell token, cell dest)
{
    if (((ucell)dest & (CELL - 1)) || (ucell)dest < vm->wlo || (ucell)dest > vm->here)
        return -22;
    TRY(fvmi_op(vm, token));
    return fvmi_comma(vm, (cell)((ucell)dest - vm->here));
}

static int branch_fwd(fvm_t *vm, cell token)
{
    TRY(fvmi_op(vm, token));
    TRY(fvm_push(vm, (cell)vm->here));
    return fvmi_comma(vm, 0);
}

/* ---- definitions ---------------------------------------------------------- */

static void start_def(fvm_t *vm, cell xt)
{
    vm->cur_def = xt;
    vm->colon_depth = fvm_depth(vm);
    vm->leave_chain = NO_LOOP;
    vm->last_op = 0;
    fvmi_label(vm);
    fvmi_locals_end(vm);
    *sysvar(vm, V_STATE) = -1;
}

int fc_colon(fvm_t *vm)
{
    cell xt;
    TRY(fvmi_create(vm, K_DOCOL, &xt));
    cell *h = (cell *)(vm->bias + (ucell)xt - 2 * CELL);
    *h |= (cell)F_HIDDEN << 8;
    start_def(vm, xt);
    return 0;
}

int fc_noname(fvm_t *vm)
{
    cell xt;
    TRY(fvmi_header(vm, "", 0, K_DOCOL, &xt));
    TRY(fvm_push(vm, xt));
    start_def(vm, xt);
    return 0;
}

int fc_semi(fvm_t *vm)
{
    if (fvm_depth(vm) != vm->colon_depth || vm->leave_chain != NO_LOOP)
        return -22;
    TRY(fvmi_op(vm, T_EXIT));
    fvmi_locals_end(vm);
    *sysvar(vm, V_STATE) = 0;
    return fvmi_reveal(vm);
}

int fc_does(fvm_t *vm)
{
    TRY(fvmi_op(vm, T_DOES_RT));
    fvmi_locals_end(vm);   /* the code after DOES> may have its own */
    fvmi_label(vm);
    return 0;
}

int fc_lbracket(fvm_t *vm)
{
    *sysvar(vm, V_STATE) = 0;
    return 0;
}

int fc_rbracket(fvm_t *vm)
{
    *sysvar(vm, V_STATE) = -1;
    return 0;
}

int fc_recurse(fvm_t *vm) { return fvmi_comma(vm, vm->cur_def); }

int fc_tick(fvm_t *vm)
{
    cell xt;
    int fl;
    TRY(fvmi_tick(vm, &xt, &fl));
    return fvm_push(vm, xt);
}

int fc_brtick(fvm_t *vm)
{
    cell xt;
    int fl;
    TRY(fvmi_tick(vm, &xt, &fl));
    return compile_lit(vm, xt);
}

int fc_postpone(fvm_t *vm)
{
    cell xt;
    int fl;
    TRY(fvmi_tick(vm, &xt, &fl));
    if (fvmi_statesmart(vm, xt)) {
        TRY(compile_lit(vm, xt));
        return fvmi_op(vm, T_COMPSEM);
    }
    if (fl & F_IMMEDIATE)
        return fvmi_compile_xt(vm, xt);
    TRY(compile_lit(vm, xt));
    return fvmi_op(vm, T_COMPILEC);
}

int fc_brcompile(fvm_t *vm)
{
    cell xt;
    int fl;
    TRY(fvmi_tick(vm, &xt, &fl));
    return fvmi_compile_xt(vm, xt);
}

int fc_literal(fvm_t *vm)
{
    NEEDS(1);
    return compile_lit(vm, pop(vm));
}

int fc_compile_comma(fvm_t *vm)
{
    NEEDS(1);
    return fvmi_compile_xt(vm, pop(vm));
}

/* ---- characters and strings --------------------------------------------- */

static int parse_char(fvm_t *vm, cell *ch)
{
    ucell a, n;
    fvmi_parse_name(vm, &a, &n);
    const unsigned char *s = vm_addr(vm, a, 1);
    if (n == 0 || !s)
        return -16;
    *ch = *s;
    return 0;
}

int fc_char(fvm_t *vm)
{
    cell ch;
    TRY(parse_char(vm, &ch));
    return fvm_push(vm, ch);
}

int fc_brchar(fvm_t *vm)
{
    cell ch;
    TRY(parse_char(vm, &ch));
    return compile_lit(vm, ch);
}

/* Translate S\" escapes from src[0..n) into dst (capacity cap); returns
 * the length, and in *used how much of src was consumed (up to the closing
 * quote). */
static ucell unescape(const char *src, ucell n, char *dst, ucell cap, ucell *used)
{
    ucell i = 0, o = 0;
    while (i < n && src[i] != '"') {
        char ch = src[i++];
        if (ch == '\\' && i < n) {
            char e = src[i++];
            switch (e) {
            case 'a': ch = 7; break;
            case 'b': ch = 8; break;
            case 'e': ch = 27; break;
            case 'f': ch = 12; break;
            case 'l': ch = 10; break;
            case 'n': ch = 10; break;
            case 'q': ch = '"'; break;
            case 'r': ch = 13; break;
            case 't': ch = 9; break;
            case 'v': ch = 11; break;
            case 'z': ch = 0; break;
            case 'm':
                if (o < cap)
                    dst[o++] = 13;
                ch = 10;
                break;
            case 'x': {
                int v = 0, k;
                for (k = 0; k < 2 && i < n; k++, i++) {
                    int d = lc((unsigned char)src[i]);
                    d = d >= '0' && d <= '9' ? d - '0' : d >= 'a' && d <= 'f' ? d - 'a' + 10 : -1;
                    if (d < 0)
                        break;
                    v = v * 16 + d;
                }
                ch = (char)v;
                break;
            }
            default: ch = e; break;
            }
        }
        if (o < cap)
            dst[o++] = ch;
    }
    *used = i < n ? i + 1 : i;
    return o;
}

/* Parse a string literal ending in '"' (with escapes if esc) into a
 * scratch copy: returns its virtual address and length. */
static int parse_string(fvm_t *vm, bool esc, ucell *addr, ucell *len)
{
    if (!esc) {
        fvmi_parse(vm, '"', addr, len);
        return 0;
    }
    cell *toin = sysvar(vm, V_TOIN);
    src_t *s = &vm->src[vm->nsrc - 1];
    ucell in = (ucell)*toin < s->len ? (ucell)*toin : s->len;
    const char *p = vm_addr(vm, s->buf + in, s->len - in);
    ucell used = 0;
    ucell buf = fvmi_sbuf(vm);
    *len = unescape(p ? p : "", p ? s->len - in : 0, (char *)(vm->bias + buf), SBUF_SIZE, &used);
    fvmi_charge(vm, used, 16);
    *addr = buf;
    *toin = (cell)(in + used);
    return 0;
}

static int compile_string(fvm_t *vm, cell token, const char *s, ucell n, bool counted)
{
    if (counted && n > 255)
        return -18;
    TRY(fvmi_op(vm, token));
    TRY(fvmi_comma(vm, (cell)(n + counted)));
    if (counted)
        TRY(fvmi_ccomma(vm, (int)n));
    fvmi_charge(vm, n, 16);
    for (ucell i = 0; i < n; i++)
        TRY(fvmi_ccomma(vm, (unsigned char)s[i]));
    fvmi_align(vm);
    return 0;
}

static int squote(fvm_t *vm, bool esc)
{
    ucell a, n;
    TRY(parse_string(vm, esc, &a, &n));
    const char *s = vm_addr(vm, a, n);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    if (fvmi_compiles(vm))
        return compile_string(vm, T_SLIT, s, n, false);
    if (a < vm->sbuf[SBUF_N - 1] || a >= vm->sbuf[0] + SBUF_SIZE) {  /* not in one: copy to one */
        ucell buf = fvmi_sbuf(vm);
        if (n > SBUF_SIZE)
            return -18;
        char *d = (char *)(vm->bias + buf);
        fvmi_charge(vm, n, 16);
        for (ucell i = 0; i < n; i++)
            d[i] = s[i];
        a = buf;
    }
    TRY(fvm_push(vm, (cell)a));
    return fvm_push(vm, (cell)n);
}

int fc_squote(fvm_t *vm) { return squote(vm, false); }
int fc_sbquote(fvm_t *vm) { return squote(vm, true); }

int fc_cquote(fvm_t *vm)
{
    ucell a, n;
    fvmi_parse(vm, '"', &a, &n);
    const char *s = vm_addr(vm, a, n);
    return s ? compile_string(vm, T_CLIT, s, n, true) : FVM_E_INVALID_ADDRESS;
}

/* ." compiles the text to be typed; interpreted (as in gforth and
 * pforth: 6.1.0190 leaves it undefined) it types the text now. */
int fc_dotquote(fvm_t *vm)
{
    ucell a, n;
    fvmi_parse(vm, '"', &a, &n);
    const char *s = vm_addr(vm, a, n);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    if (!fvmi_compiles(vm)) {
        TRY(fvm_push(vm, (cell)a));
        TRY(fvm_push(vm, (cell)n));
        return fc_type(vm);
    }
    TRY(compile_string(vm, T_SLIT, s, n, false));
    return fvmi_op(vm, T_TYPE);
}

/* The state-smart words, by token: their compilation semantics are the
 * C function run with vm->compsem set. */
fvmi_cold_fn fvmi_statesmart(const fvm_t *vm, cell xt)
{
    static const struct { int t; fvmi_cold_fn fn; } smart[] = {
        { T_SQUOTE, fc_squote }, { T_SBQUOTE, fc_sbquote }, { T_DOTQUOTE, fc_dotquote },
        { T_TO, fc_to }, { T_IS, fc_is }, { T_ACTIONOF, fc_action_of },
        { T_QUOTOPEN, fc_quot_open },
    };
    for (size_t i = 0; i < sizeof smart / sizeof smart[0]; i++)
        if (xt == vm->prim_xt[smart[i].t])
            return smart[i].fn;
    return NULL;
}

/* (compile-sem) ( i*x xt -- j*x ): the compilation semantics of the
 * state-smart word xt, whatever STATE is (what POSTPONE compiles and
 * NAME>COMPILE gives for one); -48 for any other xt. */
int fc_compsem(fvm_t *vm)
{
    NEEDS(1);
    fvmi_cold_fn fn = fvmi_statesmart(vm, pop(vm));
    if (!fn)
        return -48;
    bool was = vm->compsem;
    vm->compsem = true;
    int rc = fn(vm);
    vm->compsem = was;
    return rc;
}

int fc_dotparen(fvm_t *vm)
{
    ucell a, n;
    fvmi_parse(vm, ')', &a, &n);
    const char *s = vm_addr(vm, a, n);
    return s ? fvmi_type(vm, s, n) : 0;
}

/* (paren) ( -- flag ): skip to ')'; false if the line ended first. */
int fc_paren(fvm_t *vm)
{
    src_t *s = &vm->src[vm->nsrc - 1];
    cell *toin = sysvar(vm, V_TOIN);
    ucell in = (ucell)*toin < s->len ? (ucell)*toin : s->len;
    const char *p = vm_addr(vm, s->buf, s->len);
    bool found = false;
    ucell from = in;
    while (p && in < s->len)
        if (p[in++] == ')') {
            found = true;
            break;
        }
    fvmi_charge(vm, in - from, 16);
    *toin = (cell)in;
    return fvm_push(vm, found ? -1 : 0);
}

/* \ : the rest of the line; in a block, the rest of its 64-character line
 * (the one the backslash itself is on) */
int fc_backslash(fvm_t *vm)
{
    const src_t *s = &vm->src[vm->nsrc - 1];
    cell *toin = sysvar(vm, V_TOIN);
    if (s->kind != SRC_BLOCK) {
        *toin = (cell)s->len;
        return 0;
    }
    ucell at = vm->last_word - s->buf;      /* where the \ was parsed */
    if (vm->last_word < s->buf || at >= s->len)
        at = *toin > 0 ? (ucell)*toin - 1 : 0;
    ucell end = (at / 64 + 1) * 64;
    *toin = (cell)(end < s->len ? end : s->len);
    return 0;
}

int fc_abortq(fvm_t *vm)
{
    ucell a, n;
    fvmi_parse(vm, '"', &a, &n);
    const char *s = vm_addr(vm, a, n);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    TRY(compile_string(vm, T_SLIT, s, n, false));
    return fvmi_op(vm, T_ABORTQRT);
}

/* (abort") ( x c-addr u -- ) */
int fc_abortq_rt(fvm_t *vm)
{
    NEEDS(3);
    cell n = pop(vm), a = pop(vm), flag = pop(vm);
    if (!flag)
        return 0;
    const char *s = vm_addr(vm, (ucell)a, (ucell)n);
    fvmi_set_error(vm, FVM_E_ABORTQ, s ? s : "", s ? (ucell)n : 0);
    return FVM_E_ABORTQ;
}

int fc_abort(fvm_t *vm)
{
    (void)vm;
    return FVM_E_ABORT;
}

/* QUIT: empty the return stack, go back to the terminal; no exception, so
 * no CATCH sees it; the data stack stays. */
int fc_quit(fvm_t *vm)
{
    (void)vm;
    return RC_QUIT;
}

/* ---- control structures ---------------------------------------------------- */

int fc_if(fvm_t *vm) { return branch_fwd(vm, T_ZBRANCH); }
int fc_ahead(fvm_t *vm) { return branch_fwd(vm, T_BRANCH); }

int fc_then(fvm_t *vm)
{
    NEEDS(1);
    return resolve(vm, pop(vm));
}

int fc_else(fvm_t *vm)
{
    NEEDS(1);
    cell orig = pop(vm);
    TRY(branch_fwd(vm, T_BRANCH));
    return resolve(vm, orig);
}

int fc_begin(fvm_t *vm)
{
    fvmi_label(vm);   /* a branch target: nothing before it may fuse with what follows */
    return fvm_push(vm, (cell)vm->here);
}

int fc_until(fvm_t *vm)
{
    NEEDS(1);
    return branch_back(vm, T_ZBRANCH, pop(vm));
}

int fc_again(fvm_t *vm)
{
    NEEDS(1);
    return branch_back(vm, T_BRANCH, pop(vm));
}

int fc_while(fvm_t *vm)  /* ( dest -- orig dest ) */
{
    NEEDS(1);
    cell dest = pop(vm);
    TRY(branch_fwd(vm, T_ZBRANCH));
    return fvm_push(vm, dest);
}

int fc_repeat(fvm_t *vm)  /* ( orig dest -- ) */
{
    NEEDS(2);
    cell dest = pop(vm), orig = pop(vm);
    TRY(branch_back(vm, T_BRANCH, dest));
    return resolve(vm, orig);
}

/* DO pushes ( old-leave-chain dest ); LEAVEs (and ?DO's skip) are chained
 * through their offset cells until LOOP resolves them. */
static int add_leave(fvm_t *vm)
{
    if (vm->leave_chain == NO_LOOP)
        return -22;
    cell link = (cell)vm->leave_chain;
    vm->leave_chain = vm->here;
    return fvmi_comma(vm, link);
}

static int do_common(fvm_t *vm, cell token)
{
    TRY(fvmi_op(vm, token));
    TRY(fvm_push(vm, (cell)vm->leave_chain));
    vm->leave_chain = 0;
    if (token == T_QDO)
        TRY(add_leave(vm));
    fvmi_label(vm);
    return fvm_push(vm, (cell)vm->here);
}

int fc_do(fvm_t *vm) { return do_common(vm, T_DO); }
int fc_qdo(fvm_t *vm) { return do_common(vm, T_QDO); }

int fc_leave(fvm_t *vm)
{
    TRY(fvmi_op(vm, T_UNLOOP));
    TRY(fvmi_op(vm, T_BRANCH));
    return add_leave(vm);
}

static int loop_common(fvm_t *vm, cell token)
{
    NEEDS(2);
    cell dest = pop(vm), old = pop(vm);
    if (vm->leave_chain == NO_LOOP)
        return -22;
    TRY(branch_back(vm, token, dest));
    ucell steps = (vm->hi - vm->lo) / CELL;
    for (cell l = (cell)vm->leave_chain; l && steps--;) {
        cell *p = orig_cell(vm, l);
        if (!p)
            return -22;
        l = *p;
        *p = (cell)(vm->here - (ucell)((uintptr_t)p - vm->bias));
    }
    fvmi_label(vm);
    vm->leave_chain = (ucell)old;
    return 0;
}

int fc_loop(fvm_t *vm) { return loop_common(vm, T_LOOP); }
int fc_ploop(fvm_t *vm) { return loop_common(vm, T_PLOOP); }

/* CASE pushes 0; each ENDOF leaves an orig above it; ENDCASE resolves them. */
int fc_case(fvm_t *vm) { return fvm_push(vm, 0); }

int fc_of(fvm_t *vm)
{
    TRY(fvmi_op(vm, T_OVER));
    TRY(fvmi_op(vm, T_EQ));
    TRY(branch_fwd(vm, T_ZBRANCH));
    return fvmi_op(vm, T_DROP);
}

int fc_endof(fvm_t *vm) { return fc_else(vm); }

int fc_endcase(fvm_t *vm)
{
    TRY(fvmi_op(vm, T_DROP));
    for (;;) {
        NEEDS(1);
        cell orig = pop(vm);
        if (!orig)
            return 0;
        TRY(resolve(vm, orig));
    }
}

/* ---- quotations ------------------------------------------------------------- */

/* [: ... ;] inside a definition: a branch over a nameless definition,
 * then its xt as a literal.  The enclosing definition's compiler state
 * waits on the control-flow stack under QUOT_TAG; at interpretation time
 * [: is :NONAME (under QUOT_TOP) and ;] is ; leaving the xt. */
#define QUOT_TAG ((cell)0x51554f54)    /* "QUOT" */
#define QUOT_TOP ((cell)0x51554f49)

int fc_quot_open(fvm_t *vm)
{
    if (!fvmi_compiles(vm)) {
        TRY(fvm_push(vm, QUOT_TOP));
        return fc_noname(vm);
    }
    TRY(branch_fwd(vm, T_BRANCH));
    bool outer_locals = vm->loc_frame || vm->nloc || vm->loc_locked;
    cell saved[] = { vm->latest, vm->cur_def, vm->colon_depth, (cell)vm->leave_chain,
                     (cell)vm->nloc | (cell)vm->loc_frame << 8 | (cell)vm->loc_locked << 9, QUOT_TAG };
    for (size_t i = 0; i < sizeof saved / sizeof saved[0]; i++)
        TRY(fvm_push(vm, saved[i]));
    cell xt;
    TRY(fvmi_header(vm, "", 0, K_DOCOL, &xt));
    start_def(vm, xt);
    vm->loc_locked = outer_locals;
    return 0;
}

int fc_quot_close(fvm_t *vm)
{
    if (fvm_depth(vm) != vm->colon_depth || vm->leave_chain != NO_LOOP || fvm_depth(vm) < 1)
        return -22;
    cell top = pop(vm);
    fvm_push(vm, top);
    if (top != QUOT_TAG) {                       /* [: at interpretation time */
        if (fvm_depth(vm) < 2)
            return -22;
        cell xt = pop(vm), tag = pop(vm);
        if (tag != QUOT_TOP)
            return -22;
        fvm_push(vm, xt);
        vm->colon_depth--;
        TRY(fc_semi(vm));
        return 0;
    }
    if (fvm_depth(vm) < 7)
        return -22;
    cell xt = vm->cur_def;
    TRY(fvmi_op(vm, T_EXIT));
    fvmi_locals_end(vm);
    cell saved[6];
    for (int i = 5; i >= 0; i--)
        saved[i] = pop(vm);
    TRY(resolve(vm, pop(vm)));
    if ((saved[4] & 0xff) > MAX_LOCALS)
        return -22;              /* the frame is on the data stack: rewritable */
    vm->latest = saved[0];
    vm->cur_def = saved[1];
    vm->colon_depth = saved[2];
    vm->leave_chain = (ucell)saved[3];
    vm->nloc = (int)(saved[4] & 0xff);
    vm->loc_frame = (saved[4] >> 8) & 1;
    vm->loc_locked = (saved[4] >> 9) & 1;
    vm->last_op = 0;
    TRY(compile_lit(vm, xt));
    fvmi_label(vm);              /* the xt stays a plain literal (SEE) */
    return 0;
}
