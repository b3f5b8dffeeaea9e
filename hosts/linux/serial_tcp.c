/* serial_tcp -- the sermux line over TCP (see serial_tcp.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel.h"
#include "pt.h"
#include "serial_tcp.h"

#define DRIVER_PRIO 5

static struct {
    port_t line;
    int lfd, port;
    int cfd;                       /* client, -1: none; under mu */
    pthread_mutex_t mu;
    pthread_t rx_thread;
    task_t bh, txd;                /* bottom half, tx drain */
    bbq_grant_t g;
    uint64_t wake_at;
} st = { .lfd = -1, .port = -1, .cfd = -1, .mu = PTHREAD_MUTEX_INITIALIZER };

/* Bottom half: woken by the reader thread, wakes rx's consumers. */
static task_status_t bh_poll(task_t *t)
{
    (void)t;
    if (!kwaitq_empty(&st.line.rx.consumers))
        kwaitq_wake_all(&st.line.rx.consumers);
    return TASK_PENDING;
}

static void drop_client(int fd)
{
    pthread_mutex_lock(&st.mu);
    if (st.cfd == fd)
        st.cfd = -1;
    pthread_mutex_unlock(&st.mu);
    close(fd);
}

/* A second client while one is attached: told, and closed. */
static void refuse(void)
{
    static const char msg[] = "clio: the serial line is in use by another client\n";
    int fd = accept4(st.lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    ssize_t k = send(fd, msg, sizeof msg - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)k;
    close(fd);
    trace_emit(TRACE_WARN, TRACE_MOD_MUX, TRACE_EV_LINE_REFUSED, st.port, 0, "second client");
}

/* Serve one client until it goes: its bytes into rx; a second client
 * meanwhile is refused. */
static void serve(int fd)
{
    struct pollfd pf[2] = { { .fd = fd, .events = POLLIN }, { .fd = st.lfd, .events = POLLIN } };
    for (;;) {
        bbq_grant_t g;
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR)
                continue;
            return;
        }
        if (pf[1].revents & POLLIN)
            refuse();
        if (!(pf[0].revents & (POLLIN | POLLHUP | POLLERR)))
            continue;
        if (bbq_grant_max(&st.line.rx, SERIAL_TCP_CAP, &g) != KERR_OK) {
            usleep(SERIAL_TCP_RETRY_US);         /* full: stop reading a while */
            continue;
        }
        ssize_t n = recv(fd, g.ptr, g.len, 0);
        if (n <= 0) {
            bbq_commit_isr(&st.line.rx, 0, NULL);
            if (n < 0 && errno == EINTR)
                continue;
            return;
        }
        bbq_commit_isr(&st.line.rx, (uint32_t)n, &st.bh);
    }
}

/* The "interrupt": receive into rx, one client after another. */
static void *rx_main(void *arg)
{
    (void)arg;
    for (;;) {
        int fd = accept4(st.lfd, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            perror("serial_tcp: accept");
            return NULL;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        /* a new peer starts clean: the last one's bytes are all taken out
         * of rx before the mux is told to drop a half frame of theirs */
        while (bbq_used(&st.line.rx))
            usleep(1000);
        st.line.resync = 1;
        __atomic_thread_fence(__ATOMIC_RELEASE);
        pthread_mutex_lock(&st.mu);
        st.cfd = fd;
        pthread_mutex_unlock(&st.mu);
        trace_emit(TRACE_INFO, TRACE_MOD_MUX, TRACE_EV_LINE_UP, st.port, 0, "tcp client");
        serve(fd);
        drop_client(fd);
        trace_emit(TRACE_INFO, TRACE_MOD_MUX, TRACE_EV_LINE_DOWN, st.port, 0, "tcp client");
    }
}

/* Send what tx holds; discard it when nobody is connected. */
static task_status_t txd_poll(task_t *t)
{
    kerr_t e;
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, (e = bbq_read_wait(&st.line.tx, t, &st.g)) != KERR_PENDING);
        if (e != KERR_OK)
            PT_EXIT(t, (int32_t)e);
        pthread_mutex_lock(&st.mu);
        ssize_t n = st.cfd < 0 ? (ssize_t)st.g.len
                               : send(st.cfd, st.g.ptr, st.g.len, MSG_DONTWAIT | MSG_NOSIGNAL);
        int err = errno;
        pthread_mutex_unlock(&st.mu);
        if (n < 0 && (err == EAGAIN || err == EWOULDBLOCK || err == EINTR)) {
            bbq_release(&st.line.tx, 0);
            st.wake_at = plat_now() + SERIAL_TCP_RETRY_US * 1000ull;
            PT_SLEEP_UNTIL(t, st.wake_at);
            continue;
        }
        /* sent n bytes, or an error: the reader thread will see the hang-up */
        bbq_release(&st.line.tx, n < 0 ? st.g.len : (uint32_t)n);
    }
    PT_END(t);
}

static int parse_spec(const char *spec, struct sockaddr_in *sa)
{
    char host[64] = "127.0.0.1";
    const char *colon = strrchr(spec, ':'), *num = spec;
    if (colon) {
        size_t hl = (size_t)(colon - spec);
        if (hl == 0 || hl >= sizeof host)
            return -1;
        memcpy(host, spec, hl);
        host[hl] = 0;
        num = colon + 1;
    }
    char *end;
    long p = strtol(num, &end, 10);
    if (!*num || *end || p < 0 || p > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)p);
    return inet_pton(AF_INET, host, &sa->sin_addr) == 1 ? 0 : -1;
}

kerr_t serial_tcp_open(const char *spec, port_t **line)
{
    struct sockaddr_in sa;
    if (!spec || !line || parse_spec(spec, &sa)) {
        fprintf(stderr, "serial_tcp: bad address '%s' (want PORT or HOST:PORT)\n",
                spec ? spec : "(null)");
        return KERR_INVAL;
    }
    if (st.lfd >= 0)
        return KERR_INVAL;
    uint8_t *rx = malloc(SERIAL_TCP_CAP), *tx = malloc(SERIAL_TCP_CAP);
    if (!rx || !tx) {
        free(rx);
        free(tx);
        return KERR_NOMEM;
    }
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    socklen_t sl = sizeof sa;
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 4) ||
        getsockname(fd, (struct sockaddr *)&sa, &sl)) {
        fprintf(stderr, "serial_tcp: cannot listen on %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        free(rx);
        free(tx);
        return KERR_INVAL;
    }
    memset(&st.line, 0, sizeof st.line);
    st.line.num = PORT_CONSOLE;
    bbq_init(&st.line.rx, rx, SERIAL_TCP_CAP);
    bbq_init(&st.line.tx, tx, SERIAL_TCP_CAP);
    memset(&st.bh, 0, sizeof st.bh);
    memset(&st.txd, 0, sizeof st.txd);
    kerr_t e = task_spawn(&st.bh, bh_poll, DRIVER_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&st.txd, txd_poll, DRIVER_PRIO);
    if (e != KERR_OK) {
        close(fd);
        return e;
    }
    st.lfd = fd;
    st.port = ntohs(sa.sin_port);
    if (pthread_create(&st.rx_thread, NULL, rx_main, NULL)) {
        close(fd);
        st.lfd = -1;
        return KERR_NOMEM;
    }
    *line = &st.line;
    return KERR_OK;
}

int serial_tcp_bound_port(void)
{
    return st.port;
}

bool serial_tcp_connected(void)
{
    pthread_mutex_lock(&st.mu);
    bool c = st.cfd >= 0;
    pthread_mutex_unlock(&st.mu);
    return c;
}
