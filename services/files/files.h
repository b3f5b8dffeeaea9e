/*
 * files -- the file service (prefix files_): one kernel task that owns a
 * file system backend and answers open/read/write/... requests from any
 * task through the registry.  Forth tasks reach it through ffiles.c
 * (FILE-ACCESS, INCLUDED); see docs/files.md.
 *
 * UUID 66696c65-732d-7376-9a41-4e0b8c110002 ("files-sv"), interface hash
 * FILES_IFACE.  Every request is the registry's envelope with an inline
 * payload (one of the files_req_* structs below, at most REG_INLINE_MAX
 * bytes); pointers in it are into the caller's memory, which must stay
 * valid and unchanged until the reply (the registry's ext contract).
 * The reply's status is 0 or a FILES_E_* code, and its inline payload the
 * op's result (files_rep_t).
 *
 *   op            request                       reply
 *   FILES_OPEN    files_req_path: path, mode    handle (FILES_M_* mode bits);
 *                 a directory opened FILES_M_READ alone (the root is "" or
 *                 ".") reads as text: READLN gives one entry per line, its
 *                 name, with a '/' after a directory's
 *   FILES_CLOSE   files_req_h                   -
 *   FILES_READ    files_req_io: buf, n, handle  n (0 at the end of the file)
 *   FILES_READLN  files_req_io: buf, n, handle  n, eol: one line, without
 *                 "\n" or "\r\n"; n == max and eol == 0: the line goes on;
 *                 n == 0, eol == 0 and more == 0: end of file
 *   FILES_WRITE   files_req_io: buf, n, handle  -  (at the position)
 *   FILES_SEEK    files_req_h: handle, pos      -  (pos may pass the end)
 *   FILES_TELL    files_req_h: handle           pos
 *   FILES_SIZE    files_req_h: handle           pos = the size
 *   FILES_RESIZE  files_req_h: handle, pos      -  (grows with zeros)
 *   FILES_FLUSH   files_req_h: handle           -  (data on stable storage)
 *   FILES_DELETE  files_req_path: path          -
 *   FILES_RENAME  files_req_path: path, path2   -  (replaces path2)
 *   FILES_STAT    files_req_path: path          pos = size, type
 *   FILES_LIST    files_req_path: dir, mode = index, out
 *                                               -  *out = the index-th entry
 *                                               of dir ("" is the root);
 *                                               FILES_E_END past the last
 *
 * Paths are relative to the service's root: components separated by '/',
 * at most FILES_PATH_MAX bytes; "." and empty components are skipped; "..",
 * a leading '/' and NUL bytes are refused with FILES_E_PATH, so no path can
 * name anything outside the root.  A backend sees only canonical paths
 * ("a/b", no "." or "..", no leading or doubled '/').
 *
 * Handles: FILES_MAX_HANDLES for the whole service, each owned by the
 * client (registry client id) that opened it; another client's handle, a
 * closed or made-up one is FILES_E_HANDLE.  Handles of a client that has
 * disconnected (a Forth task that ended without closing) are reclaimed
 * when a newer client takes its registry slot.
 *
 * The status codes are Forth iors: -38 and -37 are the standard "no file"
 * and "I/O", the rest are clio's own (docs/files.md lists them).
 */
#ifndef FILES_H
#define FILES_H

#include <stdbool.h>
#include <stdint.h>
#include "kernel.h"

#define FILES_UUID_INIT { { 0x66, 0x69, 0x6c, 0x65, 0x73, 0x2d, 0x73, 0x76, \
                            0x9a, 0x41, 0x4e, 0x0b, 0x8c, 0x11, 0x00, 0x02 } }
#define FILES_IFACE 0xF11E0001u   /* bump when the messages change */

#define FILES_PATH_MAX    255     /* bytes of a path */
#define FILES_NAME_MAX    63      /* bytes of one entry's name in a listing */
#define FILES_MAX_HANDLES 32

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

/* Status codes (negative, Forth iors). */
enum {
    FILES_OK = 0,
    FILES_E_IO = -37,         /* the backend failed (disk error, corrupt data) */
    FILES_E_NOENT = -38,      /* no such file or directory */
    FILES_E_PATH = -512,      /* path refused: "..", absolute, NUL, too long,
                                 a symlink, a name the backend cannot hold */
    FILES_E_HANDLE = -513,    /* not an open handle of this client */
    FILES_E_NOHANDLES = -514, /* too many open files */
    FILES_E_EXIST = -515,     /* exists already */
    FILES_E_NOSPC = -516,     /* no room for the data */
    FILES_E_ACCESS = -517,    /* mode forbids it (write to a read-only handle)
                                 or the host refused permission */
    FILES_E_ISDIR = -518,     /* a directory where a file is wanted */
    FILES_E_DIRFULL = -519,   /* no free directory entry */
    FILES_E_BUSY = -520,      /* the file is open in a conflicting way */
    FILES_E_INVAL = -521,     /* bad request (opcode, size, position) */
    FILES_E_NOSVC = -522,     /* no file service (from the Forth side) */
    FILES_E_END = -523        /* LIST: no entry at that index */
};

/* Entry types (files_stat_t.type). */
enum { FILES_T_FILE = 1, FILES_T_DIR = 2, FILES_T_OTHER = 3 };

typedef struct files_stat {
    uint64_t size;
    uint32_t type;
    char name[FILES_NAME_MAX + 1];   /* LIST only: the entry's name */
} files_stat_t;

/* ---- request payloads (inline, <= REG_INLINE_MAX bytes) ---------------- */
typedef struct files_req_path {
    const char *path;         /* not NUL-terminated */
    const char *path2;        /* RENAME's new name */
    files_stat_t *out;        /* LIST */
    uint16_t len, len2;
    uint32_t mode;            /* OPEN: FILES_M_*; LIST: the index */
} files_req_path_t;

typedef struct files_req_io {
    void *buf;
    uint32_t n;
    uint32_t handle;
} files_req_io_t;

typedef struct files_req_h {
    uint64_t pos;
    uint32_t handle;
} files_req_h_t;

typedef struct files_rep {
    uint64_t pos;             /* TELL, SIZE */
    uint32_t handle;          /* OPEN */
    uint32_t n;               /* READ, READLN */
    uint8_t eol, more;        /* READLN */
    uint8_t type;             /* STAT: FILES_T_* */
} files_rep_t;

_Static_assert(sizeof(files_req_path_t) <= REG_INLINE_MAX, "path request inline");
_Static_assert(sizeof(files_req_io_t) <= REG_INLINE_MAX, "io request inline");
_Static_assert(sizeof(files_rep_t) <= REG_INLINE_MAX, "reply inline");

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
    uint8_t mode;
    bool dir;                 /* a directory, read as a listing */
    uint32_t bh;
    uint64_t pos;
} files_handle_t;

typedef struct files_service {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[16];
    reg_msg_t req;
    kerr_t err;
    const files_backend_t *be;
    files_handle_t h[FILES_MAX_HANDLES];
    char dirpath[FILES_MAX_HANDLES][FILES_PATH_MAX + 1];   /* of dir handles */
    char path[FILES_PATH_MAX + 1], path2[FILES_PATH_MAX + 1];
    uint32_t served;
} files_service_t;

/* Register the service over backend be (which must outlive it) and spawn
 * its task: KERR_OK, or a reg_register() error (KERR_DUPLICATE: a file
 * service runs already).  s is the caller's and must outlive the task. */
kerr_t files_start(files_service_t *s, const files_backend_t *be, uint8_t prio);

/* Handle one request in place: sets m's status, len and payload (the
 * service's task calls it, then reg_reply(); exposed for tests). */
void files_handle(files_service_t *s, reg_msg_t *m);

/* Canonicalise path[0..len) into out (FILES_PATH_MAX + 1 bytes): FILES_OK,
 * or FILES_E_PATH.  allow_root: the empty path (the root) is accepted. */
int files_path(const char *path, size_t len, char *out, bool allow_root);

/* Text for a status code ("path refused", ...); never NULL. */
const char *files_strerror(int code);

#endif
