/* Unit tests: services/link/lwire.c -- the link's message framing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "link/lwire.h"

/* Feed all of p (n bytes) in pieces of `piece`; collect messages. */
typedef struct {
    int n;
    uint8_t type[16];
    uint16_t len[16];
    uint8_t body[16][LWIRE_BODY_MAX];
} got_t;

static void feed(lwire_dec_t *d, const uint8_t *p, size_t n, size_t piece, got_t *g)
{
    size_t at = 0;
    while (at < n) {
        size_t k = n - at < piece ? n - at : piece;
        size_t used = 0;
        while (used < k || lwire_more(d)) {
            lwire_msg_t m;
            bool got;
            used += lwire_feed(d, p + at + used, k - used, &m, &got);
            if (got && g->n < 16) {
                g->type[g->n] = m.type;
                g->len[g->n] = m.len;
                memcpy(g->body[g->n], m.body, m.len);
                g->n++;
            }
        }
        at += k;
    }
}

/* Append the header check of the 3 bytes before wire + n (xor flip). */
static size_t hcheck(uint8_t *wire, size_t n, uint8_t flip)
{
    wire[n] = (uint8_t)(lwire_crc(0xffff, wire + n - 3, 3) ^ flip);
    return n + 1;
}

/* Append a header -- magic, type, u16 length, its check (xor flip) --
 * with no body after it: a start that the decoder must judge. */
static size_t header(uint8_t *wire, size_t n, uint8_t type, uint16_t len, uint8_t flip)
{
    wire[n++] = LWIRE_MAGIC;
    wire[n++] = type;
    wire[n++] = (uint8_t)len;
    wire[n++] = (uint8_t)(len >> 8);
    return hcheck(wire, n, flip);
}

/* A fresh decoder fed all of wire in pieces; the messages into g. */
static void decode(lwire_dec_t *d, const uint8_t *wire, size_t n, size_t piece, got_t *g)
{
    memset(g, 0, sizeof *g);
    lwire_dec_init(d);
    feed(d, wire, n, piece, g);
}

static size_t msg(uint8_t *dst, uint8_t type, const char *body)
{
    return lwire_encode(dst, type, (const uint8_t *)body, (uint16_t)strlen(body));
}

static void test_lwire__crc_check_value(void **state)
{
    (void)state;
    /* CRC-16/CCITT-FALSE of "123456789" is 0x29B1 */
    assert_int_equal(lwire_crc(0xffff, (const uint8_t *)"123456789", 9), 0x29b1);
}

static void test_lwire__round_trip_whole_and_byte_by_byte(void **state)
{
    (void)state;
    uint8_t wire[4096];
    size_t n = msg(wire, LWIRE_PING, "abcd");
    n += msg(wire + n, LWIRE_REP, "");
    n += msg(wire + n, LWIRE_ADVERT, "hello there");
    for (size_t piece = 1; piece <= n; piece = piece * 2 + 1) {
        lwire_dec_t d;
        got_t g;
        decode(&d, wire, n, piece, &g);
        assert_int_equal(g.n, 3);
        assert_int_equal(g.type[0], LWIRE_PING);
        assert_int_equal(g.len[0], 4);
        assert_memory_equal(g.body[0], "abcd", 4);
        assert_int_equal(g.type[1], LWIRE_REP);
        assert_int_equal(g.len[1], 0);
        assert_int_equal(g.len[2], 11);
        assert_int_equal(d.bad, 0);
        assert_int_equal(d.skipped, 0);
    }
}

static void test_lwire__garbage_is_skipped_and_counted(void **state)
{
    (void)state;
    uint8_t wire[4096];
    size_t n = 0;
    memcpy(wire, "noise!", 6);
    n = 6;
    n += msg(wire + n, LWIRE_PING, "1234");
    wire[n++] = 0x00;
    wire[n++] = 0x42;
    n += msg(wire + n, LWIRE_PONG, "5678");
    lwire_dec_t d;
    got_t g;
    decode(&d, wire, n, 3, &g);
    assert_int_equal(g.n, 2);
    assert_int_equal(d.skipped, 8);
    assert_int_equal(d.bad, 0);
}

static void test_lwire__bad_crc_dropped_next_one_kept(void **state)
{
    (void)state;
    uint8_t wire[4096];
    size_t n = msg(wire, LWIRE_PING, "1234");
    wire[5] ^= 0x10;                         /* a body byte */
    n += msg(wire + n, LWIRE_PONG, "5678");
    lwire_dec_t d;
    got_t g;
    decode(&d, wire, n, n, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], LWIRE_PONG);
    assert_int_equal(d.bad, 1);
}

static void test_lwire__bad_header_rejected_before_its_length(void **state)
{
    (void)state;
    uint8_t wire[64];
    size_t n = 0;
    /* a magic then an unknown type; a magic with a length over the maximum */
    n = header(wire, n, 0x99, 1, 0);
    n = header(wire, n, LWIRE_PING, 0xffff, 0);
    /* a good type and length with a wrong check: refused at once */
    n = header(wire, n, LWIRE_PING, 4, 0xff);
    n += msg(wire + n, LWIRE_PING, "okay");
    lwire_dec_t d;
    got_t g;
    decode(&d, wire, n, 1, &g);
    assert_int_equal(g.n, 1);
    assert_memory_equal(g.body[0], "okay", 4);
    assert_int_equal(d.bad, 3);
}

static void test_lwire__magic_inside_a_rejected_message_is_found(void **state)
{
    (void)state;
    /* a truncated message (its CRC will not match) whose body holds the start
     * of a real one: the real one must still come out */
    uint8_t real[32], wire[128];
    size_t rn = msg(real, LWIRE_PONG, "real");
    size_t n = 0;
    n = header(wire, n, LWIRE_PING, 4, 0);
    memcpy(wire + n, real, rn);
    n += rn;
    lwire_dec_t d;
    got_t g;
    decode(&d, wire, n, n, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], LWIRE_PONG);
    assert_memory_equal(g.body[0], "real", 4);
    assert_int_equal(d.bad, 1);
}

static void test_lwire__every_message_inside_a_false_start(void **state)
{
    (void)state;
    /* a false start announcing 40 bytes that hold three whole messages:
     * each must come out, in whatever pieces the stream arrives */
    uint8_t inner[64], wire[128];
    size_t in = msg(inner, LWIRE_PING, "one!");
    in += msg(inner + in, LWIRE_PONG, "two!");
    in += msg(inner + in, LWIRE_REP, "three");
    for (size_t piece = 1; piece <= 64; piece *= 4) {
        size_t n = 0;
        n = header(wire, n, LWIRE_PING, (uint16_t)in, 0);
        memcpy(wire + n, inner, in);
        n += in;
        memset(wire + n, 0, 8);                 /* what pushes the false start out */
        n += 8;
        lwire_dec_t d;
        got_t g;
        decode(&d, wire, n, piece, &g);
        assert_int_equal(g.n, 3);
        assert_int_equal(g.type[0], LWIRE_PING);
        assert_int_equal(g.type[1], LWIRE_PONG);
        assert_int_equal(g.type[2], LWIRE_REP);
        assert_memory_equal(g.body[2], "three", 5);
        assert_int_equal(d.bad, 1);
    }
}

static void test_lwire__largest_body(void **state)
{
    (void)state;
    static uint8_t body[LWIRE_BODY_MAX], wire[LWIRE_MSG_MAX];
    for (unsigned i = 0; i < sizeof body; i++)
        body[i] = (uint8_t)(i * 7);
    size_t n = lwire_encode(wire, LWIRE_REQ, body, LWIRE_BODY_MAX);
    assert_int_equal(n, LWIRE_MSG_MAX);
    lwire_dec_t d;
    static got_t g;
    memset(&g, 0, sizeof g);
    lwire_dec_init(&d);
    feed(&d, wire, n, 97, &g);
    assert_int_equal(g.n, 1);
    assert_memory_equal(g.body[0], body, LWIRE_BODY_MAX);
}

static void test_lwire__reset_drops_half_a_message(void **state)
{
    (void)state;
    uint8_t a[32], b[32];
    size_t an = msg(a, LWIRE_PING, "aaaa"), bn = msg(b, LWIRE_PONG, "bbbb");
    lwire_dec_t d;
    got_t g;
    decode(&d, a, an - 3, an, &g);
    lwire_dec_reset(&d);
    feed(&d, b, bn, bn, &g);
    assert_int_equal(g.n, 1);
    assert_int_equal(g.type[0], LWIRE_PONG);
}

/* Fill dst (n bytes) with a chain of false starts: headers `magic type
 * length` whose check byte is the magic, so each is also the start of the
 * next, each announcing a body of about 2 KB that never comes. */
static void chain(uint8_t *dst, size_t n)
{
    uint8_t hs[16][4];
    int nh = 0;
    for (unsigned t = 1; t < LWIRE_TYPES && nh < 16; t++)
        for (unsigned len = LWIRE_BODY_MAX; len > 1800 && nh < 16; len--) {
            uint8_t h[4] = {LWIRE_MAGIC, (uint8_t)t, (uint8_t)len, (uint8_t)(len >> 8)};
            if ((uint8_t)lwire_crc(0xffff, h + 1, 3) == LWIRE_MAGIC)
                memcpy(hs[nh++], h, 4);
        }
    assert_true(nh > 1);
    for (size_t i = 0; i < n; i++)
        dst[i] = hs[i / 4 % (size_t)nh][i % 4];
}

/* The work the decoder does on p (n bytes, in pieces of `piece`). */
static uint32_t work_on(const uint8_t *p, size_t n, size_t piece)
{
    static lwire_dec_t d;
    static got_t g;
    decode(&d, p, n, piece, &g);
    return d.work;
}

static void test_lwire__work_is_bounded_per_byte(void **state)
{
    (void)state;
    /* crafted garbage cost the decoder work growing faster than its bytes
     * (each chained false start CRC'd its 2 KB, each rejection moved every
     * held byte: 625 KB/s): the work is at most LWIRE_WORK_MAX a byte */
    enum { N = 64 * 1024 };
    static uint8_t in[N];
    static const size_t pieces[] = {N, 4096, 250, 7, 1};
    chain(in, N);
    for (unsigned i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        assert_in_range(work_on(in, N, pieces[i]), N, (uint64_t)N * LWIRE_WORK_MAX);
    memset(in, LWIRE_MAGIC, N);
    for (unsigned i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        assert_in_range(work_on(in, N, pieces[i]), N, (uint64_t)N * LWIRE_WORK_MAX);
    /* a false start full of magic bytes, again and again */
    size_t n = 0;
    while (n + LWIRE_MSG_MAX <= N) {
        n = header(in, n, LWIRE_PING, LWIRE_BODY_MAX, 0);
        memset(in + n, LWIRE_MAGIC, LWIRE_BODY_MAX + LWIRE_TRAILER);
        n += LWIRE_BODY_MAX + LWIRE_TRAILER;
    }
    for (unsigned i = 0; i < sizeof pieces / sizeof pieces[0]; i++)
        assert_in_range(work_on(in, n, pieces[i]), n, (uint64_t)n * LWIRE_WORK_MAX);
}

static void test_lwire__names(void **state)
{
    (void)state;
    assert_true(lwire_name_ok((const uint8_t *)"node-1_A", 8));
    assert_false(lwire_name_ok((const uint8_t *)"", 0));
    assert_false(lwire_name_ok((const uint8_t *)"a b", 3));
    assert_false(lwire_name_ok((const uint8_t *)"0123456789abcdef", 16));
    assert_false(lwire_name_ok((const uint8_t *)"a\0b", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lwire__crc_check_value),
        cmocka_unit_test(test_lwire__round_trip_whole_and_byte_by_byte),
        cmocka_unit_test(test_lwire__garbage_is_skipped_and_counted),
        cmocka_unit_test(test_lwire__bad_crc_dropped_next_one_kept),
        cmocka_unit_test(test_lwire__bad_header_rejected_before_its_length),
        cmocka_unit_test(test_lwire__magic_inside_a_rejected_message_is_found),
        cmocka_unit_test(test_lwire__every_message_inside_a_false_start),
        cmocka_unit_test(test_lwire__largest_body),
        cmocka_unit_test(test_lwire__reset_drops_half_a_message),
        cmocka_unit_test(test_lwire__work_is_bounded_per_byte),
        cmocka_unit_test(test_lwire__names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
