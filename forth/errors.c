/*
 * errors.c -- THROW codes: their texts, and recording where an uncaught
 * exception happened (code, message, file, line, word).
 */
#include "fvm_int.h"

static const struct {
    int code;
    const char *text;
} texts[] = {
    { -1, "aborted" }, { -2, "aborted" }, { -3, "stack overflow" },
    { -4, "stack underflow" }, { -5, "return stack overflow" },
    { -6, "return stack underflow" }, { -7, "do-loops nested too deeply" },
    { -8, "dictionary overflow" }, { -9, "invalid memory address" },
    { -10, "division by zero" }, { -11, "result out of range" },
    { -12, "argument type mismatch" }, { -13, "undefined word" },
    { -14, "interpreting a compile-only word" }, { -15, "invalid FORGET" },
    { -16, "attempt to use zero-length string as a name" },
    { -17, "pictured numeric output string overflow" },
    { -18, "parsed string overflow" }, { -19, "definition name too long" },
    { -20, "write to a read-only location" }, { -21, "unsupported operation" },
    { -22, "control structure mismatch" }, { -23, "address alignment exception" },
    { -24, "invalid numeric argument" }, { -25, "return stack imbalance" },
    { -26, "loop parameters unavailable" }, { -27, "invalid recursion" },
    { -28, "user interrupt" }, { -29, "compiler nesting" },
    { -30, "obsolescent feature" }, { -31, ">BODY used on non-CREATEd definition" },
    { -32, "invalid name argument" }, { -33, "block read exception" },
    { -34, "block write exception" }, { -35, "invalid block number" },
    { -36, "invalid file position" }, { -37, "file I/O exception" },
    { -38, "non-existent file" }, { -39, "unexpected end of file" },
    { -40, "invalid BASE for floating point conversion" },
    { -41, "loss of precision" }, { -42, "floating-point divide by zero" },
    { -43, "floating-point result out of range" },
    { -44, "floating-point stack overflow" },
    { -45, "floating-point stack underflow" },
    { -46, "floating-point invalid argument" },
    { -47, "compilation word list deleted" }, { -48, "invalid POSTPONE" },
    { -49, "search-order overflow" }, { -50, "search-order underflow" },
    { -51, "compilation word list changed" },
    { -52, "control-flow stack overflow" },
    { -53, "exception stack overflow" }, { -54, "floating-point underflow" },
    { -55, "floating-point unidentified fault" }, { -56, "QUIT" },
    { -57, "exception in sending or receiving a character" },
    { -58, "[IF], [ELSE], or [THEN] exception" },
    { -59, "ALLOCATE" }, { -60, "FREE" }, { -61, "RESIZE" }, { -62, "CLOSE-FILE" },
    { -63, "CREATE-FILE" }, { -64, "DELETE-FILE" }, { -65, "FILE-POSITION" },
    { -66, "FILE-SIZE" }, { -67, "FILE-STATUS" }, { -68, "FLUSH-FILE" },
    { -69, "OPEN-FILE" }, { -70, "READ-FILE" }, { -71, "READ-LINE" },
    { -72, "RENAME-FILE" }, { -73, "REPOSITION-FILE" }, { -74, "RESIZE-FILE" },
    { -75, "WRITE-FILE" }, { -76, "WRITE-LINE" }, { -77, "malformed xchar" },
    { -78, "SUBSTITUTE" }, { -79, "REPLACES" },
    { -257, "host word table full" }, { -258, "input sources nested too deeply" },
    { -259, "input line too long" }, { -260, "too many locals" },
};

static bool known(int code)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].code == code)
            return true;
    return false;
}

const char *fvm_throw_text(int code)
{
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        if (texts[i].code == code)
            return texts[i].text;
    return code < 0 ? "exception" : "user exception";
}

static void copy(char *dst, size_t cap, const char *s, ucell n)
{
    size_t k = 0;
    for (; s && k < n && k + 1 < cap; k++)
        dst[k] = s[k];
    dst[k] = 0;
}

/* ---- where in the line ------------------------------------------------------ */

struct ctxbuf {
    char *p;
    ucell n, cap;
};

static void put(struct ctxbuf *b, const char *s, ucell n)
{
    for (ucell i = 0; i < n && b->n + 1 < b->cap; i++) {
        unsigned char c = (unsigned char)s[i];
        b->p[b->n++] = c < ' ' || c == 127 ? ' ' : (char)c;
    }
    b->p[b->n] = 0;
}

/* At most max bytes of s[0..n): the last ones (tail) or the first ones,
 * "..." marking what is left out. */
static void put_cut(struct ctxbuf *b, const char *s, ucell n, ucell max, bool tail)
{
    if (n <= max) {
        put(b, s, n);
    } else if (tail) {
        put(b, "...", 3);
        put(b, s + n - (max - 3), max - 3);
    } else {
        put(b, s, max - 3);
        put(b, "...", 3);
    }
}

static bool blank(unsigned char c) { return c <= ' '; }

/* The input line around the last word parsed, gforth's way:
 * "before >>>word<<< after", or "" when the word is the whole line. */
static void context(fvm_t *vm)
{
    struct ctxbuf b = { vm->err_ctx, 0, sizeof vm->err_ctx };
    vm->err_ctx[0] = 0;
    ucell w = vm->last_word, wn = vm->last_word_len;
    if (!wn)
        return;                              /* no word: no line to show */
    for (int i = vm->nsrc - 1; i >= 0; i--) {
        const src_t *s = &vm->src[i];
        if (w - s->buf > s->len || wn > s->buf + s->len - w)
            continue;
        ucell at = w - s->buf, start = 0, end = s->len;
        if (s->kind == SRC_BLOCK) {          /* the 64-character row of a block */
            start = at / 64 * 64;
            end = start + 64 < end ? start + 64 : end;
        }
        const char *line = vm_addr(vm, s->buf, s->len);
        if (!line || at + wn > end)
            return;
        while (start < at && blank((unsigned char)line[start]))
            start++;
        while (end > at + wn && blank((unsigned char)line[end - 1]))
            end--;
        if (start == at && end == at + wn)
            return;                          /* the word alone: nothing to add */
        put_cut(&b, line + start, at - start, 56, true);
        put(&b, ">>>", 3);
        put_cut(&b, line + at, wn, 32, false);
        put(&b, "<<<", 3);
        put_cut(&b, line + at + wn, end - at - wn, 28, false);
        return;
    }
}

/* The name of the word that was running (the innermost definition holding
 * code address ip), if it is a word of the program (not the interpreter
 * itself).  fvmi_word_at walks every word list and charges the steps. */
static bool running_word(fvm_t *vm, ucell ip)
{
    cell xt = ip ? fvmi_word_at(vm, ip) : 0;
    ucell n;
    const char *s = xt ? fvmi_xt_name(vm, xt, &n) : "";
    if (!xt || !n || s[0] == '(' || (n == 9 && (s[0] == 'I' || s[0] == 'E')))
        return false;                        /* INTERPRET, EVALUATE */
    copy(vm->err_word, sizeof vm->err_word, s, n);
    return true;
}

/* Record an exception as it is thrown.  msg (ABORT"'s text, or a host
 * word's own) is kept for the throw of `code` that follows it. */
void fvmi_set_error(fvm_t *vm, int code, const char *msg, ucell msglen)
{
    if (msg) {
        copy(vm->err_msg, sizeof vm->err_msg, msg, msglen);
        vm->err_custom = code;
        return;
    }
    if (!(vm->err_custom && code == vm->err_custom)) {
        const char *t = fvm_throw_text(code), *h;
        if (!known(code) && vm->cfg.throw_text && (h = vm->cfg.throw_text(code)) != NULL)
            t = h;
        ucell n = 0;
        while (t[n])
            n++;
        copy(vm->err_msg, sizeof vm->err_msg, t, n);
    }
    vm->err_custom = 0;
    vm->err.code = code;
    vm->err.message = vm->err_msg;
    /* the word interpreted; for -28, and when nothing was interpreted (a
     * task running an xt), the word that was running -- named only if the
     * exception is not caught (fvmi_error_word), as finding it walks every
     * word list and a CATCH loop may throw many times a run */
    const char *w = vm_addr(vm, vm->last_word, vm->last_word_len);
    bool none = !w || !vm->last_word_len;
    copy(vm->err_word, sizeof vm->err_word, w, w ? vm->last_word_len : 0);
    vm->err_ip = code == FVM_E_INTERRUPT || none ? fvmi_virt(vm, vm->ip) : 0;
    vm->err.word = vm->err_word;
    context(vm);
    vm->err.context = vm->err_ctx;
    vm->err.source = "";
    vm->err.line = 0;
    vm->err_src[0] = 0;
    for (int i = vm->nsrc - 1; i >= 0; i--) {
        const src_t *s = &vm->src[i];
        if (s->kind == SRC_FILE) {
            const char *nm = vm_addr(vm, s->name, s->namelen);
            copy(vm->err_src, sizeof vm->err_src, nm, nm ? s->namelen : 0);
            vm->err.line = s->line;
        } else if (s->kind == SRC_BLOCK) {     /* "block 12", line = its row */
            char num[24];
            int k = (int)sizeof num;
            ucell u = (ucell)s->fileid;
            do
                num[--k] = (char)('0' + u % 10);
            while ((u /= 10) && k > 0);
            copy(vm->err_src, sizeof vm->err_src, "block ", 6);
            copy(vm->err_src + 6, sizeof vm->err_src - 6, num + k, (ucell)(sizeof num - (size_t)k));
            cell in = i == vm->nsrc - 1 ? *fvmi_sysvar(vm, V_TOIN) : s->toin;
            vm->err.line = (unsigned)((in > 0 ? (ucell)in - 1 : 0) / 64 + 1);
        } else {
            continue;
        }
        vm->err.source = vm->err_src;
        break;
    }
}

/* An exception is uncaught: name the word that was running where it was
 * thrown, if fvmi_set_error left that for now (err_ip), in place of the
 * interpreted word.  RETHROW keeps the first throw's record, err_ip with
 * it.  The walk is charged: a debt the task's next run pays. */
void fvmi_error_word(fvm_t *vm)
{
    ucell ip = vm->err_ip;
    vm->err_ip = 0;
    if (ip)
        running_word(vm, ip);
}

const fvm_error_t *fvm_error(const fvm_t *vm) { return &vm->err; }
