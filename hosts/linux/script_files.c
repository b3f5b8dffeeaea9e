/* script_files -- command-line scripts from the host (see script_files.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "script_files.h"
#include "tasks/ftask.h"

#define MAX_SCRIPTS 64

typedef struct {
    char *name;
    char *text;                 /* NULL: the file does not exist */
    size_t len;
} script_t;

typedef struct {
    ftask_t *owner;             /* NULL: free */
    const script_t *s;
    size_t pos;                 /* may lie past the end (REPOSITION-FILE) */
} handle_t;

static struct {
    script_t script[MAX_SCRIPTS];
    int n;
    handle_t h[SCRIPT_FILES_OPEN];
    const fvm_file_ops_t *inner;
    fvm_file_ops_t ops;
} sf;

/* The whole of file `name` into s->text (s->text stays NULL if there is no
 * such file): NULL, or why not.  Blocking: before the kernel starts. */
static const char *load(script_t *s, const char *name)
{
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? NULL : strerror(errno);
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        close(fd);
        return strerror(EISDIR);
    }
    size_t cap = 4096, len = 0;
    char *text = malloc(cap);
    const char *why = text ? NULL : strerror(ENOMEM);
    while (!why) {
        if (len == cap) {
            char *t = len < SCRIPT_FILES_MAX_BYTES + 1 ? realloc(text, cap *= 2) : NULL;
            if (!t) {
                why = len > SCRIPT_FILES_MAX_BYTES ? "a script is at most 1 MiB" : strerror(ENOMEM);
                break;
            }
            text = t;
        }
        ssize_t k = read(fd, text + len, cap - len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            why = strerror(errno);
        else if (k == 0)
            break;
        else if ((len += (size_t)k) > SCRIPT_FILES_MAX_BYTES)
            why = "a script is at most 1 MiB";
    }
    close(fd);
    if (why) {
        free(text);
        return why;
    }
    s->text = text;
    s->len = len;
    return NULL;
}

const char *script_files_add(const char *name)
{
    for (int i = 0; i < sf.n; i++)
        if (!strcmp(sf.script[i].name, name))
            return NULL;
    if (sf.n == MAX_SCRIPTS)
        return "too many scripts";
    script_t *s = &sf.script[sf.n];
    if (!(s->name = strdup(name)))
        return strerror(ENOMEM);
    const char *why = load(s, name);
    if (why) {
        free(s->name);
        s->name = NULL;
        return why;
    }
    sf.n++;
    return NULL;
}

/* The handle fileid `id` names in the task running vm, or NULL. */
static handle_t *handle_of(fvm_t *vm, fvm_cell_t id)
{
    ftask_t *f = ftask_of(vm);
    if (!f || id <= SCRIPT_FILES_FID || id > SCRIPT_FILES_FID + SCRIPT_FILES_OPEN)
        return NULL;
    handle_t *h = &sf.h[id - SCRIPT_FILES_FID - 1];
    return h->owner == f ? h : NULL;
}

/* The handle the fileid on top of the stack names (left there), or NULL:
 * then the call is the file service's. */
static handle_t *top(fvm_t *vm)
{
    fvm_cell_t id;
    if (fvm_pop(vm, &id))
        return NULL;
    fvm_push(vm, id);
    return handle_of(vm, id);
}

/* ( c-addr u fam -- fileid ior ) */
static int s_open(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t fam, u, a;
    if (fvm_depth(vm) < 3)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &fam);
    fvm_pop(vm, &u);
    fvm_pop(vm, &a);
    const char *name = u > 0 ? fvm_mem(vm, a, (size_t)u) : NULL;
    const script_t *s = NULL;
    for (int i = 0; name && fam == 0 && ftask_of(vm) && i < sf.n && !s; i++)
        if (strlen(sf.script[i].name) == (size_t)u && !memcmp(sf.script[i].name, name, (size_t)u))
            s = &sf.script[i];
    if (!s) {
        fvm_push(vm, a);
        fvm_push(vm, u);
        fvm_push(vm, fam);
        return sf.inner->open(vm, sf.inner->ctx);
    }
    int slot = 0;
    while (slot < SCRIPT_FILES_OPEN && sf.h[slot].owner)
        slot++;
    fvm_cell_t id = 0, ior = -69;                 /* OPEN-FILE exception */
    if (!s->text) {
        ior = FVM_E_NO_FILE;
    } else if (slot < SCRIPT_FILES_OPEN) {
        sf.h[slot] = (handle_t){ ftask_of(vm), s, 0 };
        id = SCRIPT_FILES_FID + slot + 1;
        ior = 0;
    }
    int rc = fvm_push(vm, id);
    return rc ? rc : fvm_push(vm, ior);
}

/* Pop the fileid and the two cells under it (their depth checked). */
static void pop3(fvm_t *vm, fvm_cell_t *second, fvm_cell_t *third)
{
    fvm_cell_t id;
    fvm_pop(vm, &id);
    fvm_pop(vm, second);
    fvm_pop(vm, third);
}

/* Push a b c: 0 or the first push's error. */
static int push3(fvm_t *vm, fvm_cell_t a, fvm_cell_t b, fvm_cell_t c)
{
    int rc = fvm_push(vm, a);
    if (!rc)
        rc = fvm_push(vm, b);
    return rc ? rc : fvm_push(vm, c);
}

/* ( fileid -- ior ) */
static int s_close(fvm_t *vm, void *ctx)
{
    (void)ctx;
    handle_t *h = top(vm);
    if (!h)
        return sf.inner->close(vm, sf.inner->ctx);
    fvm_cell_t id;
    fvm_pop(vm, &id);
    *h = (handle_t){ 0 };
    return fvm_push(vm, 0);
}

/* ( c-addr u1 fileid -- u2 flag ior ), as stdio_files' READ-LINE: the
 * terminator is "\n" or "\r\n"; u2 = u1 means it has not been reached. */
static int s_read_line(fvm_t *vm, void *ctx)
{
    (void)ctx;
    handle_t *h = fvm_depth(vm) >= 3 ? top(vm) : NULL;
    if (!h)
        return sf.inner->read_line(vm, sf.inner->ctx);
    fvm_cell_t u, a;
    pop3(vm, &u, &a);
    fvm_ucell_t max = (fvm_ucell_t)u, n = 0;
    char *buf = max ? fvm_mem_w(vm, a, max) : NULL;
    if (max && !buf)
        return FVM_E_INVALID_ADDRESS;
    const char *t = h->s->text;
    size_t len = h->s->len, pos = h->pos;
    bool eol = false;
    while (n < max && pos < len) {
        if (t[pos] == '\n' || (t[pos] == '\r' && pos + 1 < len && t[pos + 1] == '\n')) {
            pos += t[pos] == '\n' ? 1 : 2;
            eol = true;
            break;
        }
        buf[n++] = t[pos++];
    }
    bool more = !eol && pos < len;
    h->pos = pos;
    return push3(vm, (fvm_cell_t)n, n > 0 || eol || more ? -1 : 0, 0);
}

/* ( fileid -- ud ior ) */
static int s_position(fvm_t *vm, void *ctx)
{
    (void)ctx;
    handle_t *h = top(vm);
    if (!h)
        return sf.inner->position(vm, sf.inner->ctx);
    fvm_cell_t id;
    fvm_pop(vm, &id);
    return push3(vm, (fvm_cell_t)h->pos, 0, 0);
}

/* ( ud fileid -- ior ) */
static int s_reposition(fvm_t *vm, void *ctx)
{
    (void)ctx;
    handle_t *h = fvm_depth(vm) >= 3 ? top(vm) : NULL;
    if (!h)
        return sf.inner->reposition(vm, sf.inner->ctx);
    fvm_cell_t hi, lo;
    pop3(vm, &hi, &lo);
    bool ok = hi == 0 && lo >= 0;
    if (ok)
        h->pos = (size_t)lo;
    return fvm_push(vm, ok ? 0 : -73);           /* REPOSITION-FILE */
}

const fvm_file_ops_t *script_files_ops(const fvm_file_ops_t *inner)
{
    sf.inner = inner;
    sf.ops = (fvm_file_ops_t){ s_open, s_close, s_read_line, s_position, s_reposition, NULL };
    return &sf.ops;
}

/* A task ends: what it left open is closed. */
static void task_ended(ftask_t *f)
{
    for (int i = 0; i < SCRIPT_FILES_OPEN; i++)
        if (sf.h[i].owner == f)
            sf.h[i] = (handle_t){ 0 };
}

kerr_t script_files_start(void)
{
    return ftask_on_end(task_ended);
}
