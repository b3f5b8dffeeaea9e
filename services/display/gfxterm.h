/*
 * gfxterm -- the graphical Forth shell: a small terminal emulator on the
 * display, typed into through the keyboard mux (prefix gfxterm_).
 *
 * gfxterm_start() subscribes to the keyboard, makes a port_t and starts a
 * Forth shell (ftask_start_shell) on it.  Keys are line-edited here
 * (services/shell/ledit: cursor keys, Home/End, history, Ctrl-U/K/W) after
 * a "> " prompt, Tab completes a word (services/shell/complete: the common
 * prefix, then the candidates listed above the line); Enter leaves the typed line on the screen and sends it +
 * '\n' to the shell's rx, the answer comes on the next line -- a line
 * that does not fit yet waits, and no key is taken until it is in (the rx
 * ring holds a maximal line: none is dropped); Ctrl-C drops the line and
 * interrupts the shell's running word (ftask_interrupt; also while a line
 * waits, when it is among the keys queued).  The shell's record is held
 * (ftask_hold) while gfxterm keeps it; when the shell ends a new one starts
 * on the same port after GT_RESTART_MS.  The
 * shell's tx is rendered as text -- the 6x12 font in 6x12 cells, white on
 * black, '\n' '\r' '\b' '\t' understood, words wrapped at spaces,
 * scrolling at the bottom, a block cursor -- with the prompt and the line
 * being typed taken off and drawn again after each piece of output, so
 * typed-ahead text stays below it.  Changed rows are PAINTed to the display
 * service and FLUSHed.  Needs display_start(), keyboard_start() and
 * ftask_init() first.  Init context, once.
 */
#ifndef GFXTERM_H
#define GFXTERM_H

#include "kerr.h"

kerr_t gfxterm_start(void);
/* Row r of the text screen into out (cols + 1 bytes, NUL-terminated);
 * returns the number of columns, 0 if r is out of range. */
int gfxterm_row(int r, char *out, int cap);

#endif
