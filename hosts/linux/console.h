/*
 * console -- the process's terminal as a byte port (prefix console_).
 * Linux only.
 *
 * console_open(interactive, &con): con->rx receives what the user types,
 * con->tx goes to stdout.  With interactive set and stdin a terminal, lines
 * are read with GNU readline (line editing; history kept in ~/.clio_history,
 * its last 1000 lines: rlshell_history_open) and an empty prompt: the program writing tx prints its own prompts
 * (" ok\n"), so readline's prompt and the output cannot fight over the
 * line.  Otherwise stdin is read as raw bytes.  Each line reaches rx with
 * its '\n'.
 *
 * End of input (Ctrl-D, end of a pipe) sets console_eof(); nothing is put
 * into rx for it.  rx's consumers are woken then too, so a reader that
 * finds rx empty should test console_eof() before waiting again.
 *
 * "Interrupts": a reader thread fills rx (bbq_grant + bbq_commit_isr) and
 * wakes a bottom-half kernel task (task_wake_isr) that wakes rx's waiting
 * consumers; when rx is full the thread waits and retries.  A kernel task
 * drains tx to stdout (fwrite + fflush; a slow terminal slows the kernel).
 * tx takes a single producer (bbq_grant/bbq_commit) or several
 * (bbq_mp_grant/bbq_mp_commit).
 *
 * Ctrl-C and Tab: below.
 *
 * Call after kernel_init(), from init context, once per process.  The port
 * is the driver's.  Errors: KERR_NOMEM, KERR_INVAL (opened twice).
 */
#ifndef CONSOLE_H
#define CONSOLE_H

#include <stdbool.h>
#include "rlshell.h"
#include "kerr.h"
#include "common/port.h"

#define CONSOLE_RX_CAP 8192           /* a 4096-character line and more */
#define CONSOLE_TX_CAP (16u * 1024)

kerr_t console_open(int interactive, port_t **con);
bool console_eof(void);

/* Ctrl-C.  console_interrupt() is for the host's SIGINT handler (async-
 * signal-safe): the line being typed is dropped (readline shows ^C), then
 * on_break(ctx) is called in the kernel thread (the console's bottom half)
 * -- the host interrupts the task reading the console there. */
void console_on_break(void (*on_break)(void *ctx), void *ctx);
void console_interrupt(void);

/* Tab completion of words (readline only): words(ctx, ...) is called in
 * the kernel thread, between task polls -- where a task's VM may be read
 * -- for each Tab; the reader thread waits for it (at most a second).
 * File names complete inside files_dir, a file root (rlshell.h). */
void console_complete(rlshell_words_fn words, void *ctx, const char *files_dir);
/* At exit: write what tx still holds to stdout and give the terminal back
 * its normal mode.  The reader thread is stopped (cancelled where it waits
 * in read(), or joined after end of input): nothing of it outlives the
 * call.  Kernel thread, after the last kernel_tick(); the buffers stay
 * allocated until exit (a reader may have been holding a grant). */
void console_close(port_t *con);

#endif
