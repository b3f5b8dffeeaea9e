/* Unit tests: services/mux/sermux.c and the daemons, driven with kernel_tick()
 * over an in-memory line (the test plays the far end of the wire). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "common/cerr.h"
#include "mux/daemons.h"
#include "kernel.h"
#include "platform_linux.h"
#include "pt.h"
#include "mux/sermux.h"
#include "common/uuid.h"

#define LINE_CAP 8192

static uint8_t line_rx_buf[LINE_CAP], line_tx_buf[LINE_CAP];
static port_t line;

/* Frames the test received from the line (far end's decoder). */
#define RX_MAX (2u << 20)
static uint8_t acc[2 * SERMUX_FRAME_MAX];
static size_t acc_len;
typedef struct { uint16_t port; uint16_t len; } frame_t;
static frame_t frames[8192];
static unsigned nframes;
static uint8_t *got[4];          /* payload bytes per tracked port */
static size_t got_len[4];
static uint16_t tracked[4] = { 0, 1, 3, 7 };
static unsigned bad_frames;

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    memset(&line, 0, sizeof line);
    line.num = PORT_CONSOLE;
    assert_int_equal(bbq_init(&line.rx, line_rx_buf, LINE_CAP), KERR_OK);
    assert_int_equal(bbq_init(&line.tx, line_tx_buf, LINE_CAP), KERR_OK);
    assert_int_equal(sermux_start(&line), KERR_OK);
    acc_len = 0;
    nframes = 0;
    bad_frames = 0;
    for (int i = 0; i < 4; i++) {
        if (!got[i])
            got[i] = malloc(RX_MAX);
        got_len[i] = 0;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return 0;
}

static void run(void)
{
    for (int i = 0; i < 100000; i++)
        if (kernel_tick() != 0)
            return;
    fail_msg("tasks never settle");
}

/* The far end sends raw bytes; returns how many fitted. */
static size_t send_raw(const void *data, size_t n)
{
    bbq_grant_t g;
    if (bbq_grant(&line.rx, (uint32_t)n, &g) != KERR_OK)
        return 0;
    memcpy(g.ptr, data, n);
    bbq_commit(&line.rx, (uint32_t)n);
    return n;
}

static int send_frame(uint16_t port, const void *payload, size_t n)
{
    uint8_t raw[2 + 4096], enc[sizeof raw + sizeof raw / 254 + 2];
    raw[0] = (uint8_t)port;
    raw[1] = (uint8_t)(port >> 8);
    memcpy(raw + 2, payload, n);
    size_t e = cobs_encode(raw, n + 2, enc);
    enc[e++] = 0;
    return send_raw(enc, e) == e;
}

static void on_frame(const uint8_t *p, size_t n)
{
    uint8_t dec[SERMUX_FRAME_MAX];
    long d = cobs_decode(p, n, dec, sizeof dec);
    if (d < 2 || d > 2 + SERMUX_MTU) {
        bad_frames++;
        return;
    }
    uint16_t port = (uint16_t)(dec[0] | dec[1] << 8);
    if (nframes < sizeof frames / sizeof frames[0])
        frames[nframes++] = (frame_t){ port, (uint16_t)(d - 2) };
    for (int i = 0; i < 4; i++) {
        if (tracked[i] == port && got_len[i] + (size_t)(d - 2) <= RX_MAX) {
            memcpy(got[i] + got_len[i], dec + 2, (size_t)(d - 2));
            got_len[i] += (size_t)(d - 2);
        }
    }
}

/* The far end reads everything the mux wrote so far. */
static void drain_line(void)
{
    bbq_grant_t g;
    while (bbq_read(&line.tx, &g) == KERR_OK) {
        for (uint32_t i = 0; i < g.len; i++) {
            uint8_t b = g.ptr[i];
            if (b == 0) {
                on_frame(acc, acc_len);
                acc_len = 0;
            } else if (acc_len < sizeof acc) {
                acc[acc_len++] = b;
            } else {
                bad_frames++;
            }
        }
        bbq_release(&line.tx, g.len);
    }
}

static size_t take(port_t *p, void *out, size_t cap)
{
    bbq_grant_t g;
    size_t n = 0;
    while (n < cap && bbq_read(&p->rx, &g) == KERR_OK) {
        uint32_t k = g.len < cap - n ? g.len : (uint32_t)(cap - n);
        memcpy((uint8_t *)out + n, g.ptr, k);
        bbq_release(&p->rx, k);
        n += k;
    }
    return n;
}

static void put(port_t *p, const void *data, size_t n)
{
    bbq_grant_t g;
    assert_int_equal(bbq_grant(&p->tx, (uint32_t)n, &g), KERR_OK);
    memcpy(g.ptr, data, n);
    bbq_commit(&p->tx, (uint32_t)n);
}

static sermux_stats_t stats(void)
{
    sermux_stats_t s;
    sermux_stats(&s);
    return s;
}

/* ---- tests ------------------------------------------------------------------ */

static void test_sermux__frames_reach_open_ports(void **state)
{
    (void)state;
    port_t *a, *b, *again;
    char buf[64];
    assert_int_equal(sermux_open(5, 0, &a), KERR_OK);
    assert_int_equal(sermux_open(0x1234, 128, &b), KERR_OK);
    assert_int_equal(sermux_open(5, 0, &again), KERR_OK);
    assert_ptr_equal(a, again);
    assert_int_equal(a->num, 5);
    assert_true(send_frame(5, "hello", 5));
    assert_true(send_frame(0x1234, "wide port", 9));
    assert_true(send_frame(5, " world", 6));
    assert_true(send_frame(5, "", 0));                    /* empty payload: fine */
    run();
    assert_int_equal(take(a, buf, sizeof buf), 11);
    assert_memory_equal(buf, "hello world", 11);
    assert_int_equal(take(b, buf, sizeof buf), 9);
    assert_memory_equal(buf, "wide port", 9);
    sermux_stats_t s = stats();
    assert_int_equal(s.frames_in, 4);
    assert_int_equal(s.malformed + s.unknown_port + s.rx_full, 0);
}

static void test_sermux__frame_split_across_reads(void **state)
{
    (void)state;
    port_t *a;
    char buf[300];
    uint8_t raw[2 + 200], enc[260];
    assert_int_equal(sermux_open(9, 0, &a), KERR_OK);
    raw[0] = 9;
    raw[1] = 0;
    for (int i = 0; i < 200; i++)
        raw[2 + i] = (uint8_t)(i * 7);                   /* zeros inside */
    size_t e = cobs_encode(raw, sizeof raw, enc);
    enc[e++] = 0;
    for (size_t i = 0; i < e; i++) {                     /* one byte per tick */
        assert_int_equal(send_raw(enc + i, 1), 1);
        run();
    }
    assert_int_equal(take(a, buf, sizeof buf), 200);
    assert_memory_equal(buf, raw + 2, 200);
}

static void test_sermux__malformed_frames_counted(void **state)
{
    (void)state;
    port_t *a;
    char buf[64];
    assert_int_equal(sermux_open(4, 0, &a), KERR_OK);
    static const uint8_t no_header[] = { 0x01, 0x00 };          /* decodes to 0 bytes */
    static const uint8_t one_byte[] = { 0x02, 0x04, 0x00 };     /* 1 byte: no port */
    static const uint8_t past_end[] = { 0x05, 0x04, 0x01, 0x00 }; /* code past the end */
    static const uint8_t idle[] = { 0x00, 0x00, 0x00 };         /* idle delimiters: ignored */
    send_raw(no_header, sizeof no_header);
    send_raw(one_byte, sizeof one_byte);
    send_raw(past_end, sizeof past_end);
    send_raw(idle, sizeof idle);
    /* too long on the wire: 400 non-zero bytes before the delimiter */
    uint8_t junk[401];
    memset(junk, 0x41, 400);
    junk[400] = 0;
    send_raw(junk, sizeof junk);
    /* short enough on the wire, too long decoded: 2 + MTU + 1 zeros */
    uint8_t raw[2 + SERMUX_MTU + 1], enc[SERMUX_FRAME_MAX + 4];
    memset(raw, 0, sizeof raw);
    raw[0] = 4;
    size_t e = cobs_encode(raw, sizeof raw, enc);
    assert_true(e < SERMUX_FRAME_MAX);
    enc[e++] = 0;
    send_raw(enc, e);
    run();
    sermux_stats_t s = stats();
    assert_int_equal(s.malformed, 5);
    assert_int_equal(s.frames_in, 0);
    assert_int_equal(take(a, buf, sizeof buf), 0);
    /* the mux resynchronised: the next good frame arrives */
    assert_true(send_frame(4, "ok", 2));
    run();
    assert_int_equal(take(a, buf, sizeof buf), 2);
    assert_memory_equal(buf, "ok", 2);
    assert_int_equal(stats().frames_in, 1);
}

static void test_sermux__unknown_port_dropped(void **state)
{
    (void)state;
    port_t *a;
    char buf[16];
    assert_int_equal(sermux_open(2, 0, &a), KERR_OK);
    assert_true(send_frame(99, "lost", 4));
    assert_true(send_frame(2, "kept", 4));
    run();
    assert_int_equal(stats().unknown_port, 1);
    assert_int_equal(take(a, buf, sizeof buf), 4);
    assert_memory_equal(buf, "kept", 4);
}

static void test_sermux__full_rx_drops_whole_frames(void **state)
{
    (void)state;
    port_t *a;
    uint8_t buf[256], data[100];
    assert_int_equal(sermux_open(6, 64, &a), KERR_OK);
    for (int i = 0; i < 100; i++)
        data[i] = (uint8_t)i;
    assert_true(send_frame(6, data, 40));
    assert_true(send_frame(6, data, 40));                 /* 24 bytes of room: dropped */
    assert_true(send_frame(6, data, 20));                 /* fits */
    assert_true(send_frame(6, data, 100));                /* bigger than the ring */
    run();
    sermux_stats_t s = stats();
    assert_int_equal(s.rx_full, 2);
    assert_int_equal(a->dropped, 2);
    assert_int_equal(s.frames_in, 2);
    assert_int_equal(take(a, buf, sizeof buf), 60);
    assert_memory_equal(buf, data, 40);
    assert_memory_equal(buf + 40, data, 20);
    assert_true(send_frame(6, data, 40));                 /* room again */
    run();
    assert_int_equal(take(a, buf, sizeof buf), 40);
}

static void test_sermux__large_write_split_into_mtu_frames(void **state)
{
    (void)state;
    port_t *p;
    static uint8_t data[3000];
    assert_int_equal(sermux_open(7, 0, &p), KERR_OK);
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 31 + (i >> 8));
    put(p, data, sizeof data);
    run();
    drain_line();
    run();
    drain_line();
    assert_int_equal(bad_frames, 0);
    assert_int_equal(got_len[3], sizeof data);
    assert_memory_equal(got[3], data, sizeof data);
    for (unsigned i = 0; i < nframes; i++) {
        assert_int_equal(frames[i].port, 7);
        assert_true(frames[i].len <= SERMUX_MTU);
    }
    assert_int_equal(nframes, (sizeof data + SERMUX_MTU - 1) / SERMUX_MTU);
    assert_int_equal(stats().frames_out, nframes);
}

/* Line full: the writer waits and sends later, nothing is lost. */
static void test_sermux__full_line_waits(void **state)
{
    (void)state;
    port_t *p;
    static uint8_t data[4000];
    assert_int_equal(sermux_open(7, 8192, &p), KERR_OK);
    for (int round = 0; round < 10; round++) {
        for (size_t i = 0; i < sizeof data; i++)
            data[i] = (uint8_t)(round + i);
        put(p, data, sizeof data);
        run();                                    /* line fills; writer parks */
        if (round % 3 == 0)
            continue;                             /* let it back up */
        drain_line();
        run();
    }
    for (int i = 0; i < 20; i++) {
        drain_line();
        run();
    }
    assert_int_equal(got_len[3], 10 * sizeof data);
    for (int round = 0; round < 10; round++)
        for (size_t i = 0; i < sizeof data; i++)
            assert_int_equal(got[3][round * sizeof data + i], (uint8_t)(round + i));
}

static void test_sermux__round_robin_between_ports(void **state)
{
    (void)state;
    port_t *a, *b, *c;
    static uint8_t data[2048];
    memset(data, 0xab, sizeof data);
    assert_int_equal(sermux_open(20, 0, &a), KERR_OK);
    assert_int_equal(sermux_open(21, 0, &b), KERR_OK);
    assert_int_equal(sermux_open(22, 0, &c), KERR_OK);
    put(a, data, 2048);
    put(b, data, 2048);
    put(c, data, 512);
    for (int i = 0; i < 40; i++) {
        run();
        drain_line();
    }
    assert_int_equal(nframes, 8 + 8 + 2);
    unsigned count[3] = { 0 };
    for (unsigned i = 0; i < nframes; i++)
        count[frames[i].port - 20]++;
    /* a, b, c, a, b, c, then a and b alternate */
    for (unsigned i = 0; i < 6; i++)
        assert_int_equal(frames[i].port, 20 + i % 3);
    for (unsigned i = 6; i + 1 < nframes; i++)
        assert_int_not_equal(frames[i].port, frames[i + 1].port);
    assert_int_equal(count[0], 8);
    assert_int_equal(count[1], 8);
    assert_int_equal(count[2], 2);
}

static void test_sermux__close_and_reopen(void **state)
{
    (void)state;
    port_t *a;
    char buf[16];
    kalloc_stats_t k0, k1;
    kalloc_get_stats(&k0);
    assert_int_equal(sermux_open(8, 0, &a), KERR_OK);
    put(a, "bye", 3);                 /* queued in tx, writer parked on nothing yet */
    sermux_close(a);                  /* the last output still goes out ... */
    assert_int_equal(sermux_refs(8), 0);
    run();
    kalloc_get_stats(&k1);
    assert_int_equal(k1.in_use, k0.in_use);   /* ... then the port is freed */
    assert_int_equal(stats().frames_out, 1);
    assert_true(send_frame(8, "x", 1));
    run();
    assert_int_equal(stats().unknown_port, 1);
    assert_int_equal(sermux_open(8, 0, &a), KERR_OK);
    assert_true(send_frame(8, "y", 1));
    run();
    assert_int_equal(take(a, buf, sizeof buf), 1);
    sermux_close(NULL);
}

static void test_sermux__open_errors(void **state)
{
    (void)state;
    port_t *p;
    assert_int_equal(sermux_open(1, 1, &p), KERR_INVAL);
    assert_int_equal(sermux_open(1, 0, NULL), KERR_INVAL);
    for (uint16_t i = 0; i < SERMUX_MAX_PORTS; i++)
        assert_int_equal(sermux_open((uint16_t)(100 + i), 64, &p), KERR_OK);
    assert_int_equal(sermux_open(999, 64, &p), KERR_REG_FULL);
    assert_int_equal(sermux_start(&line), KERR_DUPLICATE);
    assert_int_equal(sermux_open(1000, 1u << 22, &p), KERR_REG_FULL);
    /* a fresh kernel without the mux refuses ports */
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(sermux_open(1, 0, &p), KERR_INVAL);
    assert_int_equal(sermux_start(NULL), KERR_INVAL);
}

static void test_sermux__out_of_memory(void **state)
{
    (void)state;
    port_t *p;
    assert_int_equal(sermux_open(1, 3u << 20, &p), KERR_OK);   /* of an 8 MiB region */
    assert_int_equal(sermux_open(2, 3u << 20, &p), KERR_NOMEM);
    kalloc_fault_inject(1, false);
    assert_int_equal(sermux_open(3, 0, &p), KERR_NOMEM);
    assert_int_equal(sermux_open(3, 0, &p), KERR_OK);
}

/* ---- registry client --------------------------------------------------------- */

typedef struct {
    task_t task;
    reg_handle_t h;
    reg_msg_t msg;
    kerr_t err;
    int32_t open_status, again_status, huge_status, foreign_status, stats_status, bad_status,
            short_status;
    uint8_t wrote;
    sermux_stats_t st;
    reg_uuid_t u;
    uint16_t num;             /* leaver_poll: its port */
    bool leave;               /* leaver_poll: disconnects at the end */
    bool close;               /* leaver_poll: closes its port after writing */
    int32_t write_status;
} client_t;

/* One request by value: op, payload p (n bytes); the status. */
static kerr_t req(client_t *c, task_t *t, uint16_t op, const void *p, uint32_t n)
{
    if (c->h.phase == 0) {
        c->msg = (reg_msg_t){ .opcode = op };
        uint8_t *room = reg_request_room(&c->h, &c->msg, n);
        if (n)
            memcpy(room, p, n);
    }
    return reg_call(&c->h, t, &c->msg);
}

static task_status_t client_poll(task_t *t)
{
    client_t *c = kcontainer_of(t, client_t, task);
    PT_BEGIN(t);
    uuid_parse(SERMUX_UUID_STR, &c->u);
    PT_WAIT_OP(t, c->err, reg_connect(&c->h, &c->u, SERMUX_IFACE, t));
    if (c->err != KERR_OK)
        PT_EXIT(t, -1);
    reg_reserve(&c->h, 256);
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_OPEN, (uint8_t[]){ 30, 0, 0x00, 0x02, 0, 0 }, 6));
    c->open_status = reg_response(&c->h)->status;
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_OPEN, (uint8_t[]){ 30, 0, 0, 0, 0, 0 }, 6));
    c->again_status = reg_response(&c->h)->status;     /* busy: ours already */
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_OPEN, (uint8_t[]){ 31, 0, 0, 0, 0, 1 }, 6));
    c->huge_status = reg_response(&c->h)->status;      /* 16 MiB rings: refused */
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_WRITE, "\x1e\x00hello", 7));
    c->wrote = reg_response(&c->h)->status == 0 ? reg_response_data(&c->h)[0] : 0;
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_WRITE, "\x0a\x00x", 3));
    c->foreign_status = reg_response(&c->h)->status;   /* port 10: not ours */
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_STATS, NULL, 0));
    c->stats_status = reg_response(&c->h)->status;
    memcpy(&c->st, reg_response_data(&c->h), sizeof c->st);
    PT_WAIT_OP(t, c->err, req(c, t, 77, NULL, 0));
    c->bad_status = reg_response(&c->h)->status;
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_OPEN, (uint8_t[]){ 30, 0 }, 2));
    c->short_status = reg_response(&c->h)->status;     /* malformed: no size */
    reg_disconnect(&c->h);                             /* its port goes with it */
    PT_END(t);
}

/* A port opened through the registry is the client's alone, bounded,
 * charged, and closed when the client goes. */
static void test_sermux__registry_ports_by_value(void **state)
{
    (void)state;
    static client_t c;
    port_t *p;
    memset(&c, 0, sizeof c);
    kacct_t acct;
    kacct_init(&acct, 64 * 1024);
    c.h.acct = &acct;
    assert_int_equal(sermux_open(10, 0, &p), KERR_OK);  /* someone else's */
    assert_true(send_frame(55, "?", 1));       /* one unknown-port drop to see */
    assert_int_equal(task_spawn(&c.task, client_poll, 2), KERR_OK);
    run();
    assert_true(task_done(&c.task));
    assert_int_equal(c.task.exit_code, 0);
    assert_int_equal(c.open_status, 0);
    assert_int_equal(c.again_status, CERR_BUSY);
    assert_int_equal(c.huge_status, CERR_INVAL);
    assert_int_equal(c.wrote, 5);
    assert_int_equal(c.foreign_status, CERR_NOPORT);
    assert_int_equal(c.stats_status, 0);
    assert_int_equal(c.st.unknown_port, 1);
    assert_int_equal(c.bad_status, CERR_INVAL);
    assert_int_equal(c.short_status, CERR_INVAL);
    assert_int_equal(sermux_refs(30), 0);      /* closed at disconnect */
    assert_int_equal(acct.used, 0);            /* and paid back */
    assert_true(acct.peak >= 2 * 512);
    assert_int_equal(sermux_refs(10), 1);
}

/* A client that opens port c->num through the registry (SERMUX_CLIENT_CAP
 * rings), writes LEAVER_BYTES to it and ends; it closes the port when
 * c->close, and disconnects (its port goes with it) when c->leave. */
#define LEAVER_BYTES 200
static task_status_t leaver_poll(task_t *t)
{
    client_t *c = kcontainer_of(t, client_t, task);
    static uint8_t w[2 + LEAVER_BYTES];
    PT_BEGIN(t);
    uuid_parse(SERMUX_UUID_STR, &c->u);
    PT_WAIT_OP(t, c->err, reg_connect(&c->h, &c->u, SERMUX_IFACE, t));
    if (c->err != KERR_OK)
        PT_EXIT(t, -1);
    reg_reserve(&c->h, 256);
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_OPEN, (uint8_t[]){ (uint8_t)c->num, 0, 0, 0, 0, 0 }, 6));
    c->open_status = reg_response(&c->h)->status;
    w[0] = (uint8_t)c->num;
    w[1] = 0;
    memset(w + 2, 'q', LEAVER_BYTES);
    PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_WRITE, w, sizeof w));
    c->write_status = reg_response(&c->h)->status;
    c->wrote = reg_response(&c->h)->status == 0 ? reg_response_data(&c->h)[0] : 0;
    if (c->close)
        PT_WAIT_OP(t, c->err, req(c, t, SERMUX_OP_CLOSE, (uint8_t[]){ (uint8_t)c->num, 0 }, 2));
    if (c->leave)
        reg_disconnect(&c->h);
    PT_END(t);
}

/* Fill the line from kernel port 7 until no frame fits (the far end reads
 * nothing yet): every port's writer then waits for the line. */
static port_t *stall_line(void)
{
    static uint8_t fill[LINE_CAP];
    port_t *p;
    memset(fill, 'z', sizeof fill);
    assert_int_equal(sermux_open(7, 2 * LINE_CAP, &p), KERR_OK);
    put(p, fill, sizeof fill);
    run();
    assert_true(bbq_used(&p->tx) > 0);           /* some left: the line is full */
    return p;
}

/* Payload bytes the far end got on port num. */
static size_t got_on(uint16_t num)
{
    size_t n = 0;
    for (unsigned i = 0; i < nframes; i++)
        if (frames[i].port == num)
            n += frames[i].len;
    return n;
}

/* Run a leaver_poll client on port num (leave, close as leaver_poll says)
 * paying with an account of its own, as a task record holds it (malloc'd:
 * the test frees it when the "task" is reaped); it has opened the port and
 * written to it. */
static kacct_t *run_leaver(client_t *c, uint16_t num, bool leave, bool close)
{
    memset(c, 0, sizeof *c);
    kacct_t *acct = malloc(sizeof *acct);
    kacct_init(acct, 64 * 1024);
    c->h.acct = acct;
    c->num = num;
    c->leave = leave;
    c->close = close;
    assert_int_equal(task_spawn(&c->task, leaver_poll, 2), KERR_OK);
    run();
    assert_true(task_done(&c->task));
    assert_int_equal(c->open_status, 0);
    assert_int_equal(c->write_status, 0);
    assert_int_equal(c->wrote, LEAVER_BYTES);
    return acct;
}

/* Let the far end read until port num has had n bytes (or give up). */
static void drain_until(uint16_t num, size_t n)
{
    for (int i = 0; i < 40 && got_on(num) < n; i++) {
        drain_line();
        run();
    }
    assert_int_equal(got_on(num), n);
}

/* A client goes while its port still holds output the stalled line cannot
 * take: the port stays to send it, but the client's account is paid back at
 * once (the account lives in the client's task record, which may be freed
 * as soon as the task ends: here it is freed), and the kernel frees the
 * port once the line drains. */
static void test_sermux__gone_client_port_draining_charges_kernel(void **state)
{
    (void)state;
    static client_t c;
    port_t *k = stall_line();
    kalloc_stats_t before, now;
    kalloc_get_stats(&before);
    kacct_t *acct = run_leaver(&c, 30, true, false);
    assert_int_equal(sermux_refs(30), 0);        /* closed to users */
    kalloc_get_stats(&now);
    assert_true(now.in_use > before.in_use);     /* still sending */
    assert_int_equal(acct->used, 0);             /* but the client owes nothing */
    free(acct);                                  /* its task is reaped */
    drain_until(30, LEAVER_BYTES);               /* the last output went out */
    kalloc_get_stats(&now);
    assert_int_equal(now.in_use, before.in_use); /* and the heap has it back */
    sermux_close(k);
}

/* A live client that closes its port while the line is stalled stays
 * charged for the output still going out (its quota bounds what it makes
 * the kernel hold); when it goes, the charge passes to the kernel at once. */
static void test_sermux__closed_port_draining_charged_until_client_goes(void **state)
{
    (void)state;
    static client_t c;
    port_t *k = stall_line();
    kalloc_stats_t before, now;
    kalloc_get_stats(&before);
    kacct_t *acct = run_leaver(&c, 32, false, true);
    assert_int_equal(sermux_refs(32), 0);        /* closed */
    assert_true(acct->used >= 2 * SERMUX_CLIENT_CAP);   /* still the client's */
    reg_disconnect(&c.h);                        /* the client goes */
    assert_int_equal(acct->used, 0);
    free(acct);
    drain_until(32, LEAVER_BYTES);
    kalloc_get_stats(&now);
    assert_int_equal(now.in_use, before.in_use);
    sermux_close(k);
}

/* A kernel user shares a client's port (sermux_open of its number) and the
 * client goes: the port stays open, now charged to the kernel, and the
 * kernel user's close frees it without touching the gone account. */
static void test_sermux__gone_client_shared_port_charges_kernel(void **state)
{
    (void)state;
    static client_t c;
    port_t *p;
    kalloc_stats_t before, now;
    kalloc_get_stats(&before);
    kacct_t *acct = run_leaver(&c, 31, false, false);
    assert_int_equal(sermux_open(31, 0, &p), KERR_OK);
    assert_int_equal(sermux_refs(31), 2);
    reg_disconnect(&c.h);                        /* the client goes */
    assert_int_equal(sermux_refs(31), 1);
    assert_int_equal(acct->used, 0);
    free(acct);
    put(p, "bye", 3);
    drain_until(31, LEAVER_BYTES + 3);
    sermux_close(p);
    assert_int_equal(sermux_refs(31), 0);
    kalloc_get_stats(&now);
    assert_int_equal(now.in_use, before.in_use);
}

/* ---- daemons ------------------------------------------------------------------- */

static void test_loopback__echoes_1mib_byte_exact(void **state)
{
    (void)state;
    const size_t total = 1u << 20;
    uint8_t *data = malloc(total);
    srand(7);
    for (size_t i = 0; i < total; i++)
        data[i] = (uint8_t)rand();
    assert_int_equal(loopback_start(), KERR_OK);
    size_t sent = 0;
    for (long guard = 0; got_len[0] < total; guard++) {
        assert_true(guard < 10000000);
        /* stay less than the loopback ring ahead of the echo */
        while (sent < total && sent - got_len[0] < LOOPBACK_CAP / 2) {
            size_t n = (size_t)rand() % SERMUX_MTU + 1;
            if (n > total - sent)
                n = total - sent;
            if (!send_frame(SERMUX_PORT_LOOPBACK, data + sent, n))
                break;                               /* line rx full: tick first */
            sent += n;
        }
        run();
        drain_line();
    }
    assert_int_equal(got_len[0], total);
    assert_memory_equal(got[0], data, total);
    sermux_stats_t s = stats();
    assert_int_equal(s.malformed + s.unknown_port + s.rx_full, 0);
    assert_int_equal(bad_frames, 0);
    free(data);
}

static void test_hello__a_line_every_second(void **state)
{
    (void)state;
    assert_int_equal(hello_start(), KERR_OK);
    run();
    drain_line();
    assert_int_equal(got_len[1], 0);
    for (int s = 0; s < 3; s++) {
        plat_linux_advance(1000000000ull);
        run();
        drain_line();
    }
    static const char want[] = "hello from clio 1\nhello from clio 2\nhello from clio 3\n";
    assert_int_equal(got_len[1], strlen(want));
    assert_memory_equal(got[1], want, strlen(want));
}

static void test_tracedrain__events_as_text_lines(void **state)
{
    (void)state;
    trace_emit(TRACE_WARN, TRACE_MOD_USER, 7, 42, -1, "drain me");
    assert_int_equal(tracedrain_start(), KERR_OK);
    run();
    drain_line();
    trace_emit(TRACE_ERROR, TRACE_MOD_USER, 8, 1, 2, "second");
    plat_linux_advance(TRACEDRAIN_PERIOD_MS * 1000000ull);
    run();
    drain_line();
    got[2][got_len[2]] = 0;
    char *text = (char *)got[2];
    assert_non_null(strstr(text, "drain me"));
    assert_non_null(strstr(text, "second"));
    assert_non_null(strchr(text, '\n'));
    assert_true(strchr(text, '\n') < strstr(text, "second"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sermux__frames_reach_open_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__frame_split_across_reads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__malformed_frames_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__unknown_port_dropped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__full_rx_drops_whole_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__large_write_split_into_mtu_frames, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__full_line_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__round_robin_between_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__close_and_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__out_of_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__registry_ports_by_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__gone_client_port_draining_charges_kernel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__gone_client_shared_port_charges_kernel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sermux__closed_port_draining_charged_until_client_goes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_loopback__echoes_1mib_byte_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hello__a_line_every_second, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tracedrain__events_as_text_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
