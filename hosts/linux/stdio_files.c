/* stdio_files -- the VM's file hooks over stdio (see stdio_files.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
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


const fvm_file_ops_t *stdio_files_ops(void)
{
    static files_t files;
    static const fvm_file_ops_t ops = {
        file_open, file_close, file_read_line, file_position, file_reposition, &files
    };
    return &ops;
}
