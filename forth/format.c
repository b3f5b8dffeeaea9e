/*
 * format.c -- output: the output buffer, EMIT/TYPE with back-pressure,
 * pictured numeric output, number printing, and the TOOLS printers
 * (.S DUMP WORDS).
 *
 * Back-pressure.  TYPE, EMIT, CR, SPACE(S) and the number printers never
 * lose output: when the write hook takes less than is offered they return
 * RC_BLOCKED before consuming their arguments (or after recording their
 * progress in them) and run again once the host resumes the VM.  The
 * TOOLS printers (WORDS SEE DUMP .S ORDER, host words like help) may write
 * more than the hook takes at once: they are listings, which run again
 * from the start when the hook refused some of their output, skipping the
 * bytes they gave before (a printer gives the same bytes each time).
 * A listing pays for each byte it offers, the skipped ones too, so a
 * rerun costs the task what it costs the host; a printer stops once the
 * run is refused (vm->list_full), and DUMP skips the whole lines given
 * before without making them.  Outside a listing what the hook refuses is
 * dropped and counted in vm->out_lost.
 */
#include "fvm_int.h"

/* Hand buffered output to the host: 0 when the buffer is empty after. */
int fvmi_flush(fvm_t *vm)
{
    if (!vm->nout)
        return 0;
    if (!vm->cfg.write) {
        vm->nout = 0;
        return 0;
    }
    size_t k = vm->cfg.write(vm->cfg.io, vm->out, vm->nout);
    if (k > vm->nout)
        k = vm->nout;
    for (unsigned i = (unsigned)k; i < vm->nout; i++)
        vm->out[i - k] = vm->out[i];
    vm->nout -= (unsigned)k;
    return vm->nout != 0;
}

/* Make room for n (<= OUT_BUF) bytes; RC_BLOCKED if the host will not take. */
static int room(fvm_t *vm, unsigned n)
{
    if (OUT_BUF - vm->nout >= n)
        return 0;
    fvmi_flush(vm);
    return OUT_BUF - vm->nout >= n ? 0 : RC_BLOCKED;
}

static void put(fvm_t *vm, const char *s, ucell n)
{
    for (ucell i = 0; i < n; i++)
        vm->out[vm->nout++] = s[i];
}

int fvmi_put_all(fvm_t *vm, const char *s, ucell n)
{
    if (n > OUT_BUF)
        return fvmi_type(vm, s, n);
    TRY(room(vm, (unsigned)n));
    put(vm, s, n);
    return 0;
}

/* A listing's bytes a unit: ORDER, .S and DUMP make a byte in 1-3 ns
 * (fvmi_type calls of a few bytes, numbers, names), a primitive runs in
 * about 0.5. */
#define LIST_PER 4

void fvmi_listing_begin(fvm_t *vm)
{
    vm->listing = true;
    vm->list_full = false;
    vm->list_made = 0;
    vm->list_work = 0;
    vm->list_sp = vm->sp;
    vm->list_tos = vm->tos;
    vm->list_in = *fvmi_sysvar(vm, V_TOIN);
}

int fvmi_listing_end(fvm_t *vm)
{
    vm->listing = false;
    fvmi_charge(vm, vm->list_work, LIST_PER);
    if (!vm->list_full) {
        vm->list_skip = 0;
        return 0;
    }
    vm->list_full = false;
    vm->list_skip = vm->list_made;
    vm->sp = vm->list_sp;              /* the cells it popped are still there */
    vm->tos = vm->list_tos;
    *fvmi_sysvar(vm, V_TOIN) = vm->list_in;
    return RC_BLOCKED;
}

/* Output for the TOOLS printers: in a listing, the bytes given by an
 * earlier run are skipped and a refusal ends the run (to run again);
 * elsewhere what cannot be written is dropped. */
int fvmi_type(fvm_t *vm, const char *s, ucell n)
{
    if (vm->listing) {
        vm->list_work += n;
        ucell k = vm->list_skip < n ? vm->list_skip : n;
        vm->list_skip -= k;
        vm->list_made += k;
        s += k;
        n -= k;
        if (vm->list_full)
            return 0;
    }
    while (n) {
        if (vm->nout == OUT_BUF && fvmi_flush(vm) && vm->nout == OUT_BUF) {
            if (vm->listing)
                vm->list_full = true;
            else
                vm->out_lost += n;
            return 0;
        }
        ucell k = OUT_BUF - vm->nout < n ? OUT_BUF - vm->nout : n;
        put(vm, s, k);
        if (vm->listing)
            vm->list_made += k;
        s += k;
        n -= k;
    }
    if (vm->nout > OUT_BUF / 2)
        fvmi_flush(vm);
    return 0;
}

int fvmi_emit(fvm_t *vm, int c)
{
    char ch = (char)c;
    return fvmi_type(vm, &ch, 1);
}

static void tputs(fvm_t *vm, const char *s)
{
    ucell n = 0;
    while (s[n])
        n++;
    fvmi_type(vm, s, n);
}

int fc_type(fvm_t *vm)  /* ( c-addr u -- ) */
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    if (n == 0)
        return 0;
    const char *s = vm_addr(vm, (ucell)a, (ucell)n);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    fvmi_charge(vm, (ucell)n, 32);
    if ((ucell)n <= OUT_BUF) {
        if (room(vm, (unsigned)n)) {
            fvm_push(vm, a);
            fvm_push(vm, n);
            return RC_BLOCKED;
        }
        put(vm, s, (ucell)n);
        return 0;
    }
    /* long strings go straight to the host once the buffer is empty */
    ucell done = 0;
    if (!fvmi_flush(vm) && vm->cfg.write)
        done = vm->cfg.write(vm->cfg.io, s, (size_t)n);
    else if (!vm->cfg.write)
        done = (ucell)n;
    if (done >= (ucell)n)
        return 0;
    fvm_push(vm, (cell)((ucell)a + done));
    fvm_push(vm, (cell)((ucell)n - done));
    return RC_BLOCKED;
}

static int emit_blocking(fvm_t *vm, char c)
{
    TRY(room(vm, 1));
    vm->out[vm->nout++] = c;
    return 0;
}

int fc_emit(fvm_t *vm)
{
    NEEDS(1);
    cell c;
    fvm_pop(vm, &c);
    if (room(vm, 1)) {
        fvm_push(vm, c);
        return RC_BLOCKED;
    }
    vm->out[vm->nout++] = (char)c;
    return 0;
}

int fc_cr(fvm_t *vm) { return emit_blocking(vm, '\n'); }
int fc_space(fvm_t *vm) { return emit_blocking(vm, ' '); }

/* ---- pictured numeric output ---------------------------------------------- */

static int base_of(fvm_t *vm, ucell *b)
{
    cell v = *fvmi_sysvar(vm, V_BASE);
    if (v < 2 || v > 36)
        return -24;
    *b = (ucell)v;
    return 0;
}

/* Divide the double (hi:lo) by b in place; return the remainder.  One
 * division when hi is 0 (every single-cell number), three else. */
static ucell ddiv(ucell *lo, ucell *hi, ucell b)
{
    if (!*hi) {
        ucell r = *lo % b;
        *lo /= b;
        return r;
    }
    ucell half = CELL_BITS / 2, mask = ((ucell)1 << half) - 1;
    ucell r = *hi % b;
    *hi /= b;
    ucell x = (r << half) | (*lo >> half);
    ucell q1 = x / b;
    r = x % b;
    x = (r << half) | (*lo & mask);
    ucell q0 = x / b;
    r = x % b;
    *lo = (q1 << half) | q0;
    return r;
}

static int hold_char(fvm_t *vm, int c)
{
    if (vm->hld <= vm->hold_buf)
        return -17;
    *(char *)(vm->bias + --vm->hld) = (char)c;
    return 0;
}

int fc_lessnum(fvm_t *vm)
{
    vm->hld = vm->hold_buf + HOLD_SIZE;
    return 0;
}

int fc_hold(fvm_t *vm)
{
    NEEDS(1);
    return hold_char(vm, (int)pop(vm));
}

int fc_holds(fvm_t *vm)
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    const char *s = n > 0 ? vm_addr(vm, (ucell)a, (ucell)n) : "";
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    while (n-- > 0)
        TRY(hold_char(vm, s[n]));
    return 0;
}

int fc_sign(fvm_t *vm)
{
    NEEDS(1);
    return pop(vm) < 0 ? hold_char(vm, '-') : 0;
}

/* Each digit generated is a division (ddiv): a number's conversion pays a
 * unit per two digits past the first (at most 64 units, a double in base
 * 2); # makes one digit a call and pays nothing more. */
static void charge_digits(fvm_t *vm, ucell digits)
{
    vm->charge += (long)(digits / 2);
}

static int num1(fvm_t *vm, ucell *lo, ucell *hi)
{
    ucell b;
    TRY(base_of(vm, &b));
    ucell d = ddiv(lo, hi, b);
    return hold_char(vm, (int)(d < 10 ? '0' + d : 'A' + d - 10));
}

int fc_num(fvm_t *vm)
{
    NEEDS(2);
    ucell hi = (ucell)pop(vm), lo = (ucell)pop(vm);
    TRY(num1(vm, &lo, &hi));
    fvm_push(vm, (cell)lo);
    return fvm_push(vm, (cell)hi);
}

int fc_nums(fvm_t *vm)
{
    NEEDS(2);
    ucell hi = (ucell)pop(vm), lo = (ucell)pop(vm), digits = 0;
    do {
        digits++;
        TRY(num1(vm, &lo, &hi));
    } while (lo || hi);
    charge_digits(vm, digits);
    fvm_push(vm, 0);
    return fvm_push(vm, 0);
}

int fc_numgreater(fvm_t *vm)
{
    NEEDS(2);
    pop(vm);
    pop(vm);
    if (vm->hld < vm->hold_buf || vm->hld > vm->hold_buf + HOLD_SIZE)
        vm->hld = vm->hold_buf + HOLD_SIZE;
    fvm_push(vm, (cell)vm->hld);
    return fvm_push(vm, (cell)(vm->hold_buf + HOLD_SIZE - vm->hld));
}

/* Format the double (hi:lo) -- signed if sgn -- into buf (>= 132 bytes)
 * right-aligned in width, its length in *len; pays for its digits. */
static int format(fvm_t *vm, ucell lo, ucell hi, bool sgn, cell width, char *buf, ucell *len)
{
    ucell b;
    TRY(base_of(vm, &b));
    bool neg = sgn && (cell)hi < 0;
    if (neg) {
        lo = ~lo + 1;
        hi = ~hi + (lo == 0);
    }
    char tmp[2 * sizeof(cell) * 8 + 2];
    int n = 0;
    do {
        ucell d = ddiv(&lo, &hi, b);
        tmp[n++] = (char)(d < 10 ? '0' + d : 'A' + d - 10);
    } while (lo || hi);
    charge_digits(vm, (ucell)n);
    if (neg)
        tmp[n++] = '-';
    ucell o = 0;
    if (width > 255)
        width = 255;
    if (width < 0)
        width = 0;
    for (cell pad = width - n; pad > 0; pad--)
        buf[o++] = ' ';
    while (n)
        buf[o++] = tmp[--n];
    *len = o;
    return 0;
}

/* Print a number: ( n -- ) ( u -- ) ( n w -- ) ( u w -- ); a trailing space
 * unless a width is given. */
static int print(fvm_t *vm, bool sgn, bool with_width, bool dbl)
{
    int items = (dbl ? 2 : 1) + (with_width ? 1 : 0);
    NEEDS(items);
    cell v[3];
    for (int i = items - 1; i >= 0; i--)
        fvm_pop(vm, &v[i]);
    ucell lo = (ucell)v[0], hi = dbl ? (ucell)v[1] : (sgn && v[0] < 0 ? ~(ucell)0 : 0);
    char buf[300];
    ucell n;
    int rc = format(vm, lo, hi, sgn, with_width ? v[items - 1] : 0, buf, &n);
    if (!rc && !with_width)
        buf[n++] = ' ';
    if (!rc && (rc = room(vm, (unsigned)n)) == 0) {
        put(vm, buf, n);
        return 0;
    }
    for (int i = 0; i < items; i++)
        fvm_push(vm, v[i]);
    return rc;
}

int fc_dot(fvm_t *vm) { return print(vm, true, false, false); }
int fc_udot(fvm_t *vm) { return print(vm, false, false, false); }
int fc_dotr(fvm_t *vm) { return print(vm, true, true, false); }
int fc_udotr(fvm_t *vm) { return print(vm, false, true, false); }

int fc_decimal(fvm_t *vm)
{
    *fvmi_sysvar(vm, V_BASE) = 10;
    return 0;
}

int fc_hex(fvm_t *vm)
{
    *fvmi_sysvar(vm, V_BASE) = 16;
    return 0;
}

/* ---- TOOLS --------------------------------------------------------------- */

static void tnum(fvm_t *vm, cell v, bool sgn)
{
    char buf[300];
    ucell n;
    if (format(vm, (ucell)v, sgn && v < 0 ? ~(ucell)0 : 0, sgn, 0, buf, &n)) {
        n = 0;
        buf[n++] = '?';
    }
    buf[n++] = ' ';
    fvmi_type(vm, buf, n);
}

/* .S's depth: "<d> " */
void fvmi_tdepth(fvm_t *vm, int d)
{
    char hdr[32];
    int n = 0, k = d;
    hdr[n++] = '<';
    char t[24];
    int m = 0;
    do
        t[m++] = (char)('0' + k % 10);
    while ((k /= 10));
    while (m)
        hdr[n++] = t[--m];
    hdr[n++] = '>';
    hdr[n++] = ' ';
    fvmi_type(vm, hdr, (ucell)n);
}

int fc_dots(fvm_t *vm)
{
    fvmi_listing_begin(vm);
    int d = fvm_depth(vm);
    fvmi_tdepth(vm, d);
    for (int i = d - 1; i >= 0 && !vm->list_full; i--)
        tnum(vm, i == 0 ? vm->tos : vm->sp[i - 1], true);
    fvmi_fdots(vm);
    return fvmi_listing_end(vm);
}

/* DUMP's lines: the address in DUMP_ADDR hex digits, ": ", 16 bytes in
 * hex ("xx ", one more space after the 8th; blanks past the end), " ",
 * the bytes as text ('.' for the unprintable), "\n".  Every line but the
 * last is DUMP_LINE bytes long. */
#define DUMP_ADDR (2 * (int)sizeof(cell) > 8 ? 8 : 2 * (int)sizeof(cell))
#define DUMP_LINE ((ucell)DUMP_ADDR + 69)

/* The line of the k (1..16) bytes p at address a into b; its length. */
static ucell dump_line(char *b, ucell a, const unsigned char *p, ucell k)
{
    static const char hx[] = "0123456789abcdef";
    for (int i = DUMP_ADDR - 1; i >= 0; i--, a >>= 4)
        b[i] = hx[a & 15];
    ucell o = (ucell)DUMP_ADDR;
    b[o++] = ':';
    b[o++] = ' ';
    for (ucell i = 0; i < 16; i++) {
        b[o++] = i < k ? hx[p[i] >> 4] : ' ';
        b[o++] = i < k ? hx[p[i] & 15] : ' ';
        b[o++] = ' ';
        if (i == 7)
            b[o++] = ' ';
    }
    b[o++] = ' ';
    for (ucell i = 0; i < k; i++)
        b[o++] = p[i] >= ' ' && p[i] < 127 ? (char)p[i] : '.';
    b[o++] = '\n';
    return o;
}

/* DUMP ( addr u -- ): pays through the listing, DUMP_LINE bytes for 16
 * dumped.  Run again after a refusal, it counts the whole lines given
 * before as given without making them, and goes on from the first line
 * not written whole; it stops where the host refuses. */
int fc_dump(fvm_t *vm)
{
    NEEDS(2);
    fvmi_listing_begin(vm);
    cell n = pop(vm), a = pop(vm);
    if (n == 0)
        return fvmi_listing_end(vm);
    const unsigned char *p = vm_addr(vm, (ucell)a, (ucell)n);
    if (!p)
        return FVM_E_INVALID_ADDRESS;
    ucell lines = vm->list_skip / DUMP_LINE, full = (ucell)n / 16;
    if (lines > full)
        lines = full;
    vm->list_skip -= lines * DUMP_LINE;
    vm->list_made += lines * DUMP_LINE;
    for (ucell off = lines * 16; off < (ucell)n && !vm->list_full; off += 16) {
        char b[DUMP_LINE];
        ucell k = (ucell)n - off < 16 ? (ucell)n - off : 16;
        fvmi_type(vm, b, dump_line(b, (ucell)a + off, p + off, k));
    }
    return fvmi_listing_end(vm);
}

/* Used by SEE (see.c). */
void fvmi_tnum(fvm_t *vm, cell v) { tnum(vm, v, true); }
void fvmi_tputs(fvm_t *vm, const char *s) { tputs(vm, s); }
