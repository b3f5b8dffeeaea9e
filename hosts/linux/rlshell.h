/*
 * rlshell -- GNU readline set up for a Forth shell (prefix rlshell_): Tab
 * completion, Ctrl-C and a bounded history file.  Linux only; build/forth and build/clio's console
 * use it.
 *
 * rlshell_complete() makes Tab in readline complete the word under the
 * cursor: a Forth word (case-insensitive, from the words callback: the
 * longest common prefix on the first Tab, the list on the second -- also
 * when the first Tab inserted that prefix), or -- after a word that takes a file name (include,
 * require, cat, rm, mv, ls-dir, save-line, open-blocks) -- a file name
 * under files_dir.  With root set, files_dir is a file root as
 * files_hostdir confines it: no name with ".." or a leading '/' and no
 * symbolic link is completed or followed, only regular files and
 * directories are offered; without it (build/forth, whose files are the
 * host's) any path is.  A completed word takes the case the user typed
 * it in.
 *
 * words(ctx, prefix, n, add, actx) calls add(actx, name, len) for the
 * words that may start with prefix[0..n) (any case: rlshell filters them
 * again, so a provider may give them all -- fvm_each_word's walk is one);
 * it is called from readline's thread, inside its completion.
 *
 * rlshell_ctrl_c(): the key ^C (byte 3) drops the line being typed:
 * readline shows "^C", returns "" and sets *aborted; then() (if not NULL)
 * runs after that, in readline's thread.  The terminal turns
 * Ctrl-C into SIGINT, not the byte: the host's rl_getc_function returns 3
 * after its SIGINT handler ran (read() fails with EINTR).
 *
 * Memory: rlshell keeps the directory name (copied) and up to 64 KiB of
 * names; the match lists are readline's to free.
 */
#ifndef RLSHELL_H
#define RLSHELL_H

#include <stdbool.h>
#include <stddef.h>

typedef int (*rlshell_add_fn)(void *actx, const char *name, size_t len);
typedef void (*rlshell_words_fn)(void *ctx, const char *prefix, size_t n,
                                  rlshell_add_fn add, void *actx);

void rlshell_complete(rlshell_words_fn words, void *ctx, const char *files_dir, bool root);
void rlshell_ctrl_c(volatile int *aborted, void (*then)(void));
/* The width of the terminal on stdout in columns, 0 if it is none (for
 * fvm_set_columns). */
unsigned rlshell_columns(void);

/* Line history in a file (readline's list; one file per process):
 * rlshell_history_open(path) cuts the file to its last
 * RLSHELL_HISTORY_LINES lines (creating it if there is none: false if it
 * cannot), loads them and keeps at most that many in memory (path is
 * copied); rlshell_history_add(line) adds a line that is not empty and not
 * the last one again, and appends it to the file (readline's thread);
 * rlshell_history_close() cuts the file again (once readline is done).
 * Without a file opened they keep the list in memory only. */
#define RLSHELL_HISTORY_LINES 1000
bool rlshell_history_open(const char *path);
void rlshell_history_add(const char *line);
void rlshell_history_close(void);

#endif
