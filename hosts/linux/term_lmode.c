/* term_lmode -- clio-term's line mode: stdin to one port, that port to
 * stdout (see term.h; the options in clio_term.c's usage). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "term.h"
#include "mux/sermux.h"

static struct {
    long port;
    bool all, decode;
    uint64_t echoed;            /* bytes port N sent back */
    uint64_t last_rx;            /* ms: the last frame we show arrived */
    bool at_bol[65536];
} lm;

static void put_stdout(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
}

static void put_trace_all(const char *s, size_t n)
{
    printf("%u| ", SERMUX_PORT_TRACE);
    fwrite(s, 1, n, stdout);
}

static void line_frame(uint16_t port, const uint8_t *p, size_t n)
{
    if (port == lm.port || lm.all)
        lm.last_rx = term_now_ms();
    if (port == lm.port) {
        lm.echoed += n;
        if (!lm.all) {
            if (lm.decode && port == SERMUX_PORT_TRACE)
                term_trace_feed(p, n, put_stdout);
            else
                fwrite(p, 1, n, stdout);
            return;
        }
    }
    if (!lm.all)
        return;
    if (lm.decode && port == SERMUX_PORT_TRACE) {
        term_trace_feed(p, n, put_trace_all);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (lm.at_bol[port])
            printf("%u| ", port);
        putchar(p[i]);
        lm.at_bol[port] = p[i] == '\n';
    }
}

static volatile sig_atomic_t breaks;

static void on_sigint(int sig)
{
    (void)sig;
    breaks++;
}

int term_line_mode(const term_lmode_t *opt)
{
    long wait_ms = opt->wait_ms, timeout_ms = opt->timeout_ms, window = opt->window;
    lm.port = opt->port;
    lm.all = opt->all;
    lm.decode = opt->decode;
    uint8_t buf[65536];
    bool in_done = false;
    uint64_t sent = 0, start = term_now_ms();
    memset(lm.at_bol, 1, sizeof lm.at_bol);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;           /* Ctrl-C: the break byte to the port */
    sigaction(SIGINT, &sa, NULL);
    for (;;) {
        while (breaks > 0) {
            static const uint8_t b = TERM_BREAK;
            breaks--;
            term_send((uint16_t)lm.port, &b, 1);
        }
        uint64_t t = term_now_ms();
        if (timeout_ms > 0 && t - start >= (uint64_t)timeout_ms)
            break;
        if (in_done && wait_ms > 0 && t - lm.last_rx >= (uint64_t)wait_ms)
            break;
        if (in_done && wait_ms <= 0 && timeout_ms <= 0)
            break;
        bool may_send = !in_done && (window <= 0 || sent - lm.echoed < (uint64_t)window);
        struct pollfd p[2] = { { .fd = term_fd, .events = POLLIN },
                               { .fd = 0, .events = may_send ? POLLIN : 0 } };
        int tmo = 100;
        if (poll(p, may_send ? 2 : 1, tmo) < 0 && errno != EINTR)
            term_die("poll");
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(term_fd, buf, sizeof buf);
            if (n <= 0)
                break;                                /* the server hung up */
            term_feed(buf, (size_t)n, line_frame);
            fflush(stdout);
        }
        if (may_send && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            size_t max = sizeof buf;
            if (window > 0 && (uint64_t)window - (sent - lm.echoed) < max)
                max = (size_t)((uint64_t)window - (sent - lm.echoed));
            ssize_t n = read(0, buf, max);
            if (n <= 0) {
                in_done = true;
                lm.last_rx = term_now_ms();
            } else {
                term_send((uint16_t)lm.port, buf, (size_t)n);
                sent += (uint64_t)n;
            }
        }
    }
    fflush(stdout);
    if (opt->stats) {
        double secs = (double)(term_now_ms() - start) / 1000.0;
        fprintf(stderr, "clio-term: sent %llu B to port %ld, got %llu B back; frames in %llu out %llu;"
                        " malformed %llu; %.3f s\n",
                (unsigned long long)sent, lm.port, (unsigned long long)lm.echoed,
                (unsigned long long)term_cnt.frames_in, (unsigned long long)term_cnt.frames_out,
                (unsigned long long)term_cnt.malformed, secs);
    }
    return 0;
}
