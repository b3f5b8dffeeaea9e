/*
 * kwire -- little-endian field codecs for message payloads (prefix kwire_).
 *
 * Every payload field crosses the service boundary as explicit
 * little-endian bytes, never as a C struct (layouts differ between 32- and
 * 64-bit machines and padding would leak): a service decodes a request with
 * a reader and encodes its reply with a writer.  A reader that runs past the
 * end sets `bad` and yields zeros from then on, so a decoder reads all its
 * fields and checks once: kwire_done() is true only when every byte was
 * consumed without running out.  A writer past its capacity sets `bad` and
 * writes nothing more.  Header-only; no allocation; any context.
 */
#ifndef KWIRE_H
#define KWIRE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct kwire_rd {
    const uint8_t *p;
    uint32_t left;
    bool bad;
} kwire_rd_t;

typedef struct kwire_wr {
    uint8_t *p;
    uint32_t cap, n;
    bool bad;
} kwire_wr_t;

static inline kwire_rd_t kwire_reader(const uint8_t *p, uint32_t n)
{
    kwire_rd_t r = { p, p ? n : 0, false };
    return r;
}

static inline const uint8_t *kwire_take(kwire_rd_t *r, uint32_t n)
{
    if (r->bad || n > r->left) {
        r->bad = true;
        r->left = 0;
        return 0;
    }
    const uint8_t *q = r->p;
    if (n) {                       /* (no arithmetic on a NULL of an empty payload) */
        r->p += n;
        r->left -= n;
    }
    return q;
}

static inline uint8_t kwire_u8(kwire_rd_t *r)
{
    const uint8_t *q = kwire_take(r, 1);
    return q ? q[0] : 0;
}

static inline uint16_t kwire_u16(kwire_rd_t *r)
{
    const uint8_t *q = kwire_take(r, 2);
    return q ? (uint16_t)(q[0] | q[1] << 8) : 0;
}

static inline uint32_t kwire_u32(kwire_rd_t *r)
{
    const uint8_t *q = kwire_take(r, 4);
    return q ? (uint32_t)q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24 : 0;
}

static inline uint64_t kwire_u64(kwire_rd_t *r)
{
    uint64_t lo = kwire_u32(r);
    return lo | (uint64_t)kwire_u32(r) << 32;
}

/* The rest of the payload (a trailing byte string): *n bytes, maybe 0. */
static inline const uint8_t *kwire_rest(kwire_rd_t *r, uint32_t *n)
{
    *n = r->bad ? 0 : r->left;
    return kwire_take(r, *n);
}

/* Every byte consumed, none missing. */
static inline bool kwire_done(const kwire_rd_t *r)
{
    return !r->bad && r->left == 0;
}

static inline kwire_wr_t kwire_writer(uint8_t *p, uint32_t cap)
{
    kwire_wr_t w = { p, p ? cap : 0, 0, false };
    return w;
}

static inline uint8_t *kwire_room(kwire_wr_t *w, uint32_t n)
{
    if (w->bad || n > w->cap - w->n) {
        w->bad = true;
        return 0;
    }
    uint8_t *q = w->p ? w->p + w->n : 0;
    w->n += n;
    return q;
}

static inline void kwire_put_u8(kwire_wr_t *w, uint8_t v)
{
    uint8_t *q = kwire_room(w, 1);
    if (q)
        q[0] = v;
}

static inline void kwire_put_u16(kwire_wr_t *w, uint16_t v)
{
    uint8_t *q = kwire_room(w, 2);
    if (q) {
        q[0] = (uint8_t)v;
        q[1] = (uint8_t)(v >> 8);
    }
}

static inline void kwire_put_u32(kwire_wr_t *w, uint32_t v)
{
    uint8_t *q = kwire_room(w, 4);
    if (q)
        for (int i = 0; i < 4; i++)
            q[i] = (uint8_t)(v >> (8 * i));
}

static inline void kwire_put_u64(kwire_wr_t *w, uint64_t v)
{
    kwire_put_u32(w, (uint32_t)v);
    kwire_put_u32(w, (uint32_t)(v >> 32));
}

static inline void kwire_put_bytes(kwire_wr_t *w, const void *src, uint32_t n)
{
    uint8_t *q = kwire_room(w, n);
    const uint8_t *s = src;
    if (q)
        for (uint32_t i = 0; i < n; i++)
            q[i] = s[i];
}

#endif
