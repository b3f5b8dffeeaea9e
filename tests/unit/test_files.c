/*
 * test_files -- the file service over the host-directory backend in a
 * temporary directory: paths, every request, escapes refused (.., absolute,
 * symlinks), handle misuse, running out of handles; then Forth tasks on
 * the real kernel using FILE-ACCESS, INCLUDED and forth-lib's file words
 * through it.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "files/ffiles.h"
#include "files/files.h"
#include "files_hostdir.h"
#include "tasks/ftask.h"
#include "kernel.h"
#include "kwire.h"
#include "platform_linux.h"
#include "tport.h"

static char root[256];
static files_backend_t be;
static files_service_t svc;

static void sh(const char *fmt, const char *arg)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, arg, arg, arg);
    assert_int_equal(system(cmd), 0);
}

static void put(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    strcpy(root, "/tmp/test_files.XXXXXX");
    assert_non_null(mkdtemp(root));
    assert_int_equal(files_hostdir_open(root, &be), 0);
    assert_int_equal(kernel_init(), KERR_OK);       /* a directory handle allocates */
    memset(&svc, 0, sizeof svc);
    svc.be = &be;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    files_hostdir_close(&be);
    sh("rm -rf '%s'", root);
    return 0;
}

/* ---- requests straight into files_handle(), by value -------------------------- */

/* A reply, decoded by the helpers for the tests to check. */
typedef struct {
    uint32_t handle, n;
    uint64_t pos;
    uint8_t eol, more, type;
    char name[FILES_NAME_MAX + 1];
} files_rep_t;

static uint8_t wire[8192];

/* Send payload p (n bytes) as op from client; the reply's payload is decoded
 * into rep (data bytes to out, at most out_max).  The request and reply
 * share one buffer, as they share the client's call buffer in the kernel. */
static int call_max(uint16_t client, uint16_t op, const void *p, uint32_t n, files_rep_t *rep,
                    void *out, uint32_t reply_max)
{
    reg_msg_t m;
    memset(&m, 0, sizeof m);
    m.client = client;
    m.opcode = op;
    m.len = n;
    if (p)
        memcpy(wire, p, n);
    files_handle(&svc, &m, n ? wire : NULL, NULL, wire, reply_max);
    files_rep_t r;
    memset(&r, 0, sizeof r);
    kwire_rd_t rd = kwire_reader(wire, m.len);
    if (m.status == 0) {
        if (op == FILES_OPEN)
            r.handle = kwire_u32(&rd);
        if (op == FILES_TELL || op == FILES_SIZE)
            r.pos = kwire_u64(&rd);
        if (op == FILES_STAT || op == FILES_LIST) {
            r.pos = kwire_u64(&rd);
            r.type = kwire_u8(&rd);
        }
        if (op == FILES_READLN) {
            r.eol = kwire_u8(&rd);
            r.more = kwire_u8(&rd);
        }
        uint32_t k;
        const uint8_t *rest = kwire_rest(&rd, &k);
        if (op == FILES_LIST)
            memcpy(r.name, rest, k < FILES_NAME_MAX ? k : FILES_NAME_MAX);
        else if (out)
            memcpy(out, rest, k);
        r.n = k;
        assert_true(kwire_done(&rd));
    } else {
        assert_int_equal(m.len, 0);
    }
    if (rep)
        *rep = r;
    return m.status;
}

static int call(uint16_t client, uint16_t op, const void *p, uint32_t n, files_rep_t *rep)
{
    return call_max(client, op, p, n, rep, NULL, sizeof wire);
}

/* OPEN/LIST: u32 mode or index, then the path; RENAME: u16 n, path, path2. */
static int path_req(uint16_t c, uint16_t op, const char *p, const char *p2, uint32_t mode, files_rep_t *rep)
{
    uint8_t b[600];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    if (op == FILES_OPEN || op == FILES_LIST)
        kwire_put_u32(&w, mode);
    if (op == FILES_RENAME)
        kwire_put_u16(&w, (uint16_t)strlen(p));
    kwire_put_bytes(&w, p, (uint32_t)strlen(p));
    if (p2)
        kwire_put_bytes(&w, p2, (uint32_t)strlen(p2));
    return call(c, op, b, w.n, rep);
}

static int fopen_(uint16_t c, const char *p, uint32_t mode, uint32_t *h)
{
    files_rep_t rep;
    int rc = path_req(c, FILES_OPEN, p, NULL, mode, &rep);
    *h = rep.handle;
    return rc;
}

/* READ, READLN: u32 handle, u32 max; WRITE: u32 handle, the bytes. */
static int io(uint16_t c, uint16_t op, uint32_t h, void *buf, uint32_t n, files_rep_t *rep)
{
    uint8_t b[4200];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u32(&w, h);
    if (op == FILES_WRITE)
        kwire_put_bytes(&w, buf, n);
    else
        kwire_put_u32(&w, n);
    return call_max(c, op, b, w.n, rep, op == FILES_WRITE ? NULL : buf, sizeof wire);
}

/* u32 handle [, u64 pos] */
static int hreq(uint16_t c, uint16_t op, uint32_t h, uint64_t pos, files_rep_t *rep)
{
    uint8_t b[12];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u32(&w, h);
    if (op == FILES_SEEK || op == FILES_RESIZE)
        kwire_put_u64(&w, pos);
    return call(c, op, b, w.n, rep);
}

#define C1 0x41      /* client ids: slot 1, two generations */
#define C1B 0x81
#define C2 0x42

static void test_path__canonical_forms_and_refusals(void **state)
{
    (void)state;
    char out[FILES_PATH_MAX + 1];
    assert_int_equal(files_path("a/./b//c", 8, out, false), FILES_OK);
    assert_string_equal(out, "a/b/c");
    assert_int_equal(files_path("./x", 3, out, false), FILES_OK);
    assert_string_equal(out, "x");
    assert_int_equal(files_path(".", 1, out, false), FILES_E_PATH);
    assert_int_equal(files_path(".", 1, out, true), FILES_OK);
    assert_string_equal(out, "");
    assert_int_equal(files_path("../x", 4, out, false), FILES_E_PATH);
    assert_int_equal(files_path("a/../../x", 9, out, false), FILES_E_PATH);
    assert_int_equal(files_path("a/..", 4, out, false), FILES_E_PATH);
    assert_int_equal(files_path("/etc/passwd", 11, out, false), FILES_E_PATH);
    assert_int_equal(files_path("a\0b", 3, out, false), FILES_E_PATH);
    assert_int_equal(files_path("", 0, out, false), FILES_E_PATH);
    char longp[300];
    memset(longp, 'a', sizeof longp);
    assert_int_equal(files_path(longp, sizeof longp, out, false), FILES_E_PATH);
    assert_int_equal(files_path("..x/y..", 7, out, false), FILES_OK);   /* names, not ".." */
}

static void test_service__write_read_seek_size_resize(void **state)
{
    (void)state;
    uint32_t h;
    files_rep_t rep;
    char buf[64];
    assert_int_equal(fopen_(C1, "f.txt", FILES_M_READ | FILES_M_WRITE | FILES_M_CREATE | FILES_M_TRUNC, &h), 0);
    assert_true(h >= 1 && h <= FILES_MAX_HANDLES);
    assert_int_equal(io(C1, FILES_WRITE, h, "hello\nworld\r\nend", 16, NULL), 0);
    assert_int_equal(hreq(C1, FILES_TELL, h, 0, &rep), 0);
    assert_int_equal(rep.pos, 16);
    assert_int_equal(hreq(C1, FILES_SIZE, h, 0, &rep), 0);
    assert_int_equal(rep.pos, 16);
    assert_int_equal(hreq(C1, FILES_SEEK, h, 0, NULL), 0);
    /* lines: "\n" and "\r\n" end them, the last has none */
    assert_int_equal(io(C1, FILES_READLN, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n, 5);
    assert_true(rep.eol);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(io(C1, FILES_READLN, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n, 5);
    assert_memory_equal(buf, "world", 5);
    assert_int_equal(io(C1, FILES_READLN, h, buf, 2, &rep), 0);   /* too long for the buffer */
    assert_int_equal(rep.n, 2);
    assert_true(rep.more);
    assert_int_equal(io(C1, FILES_READLN, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n, 1);
    assert_false(rep.eol);
    assert_int_equal(io(C1, FILES_READLN, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n + rep.eol + rep.more, 0);            /* end of file */
    /* binary reads, seek past the end, resize */
    assert_int_equal(hreq(C1, FILES_SEEK, h, 6, NULL), 0);
    assert_int_equal(io(C1, FILES_READ, h, buf, 5, &rep), 0);
    assert_int_equal(rep.n, 5);
    assert_memory_equal(buf, "world", 5);
    assert_int_equal(hreq(C1, FILES_RESIZE, h, 3, NULL), 0);
    assert_int_equal(hreq(C1, FILES_SIZE, h, 0, &rep), 0);
    assert_int_equal(rep.pos, 3);
    assert_int_equal(hreq(C1, FILES_RESIZE, h, 8, NULL), 0);
    assert_int_equal(hreq(C1, FILES_SEEK, h, 0, NULL), 0);
    assert_int_equal(io(C1, FILES_READ, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n, 8);
    assert_memory_equal(buf, "hel\0\0\0\0\0", 8);
    assert_int_equal(io(C1, FILES_READ, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n, 0);
    assert_int_equal(hreq(C1, FILES_FLUSH, h, 0, NULL), 0);
    assert_int_equal(hreq(C1, FILES_CLOSE, h, 0, NULL), 0);
    /* stat */
    assert_int_equal(path_req(C1, FILES_STAT, "f.txt", NULL, 0, &rep), 0);
    assert_int_equal(rep.pos, 8);
    assert_int_equal(rep.type, FILES_T_FILE);
    assert_int_equal(path_req(C1, FILES_STAT, "nope", NULL, 0, &rep), FILES_E_NOENT);
}

static void test_service__modes_are_enforced(void **state)
{
    (void)state;
    uint32_t h;
    char buf[8];
    put("r.txt", "data");
    assert_int_equal(fopen_(C1, "r.txt", FILES_M_READ, &h), 0);
    assert_int_equal(io(C1, FILES_WRITE, h, "x", 1, NULL), FILES_E_ACCESS);
    assert_int_equal(hreq(C1, FILES_RESIZE, h, 0, NULL), FILES_E_ACCESS);
    assert_int_equal(hreq(C1, FILES_CLOSE, h, 0, NULL), 0);
    assert_int_equal(fopen_(C1, "r.txt", FILES_M_WRITE, &h), 0);
    assert_int_equal(io(C1, FILES_READ, h, buf, 4, NULL), FILES_E_ACCESS);
    assert_int_equal(hreq(C1, FILES_CLOSE, h, 0, NULL), 0);
    assert_int_equal(fopen_(C1, "missing", FILES_M_READ, &h), FILES_E_NOENT);
    assert_int_equal(fopen_(C1, "r.txt", 0, &h), FILES_E_INVAL);
    assert_int_equal(fopen_(C1, "r.txt", FILES_M_READ | FILES_M_CREATE, &h), FILES_E_INVAL);
    assert_int_equal(call(C1, 999, NULL, 0, NULL), FILES_E_INVAL);
    assert_int_equal(call(C1, FILES_READ, NULL, 3, NULL), FILES_E_INVAL);   /* short payload */
}

static void test_service__delete_rename_list(void **state)
{
    (void)state;
    files_rep_t rep;
    put("a", "1");
    put("b", "22");
    sh("mkdir '%s/sub'", root);
    put("sub/c", "333");
    assert_int_equal(path_req(C1, FILES_RENAME, "a", "sub/a2", 0, NULL), 0);
    assert_int_equal(path_req(C1, FILES_STAT, "sub/a2", NULL, 0, &rep), 0);
    assert_int_equal(rep.pos, 1);
    assert_int_equal(path_req(C1, FILES_RENAME, "b", "sub/c", 0, NULL), 0);   /* replaces */
    assert_int_equal(path_req(C1, FILES_RENAME, "nope", "x", 0, NULL), FILES_E_NOENT);
    assert_int_equal(path_req(C1, FILES_RENAME, "sub/c", "../c", 0, NULL), FILES_E_PATH);
    assert_int_equal(path_req(C1, FILES_DELETE, "sub/a2", NULL, 0, NULL), 0);
    assert_int_equal(path_req(C1, FILES_DELETE, "sub/a2", NULL, 0, NULL), FILES_E_NOENT);
    assert_int_equal(path_req(C1, FILES_STAT, "sub", NULL, 0, &rep), 0);
    assert_int_equal(rep.type, FILES_T_DIR);
    /* LIST: index by index, then the end */
    assert_int_equal(path_req(C1, FILES_LIST, "sub", NULL, 0, &rep), 0);
    assert_string_equal(rep.name, "c");
    assert_int_equal(rep.pos, 2);
    assert_int_equal(path_req(C1, FILES_LIST, "sub", NULL, 1, &rep), FILES_E_END);
    assert_int_equal(path_req(C1, FILES_LIST, "", NULL, 0, &rep), 0);
    assert_string_equal(rep.name, "sub");
    assert_int_equal(rep.type, FILES_T_DIR);
    /* a directory opened for reading is its listing, a line per entry */
    uint32_t h;
    char buf[80];
    assert_int_equal(fopen_(C1, ".", FILES_M_READ, &h), 0);
    assert_int_equal(io(C1, FILES_READLN, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n, 4);
    assert_memory_equal(buf, "sub/", 4);
    assert_int_equal(io(C1, FILES_READLN, h, buf, sizeof buf, &rep), 0);
    assert_int_equal(rep.n + rep.eol, 0);
    assert_int_equal(io(C1, FILES_READ, h, buf, sizeof buf, &rep), FILES_E_ISDIR);
    assert_int_equal(hreq(C1, FILES_CLOSE, h, 0, NULL), 0);
    assert_int_equal(fopen_(C1, "sub", FILES_M_WRITE, &h), FILES_E_ISDIR);
    assert_int_equal(fopen_(C1, ".", FILES_M_WRITE, &h), FILES_E_PATH);
}

static void test_service__escapes_are_refused(void **state)
{
    (void)state;
    uint32_t h;
    files_rep_t rep;
    char out[512];
    snprintf(out, sizeof out, "%s/../test_files_outside", root);
    sh("mkdir -p '%s/in'", root);
    assert_int_equal(symlink("/etc/passwd", strcat(strcpy(out, root), "/pw")), 0);
    assert_int_equal(symlink("/etc", strcat(strcpy(out, root), "/etcdir")), 0);
    assert_int_equal(symlink("in", strcat(strcpy(out, root), "/inlink")), 0);
    put("in/x", "x");
    assert_int_equal(fopen_(C1, "../x", FILES_M_READ, &h), FILES_E_PATH);
    assert_int_equal(fopen_(C1, "/etc/passwd", FILES_M_READ, &h), FILES_E_PATH);
    assert_int_equal(fopen_(C1, "in/../../x", FILES_M_READ, &h), FILES_E_PATH);
    assert_int_equal(fopen_(C1, "pw", FILES_M_READ, &h), FILES_E_PATH);           /* symlink out */
    assert_int_equal(fopen_(C1, "etcdir/passwd", FILES_M_READ, &h), FILES_E_PATH);
    assert_int_equal(fopen_(C1, "inlink/x", FILES_M_READ, &h), FILES_E_PATH);     /* any symlink */
    assert_int_equal(fopen_(C1, "pw", FILES_M_WRITE | FILES_M_CREATE | FILES_M_TRUNC, &h), FILES_E_PATH);
    assert_int_equal(path_req(C1, FILES_STAT, "etcdir/passwd", NULL, 0, &rep), FILES_E_PATH);
    assert_int_equal(path_req(C1, FILES_STAT, "pw", NULL, 0, &rep), FILES_E_PATH);
    assert_int_equal(path_req(C1, FILES_DELETE, "etcdir/passwd", NULL, 0, NULL), FILES_E_PATH);
    assert_int_equal(path_req(C1, FILES_RENAME, "in/x", "etcdir/x", 0, NULL), FILES_E_PATH);
    assert_int_equal(path_req(C1, FILES_LIST, "etcdir", NULL, 0, &rep), FILES_E_PATH);
    /* the file behind the link is untouched; the in-root one opens */
    struct stat s;
    assert_int_equal(lstat("/etc/passwd", &s), 0);
    assert_true(s.st_size > 0);
    assert_int_equal(fopen_(C1, "in/x", FILES_M_READ, &h), 0);
}

static void test_service__handle_misuse_and_exhaustion(void **state)
{
    (void)state;
    uint32_t h, hs[FILES_MAX_HANDLES];
    char buf[4];
    put("f", "abc");
    assert_int_equal(fopen_(C1, "f", FILES_M_READ, &h), 0);
    assert_int_equal(io(C2, FILES_READ, h, buf, 1, NULL), FILES_E_HANDLE);   /* not C2's */
    assert_int_equal(hreq(C2, FILES_CLOSE, h, 0, NULL), FILES_E_HANDLE);
    assert_int_equal(io(C1, FILES_READ, 0, buf, 1, NULL), FILES_E_HANDLE);
    assert_int_equal(io(C1, FILES_READ, FILES_MAX_HANDLES + 1, buf, 1, NULL), FILES_E_HANDLE);
    assert_int_equal(io(C1, FILES_READ, 0xffffffffu, buf, 1, NULL), FILES_E_HANDLE);
    assert_int_equal(hreq(C1, FILES_CLOSE, h, 0, NULL), 0);
    assert_int_equal(hreq(C1, FILES_CLOSE, h, 0, NULL), FILES_E_HANDLE);   /* twice */
    assert_int_equal(io(C1, FILES_READ, h, buf, 1, NULL), FILES_E_HANDLE);
    /* one client holds at most FILES_PER_CLIENT; the others still open */
    for (int i = 0; i < FILES_PER_CLIENT; i++)
        assert_int_equal(fopen_(C1, "f", FILES_M_READ, &hs[i]), 0);
    assert_int_equal(fopen_(C1, "f", FILES_M_READ, &h), FILES_E_NOHANDLES);
    assert_int_equal(fopen_(C2, "f", FILES_M_READ, &h), 0);
    assert_int_equal(hreq(C1, FILES_CLOSE, hs[3], 0, NULL), 0);
    assert_int_equal(fopen_(C1, "f", FILES_M_READ, &h), 0);
    assert_int_equal(h, hs[3]);
    /* the whole table: clients of their own fill it, then one is full */
    uint16_t c = 0x100;
    int n = FILES_PER_CLIENT + 1;               /* C1's 16 and C2's 1 so far */
    while (n < FILES_MAX_HANDLES) {
        assert_int_equal(fopen_(c, "f", FILES_M_READ, &h), 0);
        if (++n % FILES_PER_CLIENT == 0)
            c += 0x40;
    }
    assert_int_equal(fopen_(C1B, "f", FILES_M_READ, &h), FILES_E_NOHANDLES);
    /* a client that goes gives all of its files back */
    files_client_gone(&svc, C1);
    assert_int_equal(fopen_(C1B, "f", FILES_M_READ, &h), 0);
    int open = 0, mine = 0;
    for (int i = 0; i < FILES_MAX_HANDLES; i++) {
        open += svc.h[i].client != 0;
        mine += svc.h[i].client == C1;
    }
    assert_int_equal(mine, 0);
    assert_int_equal(open, FILES_MAX_HANDLES - FILES_PER_CLIENT + 1);
}

/* Hostile payloads: every field checked, never followed.  Short, long,
 * a path length past the payload, an address where a path was (the attack
 * of the old protocol: now just bytes of a name), a READ asking for more
 * than the reply can hold. */
static void test_service__malformed_requests_refused(void **state)
{
    (void)state;
    files_rep_t rep;
    uint8_t b[64];
    put("f", "0123456789");
    memset(b, 0, sizeof b);
    assert_int_equal(call(C1, FILES_OPEN, b, 3, &rep), FILES_E_INVAL);      /* no mode */
    assert_int_equal(call(C1, FILES_CLOSE, b, 5, &rep), FILES_E_INVAL);     /* too long */
    assert_int_equal(call(C1, FILES_SEEK, b, 8, &rep), FILES_E_INVAL);      /* short */
    assert_int_equal(call(C1, FILES_READ, b, 4, &rep), FILES_E_INVAL);      /* no max */
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u16(&w, 200);                                                 /* past the end */
    kwire_put_bytes(&w, "ab", 2);
    assert_int_equal(call(C1, FILES_RENAME, b, w.n, &rep), FILES_E_INVAL);
    uint64_t addr = 0x414141414140ull;                                      /* a "pointer" */
    w = kwire_writer(b, sizeof b);
    kwire_put_u32(&w, FILES_M_READ);
    kwire_put_u64(&w, addr);
    assert_int_equal(call(C1, FILES_OPEN, b, w.n, &rep), FILES_E_PATH);     /* a name with NULs */
    assert_int_equal(call(C1, FILES_LIST, b, 2, &rep), FILES_E_INVAL);
    uint32_t h;
    char buf[16];
    assert_int_equal(fopen_(C1, "f", FILES_M_READ, &h), 0);
    w = kwire_writer(b, sizeof b);
    kwire_put_u32(&w, h);
    kwire_put_u32(&w, 0xffffffffu);                                        /* max: any */
    assert_int_equal(call_max(C1, FILES_READ, b, w.n, &rep, buf, 4), 0);    /* only 4 fit */
    assert_int_equal(rep.n, 4);
    assert_memory_equal(buf, "0123", 4);
    assert_int_equal(call_max(C1, FILES_READLN, b, w.n, &rep, buf, 1), FILES_E_INVAL);
    assert_int_equal(call_max(C1, FILES_READLN, b, w.n, &rep, buf, 5), 0);
    assert_int_equal(rep.n, 3);
    assert_true(rep.more);
    assert_int_equal(call_max(C1, FILES_STAT, "f", 1, &rep, NULL, 4), FILES_E_INVAL);  /* reply too big */
}

/* ---- Forth tasks through the service ---------------------------------------- */

static tport_t tp;

#define type_in tport_type
#define run_until(p, want, ms) tport_run_until(&tp, 1, (p), (want), (ms))

static int setup_kernel(void **state)
{
    setup(state);
    plat_linux_real_clock();
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(files_start(&svc, &be, 1), KERR_OK);
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024, .fuel = 5000,
                           .files = ffiles_ops(), .file_ext = ffiles_ext() };
    const fvm_error_t *e = NULL;
    kerr_t err = ftask_init(&cfg, &e);
    if (err != KERR_OK && e)
        fprintf(stderr, "forth-lib: %s: %s\n", e->message, e->word);
    assert_int_equal(err, KERR_OK);
    tport_init(&tp, 10);
    return 0;
}

static void test_forth__file_access_and_include(void **state)
{
    (void)state;
    ftask_t *f;
    assert_int_equal(ftask_start_shell(&tp.port, &f), KERR_OK);
    type_in(&tp, "s\" t.fs\" w/o create-file throw value fd\n"
                 "s\" : sq dup * ;\" fd write-line throw  s\" 7 sq .\" fd write-line throw\n"
                 "fd close-file throw\n"
                 "include t.fs\n");
    assert_true(run_until(&tp, "49  ok\n", 3000));
    type_in(&tp, "create b 80 allot s\" t.fs\" r/o open-file throw to fd\n"
                 "b 80 fd read-line throw . b swap type cr fd file-size throw d. fd close-file .\n");
    assert_true(run_until(&tp, "-1 : sq dup * ;\n20 0  ok\n", 3000));
    type_in(&tp, "s\" ../t.fs\" r/o open-file nip .  s\" /etc/passwd\" r/o open-file nip .\n");
    assert_true(run_until(&tp, "-512 -512  ok\n", 3000));
    type_in(&tp, "include ../etc/passwd\n");
    assert_true(run_until(&tp, "path refused: ../etc/passwd\n", 3000));
    type_in(&tp, "s\" 1 2 + .\" save-line s2.fs  include s2.fs  ls\n");
    assert_true(run_until(&tp, "s2.fs         8\n", 3000));
    assert_non_null(strstr(tp.out, "3 "));
    type_in(&tp, "mv s2.fs s3.fs cat s3.fs rm s3.fs s\" s3.fs\" file-status nip .\n");
    assert_true(run_until(&tp, "1 2 + .\n-38  ok\n", 3000));
    type_in(&tp, "cat nope\n");
    assert_true(run_until(&tp, "nope: no such file\n", 3000));
    type_in(&tp, "99 close-file .  5 close-file .  b 0 99 read-file . .\n");
    assert_true(run_until(&tp, "-513 -513 -513 0  ok\n", 3000));
}

static void test_forth__a_task_that_ends_leaves_no_files_open(void **state)
{
    (void)state;
    ftask_t *f;
    put("x", "abc\n");
    for (int i = 0; i < FILES_MAX_HANDLES + 4; i++) {
        memset(&tp.out, 0, sizeof tp.out);
        tp.nout = 0;
        assert_int_equal(ftask_start_shell(&tp.port, &f), KERR_OK);
        type_in(&tp, "s\" x\" r/o open-file throw s\" x\" r/o open-file throw + . bye\n");
        for (int k = 0; k < 300 && !ftask_ended(f); k++)
            run_until(&tp, NULL, 10);
        assert_true(ftask_ended(f));
    }
    assert_null(strstr(tp.out, "-514"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path__canonical_forms_and_refusals),
        cmocka_unit_test_setup_teardown(test_service__write_read_seek_size_resize, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service__modes_are_enforced, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service__delete_rename_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service__escapes_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service__handle_misuse_and_exhaustion, setup, teardown),
        cmocka_unit_test_setup_teardown(test_service__malformed_requests_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forth__file_access_and_include, setup_kernel, teardown),
        cmocka_unit_test_setup_teardown(test_forth__a_task_that_ends_leaves_no_files_open, setup_kernel, teardown),
    };
    return cmocka_run_group_tests_name("files", tests, NULL, NULL);
}
