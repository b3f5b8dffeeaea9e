/*
 * script_files -- build/clio's file hooks for its Forth tasks (prefix
 * script_files_): the scripts named on clio's command line that are not
 * inside the task's file root (an absolute path, ../x.fs, /dev/stdin,
 * <(cmd)) are read from the host's file system as given -- the command
 * line is the user's -- while every other name goes to the file service,
 * the tasks' sandbox (--files DIR).  Only opening such a name read-only,
 * exactly as it was given, reaches them; what the script itself includes
 * or opens is the sandbox's.  Linux only.
 *
 * script_files_add(name), before the kernel starts, reads the whole file
 * into memory (at most SCRIPT_FILES_MAX_BYTES): a pipe, a FIFO or a
 * terminal is read to its end there, while nothing else runs, so no
 * script read ever waits in the kernel thread.  Returns NULL, or why not
 * (a static string: too big, too many scripts, the host's error).  A name
 * that does not exist is not an error then: opening it answers -38 (no
 * such file) like any missing file.  The same name twice is read once.
 *
 * script_files_ops(inner) wraps the file service's hooks (kept, not
 * copied); script_files_start() after ftask_init() lets a task's end
 * close what it left open.  A host script's fileid is SCRIPT_FILES_FID +
 * n (1 <= n <= SCRIPT_FILES_OPEN) and belongs to the task that opened
 * it: in any other task the same number is not one of these and goes to
 * the file service, which has no such handle.  Kernel thread only.
 */
#ifndef SCRIPT_FILES_H
#define SCRIPT_FILES_H

#include "fvm.h"
#include "kerr.h"

#define SCRIPT_FILES_FID 0x7fff0000
#define SCRIPT_FILES_OPEN 64                    /* host scripts open at once */
#define SCRIPT_FILES_MAX_BYTES (1024 * 1024)    /* one script's text */

const char *script_files_add(const char *name);
const fvm_file_ops_t *script_files_ops(const fvm_file_ops_t *inner);
kerr_t script_files_start(void);

#endif
