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
 * words(ctx, prefix, n, add, actx) calls add(actx, name, len) for the
 * words that may start with prefix[0..n) (any case: complete_ filters them
 * again, so a provider may give them all -- fvm_each_word's walk is one);
 * it is called from readline's thread, inside its completion.
 *
 * Memory: complete_ keeps the directory name (copied) and up to 64 KiB of
 * names; the match lists are readline's to free.
 */
#ifndef COMPLETE_H
#define COMPLETE_H

#include <stddef.h>

typedef int (*complete_add_fn)(void *actx, const char *name, size_t len);
typedef void (*complete_words_fn)(void *ctx, const char *prefix, size_t n,
                                  complete_add_fn add, void *actx);

void complete_install(complete_words_fn words, void *ctx, const char *files_dir);

#endif
