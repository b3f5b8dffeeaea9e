/* stdio_files -- the VM's file hooks over stdio (see stdio_files.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include "stdio_files.h"

#define MAX_FILES STDIO_FILES_MAX

/* A Forth fileid is an index + 1 into this table, never a host pointer. */
typedef struct {
    FILE *f[MAX_FILES];
} files_t;

static FILE *file_of(files_t *ft, fvm_cell_t id)
{
    return id >= 1 && id <= MAX_FILES ? ft->f[id - 1] : NULL;
}

/* Pop n cells into v[0..n), v[0] being the deepest (the stack picture order). */
static int pop_args(fvm_t *vm, fvm_cell_t *v, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        int rc = fvm_pop(vm, &v[i]);
        if (rc) return rc;
    }
    return 0;
}

/* open: ( c-addr u fam -- fileid ior ) */
static int file_open(fvm_t *vm, void *ctx)
{
    static const char *const modes[] = { "r", "w", "r+" };
    files_t *ft = ctx;
    fvm_cell_t a[3];
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    fvm_ucell_t len = (fvm_ucell_t)a[1];
    const char *name = len ? fvm_mem(vm, a[0], len) : "";
    if (!name) return FVM_E_INVALID_ADDRESS;

    fvm_cell_t id = 0, ior = -69;                  /* OPEN-FILE exception */
    int slot = 0;
    while (slot < MAX_FILES && ft->f[slot]) slot++;
    if (len == 0 || memchr(name, 0, len)) {
        ior = FVM_E_NO_FILE;
    } else if (a[2] >= 0 && a[2] <= 2 && slot < MAX_FILES) {
        char *path = strndup(name, len);          /* relative to the cwd */
        FILE *f = path ? fopen(path, modes[a[2]]) : NULL;
        if (f) {
            ft->f[slot] = f;
            id = slot + 1;
            ior = 0;
        } else if (errno == ENOENT || errno == ENOTDIR) {
            ior = FVM_E_NO_FILE;
        }
        free(path);
    }
    if ((rc = fvm_push(vm, id))) return rc;
    return fvm_push(vm, ior);
}

/* close: ( fileid -- ior ) */
static int file_close(fvm_t *vm, void *ctx)
{
    files_t *ft = ctx;
    fvm_cell_t id;
    int rc = fvm_pop(vm, &id);
    if (rc) return rc;
    FILE *f = file_of(ft, id);
    if (f) ft->f[id - 1] = NULL;
    return fvm_push(vm, f && fclose(f) == 0 ? 0 : -62);   /* CLOSE-FILE */
}

/* read_line: ( c-addr u1 fileid -- u2 flag ior ), as Forth 2012 READ-LINE:
 * at most u1 characters, without the terminator ("\n" or "\r\n"); u2 = u1
 * means the terminator has not been reached yet (it may come next, as an
 * empty rest of the line).  At end of file: 0 false 0. */
static int file_read_line(fvm_t *vm, void *ctx)
{
    files_t *ft = ctx;
    fvm_cell_t a[3];
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    fvm_ucell_t max = (fvm_ucell_t)a[1];
    char *buf = max ? fvm_mem_w(vm, a[0], max) : NULL;
    if (max && !buf) return FVM_E_INVALID_ADDRESS;
    FILE *f = file_of(ft, a[2]);

    fvm_ucell_t n = 0;
    int c, eol = 0, more = 0;
    while (f && n < max) {
        if ((c = getc(f)) == EOF) break;
        if (c == '\n') { eol = 1; break; }
        if (c == '\r') {
            int d = getc(f);
            if (d == '\n') { eol = 1; break; }
            if (d != EOF) ungetc(d, f);
        }
        buf[n++] = (char)c;
    }
    if (f && n == max && (c = getc(f)) != EOF) {     /* full: is there more? */
        ungetc(c, f);
        more = 1;
    }
    fvm_cell_t ior = !f || ferror(f) ? -71 : 0;   /* READ-LINE exception */
    fvm_cell_t flag = ior == 0 && (n > 0 || eol || more) ? -1 : 0;
    if ((rc = fvm_push(vm, (fvm_cell_t)n)) || (rc = fvm_push(vm, flag))) return rc;
    return fvm_push(vm, ior);
}

/* position: ( fileid -- ud ior ) */
static int file_position(fvm_t *vm, void *ctx)
{
    fvm_cell_t id;
    int rc = fvm_pop(vm, &id);
    if (rc) return rc;
    FILE *f = file_of(ctx, id);
    off_t pos = f ? ftello(f) : -1;
    if ((rc = fvm_push(vm, pos < 0 ? 0 : (fvm_cell_t)pos)) || (rc = fvm_push(vm, 0)))
        return rc;
    return fvm_push(vm, pos < 0 ? -65 : 0);          /* FILE-POSITION */
}

/* reposition: ( ud fileid -- ior ) */
static int file_reposition(fvm_t *vm, void *ctx)
{
    fvm_cell_t a[3];                                 /* ud-low ud-high fileid */
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    FILE *f = file_of(ctx, a[2]);
    int ok = f && a[1] == 0 && a[0] >= 0 && fseeko(f, (off_t)a[0], SEEK_SET) == 0;
    return fvm_push(vm, ok ? 0 : -73);               /* REPOSITION-FILE */
}


/* ---- the rest of FILE-ACCESS (fvm_file_ext_t) ------------------------------ */

/* The name c-addr u as a C string (malloc'ed), or NULL: *ior says why. */
static char *path_of(fvm_t *vm, fvm_cell_t a, fvm_cell_t u, fvm_cell_t *ior, int *rc)
{
    const char *name = u > 0 ? fvm_mem(vm, a, (size_t)u) : NULL;
    *rc = 0;
    if (u > 0 && !name) {
        *rc = FVM_E_INVALID_ADDRESS;
        return NULL;
    }
    if (u <= 0 || memchr(name, 0, (size_t)u)) {
        *ior = FVM_E_NO_FILE;
        return NULL;
    }
    char *p = strndup(name, (size_t)u);
    if (!p) *ior = -37;
    return p;
}

/* Between a read and a write on one stream stdio wants a seek. */
static void turn(FILE *f) { fseeko(f, 0, SEEK_CUR); }

/* create: ( c-addr u fam -- fileid ior ) */
static int file_create(fvm_t *vm, void *ctx)
{
    static const char *const modes[] = { "w+", "w", "w+" };
    files_t *ft = ctx;
    fvm_cell_t a[3], id = 0, ior = -63;           /* CREATE-FILE exception */
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    char *path = path_of(vm, a[0], a[1], &ior, &rc);
    if (rc) return rc;
    int slot = 0;
    while (slot < MAX_FILES && ft->f[slot]) slot++;
    if (path && a[2] >= 0 && a[2] <= 2 && slot < MAX_FILES) {
        FILE *f = fopen(path, modes[a[2]]);
        if (f) {
            ft->f[slot] = f;
            id = slot + 1;
            ior = 0;
        }
    }
    free(path);
    if ((rc = fvm_push(vm, id))) return rc;
    return fvm_push(vm, ior);
}

/* read: ( c-addr u1 fileid -- u2 ior ) */
static int file_read(fvm_t *vm, void *ctx)
{
    fvm_cell_t a[3];
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    size_t max = (size_t)a[1];
    char *buf = max ? fvm_mem_w(vm, a[0], max) : NULL;
    if (max && !buf) return FVM_E_INVALID_ADDRESS;
    FILE *f = file_of(ctx, a[2]);
    size_t n = 0;
    if (f) {
        turn(f);
        n = fread(buf, 1, max, f);
    }
    if ((rc = fvm_push(vm, (fvm_cell_t)n))) return rc;
    return fvm_push(vm, !f || ferror(f) ? -70 : 0);   /* READ-FILE */
}

/* write: ( c-addr u fileid -- ior ) */
static int file_write(fvm_t *vm, void *ctx)
{
    fvm_cell_t a[3];
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    size_t n = (size_t)a[1];
    const char *buf = n ? fvm_mem(vm, a[0], n) : "";
    if (!buf) return FVM_E_INVALID_ADDRESS;
    FILE *f = file_of(ctx, a[2]);
    int ok = 0;
    if (f) {
        turn(f);
        ok = fwrite(buf, 1, n, f) == n;
    }
    return fvm_push(vm, ok ? 0 : -75);                 /* WRITE-FILE */
}

/* size: ( fileid -- ud ior ) */
static int file_size(fvm_t *vm, void *ctx)
{
    fvm_cell_t id;
    int rc = fvm_pop(vm, &id);
    if (rc) return rc;
    FILE *f = file_of(ctx, id);
    struct stat st;
    int ok = f && fflush(f) == 0 && fstat(fileno(f), &st) == 0;
    if ((rc = fvm_push(vm, ok ? (fvm_cell_t)st.st_size : 0)) || (rc = fvm_push(vm, 0)))
        return rc;
    return fvm_push(vm, ok ? 0 : -66);                 /* FILE-SIZE */
}

/* resize: ( ud fileid -- ior ) */
static int file_resize(fvm_t *vm, void *ctx)
{
    fvm_cell_t a[3];
    int rc = pop_args(vm, a, 3);
    if (rc) return rc;
    FILE *f = file_of(ctx, a[2]);
    int ok = f && a[1] == 0 && a[0] >= 0 && fflush(f) == 0
          && ftruncate(fileno(f), (off_t)a[0]) == 0;
    return fvm_push(vm, ok ? 0 : -74);                 /* RESIZE-FILE */
}

/* remove: ( c-addr u -- ior ) */
static int file_remove(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t a[2], ior = -64;                        /* DELETE-FILE */
    int rc = pop_args(vm, a, 2);
    if (rc) return rc;
    char *path = path_of(vm, a[0], a[1], &ior, &rc);
    if (rc) return rc;
    if (path) {
        if (remove(path) == 0) ior = 0;
        else if (errno == ENOENT) ior = FVM_E_NO_FILE;
    }
    free(path);
    return fvm_push(vm, ior);
}

/* rename: ( c-addr1 u1 c-addr2 u2 -- ior ) */
static int file_rename(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t a[4], ior = -72;                        /* RENAME-FILE */
    int rc = pop_args(vm, a, 4);
    if (rc) return rc;
    char *from = path_of(vm, a[0], a[1], &ior, &rc);
    if (rc) return rc;
    char *to = from ? path_of(vm, a[2], a[3], &ior, &rc) : NULL;
    if (rc) {
        free(from);
        return rc;
    }
    if (from && to) {
        if (rename(from, to) == 0) ior = 0;
        else if (errno == ENOENT) ior = FVM_E_NO_FILE;
        else ior = -72;
    }
    free(from);
    free(to);
    return fvm_push(vm, ior);
}

/* flush: ( fileid -- ior ) */
static int file_flush(fvm_t *vm, void *ctx)
{
    fvm_cell_t id;
    int rc = fvm_pop(vm, &id);
    if (rc) return rc;
    FILE *f = file_of(ctx, id);
    return fvm_push(vm, f && fflush(f) == 0 ? 0 : -68);   /* FLUSH-FILE */
}

/* status: ( c-addr u -- x ior ): x is the st_mode */
static int file_status(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t a[2], ior = -67;                        /* FILE-STATUS */
    int rc = pop_args(vm, a, 2);
    if (rc) return rc;
    char *path = path_of(vm, a[0], a[1], &ior, &rc);
    if (rc) return rc;
    struct stat st;
    int ok = path && stat(path, &st) == 0;
    free(path);
    if ((rc = fvm_push(vm, ok ? (fvm_cell_t)st.st_mode : 0))) return rc;
    return fvm_push(vm, ok ? 0 : ior == FVM_E_NO_FILE ? ior : -67);
}

static files_t files;

const fvm_file_ops_t *stdio_files_ops(void)
{
    static const fvm_file_ops_t ops = {
        file_open, file_close, file_read_line, file_position, file_reposition, &files
    };
    return &ops;
}

const fvm_file_ext_t *stdio_files_ext(void)
{
    static const fvm_file_ext_t ext = {
        .create = file_create, .read = file_read, .write = file_write,
        .size = file_size, .resize = file_resize, .remove = file_remove,
        .rename = file_rename, .flush = file_flush, .status = file_status,
        .ctx = &files,
    };
    return &ext;
}
