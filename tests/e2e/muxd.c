/*
 * muxd -- the kernel, the sermux and its daemons (loopback, hello, trace)
 * over a TCP line: a standalone demo and the server of the sermux
 * end-to-end tests, until build/clio serves the same ports.
 *
 *   muxd [--serial tcp:[HOST:]PORT] [--console] [--trace LEVEL]
 *
 * Prints "muxd: listening on 127.0.0.1:PORT" once the socket listens
 * (PORT 0, the default, picks a free port).  --console also makes the
 * terminal a port (readline in a tty): each line comes back as
 * "echo: LINE" and " ok"; end of input ends muxd.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "mux/daemons.h"
#include "kernel.h"
#include "pt.h"
#include "mux/sermux.h"
#include "platform_linux.h"
#include "serial_tcp.h"

static struct {
    task_t task;
    port_t *con;
    kerr_t err;
    bbq_grant_t in;
    char line[1024];
    size_t len;
    bool done;
} echo;

static void say(const char *s, size_t n)
{
    bbq_grant_t g;
    if (bbq_grant(&echo.con->tx, (uint32_t)n, &g) == KERR_OK) {
        memcpy(g.ptr, s, n);
        bbq_commit(&echo.con->tx, (uint32_t)n);
    }
}

static void got_line(void)
{
    char out[1100];
    int n = snprintf(out, sizeof out, "echo: %.*s\n ok\n", (int)echo.len, echo.line);
    say(out, (size_t)n);
    echo.len = 0;
}

static task_status_t echo_poll(task_t *t)
{
    PT_BEGIN(t);
    say(" ok\n", 4);
    for (;;) {
        PT_WAIT_UNTIL(t, (echo.err = bbq_read_wait(&echo.con->rx, t, &echo.in)) != KERR_PENDING ||
                             console_eof());
        if (echo.err != KERR_OK && echo.err != KERR_PENDING)
            break;
        if (echo.err == KERR_PENDING) {          /* woken by end of input */
            task_unpark(t);
            break;
        }
        for (uint32_t i = 0; i < echo.in.len; i++) {
            char c = (char)echo.in.ptr[i];
            if (c == '\n')
                got_line();
            else if (echo.len < sizeof echo.line)
                echo.line[echo.len++] = c;
        }
        bbq_release(&echo.con->rx, echo.in.len);
    }
    echo.done = true;
    PT_END(t);
}

static void usage(void)
{
    fprintf(stderr, "usage: muxd [--serial tcp:[HOST:]PORT] [--console] [--trace LEVEL]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *spec = "0";
    int console = 0, level = TRACE_INFO;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--serial") && i + 1 < argc && !strncmp(argv[i + 1], "tcp:", 4))
            spec = argv[++i] + 4;
        else if (!strcmp(argv[i], "--console"))
            console = 1;
        else if (!strcmp(argv[i], "--trace") && i + 1 < argc)
            level = atoi(argv[++i]);
        else
            usage();
    }
    signal(SIGPIPE, SIG_IGN);
    port_t *line;
    if (kernel_init() != KERR_OK || serial_tcp_open(spec, &line) != KERR_OK)
        return 1;
    trace_set_level((trace_level_t)level);
    kerr_t e = sermux_start(line);
    if (e == KERR_OK)
        e = loopback_start();
    if (e == KERR_OK)
        e = hello_start();
    if (e == KERR_OK)
        e = tracedrain_start();
    if (e == KERR_OK && console && (e = console_open(1, &echo.con)) == KERR_OK)
        e = task_spawn(&echo.task, echo_poll, 2);
    if (e != KERR_OK) {
        fprintf(stderr, "muxd: %s\n", kerr_str(e));
        return 1;
    }
    trace_emit(TRACE_INFO, TRACE_MOD_USER, 1, serial_tcp_bound_port(), 0, "muxd up");
    printf("muxd: listening on 127.0.0.1:%d\n", serial_tcp_bound_port());
    fflush(stdout);
    while (!echo.done) {
        uint64_t next = kernel_tick();
        if (next == 0)
            plat_linux_io_poll();
        kernel_wait(next);
    }
    kernel_tick();                                  /* flush the last output */
    return 0;
}
