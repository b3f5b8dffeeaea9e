/* serial_tcp -- serial lines over TCP, listening and outbound (see serial_tcp.h). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel.h"
#include "platform_linux.h"
#include "serial_tcp.h"

#define DRIVER_PRIO 5
#define NLINES (1 + SERIAL_TCP_OUT_MAX)

enum { FREE, LISTEN, OUT };

/* One line.  All of it is touched in the kernel thread only. */
typedef struct line {
    port_t port;               /* first: a port_t * of ours is a line_t * */
    uint8_t kind;
    bool up;                   /* connected, clean start done: bytes flow */
    bool draining;             /* connected, waiting for rx to be read out */
    bool stalled;              /* rx full: not reading until it has room */
    bool blocked;              /* the socket refused bytes: waiting for POLLOUT */
    bool connecting;           /* OUT: a non-blocking connect() in progress */
    bool deaf;                 /* LISTEN: accept() failed (no descriptors): paused */
    bool warned;               /* LISTEN: said so on stderr */
    int lfd, fd;               /* listening socket (LISTEN), the connection */
    int tport;                 /* for traces: bound port, or the peer's */
    uint32_t sessions;
    struct sockaddr_in peer;   /* OUT */
    uint64_t redial_at;        /* OUT: next connect(), LISTEN: next accept(), not before */
    task_t io, txd;            /* clean start / rx room / redial; tx drain */
} line_t;

static line_t lines[NLINES];

static void on_data(void *arg, short rev);
static void on_accept(void *arg, short rev);

static const char *peer_name(const line_t *l)
{
    return l->kind == LISTEN ? "tcp client" : "tcp server";
}

/* The connection's poll events: rx unless stalled, POLLOUT while blocked;
 * none while draining (a hang-up still shows). */
static void set_events(line_t *l)
{
    short ev = 0;
    if (!l->draining && !l->stalled)
        ev |= POLLIN;
    if (l->blocked)
        ev |= POLLOUT;
    plat_linux_watch(l->fd, ev, on_data, l);
}

/* The connection went (or failed): tx is discarded from now on; an
 * outbound line dials again after SERIAL_TCP_REDIAL_NS. */
static void drop(line_t *l)
{
    if (l->fd < 0)
        return;
    plat_linux_unwatch(l->fd);
    close(l->fd);
    l->fd = -1;
    if (l->up)
        trace_emit(TRACE_INFO, TRACE_MOD_MUX, TRACE_EV_LINE_DOWN, l->tport, 0, peer_name(l));
    l->up = l->draining = l->stalled = l->blocked = l->connecting = false;
    task_wake(&l->txd);
    if (l->kind == OUT) {
        l->redial_at = plat_now() + SERIAL_TCP_REDIAL_NS;
        task_wake(&l->io);
    }
}

/* rx holds nothing of the last connection: the new one's bytes may flow. */
static void start(line_t *l)
{
    l->draining = l->stalled = l->blocked = false;
    l->port.resync = 1;
    l->up = true;
    l->sessions++;
    set_events(l);
    trace_emit(TRACE_INFO, TRACE_MOD_MUX, TRACE_EV_LINE_UP, l->tport, 0, peer_name(l));
}

/* A connection is made: start now, or once rx is read out (the io task). */
static void begin(line_t *l, int fd)
{
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    l->fd = fd;
    l->connecting = false;
    if (plat_linux_watch(fd, 0, on_data, l)) {   /* the watch set is full */
        fprintf(stderr, "serial_tcp: too many descriptors to watch\n");
        drop(l);
        return;
    }
    if (bbq_used(&l->port.rx) == 0) {
        start(l);
    } else {
        l->draining = true;
        task_wake(&l->io);
    }
}

static bool rx_has_room(line_t *l)
{
    bbq_grant_t g;
    if (bbq_grant_max(&l->port.rx, 1, &g) != KERR_OK)
        return false;
    bbq_commit_isr(&l->port.rx, 0, NULL);
    return true;
}

/* Receive what the socket holds into rx (one recv() unless it filled the
 * grant); a hang-up or an error drops the connection. */
static void rx_fill(line_t *l, short rev)
{
    for (;;) {
        bbq_grant_t g;
        if (bbq_grant_max(&l->port.rx, SERIAL_TCP_CAP, &g) != KERR_OK) {
            if (rev & (POLLERR | POLLHUP | POLLNVAL)) {
                drop(l);
            } else {
                l->stalled = true;
                set_events(l);
                task_wake(&l->io);
            }
            return;
        }
        ssize_t n = recv(l->fd, g.ptr, g.len, MSG_DONTWAIT);
        if (n > 0) {
            bbq_commit(&l->port.rx, (uint32_t)n);
            if ((uint32_t)n < g.len)
                return;
            continue;
        }
        bbq_commit_isr(&l->port.rx, 0, NULL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        drop(l);
        return;
    }
}

/* The connection is readable, writable, or hung up. */
static void on_data(void *arg, short rev)
{
    line_t *l = arg;
    if (l->fd < 0)
        return;
    if ((rev & POLLOUT) && l->blocked) {
        l->blocked = false;
        set_events(l);
        task_wake(&l->txd);
    }
    if (l->draining) {
        if (rev & (POLLERR | POLLHUP | POLLNVAL))
            drop(l);
        return;
    }
    if (rev & (POLLIN | POLLERR | POLLHUP | POLLNVAL))
        rx_fill(l, rev);
}

/* OUT: the non-blocking connect() finished, one way or the other. */
static void on_connect(void *arg, short rev)
{
    line_t *l = arg;
    int err = 0;
    socklen_t el = sizeof err;
    (void)rev;
    if (l->fd < 0 || !l->connecting)
        return;
    if (getsockopt(l->fd, SOL_SOCKET, SO_ERROR, &err, &el) || err) {
        drop(l);
        return;
    }
    plat_linux_unwatch(l->fd);
    begin(l, l->fd);
}

/* OUT: dial the peer; a refusal now or later redials on the io task. */
static void dial(line_t *l)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        l->redial_at = plat_now() + SERIAL_TCP_REDIAL_NS;
        return;
    }
    if (connect(fd, (struct sockaddr *)&l->peer, sizeof l->peer) == 0) {
        begin(l, fd);
        return;
    }
    if (errno == EINPROGRESS && plat_linux_watch(fd, POLLOUT, on_connect, l) == 0) {
        l->fd = fd;
        l->connecting = true;
        return;
    }
    close(fd);
    l->redial_at = plat_now() + SERIAL_TCP_REDIAL_NS;
}

/* The line's helper task: listens again after a pause, finishes a clean
 * start once rx is read out, resumes reading once rx has room, dials an
 * outbound line.  Woken by the callbacks, by rx's reader releasing bytes,
 * by its timer. */
static task_status_t io_poll(task_t *t)
{
    line_t *l = t->ctx;
    if (l->deaf && task_sleep_until(t, l->redial_at) == KERR_OK) {   /* first: clears a timeout */
        l->deaf = false;
        plat_linux_watch(l->lfd, POLLIN, on_accept, l);
    }
    if (l->draining) {
        if (bbq_used(&l->port.rx)) {
            task_park(t, &l->port.rx.producers);
            return TASK_PENDING;
        }
        start(l);
    }
    if (l->stalled) {
        if (!rx_has_room(l)) {
            task_park(t, &l->port.rx.producers);
            return TASK_PENDING;
        }
        l->stalled = false;
        set_events(l);
    }
    while (l->kind == OUT && l->fd < 0) {
        if (task_sleep_until(t, l->redial_at) == KERR_PENDING)
            return TASK_PENDING;
        dial(l);
    }
    return TASK_PENDING;
}

/* Send what tx holds; discard it while the line is down. */
static task_status_t txd_poll(task_t *t)
{
    line_t *l = t->ctx;
    for (;;) {
        bbq_grant_t g;
        if (l->up && l->blocked)
            return TASK_PENDING;               /* POLLOUT or a drop wakes us */
        kerr_t e = bbq_read_wait(&l->port.tx, t, &g);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return task_exit(t, (int32_t)e);
        if (!l->up) {
            bbq_release(&l->port.tx, g.len);
            continue;
        }
        ssize_t n = send(l->fd, g.ptr, g.len, MSG_DONTWAIT | MSG_NOSIGNAL);
        if (n >= 0) {
            bbq_release(&l->port.tx, (uint32_t)n);
            continue;
        }
        int err = errno;
        bbq_release(&l->port.tx, 0);
        if (err == EAGAIN || err == EWOULDBLOCK) {
            l->blocked = true;
            set_events(l);
            return TASK_PENDING;
        }
        if (err != EINTR)
            drop(l);
    }
}

/* A client while one is attached (or its clean start pending): told, and closed. */
static void refuse(line_t *l, int fd)
{
    static const char msg[] = "clio: the serial line is in use by another client\n";
    ssize_t k = send(fd, msg, sizeof msg - 1, MSG_DONTWAIT | MSG_NOSIGNAL);
    (void)k;
    close(fd);
    trace_emit(TRACE_WARN, TRACE_MOD_MUX, TRACE_EV_LINE_REFUSED, l->tport, 0, "second client");
}

/* LISTEN: accept() fails (out of descriptors, say) while a client knocks:
 * stop listening for SERIAL_TCP_REDIAL_NS rather than spin on it. */
static void go_deaf(line_t *l, int err)
{
    if (!l->warned)
        fprintf(stderr, "serial_tcp: accept on port %d: %s (trying again)\n", l->tport, strerror(err));
    l->deaf = l->warned = true;
    l->redial_at = plat_now() + SERIAL_TCP_REDIAL_NS;
    plat_linux_watch(l->lfd, 0, on_accept, l);
    task_wake(&l->io);
}

/* LISTEN: clients knocking. */
static void on_accept(void *arg, short rev)
{
    line_t *l = arg;
    (void)rev;
    for (;;) {
        int fd = accept4(l->lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                go_deaf(l, errno);
            return;                              /* EAGAIN: all taken */
        }
        /* the client may have left in the same round (a busy kernel polls
         * seldom): its last bytes and its hang-up count first */
        if (l->fd >= 0 && l->up && !l->stalled)
            rx_fill(l, 0);
        if (l->fd >= 0)
            refuse(l, fd);
        else
            begin(l, fd);
    }
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

/* A free slot of the kind with its rings and tasks, or NULL (*err says why). */
static line_t *line_new(int kind, kerr_t *err)
{
    line_t *l = NULL;
    for (int i = kind == LISTEN ? 0 : 1; i < (kind == LISTEN ? 1 : NLINES) && !l; i++)
        if (lines[i].kind == FREE)
            l = &lines[i];
    if (!l) {
        *err = kind == LISTEN ? KERR_INVAL : KERR_FULL;
        return NULL;
    }
    uint8_t *rx = malloc(SERIAL_TCP_CAP), *tx = malloc(SERIAL_TCP_CAP);
    if (!rx || !tx) {
        free(rx);
        free(tx);
        *err = KERR_NOMEM;
        return NULL;
    }
    memset(l, 0, sizeof *l);
    l->lfd = l->fd = l->tport = -1;
    l->port.num = PORT_CONSOLE;
    bbq_init(&l->port.rx, rx, SERIAL_TCP_CAP);
    bbq_init(&l->port.tx, tx, SERIAL_TCP_CAP);
    l->io.ctx = l->txd.ctx = l;
    *err = task_spawn(&l->io, io_poll, DRIVER_PRIO);
    if (*err == KERR_OK && (*err = task_spawn(&l->txd, txd_poll, DRIVER_PRIO)) != KERR_OK)
        task_cancel(&l->io);
    if (*err != KERR_OK) {
        free(rx);
        free(tx);
        return NULL;
    }
    l->kind = (uint8_t)kind;
    return l;
}

kerr_t serial_tcp_open(const char *spec, port_t **line)
{
    struct sockaddr_in sa;
    if (!spec || !line || parse_spec(spec, &sa)) {
        fprintf(stderr, "serial_tcp: bad address '%s' (want PORT or HOST:PORT)\n",
                spec ? spec : "(null)");
        return KERR_INVAL;
    }
    if (lines[0].kind != FREE)
        return KERR_INVAL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;
    socklen_t sl = sizeof sa;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(fd, (struct sockaddr *)&sa, sizeof sa) || listen(fd, 4) ||
        getsockname(fd, (struct sockaddr *)&sa, &sl)) {
        fprintf(stderr, "serial_tcp: cannot listen on %s: %s\n", spec, strerror(errno));
        if (fd >= 0)
            close(fd);
        return KERR_INVAL;
    }
    kerr_t e;
    line_t *l = line_new(LISTEN, &e);
    if (!l || plat_linux_watch(fd, POLLIN, on_accept, l)) {
        close(fd);
        if (l)
            serial_tcp_close(&l->port);
        return l ? KERR_NOMEM : e;
    }
    l->lfd = fd;
    l->tport = ntohs(sa.sin_port);
    *line = &l->port;
    return KERR_OK;
}

kerr_t serial_tcp_connect(const char *spec, port_t **line)
{
    struct sockaddr_in sa;
    if (!spec || !line || !strchr(spec, ':') || parse_spec(spec, &sa) || sa.sin_port == 0) {
        fprintf(stderr, "serial_tcp: bad address '%s' (want HOST:PORT)\n", spec ? spec : "(null)");
        return KERR_INVAL;
    }
    kerr_t e;
    line_t *l = line_new(OUT, &e);
    if (!l)
        return e;
    l->peer = sa;
    l->tport = ntohs(sa.sin_port);
    *line = &l->port;                  /* its io task dials at its first poll */
    return KERR_OK;
}

void serial_tcp_close(port_t *line)
{
    line_t *l = (line_t *)line;
    if (!l || l < lines || l >= lines + NLINES || l->kind == FREE)
        return;
    drop(l);
    if (l->lfd >= 0) {
        plat_linux_unwatch(l->lfd);
        close(l->lfd);
    }
    if (!task_done(&l->io))
        task_cancel(&l->io);
    if (!task_done(&l->txd))
        task_cancel(&l->txd);
    free(l->port.rx.buf);
    free(l->port.tx.buf);
    memset(l, 0, sizeof *l);
    l->kind = FREE;
}

int serial_tcp_bound_port(void)
{
    return lines[0].kind == LISTEN ? lines[0].tport : -1;
}

bool serial_tcp_up(const port_t *line)
{
    return line && ((const line_t *)line)->up;
}

uint32_t serial_tcp_sessions(const port_t *line)
{
    return line ? ((const line_t *)line)->sessions : 0;
}
