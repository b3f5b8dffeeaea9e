/*
 * term -- the parts of clio-term (hosts/linux/clio_term.c), a host tool
 * (prefix term_): the line to the sermux and its frames (term_link.c), line
 * mode for scripts (term_lmode.c), the ncurses view (term_view.c).
 * Single-threaded; everything here is the tool's one line and its state.
 */
#ifndef TERM_H
#define TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TERM_BREAK 0x03                /* the break byte: Ctrl-C for a shell */

/* ---- the line (term_link.c) ---------------------------------------------- */

typedef struct {
    uint64_t frames_in, frames_out, bytes_in, bytes_out, malformed;
} term_counts_t;

extern term_counts_t term_cnt;
extern int term_fd;              /* the line, -1 while disconnected */
extern bool term_keep;           /* the view: a line that fails is closed to be
                                    reconnected, not the end of the program */
extern void (*term_cleanup)(void);   /* run before die() exits (endwin) */

uint64_t term_now_ms(void);
/* Print "clio-term: what: errno's text" and exit 1. */
void term_die(const char *what);
/* Open target: a path with a '/' is a serial device (raw, 115200), else
 * HOST:PORT or PORT over TCP (retried for 3 s); then a 0x00 ends any half
 * frame the line holds and the frame decoder starts empty.  The fd or -1. */
int term_open(const char *target);
/* Send data to port as frames of at most SERMUX_MTU bytes (dropped while
 * disconnected). */
void term_send(uint16_t port, const uint8_t *data, size_t n);
typedef void (*term_frame_fn)(uint16_t port, const uint8_t *p, size_t n);
/* Feed line bytes; fn gets each good frame, malformed ones are counted. */
void term_feed(const uint8_t *p, size_t n, term_frame_fn fn);
/* Feed port 3's bytes; each complete line goes to emit(), decoded when it
 * is a trace event (trace_describe).  One partial line is kept. */
void term_trace_feed(const uint8_t *p, size_t n, void (*emit)(const char *s, size_t len));

/* ---- line mode (term_lmode.c) --------------------------------------------- */

typedef struct {
    long port;                   /* stdin to it, its payloads to stdout */
    bool all, decode, stats;
    long wait_ms, timeout_ms, window;
} term_lmode_t;

int term_line_mode(const term_lmode_t *opt);

/* ---- the ncurses view (term_view.c) --------------------------------------- */

int term_view(const char *target);

#endif
