/*
 * cerr -- clio's own THROW codes and iors, one table for every service and
 * every Forth binding (prefix cerr_).
 *
 * A service answers 0 or one of these (negative, so that Forth code gets
 * it as an ior or catches it as a THROW code); the Forth client layer
 * throws them with their text; forth-lib and `error-text` read the same
 * texts, so no word spells a number or a message of its own.  -37 and -38
 * are the standard I/O and no-file iors; the rest are from -512 down, out
 * of the standard's range.  Freestanding; cerr_text() never returns NULL.
 */
#ifndef CERR_H
#define CERR_H

#include "kerr.h"

enum {
    CERR_OK = 0,
    CERR_IO = -37,            /* I/O failed (disk error, corrupt data) */
    CERR_NOENT = -38,         /* no such file or directory */
    /* files */
    CERR_PATH = -512,         /* path refused: outside the root, "..", NUL,
                                 too long, a symlink, a name the fs cannot hold */
    CERR_FILE_HANDLE = -513,  /* not an open file of this task */
    CERR_NOHANDLES = -514,    /* too many open files */
    CERR_EXIST = -515,        /* exists already */
    CERR_NOSPC = -516,        /* no room for the data */
    CERR_ACCESS = -517,       /* mode forbids it, or the host refused */
    CERR_ISDIR = -518,        /* a directory where a file is wanted */
    CERR_DIRFULL = -519,      /* no free directory entry */
    CERR_BUSY = -520,         /* open in a conflicting way */
    CERR_INVAL = -521,        /* malformed request: bad opcode, field or size */
    CERR_NOSVC = -522,        /* no such service (not registered) */
    CERR_END = -523,          /* no entry at that index */
    /* services and the client layer */
    CERR_GONE = -524,         /* the service went away */
    CERR_HANDLE = -525,       /* not a connected service handle */
    CERR_HANDLES_FULL = -526, /* all of the task's service handles in use */
    CERR_REFUSED = -527,      /* the registry refused the connection */
    CERR_TOO_BIG = -528,      /* request or reply too big */
    CERR_QUOTA = -529,        /* over the task's kernel memory quota */
    CERR_NOMEM = -530,        /* the kernel is out of memory */
    CERR_TIMEOUT = -531,      /* timed out */
    /* tasks, ports, devices */
    CERR_NOTASK = -532,       /* no such task */
    CERR_NOPORT = -533,       /* no such port (or none free) */
    CERR_NOMUX = -534,        /* clio was started without a serial multiplexer */
    CERR_NODISPLAY = -535,    /* clio was started without a display */
    CERR_FORK_DEPTH = -536,   /* tasks nest too deep */
    CERR_KILLED = -537,       /* the task was killed */
    CERR_SELF = -538,         /* a task cannot wait for itself */
    /* the display */
    CERR_CHUNK = -539,        /* malformed chunk: short header, w or h 0 */
    CERR_CHUNK_SIZE = -540,   /* chunk length is not 8 + w*h */
    CERR_CHUNK_BOUNDS = -541, /* chunk outside the screen */
    CERR_NOFILES = -542,      /* no file service (no disk, the root VM) */
    /* links */
    CERR_NONODE = -543,       /* no such node (not reachable) */
    CERR_LAST = -543
};

/* The text of a clio code, a standard -37/-38, or "error" for others. */
const char *cerr_text(int code);
/* The clio code for a kernel error (KERR_OK: 0). */
int cerr_from_kerr(kerr_t e);

#endif
