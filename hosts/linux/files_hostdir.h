/*
 * files_hostdir -- the file service's backend over a host directory (Linux;
 * build/clio --files DIR).  See services/files/files.h for the backend contract
 * and docs/files.md.
 *
 * Confinement: the directory is opened once; every path (already
 * canonical: no "..", no leading '/') is resolved from that descriptor one
 * component at a time with openat(O_NOFOLLOW), so a symbolic link is never
 * followed -- a path through a link or naming one is FILES_E_PATH.  Only
 * regular files can be opened (a FIFO or device would block the kernel);
 * directories are listed.  Hard links the host user made into DIR are the
 * host user's business.  Calls are synchronous (the file service's task
 * does the I/O).  One instance per process is typical; each is independent.
 */
#ifndef FILES_HOSTDIR_H
#define FILES_HOSTDIR_H

#include "files/files.h"

#define FILES_HOSTDIR_MAX 64     /* open host files at once */

/* Open directory dir and fill *be with a backend over it: 0, or an errno
 * value (ENOENT, ENOTDIR, EACCES, ENOMEM). */
int files_hostdir_open(const char *dir, files_backend_t *be);
/* Close every file and the directory; *be is unusable after. */
void files_hostdir_close(files_backend_t *be);

#endif
