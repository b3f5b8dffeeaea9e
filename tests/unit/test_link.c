#define _GNU_SOURCE
/*
 * Unit tests: services/link -- a node's links, with the test playing its
 * peers: each peer is a raw serial line (two rings) on which the test
 * speaks sermux frames of port 5 carrying lwire messages, as a peer clio
 * does.  The kernel runs on the fake clock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "kernel.h"
#include "kwire.h"
#include "platform_linux.h"
#include "example/echo.h"
#include "common/cerr.h"
#include "mux/sermux.h"
#include "link/link.h"
#include "link/lwire.h"

#define CAP (64u * 1024)

typedef struct msg {
    uint8_t type;
    uint16_t len;
    uint8_t body[LWIRE_BODY_MAX];
} msg_t;

typedef struct peer {
    port_t line;
    uint8_t rxb[CAP], txb[CAP];
    uint8_t frame[SERMUX_FRAME_MAX];
    size_t flen;
    lwire_dec_t dec;
    msg_t q[64];
    int qn;
    const char *name;
    uint32_t session;
} peer_t;

static peer_t *peers[2];
static echo_service_t echo;

static void peer_init(peer_t *p, const char *name)
{
    memset(p, 0, sizeof *p);
    p->line.num = PORT_CONSOLE;
    bbq_init(&p->line.rx, p->rxb, CAP);
    bbq_init(&p->line.tx, p->txb, CAP);
    lwire_dec_init(&p->dec);
    p->name = name;
    p->session = 1234;
}

/* Raw bytes from the peer into the node. */
static void peer_raw(peer_t *p, const uint8_t *b, size_t n)
{
    bbq_grant_t g;
    assert_int_equal(bbq_grant(&p->line.rx, (uint32_t)n, &g), KERR_OK);
    memcpy(g.ptr, b, n);
    bbq_commit(&p->line.rx, (uint32_t)n);
}

/* Stream bytes as frames of `port`. */
static void peer_frames(peer_t *p, uint16_t port, const uint8_t *b, size_t n)
{
    while (n) {
        uint8_t plain[2 + SERMUX_MTU], enc[SERMUX_FRAME_MAX];
        size_t k = n > SERMUX_MTU ? SERMUX_MTU : n;
        plain[0] = (uint8_t)port;
        plain[1] = (uint8_t)(port >> 8);
        memcpy(plain + 2, b, k);
        size_t e = cobs_encode(plain, 2 + k, enc);
        enc[e++] = 0;
        peer_raw(p, enc, e);
        b += k;
        n -= k;
    }
}

static void peer_send(peer_t *p, uint8_t type, const uint8_t *body, size_t n)
{
    static uint8_t wire[LWIRE_MSG_MAX];
    size_t k = lwire_encode(wire, type, body, (uint16_t)n);
    peer_frames(p, LINK_PORT, wire, k);
}

/* What the node wrote to the peer: frames of port 5, decoded into q. */
static void peer_pump(peer_t *p)
{
    bbq_grant_t g;
    while (bbq_read(&p->line.tx, &g) == KERR_OK && g.len) {
        for (uint32_t i = 0; i < g.len; i++) {
            uint8_t b = g.ptr[i];
            if (b) {
                if (p->flen < sizeof p->frame)
                    p->frame[p->flen++] = b;
                continue;
            }
            uint8_t dec[2 + SERMUX_MTU];
            long n = cobs_decode(p->frame, p->flen, dec, sizeof dec);
            p->flen = 0;
            assert_true(n >= 2);
            assert_int_equal(dec[0] | dec[1] << 8, LINK_PORT);
            size_t used = 0;
            while (used < (size_t)n - 2 || lwire_more(&p->dec)) {
                lwire_msg_t m;
                bool got;
                used += lwire_feed(&p->dec, dec + 2 + used, (size_t)n - 2 - used, &m, &got);
                if (got && p->qn < 64) {
                    p->q[p->qn].type = m.type;
                    p->q[p->qn].len = m.len;
                    memcpy(p->q[p->qn].body, m.body, m.len);
                    p->qn++;
                }
            }
        }
        bbq_release(&p->line.tx, g.len);
    }
    assert_int_equal(p->dec.bad, 0);
}

static void settle(void)
{
    for (int i = 0; i < 100000; i++)
        if (kernel_tick() != 0)
            break;
    for (int i = 0; i < 2; i++)
        if (peers[i])
            peer_pump(peers[i]);
}

/* Let ms of fake time pass, a millisecond at a time. */
static void run_ms(unsigned ms)
{
    settle();
    for (unsigned i = 0; i < ms; i++) {
        plat_linux_advance(1000000);
        settle();
    }
}

/* Take the first queued message of `type` (waiting up to ms of fake time). */
static bool take(peer_t *p, uint8_t type, msg_t *out, unsigned ms)
{
    for (unsigned t = 0; t <= ms; t++) {
        for (int i = 0; i < p->qn; i++)
            if (p->q[i].type == type) {
                *out = p->q[i];
                memmove(&p->q[i], &p->q[i + 1], (size_t)(p->qn - i - 1) * sizeof p->q[0]);
                p->qn--;
                return true;
            }
        run_ms(1);
    }
    return false;
}

static void put_name(kwire_wr_t *w, const char *s)
{
    kwire_put_u8(w, (uint8_t)strlen(s));
    kwire_put_bytes(w, s, (uint32_t)strlen(s));
}

static void send_hello(peer_t *p)
{
    uint8_t b[32];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u8(&w, 1);
    kwire_put_u8(&w, 1);
    kwire_put_u32(&w, p->session);
    put_name(&w, p->name);
    peer_send(p, LWIRE_HELLO, b, w.n);
}

static const reg_uuid_t thing_uuid = { { 0xaa, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } };
#define THING_IFACE 0x7417u

/* The peer advertises itself with one service, "thing", and lists routes. */
static void send_advert(peer_t *p, const char *node, uint8_t hops)
{
    uint8_t b[128];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    put_name(&w, node);
    kwire_put_u8(&w, hops);
    kwire_put_u8(&w, 1);
    kwire_put_bytes(&w, thing_uuid.b, 16);
    kwire_put_u32(&w, THING_IFACE);
    put_name(&w, "thing");
    peer_send(p, LWIRE_ADVERT, b, w.n);
}

static void send_routes(peer_t *p, const char *a, const char *b2)
{
    uint8_t b[64];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u8(&w, (uint8_t)(b2 ? 2 : a ? 1 : 0));
    if (a)
        put_name(&w, a);
    if (b2)
        put_name(&w, b2);
    peer_send(p, LWIRE_ROUTES, b, w.n);
}

static void send_credit(peer_t *p, uint16_t n)
{
    uint8_t b[2] = { (uint8_t)n, (uint8_t)(n >> 8) };
    peer_send(p, LWIRE_CREDIT, b, 2);
}

static void send_req(peer_t *p, uint32_t tag, const char *dst, const reg_uuid_t *u, uint32_t iface,
                     uint16_t op, const char *payload)
{
    uint8_t b[256];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u32(&w, tag);
    put_name(&w, dst);
    put_name(&w, p->name);
    kwire_put_bytes(&w, u->b, 16);
    kwire_put_u32(&w, iface);
    kwire_put_u16(&w, op);
    kwire_put_u16(&w, 64);
    kwire_put_bytes(&w, payload, (uint32_t)strlen(payload));
    peer_send(p, LWIRE_REQ, b, w.n);
}

static void send_rep(peer_t *p, uint32_t tag, int32_t status, const char *payload)
{
    uint8_t b[128];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u32(&w, tag);
    kwire_put_u32(&w, (uint32_t)status);
    kwire_put_bytes(&w, payload, (uint32_t)strlen(payload));
    peer_send(p, LWIRE_REP, b, w.n);
}

/* A REP's tag and status (payload into out, NUL-terminated). */
static uint32_t rep_of(const msg_t *m, int32_t *status, char *out)
{
    kwire_rd_t r = kwire_reader(m->body, m->len);
    uint32_t tag = kwire_u32(&r);
    *status = (int32_t)kwire_u32(&r);
    uint32_t n;
    const uint8_t *p = kwire_rest(&r, &n);
    if (out) {
        memcpy(out, p, n);
        out[n] = 0;
    }
    return tag;
}

static peer_t *p1, *p2;

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(echo_start(&echo, 1), KERR_OK);
    assert_int_equal(link_init("me"), KERR_OK);
    if (!p1) {
        p1 = malloc(sizeof *p1);
        p2 = malloc(sizeof *p2);
    }
    peer_init(p1, "peer");
    peers[0] = p1;
    peers[1] = NULL;
    assert_int_equal(link_attach_line(&p1->line, "t1"), KERR_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    plat_linux_real_clock();
    return 0;
}

/* Bring p up: its HELLO, ours, the credit. */
static void handshake(peer_t *p)
{
    msg_t m;
    assert_true(take(p, LWIRE_HELLO, &m, 1500));
    send_hello(p);
    assert_true(take(p, LWIRE_CREDIT, &m, 100));
    assert_int_equal(m.body[0], LINK_CREDITS);
}

static void test_link__handshake_and_advert(void **state)
{
    (void)state;
    msg_t m;
    assert_true(take(p1, LWIRE_HELLO, &m, 1500));
    kwire_rd_t r = kwire_reader(m.body, m.len);
    assert_int_equal(kwire_u8(&r), 1);
    assert_int_equal(kwire_u8(&r), 1);
    kwire_u32(&r);
    assert_int_equal(kwire_u8(&r), 2);
    assert_memory_equal(kwire_take(&r, 2), "me", 2);
    assert_true(kwire_done(&r));
    link_stats_t st;
    assert_true(link_stats(0, &st));
    assert_int_equal(st.state, LINK_DOWN);
    send_hello(p1);
    assert_true(take(p1, LWIRE_CREDIT, &m, 100));
    assert_true(take(p1, LWIRE_ADVERT, &m, 100));
    /* me, hops 0, with the echo and links services */
    assert_int_equal(m.body[0], 2);
    assert_memory_equal(m.body + 1, "me", 2);
    assert_int_equal(m.body[3], 0);
    assert_true(m.body[4] >= 2);
    assert_true(memmem(m.body, m.len, "echo", 4) != NULL);
    assert_true(take(p1, LWIRE_ROUTES, &m, 100));
    assert_int_equal(m.body[0], 1);
    assert_true(link_stats(0, &st));
    assert_int_equal(st.state, LINK_UP);
    assert_string_equal(st.peer, "peer");
}

/* ---- a local client calling through a proxy ---- */

typedef struct client {
    task_t task;
    reg_handle_t h;
    reg_msg_t req;
    int32_t result;
    bool done;
    char reply[64];
} client_t;

static task_status_t client_poll(task_t *t)
{
    client_t *c = kcontainer_of(t, client_t, task);
    kerr_t e = reg_call(&c->h, t, &c->req);
    if (e == KERR_PENDING)
        return TASK_PENDING;
    c->result = e == KERR_OK ? reg_response(&c->h)->status : (int32_t)e;
    if (e == KERR_OK) {
        uint32_t n = reg_response(&c->h)->len;
        memcpy(c->reply, reg_response_data(&c->h), n < 63 ? n : 63);
        c->reply[n < 63 ? n : 63] = 0;
    }
    c->done = true;
    return task_exit(t, 0);
}

static void client_start(client_t *c, uint16_t idx, const char *payload)
{
    memset(c, 0, sizeof *c);
    assert_int_equal(reg_connect_index(&c->h, idx, THING_IFACE), KERR_OK);
    c->req.opcode = 9;
    uint8_t *room = reg_request_room(&c->h, &c->req, (uint32_t)strlen(payload));
    memcpy(room, payload, strlen(payload));
    assert_int_equal(task_spawn(&c->task, client_poll, 2), KERR_OK);
}

/* ms of fake time in which peer p pings every `every` ms (a live link). */
static void alive_ms(peer_t *p, unsigned ms, unsigned every)
{
    for (unsigned t = 0; t < ms; t += every) {
        uint8_t nonce[4] = { 0 };
        peer_send(p, LWIRE_PING, nonce, 4);
        run_ms(every);
    }
}

/* p1 stays alive for ms (pinging every 990 ms) while c's call must not end. */
static void alive_until_done(const client_t *c, unsigned ms)
{
    for (unsigned t = 0; t < ms; t += 990) {
        alive_ms(p1, 990, 990);
        assert_false(c->done);
    }
}

static uint16_t learn_peer_thing(void)
{
    handshake(p1);
    send_credit(p1, LINK_CREDITS);
    send_advert(p1, "peer", 0);
    send_routes(p1, "peer", NULL);
    run_ms(5);
    uint16_t idx;
    assert_int_equal(reg_lookup_node(&thing_uuid, 1, &idx), KERR_OK);
    assert_string_equal(reg_service_at(idx)->name, "thing@peer");
    assert_int_equal(reg_lookup(&thing_uuid, &idx), KERR_NOT_FOUND);   /* not local */
    assert_int_equal(reg_lookup_node(&thing_uuid, 1, &idx), KERR_OK);
    return idx;
}

/* A local client's call through the peer's "thing" proxy: its REQ as sent. */
static msg_t call_through_proxy(client_t *c)
{
    uint16_t idx = learn_peer_thing();
    client_start(c, idx, "ping");
    msg_t m;
    assert_true(take(p1, LWIRE_REQ, &m, 10));
    return m;
}

static void test_link__call_through_a_proxy(void **state)
{
    (void)state;
    uint16_t idx = learn_peer_thing();
    static client_t c;
    client_start(&c, idx, "ping");
    run_ms(2);
    msg_t m;
    assert_true(take(p1, LWIRE_REQ, &m, 10));
    kwire_rd_t r = kwire_reader(m.body, m.len);
    uint32_t tag = kwire_u32(&r);
    uint8_t n = kwire_u8(&r);
    assert_memory_equal(kwire_take(&r, n), "peer", 4);
    n = kwire_u8(&r);
    assert_memory_equal(kwire_take(&r, n), "me", 2);
    assert_memory_equal(kwire_take(&r, 16), thing_uuid.b, 16);
    assert_int_equal(kwire_u32(&r), THING_IFACE);
    assert_int_equal(kwire_u16(&r), 9);
    kwire_u16(&r);
    uint32_t pn;
    const uint8_t *pl = kwire_rest(&r, &pn);
    assert_int_equal(pn, 4);
    assert_memory_equal(pl, "ping", 4);
    assert_false(c.done);
    send_rep(p1, tag ^ 0x100, 0, "forged");   /* a wrong generation: dropped */
    run_ms(2);
    assert_false(c.done);
    send_rep(p1, tag, 7, "pong");
    run_ms(2);
    assert_true(c.done);
    assert_int_equal(c.result, 7);
    assert_string_equal(c.reply, "pong");
}

static void test_link__peer_calls_local_echo(void **state)
{
    (void)state;
    handshake(p1);
    reg_uuid_t eu = ECHO_UUID_INIT;
    send_req(p1, 77, "me", &eu, ECHO_IFACE, ECHO_OP_UPPER, "hi there");
    msg_t m;
    assert_true(take(p1, LWIRE_REP, &m, 20));
    int32_t st;
    char out[128];
    assert_int_equal(rep_of(&m, &st, out), 77);
    assert_int_equal(st, 0);
    assert_string_equal(out, "HI THERE");
    /* no such service, a wrong interface, no such node */
    reg_uuid_t nope = { { 9 } };
    send_req(p1, 78, "me", &nope, 1, 1, "x");
    assert_true(take(p1, LWIRE_REP, &m, 20));
    assert_int_equal(rep_of(&m, &st, NULL), 78);
    assert_int_equal(st, CERR_NOSVC);
    send_req(p1, 79, "me", &eu, ECHO_IFACE + 1, 1, "x");
    assert_true(take(p1, LWIRE_REP, &m, 20));
    assert_int_equal(rep_of(&m, &st, NULL), 79);
    assert_int_equal(st, CERR_REFUSED);
    send_req(p1, 80, "elsewhere", &eu, ECHO_IFACE, 1, "x");
    assert_true(take(p1, LWIRE_REP, &m, 20));
    assert_int_equal(rep_of(&m, &st, NULL), 80);
    assert_int_equal(st, CERR_NONODE);
}

static void test_link__requests_past_the_credit_are_refused(void **state)
{
    (void)state;
    handshake(p1);
    reg_uuid_t eu = ECHO_UUID_INIT;
    for (uint32_t i = 0; i < LINK_CREDITS + 6; i++)
        send_req(p1, 100 + i, "me", &eu, ECHO_IFACE, ECHO_OP_ECHO, "x");
    run_ms(20);
    int ok = 0, busy = 0;
    msg_t m;
    while (take(p1, LWIRE_REP, &m, 0)) {
        int32_t st;
        rep_of(&m, &st, NULL);
        ok += st == 0;
        busy += st == CERR_BUSY;
    }
    assert_int_equal(ok + busy, LINK_CREDITS + 6);
    assert_true(ok >= LINK_CREDITS);
    link_stats_t s;
    assert_true(link_stats(0, &s));
    assert_int_equal(s.busy, (uint32_t)busy);
}

static void test_link__garbage_counted_link_stays_up(void **state)
{
    (void)state;
    handshake(p1);
    uint8_t junk[600];
    srand(7);
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < sizeof junk; i++)
            junk[i] = (uint8_t)rand();
        junk[3] = LWIRE_MAGIC;
        peer_frames(p1, LINK_PORT, junk, sizeof junk);   /* garbage in the stream */
        peer_frames(p1, 10, junk, 40);                   /* another port's frame */
        junk[0] = 0;
        peer_raw(p1, junk, 9);                           /* broken frames */
        run_ms(1);
    }
    /* a false start that passed the header check waits for its body: a
     * peer's next bytes push it out (here: zeros, which hold no start) */
    memset(junk, 0, sizeof junk);
    for (int i = 0; i < 5; i++)
        peer_frames(p1, LINK_PORT, junk, sizeof junk);
    uint8_t nonce[4] = { 1, 2, 3, 4 };
    peer_send(p1, LWIRE_PING, nonce, 4);
    msg_t m;
    assert_true(take(p1, LWIRE_PONG, &m, 50));
    assert_memory_equal(m.body, nonce, 4);
    link_stats_t s;
    assert_true(link_stats(0, &s));
    assert_int_equal(s.state, LINK_UP);
    assert_true(s.skipped > 1000);
    assert_true(s.bad >= 1);
}

static void test_link__silent_peer_ends_calls_with_gone(void **state)
{
    (void)state;
    static client_t c;
    call_through_proxy(&c);
    run_ms(2900);
    assert_false(c.done);
    run_ms(200);                                 /* 3 s without a word */
    assert_true(c.done);
    assert_int_equal(c.result, CERR_GONE);
    uint16_t idx;
    assert_int_equal(reg_lookup_node(&thing_uuid, 1, &idx), KERR_NOT_FOUND);
    link_stats_t s;
    assert_true(link_stats(0, &s));
    assert_int_equal(s.state, LINK_DOWN);
    assert_int_equal(s.resets, 1);
    /* it says HELLO again, and comes back */
    p1->qn = 0;
    learn_peer_thing();
}

static void test_link__a_request_never_answered_times_out(void **state)
{
    (void)state;
    static client_t c;
    msg_t m = call_through_proxy(&c);
    kwire_rd_t r = kwire_reader(m.body, m.len);
    uint32_t tag = kwire_u32(&r);
    /* the peer stays alive but never answers */
    alive_until_done(&c, 15 * 990);         /* not done before the 15 s */
    run_ms(300);
    assert_true(c.done);
    assert_int_equal(c.result, CERR_TIMEOUT);
    /* its late answer is dropped; the link is still up and the credit back */
    send_rep(p1, tag, 0, "late");
    run_ms(5);
    link_stats_t s;
    assert_true(link_stats(0, &s));
    assert_int_equal(s.state, LINK_UP);
    assert_int_equal(s.credit, LINK_CREDITS);
}

static void test_link__no_credit_ends_calls_with_timeout(void **state)
{
    (void)state;
    handshake(p1);                               /* but no CREDIT from the peer */
    send_advert(p1, "peer", 0);
    send_routes(p1, "peer", NULL);
    run_ms(5);
    uint16_t idx;
    assert_int_equal(reg_lookup_node(&thing_uuid, 1, &idx), KERR_OK);
    static client_t c;
    client_start(&c, idx, "ping");
    alive_until_done(&c, 15 * 990);         /* not done before the 15 s */
    run_ms(300);
    assert_true(c.done);
    assert_int_equal(c.result, CERR_TIMEOUT);
    msg_t m;
    assert_false(take(p1, LWIRE_REQ, &m, 0));    /* nothing went out without credit */
}

static void test_link__a_held_back_call_whose_caller_was_told_gone_is_not_sent(void **state)
{
    (void)state;
    /* the peer gives much credit and answers nothing: the link's request
     * slots fill up and the next call waits inside the link; then the
     * peer's service goes (its caller is told -524) and the peer answers
     * everything: the held-back call must not go out after all */
    handshake(p1);
    send_credit(p1, 64);
    send_advert(p1, "peer", 0);
    send_routes(p1, "peer", NULL);
    run_ms(5);
    uint16_t idx;
    assert_int_equal(reg_lookup_node(&thing_uuid, 1, &idx), KERR_OK);
    enum { N = 33 };
    static client_t c[N];
    for (int i = 0; i < N; i++)
        client_start(&c[i], idx, i == N - 1 ? "zap" : "held");
    run_ms(5);
    msg_t held[N];
    int nheld = 0;
    while (nheld < N && take(p1, LWIRE_REQ, &held[nheld], 5))
        nheld++;
    assert_int_equal(nheld, N - 1);               /* one waits inside the link */
    uint8_t b[64];
    kwire_wr_t w = kwire_writer(b, sizeof b);     /* "thing" goes, "other" comes: */
    kwire_put_u8(&w, 4);                          /* its proxy takes thing's index */
    kwire_put_bytes(&w, "peer", 4);
    kwire_put_u8(&w, 0);
    kwire_put_u8(&w, 1);
    for (int i = 0; i < 16; i++)
        kwire_put_u8(&w, 0x5a);
    kwire_put_u32(&w, 0x5a5a);
    put_name(&w, "other");
    peer_send(p1, LWIRE_ADVERT, b, w.n);
    run_ms(5);
    assert_true(c[N - 1].done);
    assert_int_equal(c[N - 1].result, KERR_GONE);
    for (int i = 0; i < nheld; i++) {
        kwire_rd_t r = kwire_reader(held[i].body, held[i].len);
        send_rep(p1, kwire_u32(&r), 0, "ok");
    }
    run_ms(20);
    msg_t m;
    assert_false(take(p1, LWIRE_REQ, &m, 20));
}

static void test_link__keepalive_pings_when_idle(void **state)
{
    (void)state;
    handshake(p1);
    msg_t m;
    assert_true(take(p1, LWIRE_PING, &m, 1200));
    uint8_t b[4];
    memcpy(b, m.body, 4);
    peer_send(p1, LWIRE_PONG, b, 4);
    /* answered PINGs keep it up for much longer than 3 s */
    for (int i = 0; i < 5; i++) {
        run_ms(900);
        assert_true(take(p1, LWIRE_PING, &m, 1200));
        peer_send(p1, LWIRE_PONG, m.body, 4);
    }
    link_stats_t s;
    assert_true(link_stats(0, &s));
    assert_int_equal(s.state, LINK_UP);
    assert_int_equal(s.resets, 0);
}

static void test_link__peer_restart_and_duplicate_name(void **state)
{
    (void)state;
    static client_t c;
    call_through_proxy(&c);
    p1->session = 999;                           /* the peer restarted */
    send_hello(p1);
    run_ms(2);
    assert_true(c.done);
    assert_int_equal(c.result, CERR_GONE);
    link_stats_t s;
    assert_true(link_stats(0, &s));
    assert_int_equal(s.state, LINK_UP);
    assert_int_equal(s.resets, 1);
    /* a peer that calls itself "me" is refused */
    p1->name = "me";
    p1->session = 5;
    send_hello(p1);
    run_ms(2);
    assert_true(link_stats(0, &s));
    assert_int_equal(s.state, LINK_REFUSED);
}

static void test_link__relay_between_two_peers(void **state)
{
    (void)state;
    peer_init(p2, "far");
    peers[1] = p2;
    assert_int_equal(link_attach_line(&p2->line, "t2"), KERR_OK);
    handshake(p1);
    handshake(p2);
    send_credit(p2, 4);
    send_advert(p2, "far", 0);
    send_routes(p2, "far", NULL);
    run_ms(600);                                 /* the next advert round */
    /* p1 learns far through us, one hop further; p2 does not hear of itself */
    msg_t m;
    bool saw = false;
    while (take(p1, LWIRE_ADVERT, &m, 10))
        if (m.body[0] == 3 && !memcmp(m.body + 1, "far", 3)) {
            assert_int_equal(m.body[4], 1);
            saw = true;
        }
    assert_true(saw);
    while (take(p2, LWIRE_ADVERT, &m, 0))
        assert_false(m.body[0] == 3 && !memcmp(m.body + 1, "far", 3));
    /* p1 calls far's thing through us */
    send_req(p1, 4242, "far", &thing_uuid, THING_IFACE, 5, "via");
    assert_true(take(p2, LWIRE_REQ, &m, 20));
    kwire_rd_t r = kwire_reader(m.body, m.len);
    uint32_t tag2 = kwire_u32(&r);
    send_rep(p2, tag2, 0, "relayed");
    assert_true(take(p1, LWIRE_REP, &m, 20));
    int32_t st;
    char out[64];
    assert_int_equal(rep_of(&m, &st, out), 4242);
    assert_int_equal(st, 0);
    assert_string_equal(out, "relayed");
    /* far's link goes silent: a relayed call in flight ends with GONE */
    send_req(p1, 4343, "far", &thing_uuid, THING_IFACE, 5, "lost");
    assert_true(take(p2, LWIRE_REQ, &m, 20));
    alive_ms(p1, 3200, 100);                     /* p1 stays alive */
    bool got = false;
    while (take(p1, LWIRE_REP, &m, 0))
        if (rep_of(&m, &st, NULL) == 4343) {
            assert_int_equal(st, CERR_GONE);
            got = true;
        }
    assert_true(got);
    peers[1] = NULL;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_link__handshake_and_advert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__call_through_a_proxy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__peer_calls_local_echo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__requests_past_the_credit_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__garbage_counted_link_stays_up, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__silent_peer_ends_calls_with_gone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__a_request_never_answered_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__no_credit_ends_calls_with_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__a_held_back_call_whose_caller_was_told_gone_is_not_sent, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__keepalive_pings_when_idle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__peer_restart_and_duplicate_name, setup, teardown),
        cmocka_unit_test_setup_teardown(test_link__relay_between_two_peers, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
