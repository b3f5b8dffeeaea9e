/*
 * fuzz_link -- a node's link, with the input playing the peer
 * (services/link: link.c, lnodes.c, ljobs.c, lline.c over kernel/).
 *
 * Each input gets a fresh kernel (fake clock), the echo service and a node
 * "me" with one outbound link over an in-memory line.  Byte 0 bit 0: the
 * peer first says a proper HELLO, gives credit and advertises a node "peer"
 * with a service (so the deeper paths are reachable).  Then records of
 * [op, len, len bytes]:
 *   0  the bytes as the link's stream (port-5 frames): garbage
 *   1  a well-formed message: type = byte 0 (any, 0 and >8 included),
 *      body = the rest -- its framing and CRC right, its body anything
 *   2  time passes: byte 0 x 50 ms
 *   3  the bytes raw on the line (frames for any port, broken ones)
 *   4  a local task calls the peer's service through its proxy (if there is
 *      one) with the bytes as payload
 * After each record the kernel runs until it settles.  Checked:
 *   - everything the node sends is good: port-5 frames only, decoding to
 *     messages with no bad CRC and no skipped byte;
 *   - no call hangs: 20 s after the input every local call has ended (its
 *     reply, -524 gone, -531 timed out);
 *   - ASan/UBSan: no fault anywhere in the kernel or the link.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel.h"
#include "kwire.h"
#include "platform_linux.h"
#include "example/echo.h"
#include "mux/sermux.h"
#include "link/link.h"
#include "link/lwire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

#define CAP (64u * 1024)
#define CLIENTS 4

static struct {
    port_t line;
    uint8_t rxb[CAP], txb[CAP];
    uint8_t frame[SERMUX_FRAME_MAX];
    size_t flen;
    lwire_dec_t dec;
} L;

static echo_service_t echo;

typedef struct client {
    task_t task;
    reg_handle_t h;
    reg_msg_t req;
    bool started, done;
} client_t;
static client_t clients[CLIENTS];

static const reg_uuid_t thing = { { 0x77, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 } };

static void line_in(const uint8_t *b, size_t n)
{
    bbq_grant_t g;
    if (n && bbq_grant_max(&L.line.rx, (uint32_t)n, &g) == KERR_OK) {
        memcpy(g.ptr, b, g.len);
        bbq_commit(&L.line.rx, g.len);
    }
}

static void stream_in(const uint8_t *b, size_t n)
{
    while (n) {
        uint8_t plain[2 + SERMUX_MTU], enc[SERMUX_FRAME_MAX];
        size_t k = n > SERMUX_MTU ? SERMUX_MTU : n;
        plain[0] = LINK_PORT;
        plain[1] = 0;
        memcpy(plain + 2, b, k);
        size_t e = cobs_encode(plain, 2 + k, enc);
        enc[e++] = 0;
        line_in(enc, e);
        b += k;
        n -= k;
    }
}

static void msg_in(uint8_t type, const uint8_t *body, size_t n)
{
    static uint8_t wire[LWIRE_MSG_MAX];
    if (n > LWIRE_BODY_MAX)
        n = LWIRE_BODY_MAX;
    size_t k = lwire_encode(wire, type, body, (uint16_t)n);
    stream_in(wire, k);
}

/* What the node sent: every frame port 5, every message good. */
static void line_out(void)
{
    bbq_grant_t g;
    while (bbq_read(&L.line.tx, &g) == KERR_OK && g.len) {
        for (uint32_t i = 0; i < g.len; i++) {
            if (g.ptr[i]) {
                CHECK(L.flen < sizeof L.frame, "a frame longer than the mux allows");
                L.frame[L.flen++] = g.ptr[i];
                continue;
            }
            uint8_t dec[2 + SERMUX_MTU];
            long n = cobs_decode(L.frame, L.flen, dec, sizeof dec);
            L.flen = 0;
            CHECK(n >= 2 && (dec[0] | dec[1] << 8) == LINK_PORT, "a bad frame out (%ld)", n);
            size_t used = 0;
            while (used < (size_t)n - 2 || lwire_more(&L.dec)) {
                lwire_msg_t m;
                bool got;
                used += lwire_feed(&L.dec, dec + 2 + used, (size_t)n - 2 - used, &m, &got);
            }
        }
        bbq_release(&L.line.tx, g.len);
    }
    CHECK(L.dec.bad == 0 && L.dec.skipped == 0, "the node sent bad messages: bad %u skipped %u",
          L.dec.bad, L.dec.skipped);
}

static void settle(void)
{
    for (int i = 0; i < 20000; i++) {
        line_out();
        if (kernel_tick() != 0)
            break;
    }
    line_out();
}

static void pass_ms(unsigned ms)
{
    for (unsigned t = 0; t < ms; t += 10) {
        plat_linux_advance(10000000);
        settle();
    }
}

static task_status_t client_poll(task_t *t)
{
    client_t *c = kcontainer_of(t, client_t, task);
    kerr_t e = reg_call(&c->h, t, &c->req);
    if (e == KERR_PENDING)
        return TASK_PENDING;
    c->done = true;
    reg_disconnect(&c->h);
    return task_exit(t, 0);
}

static void call(const uint8_t *p, size_t n)
{
    uint16_t idx;
    client_t *c = NULL;
    for (int i = 0; i < CLIENTS && !c; i++)
        if (!clients[i].started)
            c = &clients[i];
    if (!c || reg_lookup_node(&thing, 1, &idx) != KERR_OK)
        return;
    if (reg_connect_index(&c->h, idx, 0x1234) != KERR_OK)
        return;
    if (reg_reserve(&c->h, 512) != KERR_OK) {
        reg_disconnect(&c->h);
        return;
    }
    c->req.opcode = n ? p[0] : 0;
    uint8_t *room = reg_request_room(&c->h, &c->req, (uint32_t)n);
    if (n)
        memcpy(room, p, n);
    c->started = true;
    task_spawn(&c->task, client_poll, 2);
}

static void hello(void)
{
    uint8_t b[64];
    kwire_wr_t w = kwire_writer(b, sizeof b);
    kwire_put_u8(&w, 1);
    kwire_put_u8(&w, 1);
    kwire_put_u32(&w, 42);
    kwire_put_u8(&w, 4);
    kwire_put_bytes(&w, "peer", 4);
    msg_in(LWIRE_HELLO, b, w.n);
    uint8_t credit[2] = { 16, 0 };
    msg_in(LWIRE_CREDIT, credit, 2);
    w = kwire_writer(b, sizeof b);
    kwire_put_u8(&w, 4);
    kwire_put_bytes(&w, "peer", 4);
    kwire_put_u8(&w, 0);
    kwire_put_u8(&w, 1);
    kwire_put_bytes(&w, thing.b, 16);
    kwire_put_u32(&w, 0x1234);
    kwire_put_u8(&w, 5);
    kwire_put_bytes(&w, "thing", 5);
    msg_in(LWIRE_ADVERT, b, w.n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool once;
    if (!once) {
        plat_linux_fake_clock(1000);
        once = true;
    }
    if (size < 1)
        return 0;
    CHECK(kernel_init() == KERR_OK, "kernel_init");
    memset(&L, 0, sizeof L);
    memset(clients, 0, sizeof clients);
    bbq_init(&L.line.rx, L.rxb, CAP);
    bbq_init(&L.line.tx, L.txb, CAP);
    lwire_dec_init(&L.dec);
    echo_start(&echo, 1);
    CHECK(link_init("me") == KERR_OK, "link_init");
    CHECK(link_attach_line(&L.line, "fz") == KERR_OK, "attach");
    settle();
    if (data[0] & 1) {
        hello();
        settle();
    }
    size_t i = 1;
    while (i + 2 <= size) {
        uint8_t op = data[i] % 5;
        size_t n = data[i + 1];
        i += 2;
        if (n > size - i)
            n = size - i;
        const uint8_t *p = data + i;
        i += n;
        switch (op) {
        case 0: stream_in(p, n); break;
        case 1: msg_in(n ? p[0] : 0, p + (n ? 1 : 0), n ? n - 1 : 0); break;
        case 2: pass_ms(n ? p[0] * 50u : 50u); break;
        case 3: line_in(p, n); break;
        default: call(p, n); break;
        }
        settle();
    }
    pass_ms(20000);
    for (int k = 0; k < CLIENTS; k++)
        CHECK(!clients[k].started || clients[k].done, "client %d still waits after 20 s", k);
    return 0;
}
