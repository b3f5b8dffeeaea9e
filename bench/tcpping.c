/*
 * tcpping -- round-trip time over a TCP serial line (hosts/linux/serial_tcp).
 *
 *   tcpping client [N]   this process: the kernel, a listening line and a
 *                        task echoing its rx into its tx; a forked child
 *                        connects with a plain blocking socket and times N
 *                        round trips of a 16-byte message
 *
 *   tcpping lines [N]    one process, one kernel: an outbound line to the
 *                        listening line; a task sends a 16-byte message on
 *                        it and waits for the echo, N times
 *   tcpping raw [N]      the floor: the same client against a plain blocking
 *                        echo loop (no kernel) in this process
 *
 * Prints the median, 10th and 90th percentile in microseconds.  A
 * measurement tool, not a test: it exits non-zero only when it cannot run.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kernel.h"
#include "platform_linux.h"
#include "serial_tcp.h"

#define MSG 16
#define WARMUP 200

static port_t *srv;
static task_t echo;

/* rx into tx, as much as both allow. */
static task_status_t echo_poll(task_t *t)
{
    for (;;) {
        bbq_grant_t in, out;
        kerr_t e = bbq_read_wait(&srv->rx, t, &in);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return task_exit(t, e);
        if (bbq_grant_max(&srv->tx, in.len, &out) != KERR_OK) {
            bbq_release(&srv->rx, 0);
            task_park(t, &srv->tx.producers);
            return TASK_PENDING;
        }
        memcpy(out.ptr, in.ptr, out.len);
        bbq_commit(&srv->tx, out.len);
        bbq_release(&srv->rx, out.len);
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void report(const char *what, uint64_t *ns, int n)
{
    qsort(ns, (size_t)n, sizeof *ns, cmp_u64);
    printf("tcpping %-8s median %7.1f us   p10 %7.1f us   p90 %7.1f us   (%d round trips of %d B)\n",
           what, ns[n / 2] / 1e3, ns[n / 10] / 1e3, ns[n * 9 / 10] / 1e3, n, MSG);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The forked client: N timed round trips; exit status 0 when all came back. */
static int client(int port, int n, const char *what)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        perror("tcpping: connect");
        return 1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    uint64_t *ns = calloc((size_t)n, sizeof *ns);
    char buf[MSG] = "0123456789abcde";
    for (int i = -WARMUP; i < n; i++) {
        uint64_t t0 = now_ns();
        if (send(fd, buf, MSG, 0) != MSG)
            return 1;
        for (int got = 0; got < MSG;) {
            ssize_t k = recv(fd, buf + got, (size_t)(MSG - got), 0);
            if (k <= 0)
                return 1;
            got += (int)k;
        }
        if (i >= 0)
            ns[i] = now_ns() - t0;
    }
    report(what, ns, n);
    return 0;
}

static int run_client(int n)
{
    if (serial_tcp_open("127.0.0.1:0", &srv) != KERR_OK || task_spawn(&echo, echo_poll, 3) != KERR_OK)
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = client(serial_tcp_bound_port(), n, "line");
        fflush(stdout);
        _exit(rc);
    }
    int status = 1;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        uint64_t next = kernel_tick();
        uint64_t cap = plat_now() + 10000000u;
        if (next == 0)
            plat_linux_io_poll();
        kernel_wait(next > cap ? cap : next);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* lines: the pinging task on the outbound line. */
static port_t *cli;
static task_t pinger;
static uint64_t *ping_ns, ping_t0;
static int ping_i = -WARMUP, ping_n, ping_got;

static task_status_t pinger_poll(task_t *t)
{
    for (;;) {
        bbq_grant_t g;
        if (ping_got == 0) {                       /* send one */
            if (bbq_grant(&cli->tx, MSG, &g) != KERR_OK)
                return task_exit(t, 1);
            memset(g.ptr, 'p', MSG);
            ping_t0 = plat_now();
            bbq_commit(&cli->tx, MSG);
            ping_got = -1;
        }
        kerr_t e = bbq_read_wait(&cli->rx, t, &g);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return task_exit(t, e);
        if (ping_got < 0)
            ping_got = 0;
        ping_got += (int)g.len;
        bbq_release(&cli->rx, g.len);
        if (ping_got < MSG)
            continue;
        if (ping_i >= 0)
            ping_ns[ping_i] = plat_now() - ping_t0;
        ping_got = 0;
        if (++ping_i == ping_n)
            return task_exit(t, 0);
    }
}

static int run_lines(int n)
{
    char spec[32];
    if (serial_tcp_open("127.0.0.1:0", &srv) != KERR_OK || task_spawn(&echo, echo_poll, 3) != KERR_OK)
        return 1;
    snprintf(spec, sizeof spec, "127.0.0.1:%d", serial_tcp_bound_port());
    if (serial_tcp_connect(spec, &cli) != KERR_OK)
        return 1;
    uint64_t give_up = plat_now() + 5000000000u;
    while (!(serial_tcp_up(cli) && serial_tcp_up(srv)) && plat_now() < give_up)
        kernel_wait(kernel_tick() == 0 ? 0 : plat_now() + 1000000);
    ping_n = n;
    ping_ns = calloc((size_t)n, sizeof *ping_ns);
    if (!ping_ns || task_spawn(&pinger, pinger_poll, 3) != KERR_OK)
        return 1;
    for (;;) {
        uint64_t next = kernel_tick();
        if (task_done(&pinger))
            break;
        if (next == 0)
            plat_linux_io_poll();
        kernel_wait(next);
    }
    if (pinger.exit_code != 0)
        return 1;
    report("lines", ping_ns, n);
    return 0;
}

/* The floor: a plain socket echo loop serving the same forked client. */
static int run_raw(int n)
{
    int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in sa = { .sin_family = AF_INET };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t sl = sizeof sa;
    if (lfd < 0 || bind(lfd, (struct sockaddr *)&sa, sizeof sa) || listen(lfd, 1) ||
        getsockname(lfd, (struct sockaddr *)&sa, &sl))
        return 1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        int rc = client(ntohs(sa.sin_port), n, "raw");
        fflush(stdout);
        _exit(rc);
    }
    int fd = accept(lfd, NULL, NULL), status = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    char buf[4096];
    ssize_t k;
    while ((k = recv(fd, buf, sizeof buf, 0)) > 0)
        if (send(fd, buf, (size_t)k, 0) != k)
            break;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
    int n = argc > 2 ? atoi(argv[2]) : 20000;
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2 || n < 10 || kernel_init() != KERR_OK) {
        fprintf(stderr, "usage: tcpping client|lines|raw [N >= 10]\n");
        return 2;
    }
    if (!strcmp(argv[1], "client"))
        return run_client(n);
    if (!strcmp(argv[1], "lines"))
        return run_lines(n);
    if (!strcmp(argv[1], "raw"))
        return run_raw(n);
    fprintf(stderr, "usage: tcpping client|lines|raw [N >= 10]\n");
    return 2;
}
