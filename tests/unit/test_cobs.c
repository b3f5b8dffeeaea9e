/* Unit tests: services/mux/cobs.c (COBS framing) and services/common/uuid.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "mux/sermux.h"
#include "common/uuid.h"

#define MAXN 2048

static uint8_t src[MAXN], enc[MAXN + MAXN / 254 + 8], dec[MAXN];

/* Encode, check the bound and the absence of zeros, decode, compare. */
static void round_trip(const uint8_t *data, size_t n)
{
    memset(enc, 0xAA, sizeof enc);
    size_t e = cobs_encode(data, n, enc);
    assert_true(e >= n + 1);
    assert_true(e <= n + n / 254 + 1);
    assert_int_equal(enc[n + n / 254 + 1], 0xAA);       /* no write past the bound */
    assert_null(memchr(enc, 0, e));
    long d = cobs_decode(enc, e, dec, sizeof dec);
    assert_int_equal(d, (long)n);
    assert_memory_equal(dec, data, n);
}

static void test_cobs__empty(void **state)
{
    (void)state;
    assert_int_equal(cobs_encode(src, 0, enc), 1);
    assert_int_equal(enc[0], 0x01);
    assert_int_equal(cobs_decode(enc, 1, dec, sizeof dec), 0);
    assert_int_equal(cobs_decode(enc, 0, dec, sizeof dec), -1);
}

static void test_cobs__known_vectors(void **state)
{
    (void)state;
    static const uint8_t in1[] = { 0x00 }, out1[] = { 0x01, 0x01 };
    static const uint8_t in2[] = { 0x00, 0x00 }, out2[] = { 0x01, 0x01, 0x01 };
    static const uint8_t in3[] = { 0x11, 0x22, 0x00, 0x33 }, out3[] = { 0x03, 0x11, 0x22, 0x02, 0x33 };
    static const uint8_t in4[] = { 0x11, 0x00, 0x00, 0x00 }, out4[] = { 0x02, 0x11, 0x01, 0x01, 0x01 };
    assert_int_equal(cobs_encode(in1, 1, enc), 2);
    assert_memory_equal(enc, out1, 2);
    assert_int_equal(cobs_encode(in2, 2, enc), 3);
    assert_memory_equal(enc, out2, 3);
    assert_int_equal(cobs_encode(in3, 4, enc), 5);
    assert_memory_equal(enc, out3, 5);
    assert_int_equal(cobs_encode(in4, 4, enc), 5);
    assert_memory_equal(enc, out4, 5);
}

static void test_cobs__all_zeros(void **state)
{
    (void)state;
    memset(src, 0, sizeof src);
    for (size_t n = 1; n <= 600; n += 37)
        round_trip(src, n);
    round_trip(src, 2 + SERMUX_MTU);
}

/* Runs of 253..256 non-zero bytes straddle the 254-byte block boundary. */
static void test_cobs__long_runs(void **state)
{
    (void)state;
    for (size_t i = 0; i < MAXN; i++)
        src[i] = (uint8_t)(i % 255 + 1);
    for (size_t n = 250; n <= 260; n++)
        round_trip(src, n);
    for (size_t n = 505; n <= 512; n++)
        round_trip(src, n);
    /* 254 non-zero bytes: one full block, no trailing code */
    assert_int_equal(cobs_encode(src, 254, enc), 255);
    assert_int_equal(enc[0], 0xff);
    /* 255: a full block then a block of one */
    assert_int_equal(cobs_encode(src, 255, enc), 257);
    assert_int_equal(enc[255], 0x02);
    /* a run then a zero at the very end */
    src[254] = 0;
    round_trip(src, 255);
    /* the other accepted form of 254 bytes: FF block plus a trailing 01 */
    size_t e = cobs_encode(src, 254, enc);
    enc[e] = 0x01;
    assert_int_equal(cobs_decode(enc, e + 1, dec, sizeof dec), 254);
}

static void test_cobs__random(void **state)
{
    (void)state;
    srand(1234);
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)rand() % (MAXN + 1);
        int zero_pct = rand() % 4 == 0 ? 0 : rand() % 50;
        for (size_t i = 0; i < n; i++)
            src[i] = (rand() % 100 < zero_pct) ? 0 : (uint8_t)(rand() % 256);
        round_trip(src, n);
    }
}

static void test_cobs__max_frame(void **state)
{
    (void)state;
    for (size_t i = 0; i < 2 + SERMUX_MTU; i++)
        src[i] = (uint8_t)(0xff - i % 7);
    round_trip(src, 2 + SERMUX_MTU);
    size_t e = cobs_encode(src, 2 + SERMUX_MTU, enc);
    /* one byte short of room: refused, not overrun */
    assert_int_equal(cobs_decode(enc, e, dec, 2 + SERMUX_MTU - 1), -1);
    assert_int_equal(cobs_decode(enc, e, dec, 2 + SERMUX_MTU), 2 + SERMUX_MTU);
}

static void test_cobs_decode__malformed(void **state)
{
    (void)state;
    static const uint8_t zero_first[] = { 0x00, 0x01 };
    static const uint8_t zero_inside[] = { 0x04, 0x11, 0x00, 0x22 };
    static const uint8_t zero_code[] = { 0x02, 0x11, 0x00 };
    static const uint8_t past_end[] = { 0x05, 0x11, 0x22 };
    static const uint8_t past_end2[] = { 0x02, 0x11, 0x03, 0x22 };
    static const uint8_t ff_short[] = { 0xff, 0x01, 0x02 };
    assert_int_equal(cobs_decode(zero_first, sizeof zero_first, dec, sizeof dec), -1);
    assert_int_equal(cobs_decode(zero_inside, sizeof zero_inside, dec, sizeof dec), -1);
    assert_int_equal(cobs_decode(zero_code, sizeof zero_code, dec, sizeof dec), -1);
    assert_int_equal(cobs_decode(past_end, sizeof past_end, dec, sizeof dec), -1);
    assert_int_equal(cobs_decode(past_end2, sizeof past_end2, dec, sizeof dec), -1);
    assert_int_equal(cobs_decode(ff_short, sizeof ff_short, dec, sizeof dec), -1);
    /* every truncation of a valid encoding that cuts a block short */
    static const uint8_t msg[] = { 1, 2, 3, 0, 4, 5, 0, 0, 6, 7, 8, 9 };
    size_t e = cobs_encode(msg, sizeof msg, enc);
    assert_int_equal(cobs_decode(enc, e, dec, sizeof dec), (long)sizeof msg);
    int refused = 0;
    for (size_t k = 1; k < e; k++)
        refused += cobs_decode(enc, k, dec, sizeof dec) == -1;
    assert_true(refused >= 6);
    /* random garbage never decodes past cap and never crashes */
    srand(99);
    for (int round = 0; round < 5000; round++) {
        size_t n = (size_t)rand() % 300;
        for (size_t i = 0; i < n; i++)
            src[i] = (uint8_t)rand();
        long d = cobs_decode(src, n, dec, 64);
        assert_true(d >= -1 && d <= 64);
    }
}

static void test_uuid__parse_format(void **state)
{
    (void)state;
    reg_uuid_t u, v;
    char text[UUID_STR_LEN + 1];
    assert_int_equal(uuid_parse(SERMUX_UUID_STR, &u), 0);
    assert_int_equal(u.b[0], 0x54);
    assert_int_equal(u.b[15], 0x47);
    uuid_format(&u, text);
    assert_string_equal(text, SERMUX_UUID_STR);
    assert_int_equal(uuid_parse("54C983FA-736F-4223-B90D-C4360A308647", &v), 0);
    assert_memory_equal(&u, &v, sizeof u);
    memset(&v, 0x5a, sizeof v);
    assert_int_equal(uuid_parse("54c983fa-736f-4223-b90d-c4360a30864", &v), -1);
    assert_int_equal(uuid_parse("54c983fa-736f-4223-b90d-c4360a3086470", &v), -1);
    assert_int_equal(uuid_parse("54c983fa0736f-4223-b90d-c4360a308647", &v), -1);
    assert_int_equal(uuid_parse("54c983fa-736f-4223-b90d-c4360a30864g", &v), -1);
    assert_int_equal(uuid_parse("", &v), -1);
    assert_int_equal(uuid_parse(NULL, &v), -1);
    assert_int_equal(v.b[0], 0x5a);                   /* untouched on error */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cobs__empty),
        cmocka_unit_test(test_cobs__known_vectors),
        cmocka_unit_test(test_cobs__all_zeros),
        cmocka_unit_test(test_cobs__long_runs),
        cmocka_unit_test(test_cobs__random),
        cmocka_unit_test(test_cobs__max_frame),
        cmocka_unit_test(test_cobs_decode__malformed),
        cmocka_unit_test(test_uuid__parse_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
