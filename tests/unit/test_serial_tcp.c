/* Unit tests: hosts/linux/serial_tcp.c -- a listening line and outbound
 * lines in one process, talking through real sockets on 127.0.0.1, driven
 * by the kernel loop with the real clock. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kernel.h"
#include "platform_linux.h"
#include "serial_tcp.h"

#define BIG (16u << 20)               /* mostly more than rings and socket buffers hold */

static port_t *lis, *out;
static char spec[32];                 /* "127.0.0.1:PORT" of the listening line */

static int setup(void **state)
{
    (void)state;
    plat_linux_real_clock();
    assert_int_equal(kernel_init(), KERR_OK);
    lis = out = NULL;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    serial_tcp_close(lis);
    serial_tcp_close(out);
    return 0;
}

/* Run the kernel loop until cond(arg) holds (true) or ms pass (false).
 * Each round waits at most 2 ms; rounds counts them. */
static unsigned rounds;
static bool run_until(bool (*cond)(void *), void *arg, int ms)
{
    uint64_t end = plat_now() + (uint64_t)ms * 1000000u;
    for (;; rounds++) {
        if (cond && cond(arg))
            return true;
        uint64_t now = plat_now();
        if (now >= end)
            return false;
        uint64_t next = kernel_tick();
        if (next == 0)
            plat_linux_io_poll();
        kernel_wait(next > now + 2000000u ? now + 2000000u : next);
    }
}

static bool both_up(void *arg)
{
    (void)arg;
    return serial_tcp_up(lis) && serial_tcp_up(out);
}

static bool is_down(void *arg)
{
    return !serial_tcp_up(arg);
}

static bool is_up(void *arg)
{
    return serial_tcp_up(arg);
}

/* A listening line on a free port and an outbound line to it, connected. */
static void pair(void)
{
    assert_int_equal(serial_tcp_open("127.0.0.1:0", &lis), KERR_OK);
    snprintf(spec, sizeof spec, "127.0.0.1:%d", serial_tcp_bound_port());
    assert_int_equal(serial_tcp_connect(spec, &out), KERR_OK);
    assert_true(run_until(both_up, NULL, 3000));
    assert_int_equal(lis->resync, 1);           /* a first peer too */
    assert_int_equal(out->resync, 1);
    lis->resync = out->resync = 0;               /* as the mux does */
}

static void put(port_t *p, const char *s)
{
    bbq_grant_t g;
    assert_int_equal(bbq_grant(&p->tx, (uint32_t)strlen(s), &g), KERR_OK);
    memcpy(g.ptr, s, g.len);
    bbq_commit(&p->tx, g.len);
}

/* Everything rx holds now, NUL-terminated, taken out of rx. */
static char got[256];
static size_t take(port_t *p)
{
    size_t n = 0;
    bbq_grant_t g;
    while (bbq_read(&p->rx, &g) == KERR_OK) {
        size_t k = g.len < sizeof got - 1 - n ? g.len : sizeof got - 1 - n;
        memcpy(got + n, g.ptr, k);
        n += k;
        bbq_release(&p->rx, g.len);
    }
    got[n] = 0;
    return n;
}

typedef struct {
    port_t *p;
    uint32_t want;
} rx_want_t;

static bool rx_has(void *arg)
{
    rx_want_t *w = arg;
    return bbq_used(&w->p->rx) >= w->want;
}

static void expect(port_t *from, port_t *to, const char *s)
{
    put(from, s);
    rx_want_t w = { to, (uint32_t)strlen(s) };
    assert_true(run_until(rx_has, &w, 2000));
    take(to);
    assert_string_equal(got, s);
}

static void test_serial_tcp__bytes_both_ways(void **state)
{
    (void)state;
    pair();
    assert_int_equal(serial_tcp_sessions(lis), 1);
    assert_int_equal(serial_tcp_sessions(out), 1);
    expect(out, lis, "ping");
    expect(lis, out, "pong");
    expect(out, lis, "and again");
}

/* Pump BIG bytes out->lis through full rings: the receiver stalls (rx full)
 * while nobody reads (and the sender waits for POLLOUT, unless the socket
 * buffers, autotuned, swallowed the rest), and every byte arrives in order
 * once it reads. */
typedef struct {
    uint32_t sent, recvd, bad;
    bool reading;
} pump_t;

static bool pump(void *arg)
{
    pump_t *p = arg;
    bbq_grant_t g;
    while (p->sent < BIG && bbq_grant_max(&out->tx, BIG - p->sent, &g) == KERR_OK) {
        for (uint32_t i = 0; i < g.len; i++)
            g.ptr[i] = (uint8_t)((p->sent + i) * 7u);
        p->sent += g.len;
        bbq_commit(&out->tx, g.len);
    }
    while (p->reading && bbq_read(&lis->rx, &g) == KERR_OK) {
        for (uint32_t i = 0; i < g.len; i++)
            p->bad += g.ptr[i] != (uint8_t)((p->recvd + i) * 7u);
        p->recvd += g.len;
        bbq_release(&lis->rx, g.len);
    }
    return p->recvd == BIG;
}

static void test_serial_tcp__backpressure_keeps_every_byte(void **state)
{
    (void)state;
    pair();
    pump_t p = { 0 };
    run_until(pump, &p, 500);                  /* nobody reads: rings fill */
    assert_int_equal(bbq_used(&lis->rx), SERIAL_TCP_CAP);   /* the receiver stopped reading */
    p.reading = true;
    assert_true(run_until(pump, &p, 10000));
    assert_int_equal(p.bad, 0);
    assert_true(serial_tcp_up(lis) && serial_tcp_up(out));
}

static void test_serial_tcp__reconnects_clean_after_the_peer_closes(void **state)
{
    (void)state;
    pair();
    int port = serial_tcp_bound_port();
    put(lis, "old");                             /* left unread in out's rx */
    rx_want_t w = { out, 3 };
    assert_true(run_until(rx_has, &w, 2000));
    serial_tcp_close(lis);
    lis = NULL;
    assert_true(run_until(is_down, out, 2000));
    assert_int_equal(serial_tcp_sessions(out), 1);

    put(out, "lost");                            /* nobody there: discarded */
    run_until(NULL, NULL, 50);
    assert_int_equal(bbq_used(&out->tx), 0);

    assert_int_equal(serial_tcp_open(spec, &lis), KERR_OK);   /* a new listener, same port */
    assert_int_equal(serial_tcp_bound_port(), port);
    assert_true(run_until(is_up, lis, 3000));    /* redialled; out waits for its rx */
    run_until(NULL, NULL, 100);
    assert_false(serial_tcp_up(out));
    assert_int_equal(out->resync, 0);
    take(out);
    assert_string_equal(got, "old");             /* the old peer's bytes first */
    assert_true(run_until(is_up, out, 2000));
    assert_int_equal(serial_tcp_sessions(out), 2);
    assert_int_equal(out->resync, 1);            /* then the mux is told */
    assert_int_equal(lis->resync, 1);
    expect(out, lis, "new");                     /* "lost" never arrived */
    expect(lis, out, "hello again");
}

static void test_serial_tcp__redials_until_a_listener_appears(void **state)
{
    (void)state;
    assert_int_equal(serial_tcp_open("127.0.0.1:0", &lis), KERR_OK);
    snprintf(spec, sizeof spec, "127.0.0.1:%d", serial_tcp_bound_port());
    serial_tcp_close(lis);                       /* a port nobody listens on */
    lis = NULL;
    assert_int_equal(serial_tcp_connect(spec, &out), KERR_OK);
    run_until(NULL, NULL, 600);                  /* refused, more than once */
    assert_false(serial_tcp_up(out));
    assert_int_equal(serial_tcp_sessions(out), 0);
    put(out, "into the void");
    run_until(NULL, NULL, 20);
    assert_int_equal(bbq_used(&out->tx), 0);
    assert_int_equal(serial_tcp_open(spec, &lis), KERR_OK);
    uint64_t t0 = plat_now();
    assert_true(run_until(both_up, NULL, 3000));
    assert_true(plat_now() - t0 < 2 * SERIAL_TCP_REDIAL_NS + 200000000u);
    assert_int_equal(serial_tcp_sessions(out), 1);
    expect(out, lis, "here");
}

typedef struct {
    int fd;
    char buf[128];
    size_t n;
    bool eof;
} raw_t;

static bool raw_done(void *arg)
{
    raw_t *r = arg;
    ssize_t k = recv(r->fd, r->buf + r->n, sizeof r->buf - 1 - r->n, MSG_DONTWAIT);
    if (k > 0)
        r->n += (size_t)k;
    r->buf[r->n] = 0;
    r->eof = k == 0;
    return r->eof;
}

static void test_serial_tcp__second_client_told_and_closed(void **state)
{
    (void)state;
    pair();
    raw_t r = { .fd = socket(AF_INET, SOCK_STREAM, 0) };
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)serial_tcp_bound_port()) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(r.fd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_true(run_until(raw_done, &r, 2000));
    close(r.fd);
    assert_non_null(strstr(r.buf, "in use by another client"));
    assert_true(serial_tcp_up(lis) && serial_tcp_up(out));
    assert_int_equal(serial_tcp_sessions(lis), 1);
    expect(out, lis, "still here");
}

static int raw_connect(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)serial_tcp_bound_port()) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    return fd;
}

static bool sessions_2(void *arg)
{
    return serial_tcp_sessions(arg) == 2;
}

/* Out of descriptors while a client knocks: the listening line pauses (no
 * busy loop on a listening socket it cannot accept from), keeps its
 * client, and lets the next one in once descriptors are back. */
static void test_serial_tcp__out_of_descriptors_pauses_listening(void **state)
{
    (void)state;
    assert_int_equal(serial_tcp_open("127.0.0.1:0", &lis), KERR_OK);
    int a = raw_connect();
    assert_true(run_until(is_up, lis, 2000));
    int b = socket(AF_INET, SOCK_STREAM, 0);
    int lowest_free = dup(0);
    close(lowest_free);
    struct rlimit saved, tight;
    getrlimit(RLIMIT_NOFILE, &saved);
    tight = saved;
    tight.rlim_cur = (rlim_t)lowest_free;            /* no new descriptor at all */
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &tight), 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)serial_tcp_bound_port()) };
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(b, (struct sockaddr *)&sa, sizeof sa), 0);   /* in the backlog */
    rounds = 0;
    run_until(NULL, NULL, 400);
    assert_int_equal(setrlimit(RLIMIT_NOFILE, &saved), 0);
    assert_in_range(rounds, 1, 1000);                /* it slept (~200 rounds), not spun */
    assert_true(serial_tcp_up(lis));
    assert_int_equal(serial_tcp_sessions(lis), 1);
    close(a);                                        /* b's turn, once listening again */
    assert_true(run_until(sessions_2, lis, 2000));
    assert_true(serial_tcp_up(lis));
    assert_int_equal(send(b, "b!", 2, 0), 2);
    rx_want_t w = { lis, 2 };
    assert_true(run_until(rx_has, &w, 2000));
    take(lis);
    assert_string_equal(got, "b!");
    close(b);
}

static void test_serial_tcp__bad_specs_and_limits(void **state)
{
    (void)state;
    port_t *p = NULL, *many[SERIAL_TCP_OUT_MAX];
    assert_int_equal(serial_tcp_connect("7000", &p), KERR_INVAL);          /* no host */
    assert_int_equal(serial_tcp_connect("127.0.0.1:0", &p), KERR_INVAL);
    assert_int_equal(serial_tcp_connect("127.0.0.1:70000", &p), KERR_INVAL);
    assert_int_equal(serial_tcp_connect("localhost:7000", &p), KERR_INVAL); /* numeric only */
    assert_int_equal(serial_tcp_connect("1.2.3:7000", &p), KERR_INVAL);
    assert_int_equal(serial_tcp_connect(":7000", &p), KERR_INVAL);
    assert_int_equal(serial_tcp_connect(NULL, &p), KERR_INVAL);
    assert_int_equal(serial_tcp_open("127.0.0.1:x", &p), KERR_INVAL);
    assert_false(serial_tcp_up(NULL));
    assert_int_equal(serial_tcp_sessions(NULL), 0);
    assert_int_equal(serial_tcp_bound_port(), -1);

    assert_int_equal(serial_tcp_open("127.0.0.1:0", &lis), KERR_OK);
    assert_int_equal(serial_tcp_open("127.0.0.1:0", &p), KERR_INVAL);      /* one listener */
    snprintf(spec, sizeof spec, "127.0.0.1:%d", serial_tcp_bound_port());
    for (int i = 0; i < SERIAL_TCP_OUT_MAX; i++)
        assert_int_equal(serial_tcp_connect(spec, &many[i]), KERR_OK);
    assert_int_equal(serial_tcp_connect(spec, &p), KERR_FULL);
    run_until(NULL, NULL, 100);                  /* one is let in, the rest refused */
    int up = 0;
    for (int i = 0; i < SERIAL_TCP_OUT_MAX; i++)
        up += serial_tcp_up(many[i]);
    assert_int_equal(up, 1);
    for (int i = 0; i < SERIAL_TCP_OUT_MAX; i++)
        serial_tcp_close(many[i]);
    assert_int_equal(serial_tcp_connect(spec, &out), KERR_OK);             /* slots come back */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_serial_tcp__bytes_both_ways, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_tcp__backpressure_keeps_every_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_tcp__reconnects_clean_after_the_peer_closes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_tcp__redials_until_a_listener_appears, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_tcp__second_client_told_and_closed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_tcp__out_of_descriptors_pauses_listening, setup, teardown),
        cmocka_unit_test_setup_teardown(test_serial_tcp__bad_specs_and_limits, setup, teardown),
    };
    return cmocka_run_group_tests_name("serial_tcp", tests, NULL, NULL);
}
