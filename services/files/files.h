/*
 * files -- the file service (prefix files_): one kernel task that owns a
 * file system backend and answers open/read/write/... requests from any
 * task through the registry.  Forth tasks reach it through ffiles.c
 * (FILE-ACCESS, INCLUDED); see docs/files.md.
 *
 * UUID 66696c65-732d-7376-9a41-4e0b8c110002 ("files-sv"), interface hash
 * FILES_IFACE.  Requests and replies are by value (registry.h's boundary
 * rule): every field little-endian (kwire.h), names and data as bytes in
 * the payload.  Every field is checked; a malformed request (short, long,
 * bad mode, bad opcode) gets FILES_E_INVAL.  The reply's status is 0 or a
 * FILES_E_* ior (cerr.h), its payload the op's result.
 *
 *   op            request payload                reply payload
 *   FILES_OPEN    u32 mode (FILES_M_*), path      u32 handle; a directory
 *                 opened FILES_M_READ alone (the root is "" or ".") reads as
 *                 text: READLN gives one entry per line, its name, with a
 *                 '/' after a directory's
 *   FILES_CLOSE   u32 handle                      -
 *   FILES_READ    u32 handle, u32 max             the bytes (<= max, and at
 *                 most what the client's call buffer takes); none at the end
 *   FILES_READLN  u32 handle, u32 max             u8 eol, u8 more, the line
 *                 without "\n" or "\r\n": eol 0 with max bytes: the line
 *                 goes on; no bytes, eol 0 and more 0: end of file
 *   FILES_WRITE   u32 handle, the bytes           -  (at the position)
 *   FILES_SEEK    u32 handle, u64 pos             -  (pos may pass the end)
 *   FILES_TELL    u32 handle                      u64 pos
 *   FILES_SIZE    u32 handle                      u64 size
 *   FILES_RESIZE  u32 handle, u64 size            -  (grows with zeros)
 *   FILES_FLUSH   u32 handle                      -  (data on stable storage)
 *   FILES_DELETE  path                            -
 *   FILES_RENAME  u16 n, path (n bytes), path2    -  (replaces path2)
 *   FILES_STAT    path                            u64 size, u8 type
 *   FILES_LIST    u32 index, dir ("" the root)    u64 size, u8 type, name;
 *                                                 FILES_E_END past the last
 *
 * Paths are relative to the service's root: components separated by '/',
 * at most FILES_PATH_MAX bytes; "." and empty components are skipped; "..",
 * a leading '/' and NUL bytes are refused with FILES_E_PATH, so no path can
 * name anything outside the root.  A backend sees only canonical paths
 * ("a/b", no "." or "..", no leading or doubled '/').
 *
 * Handles: FILES_MAX_HANDLES for the whole service, at most
 * FILES_PER_CLIENT of them for one client -- or one group of clients
 * (reg_client_group: a tree of Forth tasks) -- each owned by the client
 * (registry client id) that opened it; another client's handle, a closed
 * or made-up one is FILES_E_HANDLE.  What a handle holds (a directory's
 * name) is charged to its client's account; when a client disconnects (a
 * task that ends without closing) the registry's on_gone closes its files.
 *
 * The status codes are Forth iors, clio's one table (cerr.h): -38 and -37
 * are the standard "no file" and "I/O", the rest are clio's own.
 */
#ifndef FILES_H
#define FILES_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"
#include "common/cerr.h"

#define FILES_UUID_INIT { { 0x66, 0x69, 0x6c, 0x65, 0x73, 0x2d, 0x73, 0x76, \
                            0x9a, 0x41, 0x4e, 0x0b, 0x8c, 0x11, 0x00, 0x02 } }
#define FILES_IFACE 0xF11E0001u   /* bump when the messages change */

#define FILES_PATH_MAX    255     /* bytes of a path */
#define FILES_NAME_MAX    63      /* bytes of one entry's name in a listing */
#define FILES_MAX_HANDLES 64
#define FILES_PER_CLIENT  16

enum {
    FILES_OPEN = 1, FILES_CLOSE, FILES_READ, FILES_READLN, FILES_WRITE,
    FILES_SEEK, FILES_TELL, FILES_SIZE, FILES_RESIZE, FILES_FLUSH,
    FILES_DELETE, FILES_RENAME, FILES_STAT, FILES_LIST
};

/* Open modes: READ and/or WRITE, CREATE (make it if missing), TRUNC
 * (empty it).  CREATE-FILE is WRITE|CREATE|TRUNC (plus READ for r/w). */
enum {
    FILES_M_READ = 1, FILES_M_WRITE = 2, FILES_M_CREATE = 4, FILES_M_TRUNC = 8
};

/* Status codes: Forth iors, from clio's one table (cerr.h). */
enum {
    FILES_OK = CERR_OK,
    FILES_E_IO = CERR_IO,             /* the backend failed (disk error, corrupt data) */
    FILES_E_NOENT = CERR_NOENT,       /* no such file or directory */
    FILES_E_PATH = CERR_PATH,         /* path refused: "..", absolute, NUL, too long,
                                         a symlink, a name the backend cannot hold */
    FILES_E_HANDLE = CERR_FILE_HANDLE,  /* not an open handle of this client */
    FILES_E_NOHANDLES = CERR_NOHANDLES, /* too many open files */
    FILES_E_EXIST = CERR_EXIST,       /* exists already */
    FILES_E_NOSPC = CERR_NOSPC,       /* no room for the data */
    FILES_E_ACCESS = CERR_ACCESS,     /* mode forbids it, or the host refused */
    FILES_E_ISDIR = CERR_ISDIR,       /* a directory where a file is wanted */
    FILES_E_DIRFULL = CERR_DIRFULL,   /* no free directory entry */
    FILES_E_BUSY = CERR_BUSY,         /* the file is open in a conflicting way */
    FILES_E_INVAL = CERR_INVAL,       /* malformed request (opcode, field, size) */
    FILES_E_NOSVC = CERR_NOFILES,     /* no file service (from the Forth side) */
    FILES_E_END = CERR_END            /* LIST: no entry at that index */
};

/* Entry types (files_stat_t.type). */
enum { FILES_T_FILE = 1, FILES_T_DIR = 2, FILES_T_OTHER = 3 };

typedef struct files_stat {
    uint64_t size;
    uint32_t type;
    char name[FILES_NAME_MAX + 1];   /* LIST only: the entry's name */
} files_stat_t;

/* ---- backends ------------------------------------------------------------
 * A backend is a file system the service drives: synchronous calls, each
 * returning FILES_OK or a FILES_E_* code.  Paths are canonical and
 * NUL-terminated (see above).  A backend handle (bh) is the backend's own
 * number; positions are the service's business: read and write take an
 * offset.  ctx is handed back to every call.                               */
typedef struct files_backend {
    void *ctx;
    int (*open)(void *ctx, const char *path, uint32_t mode, uint32_t *bh);
    int (*close)(void *ctx, uint32_t bh);
    /* read: *got < n only at the end of the file */
    int (*read)(void *ctx, uint32_t bh, uint64_t off, void *buf, uint32_t n, uint32_t *got);
    int (*write)(void *ctx, uint32_t bh, uint64_t off, const void *buf, uint32_t n);
    int (*size)(void *ctx, uint32_t bh, uint64_t *size);
    int (*resize)(void *ctx, uint32_t bh, uint64_t size);
    int (*flush)(void *ctx, uint32_t bh);
    int (*remove)(void *ctx, const char *path);
    int (*rename)(void *ctx, const char *from, const char *to);
    int (*stat)(void *ctx, const char *path, files_stat_t *st);
    /* the index-th entry of directory dir ("" = the root), or FILES_E_END */
    int (*list)(void *ctx, const char *dir, uint32_t index, files_stat_t *st);
} files_backend_t;

/* ---- the service -------------------------------------------------------- */
typedef struct files_handle {
    uint16_t client;          /* owner (registry client id); 0: free */
    const void *group;        /* its group (reg_client_group), or NULL */
    uint8_t mode;
    bool dir;                 /* a directory, read as a listing */
    uint32_t bh;
    uint64_t pos;
    char *dirpath;            /* a directory's canonical name (charged to acct) */
    kacct_t *acct;            /* the owner's account */
} files_handle_t;

typedef struct files_service {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[16];
    reg_msg_t req;
    kerr_t err;
    const files_backend_t *be;
    files_handle_t h[FILES_MAX_HANDLES];
    char path[FILES_PATH_MAX + 1], path2[FILES_PATH_MAX + 1];
    uint32_t served, errors;
} files_service_t;

/* Register the service over backend be (which must outlive it) and spawn
 * its task: KERR_OK, or a reg_register() error (KERR_DUPLICATE: a file
 * service runs already).  s is the caller's and must outlive the task. */
kerr_t files_start(files_service_t *s, const files_backend_t *be, uint8_t prio);

/* Handle one request: its payload is req (m->len bytes; NULL when empty);
 * the reply payload is written to out (at most out_max bytes; out may be
 * req itself: every request field is read before any reply byte is
 * written); sets m's status and len.  The service's task calls it, then
 * replies; exposed for tests.  acct is the client's account. */
void files_handle(files_service_t *s, reg_msg_t *m, const uint8_t *req, kacct_t *acct,
                  uint8_t *out, uint32_t out_max);
/* Close every file of a client (its on_gone; exposed for tests). */
void files_client_gone(files_service_t *s, uint16_t client);

/* Canonicalise path[0..len) into out (FILES_PATH_MAX + 1 bytes): FILES_OK,
 * or FILES_E_PATH.  allow_root: the empty path (the root) is accepted. */
int files_path(const char *path, size_t len, char *out, bool allow_root);

/* Text for a status code ("path refused", ...); never NULL (cerr_text). */
static inline const char *files_strerror(int code) { return cerr_text(code); }

#endif
