/*
 * complete -- Tab completion for a readline Forth shell (prefix complete_).
 * Linux only; build/forth and build/clio's console use it.
 *
 * complete_install() makes Tab in readline complete the word under the
 * cursor: a Forth word (case-insensitive, from the words callback: the
 * longest common prefix on the first Tab, the list on the second, as
 * readline does), or -- after a word that takes a file name (include,
 * require, cat, rm, mv, ls-dir, save-line, open-blocks) -- a file name
 * under files_dir.  A completed word takes the case the user typed it in.
 *
 * words(ctx, prefix, n, out, cap) fills out with the names that start with
 * prefix[0..n) (any case), each ending in a NUL byte, and returns the bytes
 * used (at most cap; names that do not fit are left out).  It is called
 * from readline's thread, inside its completion.
 *
 * complete_vm_words() is such a callback over a VM the caller may read (a
 * VM that is not running: the same thread, or the kernel's thread while
 * the task waits).  Memory: complete_ keeps the directory name (copied);
 * the match lists are readline's to free.
 */
#ifndef COMPLETE_H
#define COMPLETE_H

#include <stddef.h>
#include "fvm.h"

typedef size_t (*complete_words_fn)(void *ctx, const char *prefix, size_t n, char *out, size_t cap);

void complete_install(complete_words_fn words, void *ctx, const char *files_dir);
size_t complete_vm_words(fvm_t *vm, const char *prefix, size_t n, char *out, size_t cap);

#endif
