/*
 * ledit -- a line editor with history for a byte terminal (prefix ledit_).
 * Freestanding: no allocation, no I/O of its own; the QEMU console runs it
 * in its UART interrupt, the graphical shell and clio-term in a task.
 *
 * Keys are bytes as a terminal sends them: printable characters insert at
 * the cursor; Backspace/DEL delete before it, ESC [3~ (Delete) and Ctrl-D
 * at it; Left/Right (ESC [D / ESC [C, or ESC O D/C), Home/End (ESC [H/F,
 * ESC [1~/4~, Ctrl-A/E, Ctrl-B/F) move; Up/Down (ESC [A/B, Ctrl-P/N) walk
 * the history; Ctrl-U kills the line, Ctrl-K to its end, Ctrl-W the word
 * before the cursor; Enter (CR, LF or CR LF) ends the line; Ctrl-C drops
 * it; Ctrl-D on an empty line is end of input.  Tab and other control
 * bytes are ignored.
 *
 * With an echo function the editor keeps a VT100 terminal's view of the
 * line up to date (relative cursor moves only: the line may start at any
 * column; a line longer than the terminal is wide is redrawn correctly
 * only at its end).  Without one (NULL) the caller draws e->buf itself.
 *
 * Memory: the caller owns the ledit_t (about 8 KiB); one per terminal.
 * Context: whatever calls ledit_key(); the echo function is called from it.
 */
#ifndef LEDIT_H
#define LEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LEDIT_MAX  4097          /* a line's characters, without its '\n' */
#define LEDIT_HIST 4096          /* bytes of history (older lines drop out) */

typedef enum {
    LEDIT_NONE = 0,              /* the key was taken (or ignored) */
    LEDIT_LINE,                  /* Enter: ledit_line() is the line */
    LEDIT_INTR,                  /* Ctrl-C: the line was dropped */
    LEDIT_EOF                    /* Ctrl-D on an empty line */
} ledit_ev_t;

typedef struct ledit {
    char buf[LEDIT_MAX + 1];     /* the line being edited; buf[len] is 0 */
    uint32_t len, pos;           /* its length, the cursor */
    /* past lines, oldest first, each ending in a 0 byte */
    char hist[LEDIT_HIST];
    uint32_t hlen;               /* bytes of hist used */
    int hsel;                    /* lines back while walking (0: the new line) */
    char saved[LEDIT_MAX + 1];   /* the new line, while walking the history */
    uint32_t saved_len;
    uint8_t esc;                 /* escape sequence state */
    uint8_t esc_arg;
    bool last_cr;                /* a CR ended a line: skip an LF after it */
    bool done;                   /* buf holds the line just ended */
    void (*echo)(void *ctx, const char *s, uint32_t n);
    void *ctx;
} ledit_t;

/* Start empty, echoing through echo(ctx, s, n) (NULL: no echo). */
void ledit_init(ledit_t *e, void (*echo)(void *ctx, const char *s, uint32_t n), void *ctx);
/* One typed byte. */
ledit_ev_t ledit_key(ledit_t *e, uint8_t c);
/* After LEDIT_LINE: the line (not NUL-terminated, no '\n'); *n its length.
 * It stays in buf until the next key (a caller that draws buf itself calls
 * ledit_clear once it has taken it); it is in the history already. */
const char *ledit_line(const ledit_t *e, uint32_t *n);
/* Forget the line being edited (not the history), e.g. after output that
 * the caller will redraw around. */
void ledit_clear(ledit_t *e);

#endif
