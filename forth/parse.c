/*
 * parse.c -- the text interpreter's input side: input sources, the
 * terminal queue, parsing, number conversion and interpreting one word.
 *
 * The terminal queue (tq) is an addressable buffer the host fills with
 * fvm_input().  Its first tq_line bytes are the current terminal line (the
 * terminal source points at them); the rest is input not yet read.  Nested
 * sources (EVALUATE strings, included files) sit on src[]; each file has
 * its own line buffer, so an outer file's line survives a nested include.
 */
#include "fvm_int.h"

static src_t *cur(fvm_t *vm) { return &vm->src[vm->nsrc - 1]; }
static cell *toin(fvm_t *vm) { return fvmi_sysvar(vm, V_TOIN); }
static char *tq(fvm_t *vm) { return (char *)(vm->bias + vm->tq); }

/* The unparsed part of the current source. */
static const char *rest(fvm_t *vm, ucell *in, ucell *len)
{
    src_t *s = cur(vm);
    ucell i = (ucell)*toin(vm);
    *in = i < s->len ? i : s->len;
    *len = s->len;
    const char *p = vm_addr(vm, s->buf, s->len);
    if (!p)
        *in = *len;
    return p;
}

static bool is_space(int c) { return c <= ' '; }

/* The parsing words pay fuel for every character they scan, the blanks
 * they skip included (a program can parse a long source again and again
 * by resetting >IN). */
void fvmi_parse(fvm_t *vm, char delim, ucell *addr, ucell *len)
{
    ucell in, n;
    const char *p = rest(vm, &in, &n);
    ucell start = in;
    while (in < n && !(delim == ' ' ? is_space((unsigned char)p[in]) : p[in] == delim))
        in++;
    fvmi_charge(vm, in - start, 16);
    *addr = cur(vm)->buf + start;
    *len = in - start;
    *toin(vm) = (cell)(in < n ? in + 1 : in);
}

void fvmi_parse_name(fvm_t *vm, ucell *addr, ucell *len)
{
    ucell in, n;
    const char *p = rest(vm, &in, &n);
    ucell from = in;
    while (in < n && is_space((unsigned char)p[in]))
        in++;
    ucell start = in;
    while (in < n && !is_space((unsigned char)p[in]))
        in++;
    fvmi_charge(vm, in - from, 16);
    *addr = cur(vm)->buf + start;
    *len = in - start;
    *toin(vm) = (cell)(in < n ? in + 1 : in);
}

const char *fvm_parse_name(fvm_t *vm, size_t *n)
{
    ucell a, len;
    fvmi_parse_name(vm, &a, &len);
    const char *s = vm_addr(vm, a, len);
    *n = s ? (size_t)len : 0;
    return s ? s : "";
}

int fc_parse(fvm_t *vm)
{
    NEEDS(1);
    ucell a, n;
    fvmi_parse(vm, (char)pop(vm), &a, &n);
    TRY(fvm_push(vm, (cell)a));
    return fvm_push(vm, (cell)n);
}

int fc_parse_name(fvm_t *vm)
{
    ucell a, n;
    fvmi_parse_name(vm, &a, &n);
    TRY(fvm_push(vm, (cell)a));
    return fvm_push(vm, (cell)n);
}

int fc_word(fvm_t *vm)
{
    NEEDS(1);
    char delim = (char)pop(vm);
    ucell in, n;
    const char *p = rest(vm, &in, &n);
    ucell from = in;
    while (in < n && (delim == ' ' ? is_space((unsigned char)p[in]) : p[in] == delim))
        in++;
    fvmi_charge(vm, in - from, 16);
    *toin(vm) = (cell)in;
    ucell a, len;
    fvmi_parse(vm, delim, &a, &len);
    if (len > 255)
        return -18;
    unsigned char *w = (unsigned char *)(vm->bias + vm->word_buf);
    const char *s = vm_addr(vm, a, len);
    w[0] = (unsigned char)len;
    for (ucell i = 0; i < len && s; i++)
        w[1 + i] = (unsigned char)s[i];
    w[1 + len] = ' ';
    return fvm_push(vm, (cell)vm->word_buf);
}

int fc_source(fvm_t *vm)
{
    TRY(fvm_push(vm, (cell)cur(vm)->buf));
    return fvm_push(vm, (cell)cur(vm)->len);
}

int fc_source_id(fvm_t *vm)
{
    src_t *s = cur(vm);
    return fvm_push(vm, s->kind == SRC_FILE ? s->fileid : s->kind == SRC_STRING ? -1 : 0);
}

/* ---- numbers -------------------------------------------------------------- */

static int digit(int c, int base)
{
    c = lc(c);
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
    return d < base ? d : -1;
}

/* Accumulate digits into the double (hi:lo); returns chars used. */
static ucell accumulate(const char *s, ucell n, int base, ucell *lo, ucell *hi)
{
    ucell i = 0;
    for (; i < n; i++) {
        int d = digit((unsigned char)s[i], base);
        if (d < 0)
            break;
        /* (hi:lo) = (hi:lo) * base + d, wrapping */
        ucell l = *lo, h = *hi;
        ucell mask = ((ucell)1 << (CELL_BITS / 2)) - 1;
        ucell p0 = (l & mask) * (ucell)base + (ucell)d;
        ucell p1 = (l >> (CELL_BITS / 2)) * (ucell)base + (p0 >> (CELL_BITS / 2));
        *lo = (p0 & mask) | (p1 << (CELL_BITS / 2));
        *hi = h * (ucell)base + (p1 >> (CELL_BITS / 2));
    }
    return i;
}

/* Convert a number the way the interpreter sees it: #dec $hex %bin 'c',
 * a leading '-', a trailing '.' for a double.  0 if it is not a number. */
int fvmi_number(fvm_t *vm, const char *s, ucell n, cell *lo, cell *hi, int *dbl)
{
    cell b = *fvmi_sysvar(vm, V_BASE);
    *dbl = 0;
    if (n == 3 && s[0] == '\'' && s[2] == '\'') {
        *lo = (unsigned char)s[1];
        *hi = 0;
        return 1;
    }
    if (n && (s[0] == '#' || s[0] == '$' || s[0] == '%' || s[0] == '&')) {
        b = s[0] == '$' ? 16 : s[0] == '%' ? 2 : 10;
        s++, n--;
    }
    if (b < 2 || b > 36)
        return 0;
    bool neg = n && s[0] == '-';
    if (neg)
        s++, n--;
    if (n && s[n - 1] == '.') {
        *dbl = 1;
        n--;
    }
    if (n == 0)
        return 0;
    ucell l = 0, h = 0;
    if (accumulate(s, n, (int)b, &l, &h) != n)
        return 0;
    if (neg) {
        l = ~l + 1;
        h = ~h + (l == 0);
    }
    *lo = (cell)l;
    *hi = (cell)h;
    return 1;
}

int fc_tonumber(fvm_t *vm)  /* ( ud1 c-addr1 u1 -- ud2 c-addr2 u2 ) */
{
    NEEDS(4);
    cell n = pop(vm), a = pop(vm);
    ucell h = (ucell)pop(vm), l = (ucell)pop(vm);
    cell b = *fvmi_sysvar(vm, V_BASE);
    const char *s = n > 0 ? vm_addr(vm, (ucell)a, (ucell)n) : "";
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    ucell used = n > 0 && b >= 2 && b <= 36 ? accumulate(s, (ucell)n, (int)b, &l, &h) : 0;
    fvmi_charge(vm, used, 4);
    fvm_push(vm, (cell)l);
    fvm_push(vm, (cell)h);
    fvm_push(vm, (cell)((ucell)a + used));
    return fvm_push(vm, n - (cell)used);
}

/* ---- the interpreter ------------------------------------------------------- */

/* ( c-addr u -- ): interpret or compile one word. */
int fvmi_interpret(fvm_t *vm)
{
    cell len = pop(vm), addr = pop(vm);
    vm->last_word = (ucell)addr;
    vm->last_word_len = (ucell)len;
    const char *s = vm_addr(vm, (ucell)addr, (ucell)len);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    fvmi_charge(vm, (ucell)len, 4);    /* a number's scan is as long as it */
    int fl;
    cell state = *fvmi_sysvar(vm, V_STATE);
    if (state && vm->nloc) {
        int k = fvmi_local_find(vm, s, (ucell)len);
        if (k >= 0) {
            TRY(fvmi_op(vm, T_LOCFETCH));
            return fvmi_comma(vm, k);
        }
    }
    cell xt = fvmi_find(vm, s, (ucell)len, &fl);
    if (xt) {
        if (!state || (fl & F_IMMEDIATE)) {
            if (!state && (fl & F_COMPILE_ONLY))
                return FVM_E_COMPILE_ONLY;
            vm->exec_xt = xt;
            return RC_EXEC;
        }
        return fvmi_compile_xt(vm, xt);
    }
    cell lo, hi;
    int dbl;
    if (!fvmi_number(vm, s, (ucell)len, &lo, &hi, &dbl))
        return fvmi_float_word(vm, s, (ucell)len, state != 0);
    if (state) {
        TRY(fvmi_op(vm, T_LIT));
        TRY(fvmi_comma(vm, lo));
        if (dbl) {
            TRY(fvmi_op(vm, T_LIT));
            TRY(fvmi_comma(vm, hi));
        }
        return 0;
    }
    TRY(fvm_push(vm, lo));
    return dbl ? fvm_push(vm, hi) : 0;
}

/* ---- input sources -------------------------------------------------------- */

/* A nested file's line buffer starts past the current line of the file
 * that includes it: that file reads no line until this one is done, so the
 * line area is a stack. */
static ucell line_buf_for(fvm_t *vm, const src_t *s)
{
    for (const src_t *p = s - 1; p >= vm->src; p--)
        if (p->kind == SRC_FILE)
            return (p->linebuf + p->len + CELL) & ~(ucell)(CELL - 1);
    return vm->line_bufs;
}

/* The room a file source's line may take (READ-LINE's buffer). */
static ucell line_cap(const fvm_t *vm, const src_t *s)
{
    ucell end = vm->line_bufs + vm->line_area;
    ucell room = s->linebuf < end ? end - s->linebuf : 0;
    return room < LINE_MAX_LEN ? room : LINE_MAX_LEN;
}

int fvmi_push_source(fvm_t *vm, int kind, ucell buf, ucell len, cell fileid)
{
    if (vm->nsrc == MAX_SOURCES || (kind == SRC_FILE && vm->nfiles == MAX_FILES))
        return -258;
    cur(vm)->toin = *toin(vm);
    src_t *s = &vm->src[vm->nsrc++];
    s->kind = kind;
    s->buf = buf;
    s->len = len;
    s->fileid = fileid;
    s->line = 0;
    s->pos_lo = s->pos_hi = 0;
    s->name = s->namelen = 0;
    if (kind == SRC_FILE) {
        s->linebuf = s->name = line_buf_for(vm, s);
        s->buf = s->linebuf;
        s->len = 0;
        vm->nfiles++;
    }
    *toin(vm) = 0;
    *fvmi_sysvar(vm, V_BLK) = kind == SRC_BLOCK ? fileid : 0;
    return 0;
}

void fvmi_pop_source(fvm_t *vm)
{
    if (vm->nsrc <= 1)
        return;
    if (cur(vm)->kind == SRC_FILE)
        vm->nfiles--;
    vm->nsrc--;
    *toin(vm) = cur(vm)->toin;
    *fvmi_sysvar(vm, V_BLK) = cur(vm)->kind == SRC_BLOCK ? cur(vm)->fileid : 0;
}

int fc_push_string(fvm_t *vm)  /* ( c-addr u -- ) */
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    if (n < 0 || !vm_addr(vm, (ucell)a, (ucell)n))
        return FVM_E_INVALID_ADDRESS;
    return fvmi_push_source(vm, SRC_STRING, (ucell)a, (ucell)n, -1);
}

/* ( fileid c-addr u -- ): the name goes at the start of the file's slot
 * of the line area (its line buffer follows), cut to FILE_NAME_MAX. */
int fc_push_file(fvm_t *vm)
{
    NEEDS(3);
    cell n = pop(vm), a = pop(vm), fid = pop(vm);
    ucell len = n > 0 ? ((ucell)n < FILE_NAME_MAX ? (ucell)n : FILE_NAME_MAX) : 0;
    const char *name = len ? vm_addr(vm, (ucell)a, len) : NULL;
    TRY(fvmi_push_source(vm, SRC_FILE, 0, 0, fid));
    src_t *s = cur(vm);
    if (!name || s->name + len + CELL > vm->line_bufs + vm->line_area)
        len = 0;                         /* nameless, or no room for it */
    char *d = (char *)(vm->bias + s->name);
    if (d < name)
        for (ucell k = 0; k < len; k++)
            d[k] = name[k];
    else
        for (ucell k = len; k-- > 0;)
            d[k] = name[k];
    s->namelen = len;
    s->linebuf = s->buf = (s->name + len + CELL - 1) & ~(ucell)(CELL - 1);
    return 0;
}

/* The innermost file being interpreted, or NULL. */
static const src_t *cur_file(const fvm_t *vm)
{
    for (int i = vm->nsrc - 1; i >= 0; i--)
        if (vm->src[i].kind == SRC_FILE)
            return &vm->src[i];
    return NULL;
}

/* (near) ( c-addr u -- c-addr2 u2 true | c-addr u false ): a relative
 * name as a path from the directory of the file being included (in a
 * transient buffer); false for an absolute name, outside a file, or a
 * file name without a directory. */
int fc_near(fvm_t *vm)
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    TRY(fvm_push(vm, a));
    TRY(fvm_push(vm, n));
    const char *name = n > 0 ? vm_addr(vm, (ucell)a, (ucell)n) : NULL;
    const src_t *f = cur_file(vm);
    const char *dir = f && f->namelen ? vm_addr(vm, f->name, f->namelen) : NULL;
    ucell dl = dir ? f->namelen : 0;
    while (dl && dir[dl - 1] != '/')
        dl--;
    if (!name || name[0] == '/' || !dl || dl + (ucell)n > SBUF_SIZE)
        return fvm_push(vm, 0);
    ucell buf = fvmi_sbuf(vm);
    char *d = (char *)(vm->bias + buf);
    for (ucell k = 0; k < dl; k++)
        d[k] = dir[k];
    for (ucell k = 0; k < (ucell)n; k++)
        d[dl + k] = name[k];
    pop(vm);
    pop(vm);
    TRY(fvm_push(vm, (cell)buf));
    TRY(fvm_push(vm, (cell)(dl + (ucell)n)));
    return fvm_push(vm, -1);
}

int fc_pop_source(fvm_t *vm)  /* ( -- fileid ) */
{
    cell fid = cur(vm)->kind == SRC_FILE ? cur(vm)->fileid : 0;
    fvmi_pop_source(vm);
    return fvm_push(vm, fid);
}

int fc_source_line(fvm_t *vm)  /* ( -- c-addr u ) the file's line buffer */
{
    if (cur(vm)->kind != SRC_FILE)
        return -21;
    if (line_cap(vm, cur(vm)) < 2)
        return -259;                     /* the files around took the room */
    TRY(fvm_push(vm, (cell)cur(vm)->linebuf));
    return fvm_push(vm, (cell)line_cap(vm, cur(vm)));
}

int fc_set_line(fvm_t *vm)  /* ( u -- ) */
{
    NEEDS(1);
    cell n = pop(vm);
    src_t *s = cur(vm);
    if (s->kind != SRC_FILE)
        return -21;
    if (n < 0 || (ucell)n + 1 >= line_cap(vm, s)) {   /* READ-LINE filled the buffer */
        s->line++;
        vm->last_word_len = 0;
        return -259;
    }
    s->buf = s->linebuf;
    s->len = (ucell)n;
    s->line++;
    *toin(vm) = 0;
    return 0;
}

int fc_set_lineno(fvm_t *vm)  /* ( u -- ) line number after RESTORE-INPUT */
{
    NEEDS(1);
    cur(vm)->line = (unsigned)pop(vm);
    return 0;
}

int fc_set_pos(fvm_t *vm)  /* ( ud -- ) where the next line starts */
{
    NEEDS(2);
    cur(vm)->pos_hi = pop(vm);
    cur(vm)->pos_lo = pop(vm);
    return 0;
}

/* (where) ( -- c-addr u line ): the file being interpreted and the line
 * number, or an empty name and the terminal's line count (gforth's ~~). */
int fc_where(fvm_t *vm)
{
    const src_t *s = cur_file(vm);
    if (s) {
        TRY(fvm_push(vm, (cell)s->name));
        TRY(fvm_push(vm, (cell)s->namelen));
        return fvm_push(vm, (cell)s->line);
    }
    TRY(fvm_push(vm, (cell)vm->tq));
    TRY(fvm_push(vm, 0));
    return fvm_push(vm, (cell)vm->term_lines);
}

/* ( c-addr u ior -- ) throw ior naming the file: an INCLUDED that could
 * not open it (the host's ior: -38 no such file, or its own, which
 * fvm_config_t.throw_text words) */
int fc_nofile(fvm_t *vm)
{
    NEEDS(3);
    cell ior = pop(vm), n = pop(vm), a = pop(vm);
    vm->last_word = (ucell)a;
    vm->last_word_len = (ucell)n;
    return ior < 0 && ior >= -4095 ? (int)ior : FVM_E_NO_FILE;
}

/* SAVE-INPUT ( -- x1 .. x5 5 ) kind >IN line/serial/block pos-lo pos-hi
 * (or buf len) */
int fc_save_input(fvm_t *vm)
{
    src_t *s = cur(vm);
    cell v[5] = { s->kind, *toin(vm), 0, 0, 0 };
    if (s->kind == SRC_FILE) {
        v[2] = (cell)s->line;
        v[3] = s->pos_lo;
        v[4] = s->pos_hi;
    } else if (s->kind == SRC_STRING) {
        v[3] = (cell)s->buf;
        v[4] = (cell)s->len;
    } else if (s->kind == SRC_BLOCK) {
        v[2] = s->fileid;
    } else {
        v[2] = (cell)vm->term_lines;
    }
    for (int i = 4; i >= 0; i--)
        TRY(fvm_push(vm, v[i]));
    return fvm_push(vm, 5);
}

/* (restore-input) ( x1..x5 5 -- 0 | -1 | ud toin line 1 | u toin 2 ):
 * 1 asks the caller to reposition the file to ud, read the line and set
 * toin; 2 to make block u the source again and set toin. */
int fc_restore_input(fvm_t *vm)
{
    NEEDS(1);
    cell n = pop(vm);
    if (n < 0 || fvm_depth(vm) < n)
        return FVM_E_STACK_UNDERFLOW;
    if (n != 5) {
        while (n--)
            pop(vm);
        return fvm_push(vm, -1);
    }
    cell v[5];
    for (int i = 0; i < 5; i++)
        v[i] = pop(vm);
    src_t *s = cur(vm);
    if (v[0] != s->kind)
        return fvm_push(vm, -1);
    bool same = s->kind == SRC_FILE ? v[2] == (cell)s->line
              : s->kind == SRC_STRING ? (v[3] == (cell)s->buf && v[4] == (cell)s->len)
              : s->kind == SRC_BLOCK ? v[2] == s->fileid
              : v[2] == (cell)vm->term_lines;
    if (same) {
        *toin(vm) = v[1];
        return fvm_push(vm, 0);
    }
    if (s->kind == SRC_BLOCK) {
        if (v[2] < 1 || v[2] > FVM_BLOCK_MAX)
            return fvm_push(vm, -1);
        TRY(fvm_push(vm, v[2]));
        TRY(fvm_push(vm, v[1]));
        return fvm_push(vm, 2);
    }
    if (s->kind != SRC_FILE)
        return fvm_push(vm, -1);
    TRY(fvm_push(vm, v[3]));
    TRY(fvm_push(vm, v[4]));
    TRY(fvm_push(vm, v[1]));
    TRY(fvm_push(vm, v[2]));
    return fvm_push(vm, 1);
}

/* ---- the terminal ---------------------------------------------------------- */

/* Drop the current terminal line; make the next complete line current.
 * 1: a line, 0: end of input, -1: no complete line yet. */
static void tq_compact(fvm_t *vm)
{
    char *q = tq(vm);
    for (ucell k = vm->tq_line; k < vm->tq_len; k++)
        q[k - vm->tq_line] = q[k];
    vm->tq_len -= vm->tq_line;
    vm->tq_line = 0;
    vm->src[0].len = 0;
}

/* Make the next complete terminal line current (dropping the old one).
 * 1: a line, 0: end of input, -1: no complete line yet, -259: a line
 * longer than the queue (it is skipped up to its end).  done: the current
 * line is finished whatever happens (the QUIT loop), so while waiting its
 * room goes to new input; a program's REFILL keeps it, since a REFILL
 * that fails leaves the input as it was. */
static int refill_term(fvm_t *vm, bool done)
{
    char *q = tq(vm);
    src_t *t = &vm->src[0];
    ucell i = vm->tq_line;
    while (i < vm->tq_len && q[i] != '\n')
        i++;
    if (i == vm->tq_len && !vm->tq_eof) {
        if (vm->tq_len - vm->tq_line == vm->tq_size) {
            vm->tq_len = vm->tq_line = 0;
            t->len = 0;
            vm->tq_skip = true;
            vm->last_word_len = 0;
            return -259;
        }
        if (vm->tq_len == vm->tq_size || (done && vm->tq_line))
            tq_compact(vm);
        return -1;
    }
    if (vm->tq_len == vm->tq_line)
        return 0;
    i -= vm->tq_line;
    tq_compact(vm);
    vm->tq_line = i < vm->tq_len ? i + 1 : i;
    if (i > 0 && q[i - 1] == '\r')
        i--;
    t->buf = vm->tq;
    t->len = i;
    t->line++;
    vm->term_lines++;
    if (vm->nsrc == 1)
        *toin(vm) = 0;
    else
        t->toin = 0;
    return 1;
}

static int refill(fvm_t *vm, fvm_want_t want)
{
    int r = refill_term(vm, want == FVM_WANT_LINE);
    if (r == -1) {
        vm->want = want;
        return RC_NEED_INPUT;
    }
    if (r < 0)
        return r;
    return fvm_push(vm, r ? -1 : 0);
}

/* ( -- flag ): REFILL from the terminal, by a program / by the QUIT loop */
int fc_refill_term(fvm_t *vm) { return refill(vm, FVM_WANT_ACCEPT); }
int fc_refill_quit(fvm_t *vm) { return refill(vm, FVM_WANT_LINE); }

/* Remove n bytes of pending input starting at offset off (>= tq_line). */
static void tq_remove(fvm_t *vm, ucell off, ucell n)
{
    char *q = tq(vm);
    for (ucell i = off + n; i < vm->tq_len; i++)
        q[i - n] = q[i];
    vm->tq_len -= n;
}

int fc_accept(fvm_t *vm)  /* ( c-addr +n1 -- +n2 ) */
{
    NEEDS(2);
    cell n1, a;
    fvm_pop(vm, &n1);
    fvm_pop(vm, &a);
    fvm_push(vm, a);
    fvm_push(vm, n1);
    char *dst = n1 > 0 ? vm_waddr(vm, (ucell)a, (ucell)n1) : NULL;
    if (n1 > 0 && !dst)
        return FVM_E_INVALID_ADDRESS;
    const char *q = tq(vm);
    ucell i = vm->tq_line;
    while (i < vm->tq_len && q[i] != '\n')
        i++;
    if (i == vm->tq_len && !vm->tq_eof && vm->tq_len < vm->tq_size) {
        vm->want = FVM_WANT_ACCEPT;
        return RC_NEED_INPUT;
    }
    ucell len = i - vm->tq_line, n = len < (ucell)(n1 > 0 ? n1 : 0) ? len : (ucell)(n1 > 0 ? n1 : 0);
    if (n && q[vm->tq_line + n - 1] == '\r' && n == len)
        n--;
    for (ucell k = 0; k < n; k++)
        dst[k] = q[vm->tq_line + k];
    tq_remove(vm, vm->tq_line, i < vm->tq_len ? len + 1 : len);
    pop(vm);
    pop(vm);
    return fvm_push(vm, (cell)n);
}

int fc_key(fvm_t *vm)
{
    if (vm->tq_len > vm->tq_line) {
        int c = (unsigned char)tq(vm)[vm->tq_line];
        tq_remove(vm, vm->tq_line, 1);
        return fvm_push(vm, c);
    }
    if (vm->tq_eof)
        return fvm_push(vm, 4);
    vm->want = FVM_WANT_KEY;
    return RC_NEED_INPUT;
}

void fvmi_reset(fvm_t *vm)
{
    while (vm->nsrc > 1)
        fvmi_pop_source(vm);
    vm->src[0].len = 0;
    *toin(vm) = 0;
    *fvmi_sysvar(vm, V_BLK) = 0;
    *fvmi_sysvar(vm, V_STATE) = 0;
    fvmi_locals_end(vm);
    if (vm->norder == 0) {            /* an empty search order: FORTH again */
        vm->order[0] = (cell)(vm->sysv + V_FORTH_WL * CELL);
        vm->norder = 1;
    }
    vm->leave_chain = 1;
    vm->resume_tok = -1;
    vm->resume_xt = 0;
    vm->exec_xt = 0;
    /* what a program may have scribbled on and the VM needs to run */
    *fvmi_sysvar(vm, V_UNCATCH) = T_UNCATCH;
    *fvmi_sysvar(vm, V_ENTRY1) = T_HALT;
    cell *base = fvmi_sysvar(vm, V_BASE);
    if (*base < 2 || *base > 36)
        *base = 10;
}

size_t fvm_input(fvm_t *vm, const char *s, size_t n)
{
    char *q = tq(vm);
    size_t k = 0;
    while (k < n && vm->tq_skip)      /* the rest of an overlong line */
        if (s[k++] == '\n')
            vm->tq_skip = false;
    while (k < n && vm->tq_len < vm->tq_size)
        q[vm->tq_len++] = s[k++];
    return k;
}

void fvm_input_eof(fvm_t *vm) { vm->tq_eof = true; }
fvm_want_t fvm_wants(const fvm_t *vm) { return vm->want; }
