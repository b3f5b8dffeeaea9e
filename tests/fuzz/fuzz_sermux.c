/*
 * fuzz_sermux -- COBS and the real sermux line reader.
 *
 * COBS (services/mux/cobs.c), on the input as it is:
 *   - encode then decode gives the input back; the encoding holds no 0x00
 *     and is at most n + n/254 + 1 bytes;
 *   - decode of the input (as a frame, with exactly-sized heap buffers so
 *     ASan sees any overrun) is -1 or a length within the capacity; a
 *     smaller capacity gives -1 or the same bytes; re-encoding the result
 *     and decoding again gives it back.
 *
 * sermux: a fresh kernel_init + sermux_start over an in-memory line, ports
 * 5, 0x1234 and 0x0100 (big rings) and 7 (a 64-byte ring, so rx_full
 * happens).  Byte 0 of the input is the chunk size; the rest is the line,
 * fed chunk by chunk with the kernel ticked until the mux settles.  Then:
 *   - bytes_in is the number of bytes fed;
 *   - frames_in + malformed + unknown_port + rx_full is the number of
 *     0x00-terminated frames fed (empty ones -- idle delimiters -- aside);
 *   - per category, the counters match a reference decoding of each frame
 *     (too long or bad COBS or under 2 bytes: malformed; port not open:
 *     unknown_port); and each big port's rx holds exactly the payloads of
 *     its good frames, in order.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel.h"
#include "platform_linux.h"
#include "mux/sermux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* ---- COBS properties ------------------------------------------------------ */

static void cobs_props(const uint8_t *data, size_t n)
{
    uint8_t *enc = malloc(n + n / 254 + 1);
    uint8_t *dec = malloc(n ? n : 1);
    size_t e = cobs_encode(data, n, enc);
    CHECK(e <= n + n / 254 + 1, "encoded %zu bytes from %zu", e, n);
    CHECK(memchr(enc, 0, e) == NULL, "a zero in the encoding");
    long d = cobs_decode(enc, e, dec, n);
    CHECK(d == (long)n && memcmp(dec, data, n) == 0, "round trip: %ld of %zu", d, n);
    free(enc);
    free(dec);

    /* the input as a frame */
    size_t cap = n + 1;
    uint8_t *full = malloc(cap);
    long k = cobs_decode(data, n, full, cap);
    CHECK(k >= -1 && k <= (long)cap, "decode returned %ld (cap %zu)", k, cap);
    if (k >= 0) {
        CHECK(memchr(data, 0, n) == NULL, "decoded a frame with a zero in it");
        for (size_t c = 0; c < (size_t)k; c += 1 + c / 2) {
            uint8_t *small = malloc(c ? c : 1);
            long k2 = cobs_decode(data, n, small, c);
            CHECK(k2 == -1, "decode into %zu bytes gave %ld, full %ld", c, k2, k);
            free(small);
        }
        uint8_t *exact = malloc(k ? (size_t)k : 1);
        long k3 = cobs_decode(data, n, exact, (size_t)k);
        CHECK(k3 == k && memcmp(exact, full, (size_t)k) == 0, "exact cap: %ld vs %ld", k3, k);
        uint8_t *re = malloc((size_t)k + (size_t)k / 254 + 1);
        size_t e2 = cobs_encode(full, (size_t)k, re);
        long k4 = cobs_decode(re, e2, exact, (size_t)k);
        CHECK(k4 == k && memcmp(exact, full, (size_t)k) == 0, "re-encode round trip");
        free(re);
        free(exact);
    }
    free(full);
}

/* ---- the mux ----------------------------------------------------------- */

#define LINE_CAP 8192
#define BIG_CAP  16384
static uint8_t line_rx[LINE_CAP], line_tx[LINE_CAP];
static port_t line;

static const uint16_t big_nums[3] = { 5, 0x1234, 0x0100 };
#define SMALL_NUM 7

typedef struct { uint8_t *b; size_t n; } buf_t;

static void settle(void)
{
    for (int i = 0; i < 10000; i++)
        if (kernel_tick() != 0)
            return;
    CHECK(0, "the kernel never settles");
}

static size_t take(port_t *p, uint8_t *out, size_t cap)
{
    bbq_grant_t g;
    size_t n = 0;
    while (bbq_read(&p->rx, &g) == KERR_OK && g.len) {
        CHECK(n + g.len <= cap, "port %u holds more than was sent", p->num);
        memcpy(out + n, g.ptr, g.len);
        n += g.len;
        bbq_release(&p->rx, g.len);
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cobs_props(data, size);
    if (size < 1 || size > LINE_CAP)
        return 0;                        /* the big rings hold it all */
    size_t chunk = (size_t)data[0] * 4 + 1;
    data++;
    size--;

    plat_linux_fake_clock(1000);
    CHECK(kernel_init() == KERR_OK, "kernel_init");
    memset(&line, 0, sizeof line);
    line.num = PORT_CONSOLE;
    bbq_init(&line.rx, line_rx, LINE_CAP);
    bbq_init(&line.tx, line_tx, LINE_CAP);
    CHECK(sermux_start(&line) == KERR_OK, "sermux_start");
    port_t *big[3], *small;
    for (int i = 0; i < 3; i++)
        CHECK(sermux_open(big_nums[i], BIG_CAP, &big[i]) == KERR_OK, "open");
    CHECK(sermux_open(SMALL_NUM, 64, &small) == KERR_OK, "open small");

    /* feed */
    for (size_t off = 0; off < size;) {
        size_t n = size - off < chunk ? size - off : chunk;
        bbq_grant_t g;
        CHECK(bbq_grant(&line.rx, (uint32_t)n, &g) == KERR_OK, "line rx grant %zu", n);
        memcpy(g.ptr, data + off, n);
        bbq_commit(&line.rx, (uint32_t)n);
        off += n;
        settle();
    }

    /* the reference: frames, categories, payloads per big port */
    uint32_t frames = 0, want_malformed = 0, want_unknown = 0, want_good_big = 0, small_frames = 0;
    buf_t want[3];
    for (int i = 0; i < 3; i++) {
        want[i].b = malloc(size + 1);
        want[i].n = 0;
    }
    uint8_t *dec = malloc(size + 1);
    for (size_t i = 0; i < size;) {
        size_t j = i;
        while (j < size && data[j])
            j++;
        if (j == size)
            break;                       /* unterminated: not a frame yet */
        if (j > i) {
            frames++;
            long n = cobs_decode(data + i, j - i, dec, size + 1);
            if (n < 2 || n > 2 + SERMUX_MTU) {
                want_malformed++;
            } else {
                uint16_t num = (uint16_t)(dec[0] | dec[1] << 8);
                int which = -1;
                for (int k = 0; k < 3; k++)
                    if (big_nums[k] == num)
                        which = k;
                if (which >= 0) {
                    memcpy(want[which].b + want[which].n, dec + 2, (size_t)n - 2);
                    want[which].n += (size_t)n - 2;
                    want_good_big++;
                } else if (num == SMALL_NUM) {
                    small_frames++;
                } else {
                    want_unknown++;
                }
            }
        }
        i = j + 1;
    }

    sermux_stats_t st;
    sermux_stats(&st);
    CHECK(st.bytes_in == size, "bytes_in %u, fed %zu", st.bytes_in, size);
    CHECK(st.frames_in + st.malformed + st.unknown_port + st.rx_full == frames,
          "frames_in %u + malformed %u + unknown_port %u + rx_full %u != %u frames fed",
          st.frames_in, st.malformed, st.unknown_port, st.rx_full, frames);
    CHECK(st.malformed == want_malformed, "malformed %u, want %u", st.malformed, want_malformed);
    CHECK(st.unknown_port == want_unknown, "unknown_port %u, want %u", st.unknown_port, want_unknown);
    CHECK(st.frames_in + st.rx_full == want_good_big + small_frames,
          "frames_in %u + rx_full %u, want %u", st.frames_in, st.rx_full,
          want_good_big + small_frames);
    CHECK(st.rx_full == small->dropped, "rx_full %u, small port dropped %u", st.rx_full,
          small->dropped);
    CHECK(st.frames_out == 0 && st.bytes_out == 0, "the mux wrote to the line");
    for (int k = 0; k < 3; k++) {
        size_t got = take(big[k], dec, size + 1);
        CHECK(got == want[k].n && memcmp(dec, want[k].b, got) == 0,
              "port %#x got %zu bytes, want %zu", big_nums[k], got, want[k].n);
        CHECK(big[k]->dropped == 0, "a big port dropped");
        free(want[k].b);
    }
    size_t sgot = take(small, dec, 64);
    CHECK(sgot <= 64, "small port");
    free(dec);
    for (int k = 0; k < 3; k++)
        sermux_close(big[k]);
    sermux_close(small);
    settle();
    return 0;
}
