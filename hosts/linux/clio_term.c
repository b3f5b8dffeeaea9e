/*
 * clio-term -- the host tool for a sermux line (TCP or a serial device).
 *
 *   clio-term [TARGET] [options]
 *
 * TARGET is HOST:PORT or PORT for TCP (default 127.0.0.1:9999), or the path
 * of a serial device or pty (anything with a '/'; set raw, 115200 baud).
 * Frames are COBS(port u16 LE + payload) + 0x00 (services/mux/sermux.h).
 *
 * Without --port: an ncurses view, one tab per port (0 loopback, 1 hello,
 * 2 keyboard, 3 trace, 10..13 shells, and any port that sends).  Tab /
 * Shift-Tab, F1..F12 or Alt+1..9 switch tabs.  The input line is edited
 * (services/shell/ledit: Left/Right, Home/End, Up/Down history, Ctrl-U,
 * Ctrl-W, Ctrl-K) and goes to the selected port at Enter; on the keyboard
 * tab every key goes as it is typed.  Ctrl-C sends the break byte 0x03 to
 * the selected port (a shell interrupts its running word) and clears the
 * line; Ctrl-Q quits.  The status line shows the line's state, counts
 * frames and bytes each way and malformed frames received; a window resize
 * redraws.  When the line drops, the view stays and reconnects every
 * second (TCP), showing "reconnecting".  The trace port carries events as
 * compact text lines (trace_format, services/mux/daemons.h); clio-term
 * shows them decoded (trace_describe: time since boot, level, module,
 * event, named arguments), a line it cannot parse as it came.
 *
 * With --port N (line mode, for scripts and tests): stdin bytes go to port N
 * as frames of at most SERMUX_MTU bytes (Ctrl-C, SIGINT, sends 0x03);
 * payloads from port N go to stdout raw; other ports are ignored, or with
 * --all written too, each line prefixed "N| ".  Ends at stdin's EOF, or with --wait MS once the input is
 * done and nothing has arrived from port N (any port with --all) for MS ms, or after --timeout MS overall
 * (with --timeout and no --wait, stdin's EOF does not end it).
 * --window B sends at most B bytes more than port N has sent back (for
 * echo ports such as the loopback, whose rx ring must not overflow).
 * --stats prints counters and the elapsed time to stderr at the end.
 * --decode shows port 3's trace lines decoded (with --port 3, or --all),
 * as the ncurses view does.
 * Exit status: 0, 1 for a connection error, 2 for bad usage.
 *
 * Here: the options.  The line and its frames: term_link.c; line mode:
 * term_lmode.c; the view: term_view.c (term.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "term.h"

static void usage(void)
{
    fprintf(stderr,
            "usage: clio-term [HOST:PORT | PORT | /dev/DEVICE] [--port N [--all] [--wait MS]\n"
            "                 [--timeout MS] [--window BYTES] [--stats] [--decode]]\n");
    exit(2);
}

static long num_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        usage();
    char *end;
    long v = strtol(argv[++*i], &end, 10);
    if (*end || v < 0)
        usage();
    return v;
}

int main(int argc, char **argv)
{
    const char *target = "127.0.0.1:9999";
    term_lmode_t lm = { .port = -1 };
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port")) {
            lm.port = num_arg(argc, argv, &i);
            if (lm.port > 65535)
                usage();
        } else if (!strcmp(argv[i], "--all")) {
            lm.all = true;
        } else if (!strcmp(argv[i], "--wait")) {
            lm.wait_ms = num_arg(argc, argv, &i);
        } else if (!strcmp(argv[i], "--timeout")) {
            lm.timeout_ms = num_arg(argc, argv, &i);
        } else if (!strcmp(argv[i], "--window")) {
            lm.window = num_arg(argc, argv, &i);
        } else if (!strcmp(argv[i], "--stats")) {
            lm.stats = true;
        } else if (!strcmp(argv[i], "--decode")) {
            lm.decode = true;
        } else if (argv[i][0] != '-') {
            target = argv[i];
        } else {
            usage();
        }
    }
    signal(SIGPIPE, SIG_IGN);                   /* a closed line is an error, not a signal */
    if (term_open(target) < 0) {
        fprintf(stderr, "clio-term: cannot connect to %s: %s\n", target, strerror(errno));
        return 1;
    }
    if (lm.port >= 0)
        return term_line_mode(&lm);
    return term_view(target);
}
