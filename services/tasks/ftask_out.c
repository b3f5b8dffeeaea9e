/*
 * ftask_out -- a Forth task's output (see ftask_int.h): the VM's write
 * hook and the report of an uncaught error.
 */
#include "ftask_int.h"
#include "common/cerr.h"
#include "kstring.h"

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

size_t ftask_out_write(void *io, const char *s, size_t n)
{
    ftask_t *f = io;
    if (f->sink.write)
        return f->sink.write(f->sink.ctx, s, n);
    if (!f->port)
        return n;                 /* no port (an eval's child): nowhere */
    size_t done = 0;
    while (done < n) {
        bbq_grant_t g;
        if (bbq_grant_max(&f->port->tx, (uint32_t)(n - done > 0xffff ? 0xffff : n - done), &g) != KERR_OK)
            break;
        kmem_copy(g.ptr, s + done, g.len);
        bbq_commit(&f->port->tx, g.len);
        done += g.len;
    }
    if (done < n)
        f->out_blocked = true;
    return done;
}

void ftask_out_puts(ftask_t *f, const char *s)
{
    ftask_out_write(f, s, slen(s));
}

static void put_num(ftask_t *f, unsigned long v)
{
    char b[24];
    int k = 0;
    do
        b[k++] = (char)('0' + v % 10);
    while ((v /= 10));
    char o[24];
    for (int i = 0; i < k; i++)
        o[i] = b[k - 1 - i];
    ftask_out_write(f, o, (size_t)k);
}

/* So that an INCLUDED refused by the file service says "path refused:
 * ../x.fs". */
const char *ftask_out_throw_text(int code)
{
    return code <= CERR_PATH && code >= CERR_LAST ? cerr_text(code) : NULL;
}

/* "file:line: message: word" -- the REPL's format; a spawned child's
 * line names it: "task 7: ...".  Then the line with the word marked, but
 * for a message of its own (ABORT"'s, "nope.txt: no such file"), which
 * stands alone. */
void ftask_out_report(ftask_t *f)
{
    const fvm_error_t *e = fvm_error(f->vm);
    if (f->mode == FTASK_EXEC) {
        ftask_out_puts(f, "task ");
        put_num(f, f->id);
        ftask_out_puts(f, ": ");
    }
    if (e->source && *e->source) {
        ftask_out_puts(f, e->source);
        ftask_out_puts(f, ":");
        put_num(f, e->line);
        ftask_out_puts(f, ": ");
    }
    ftask_out_puts(f, e->message);
    /* the word, unless the message is its own (ABORT", a service's reason) */
    const char *t = ftask_out_throw_text(e->code);
    const char *std = t ? t : fvm_throw_text(e->code);
    bool own = false;
    for (size_t i = 0; !own && (e->message[i] || std[i]); i++)
        own = e->message[i] != std[i];
    if (e->code != FVM_E_ABORT && e->code != FVM_E_ABORTQ && !own && e->word && *e->word) {
        ftask_out_puts(f, ": ");
        ftask_out_puts(f, e->word);
    }
    ftask_out_puts(f, "\n");
    if (!own && e->context && *e->context) {  /* the line, the word marked */
        ftask_out_puts(f, e->context);
        ftask_out_puts(f, "\n");
    }
}
