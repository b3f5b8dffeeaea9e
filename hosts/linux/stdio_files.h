/*
 * stdio_files -- the VM's file hooks (fvm_file_ops_t) over stdio, for the
 * Linux hosts (build/forth, build/clio).  A Forth fileid is an index + 1
 * into a table of open FILE*s, never a host pointer; names are relative to
 * the current directory.  Synchronous: they never return FVM_PENDING.
 */
#ifndef STDIO_FILES_H
#define STDIO_FILES_H

#include "fvm.h"

#define STDIO_FILES_MAX 64   /* open files at once (nested INCLUDEs + programs) */

/* The hooks, over one process-wide table of open files. */
const fvm_file_ops_t *stdio_files_ops(void);
/* The rest of FILE-ACCESS (fvm_config_t.file_ext), over the same table. */
const fvm_file_ext_t *stdio_files_ext(void);

#endif
