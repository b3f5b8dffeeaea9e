/* lwire -- link message framing (see lwire.h). */
#include "lwire.h"

static uint16_t crc_table[256];

/* CRC-16/CCITT-FALSE (poly 0x1021), a byte at a time from a table built
 * on first use (the same in any context: building it twice is harmless). */
uint16_t lwire_crc(uint16_t crc, const uint8_t *p, size_t n)
{
    if (!crc_table[1])
        for (unsigned b = 0; b < 256; b++) {
            uint16_t c = (uint16_t)(b << 8);
            for (int i = 0; i < 8; i++)
                c = (uint16_t)(c & 0x8000 ? c << 1 ^ 0x1021 : c << 1);
            crc_table[b] = c;
        }
    while (n--)
        crc = (uint16_t)(crc << 8 ^ crc_table[(crc >> 8 ^ *p++) & 0xff]);
    return crc;
}

/* xpow[k]: x^(8k) mod the CRC's polynomial -- what k zero bytes do to the
 * register, as a factor (mulmod) */
static uint16_t xpow[LWIRE_BODY_MAX + 1];

/* Build the tables (once; building them twice is harmless). */
static void tables(void)
{
    if (xpow[0])
        return;
    (void)lwire_crc(0xffff, NULL, 0);
    uint16_t t = 1;
    for (unsigned k = 1; k <= LWIRE_BODY_MAX; k++) {
        t = (uint16_t)(t << 8 ^ crc_table[t >> 8]);
        xpow[k] = t;
    }
    xpow[0] = 1;
}

/* a * b mod the CRC's polynomial (the register is linear: this is what
 * running zero bytes through it does, when b is an xpow[]). */
static uint16_t mulmod(uint16_t a, uint16_t b)
{
    uint16_t r = 0;
    for (int i = 15; i >= 0; i--) {
        r = (uint16_t)(r << 1 ^ (0x1021 & -(r >> 15)));
        r ^= (uint16_t)(b & -(a >> i & 1));
    }
    return r;
}

void lwire_dec_init(lwire_dec_t *d)
{
    tables();
    d->start = d->have = d->need = d->bad = d->skipped = d->good = d->keep = d->work = 0;
    d->hcrc = 0;
    d->reg[0] = 0;
}

void lwire_dec_reset(lwire_dec_t *d)
{
    d->start = d->have = d->need = d->keep = 0;
}

/* Judge the held bytes from buf[from] on: the first magic among them is the
 * next start (the bytes before it are skipped); none, and nothing is held. */
static void hunt_from(lwire_dec_t *d, uint32_t from)
{
    uint32_t at = from;
    while (at < d->have && d->buf[at] != LWIRE_MAGIC)
        at++;
    d->skipped += at - from;
    d->work += at - from;
    d->need = 0;
    d->start = at;
    if (at == d->have)
        d->start = d->have = 0;
}

/* The start at buf[start] was not a message: count it, and hunt again in
 * the held bytes from the next one (they may hold the real start). */
static void reject(lwire_dec_t *d)
{
    d->bad++;
    hunt_from(d, d->start + 1);
}

/* Take k bytes from p after the held ones, with the CRC register after
 * each.  The held bytes and k are at most LWIRE_MSG_MAX together; when
 * they do not fit before the end, the held ones go to the front first:
 * then more than LWIRE_MSG_MAX bytes were let go of in front of them and
 * they land below LWIRE_MSG_MAX, so no byte moves twice. */
static void take(lwire_dec_t *d, const uint8_t *p, uint32_t k)
{
    if (d->have + k > LWIRE_DEC_BUF) {
        uint32_t held = d->have - d->start;
        for (uint32_t i = 0; i < held; i++) {
            d->buf[i] = d->buf[d->start + i];
            d->reg[i] = d->reg[d->start + i];
        }
        d->reg[held] = d->reg[d->have];
        d->start = 0;
        d->have = held;
        d->work += held;
    }
    if (d->have == 0)
        d->reg[0] = 0;                    /* any origin does */
    uint16_t r = d->reg[d->have];
    for (uint32_t i = 0; i < k; i++) {
        uint8_t c = p[i];
        d->buf[d->have + i] = c;
        r = (uint16_t)(r << 8 ^ crc_table[(r >> 8 ^ c) & 0xff]);
        d->reg[d->have + i + 1] = r;
    }
    d->have += k;
    d->work += k;
}

/* With the header held: is it one, and how long is the message? */
static bool header_ok(lwire_dec_t *d)
{
    const uint8_t *h = d->buf + d->start;
    uint8_t type = h[1];
    uint32_t len = (uint32_t)h[2] | (uint32_t)h[3] << 8;
    if (type == 0 || type >= LWIRE_TYPES || len > LWIRE_BODY_MAX)
        return false;
    d->work += 3;
    d->hcrc = lwire_crc(0xffff, h + 1, 3);
    if ((uint8_t)d->hcrc != h[4])
        return false;
    d->need = LWIRE_HDR + len + LWIRE_TRAILER;
    return true;
}

/* With the whole message held: is its CRC the one sent?  The register is
 * linear: from register a, a body B gives shift(a, |B|) ^ crc(0, B), so
 * the CRC from hcrc over the body is reg[end] ^ shift(reg[body] ^ hcrc,
 * len) -- a constant amount of work however long the body. */
static bool body_ok(lwire_dec_t *d)
{
    uint32_t len = d->need - LWIRE_HDR - LWIRE_TRAILER;
    uint32_t body = d->start + LWIRE_HDR, end = body + len;
    uint16_t crc = (uint16_t)(d->reg[end] ^ mulmod((uint16_t)(d->reg[body] ^ d->hcrc), xpow[len]));
    uint16_t sent = (uint16_t)(d->buf[end] | d->buf[end + 1] << 8);
    d->work += LWIRE_WORK_BODY;
    return crc == sent;
}

size_t lwire_feed(lwire_dec_t *d, const uint8_t *p, size_t n, lwire_msg_t *m, bool *got)
{
    size_t used = 0;
    *got = false;
    if (d->keep) {                        /* what followed the last message */
        d->keep = 0;
        hunt_from(d, d->start);
    }
    for (;;) {
        /* work through what is held first (a rejected message's bytes) */
        if (d->have == 0) {
            while (used < n && p[used] != LWIRE_MAGIC) {
                used++;
                d->skipped++;
                d->work++;
            }
            if (used == n)
                return used;
            take(d, p + used++, 1);
        }
        uint32_t want = d->need ? d->need : LWIRE_HDR;
        uint32_t held = d->have - d->start;
        if (held < want) {
            uint32_t k = want - held;
            if (k > n - used)
                k = (uint32_t)(n - used);
            take(d, p + used, k);
            used += k;
            if (held + k < want)
                return used;
        }
        if (!d->need) {
            if (!header_ok(d))
                reject(d);
            continue;
        }
        if (!body_ok(d)) {
            reject(d);
            continue;
        }
        m->type = d->buf[d->start + 1];
        m->len = (uint16_t)(d->need - LWIRE_HDR - LWIRE_TRAILER);
        m->body = d->buf + d->start + LWIRE_HDR;
        d->good++;
        d->start += d->need;
        d->keep = d->have - d->start;      /* held bytes after it: looked at next time */
        if (!d->keep)
            d->start = d->have = 0;
        d->need = 0;          /* the body stays in buf until the next feed */
        *got = true;
        return used;
    }
}

size_t lwire_seal(uint8_t *dst, uint8_t type, uint16_t len)
{
    dst[0] = LWIRE_MAGIC;
    dst[1] = type;
    dst[2] = (uint8_t)len;
    dst[3] = (uint8_t)(len >> 8);
    uint16_t crc = lwire_crc(0xffff, dst + 1, 3);
    dst[4] = (uint8_t)crc;
    crc = lwire_crc(crc, dst + LWIRE_HDR, len);
    dst[LWIRE_HDR + len] = (uint8_t)crc;
    dst[LWIRE_HDR + len + 1] = (uint8_t)(crc >> 8);
    return LWIRE_HDR + (size_t)len + LWIRE_TRAILER;
}

size_t lwire_encode(uint8_t *dst, uint8_t type, const uint8_t *body, uint16_t len)
{
    for (uint16_t i = 0; i < len; i++)
        dst[LWIRE_HDR + i] = body[i];
    return lwire_seal(dst, type, len);
}

bool lwire_name_ok(const uint8_t *s, size_t n)
{
    if (n < 1 || n > LWIRE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              c == '_'))
            return false;
    }
    return true;
}
