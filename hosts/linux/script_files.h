/*
 * script_files -- build/clio's file hooks for its Forth tasks (prefix
 * script_files_): the scripts named on clio's command line that are not
 * inside the task's file root (an absolute path, ../x.fs) are read from
 * the host's file system as given -- the command line is the user's --
 * while every other name goes to the file service, the tasks' sandbox
 * (--files DIR).  Only opening such a name read-only, exactly as it was
 * given, reaches the host; what the script itself includes or opens is the
 * sandbox's.  Linux only.
 *
 * script_files_add(name) before the tasks start (the name is copied);
 * script_files_ops(inner) wraps the file service's hooks (kept, not
 * copied).  The host files are read with stdio_files (synchronous); their
 * fileids are SCRIPT_FILES_FID + n, apart from the service's handles.
 * Kernel thread only.
 */
#ifndef SCRIPT_FILES_H
#define SCRIPT_FILES_H

#include <stdbool.h>
#include "fvm.h"

#define SCRIPT_FILES_FID 0x7fff0000

bool script_files_add(const char *name);
const fvm_file_ops_t *script_files_ops(const fvm_file_ops_t *inner);

#endif
