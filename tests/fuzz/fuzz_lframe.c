/*
 * fuzz_lframe -- the link's message decoder (services/link/lwire.c).
 *
 * The input is a link byte stream.  Byte 0 picks a piece size; the stream
 * is decoded whole and again in pieces of that size (and byte by byte for
 * short inputs): the same messages must come out, with the same counts of
 * bad messages and skipped bytes.  Every message has a known type and a
 * body within the maximum, and re-encoding it and decoding that gives it
 * back exactly.  The decoder lives on the heap at its exact size so ASan
 * sees any overrun.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "link/lwire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

#define MAXMSG 64

typedef struct {
    int n;
    uint8_t type[MAXMSG];
    uint16_t len[MAXMSG];
    uint32_t sum[MAXMSG];              /* FNV of the body */
    uint32_t bad, skipped;
} log_t;

static uint32_t fnv(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

static void check_msg(const lwire_msg_t *m)
{
    CHECK(m->type >= 1 && m->type < LWIRE_TYPES, "type %u", m->type);
    CHECK(m->len <= LWIRE_BODY_MAX, "len %u", m->len);
    uint8_t *wire = malloc(LWIRE_HDR + m->len + LWIRE_TRAILER);
    size_t n = lwire_encode(wire, m->type, m->body, m->len);
    CHECK(n == (size_t)LWIRE_HDR + m->len + LWIRE_TRAILER, "encoded %zu", n);
    lwire_dec_t *d = malloc(sizeof *d);
    lwire_dec_init(d);
    lwire_msg_t back;
    bool got;
    size_t used = lwire_feed(d, wire, n, &back, &got);
    CHECK(got && used == n && back.type == m->type && back.len == m->len &&
          memcmp(back.body, m->body, m->len) == 0, "re-encoded message differs");
    free(d);
    free(wire);
}

static void decode(const uint8_t *p, size_t n, size_t piece, log_t *lg)
{
    lwire_dec_t *d = malloc(sizeof *d);
    lwire_dec_init(d);
    memset(lg, 0, sizeof *lg);
    for (size_t at = 0; at < n;) {
        size_t k = n - at < piece ? n - at : piece;
        size_t used = 0;
        while (used < k || lwire_more(d)) {
            lwire_msg_t m;
            bool got;
            size_t u = lwire_feed(d, p + at + used, k - used, &m, &got);
            CHECK(u <= k - used, "consumed %zu of %zu", u, k - used);
            /* progress: bytes taken, a message, or held bytes looked at */
            CHECK(u > 0 || got || (used == k && !lwire_more(d)), "no progress");
            used += u;
            if (got) {
                check_msg(&m);
                if (lg->n < MAXMSG) {
                    lg->type[lg->n] = m.type;
                    lg->len[lg->n] = m.len;
                    lg->sum[lg->n] = fnv(m.body, m.len);
                }
                lg->n++;
            }
        }
        at += k;
    }
    lg->bad = d->bad;
    lg->skipped = d->skipped;
    free(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t piece = 1 + data[0] % 97;
    const uint8_t *p = data + 1;
    size_t n = size - 1;
    static log_t whole, parts;
    decode(p, n, n ? n : 1, &whole);
    decode(p, n, piece, &parts);
    CHECK(whole.n == parts.n, "%d messages whole, %d in pieces of %zu", whole.n, parts.n, piece);
    for (int i = 0; i < whole.n && i < MAXMSG; i++)
        CHECK(whole.type[i] == parts.type[i] && whole.len[i] == parts.len[i] &&
              whole.sum[i] == parts.sum[i], "message %d differs", i);
    /* a false start held at the end of the input is neither bad nor skipped
     * yet, so the counts agree once it is the same false start */
    CHECK(whole.bad == parts.bad && whole.skipped == parts.skipped,
          "bad %u/%u skipped %u/%u", whole.bad, parts.bad, whole.skipped, parts.skipped);
    return 0;
}
