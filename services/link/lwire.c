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

void lwire_dec_init(lwire_dec_t *d)
{
    d->have = d->need = d->bad = d->skipped = d->good = d->keep = d->work = 0;
}

void lwire_dec_reset(lwire_dec_t *d)
{
    d->have = d->need = d->keep = 0;
}

/* Keep the held bytes from buf[start] on, from the first magic among
 * them (the bytes before it are skipped). */
static void hold_from(lwire_dec_t *d, uint32_t start)
{
    uint32_t from = start;
    while (from < d->have && d->buf[from] != LWIRE_MAGIC)
        from++;
    d->skipped += from - start;
    d->work += d->have - start;
    for (uint32_t i = from; i < d->have; i++)
        d->buf[i - from] = d->buf[i];
    d->have -= from;
    d->need = 0;
}

/* The held bytes after the magic at buf[0] were not a message: count it,
 * and hunt again in them from buf[1] (they may hold the real start). */
static void reject(lwire_dec_t *d)
{
    d->bad++;
    hold_from(d, 1);
}

/* With the header held: is it one, and how long is the message? */
static bool header_ok(lwire_dec_t *d)
{
    uint8_t type = d->buf[1];
    uint32_t len = (uint32_t)d->buf[2] | (uint32_t)d->buf[3] << 8;
    if (type == 0 || type >= LWIRE_TYPES || len > LWIRE_BODY_MAX ||
        (d->work += 3, (uint8_t)lwire_crc(0xffff, d->buf + 1, 3) != d->buf[4]))
        return false;
    d->need = LWIRE_HDR + len + LWIRE_TRAILER;
    return true;
}

size_t lwire_feed(lwire_dec_t *d, const uint8_t *p, size_t n, lwire_msg_t *m, bool *got)
{
    size_t used = 0;
    *got = false;
    if (d->keep) {                        /* what followed the last message */
        uint32_t start = d->have - d->keep;
        d->keep = 0;
        hold_from(d, start);
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
            d->buf[d->have++] = p[used++];
            d->work++;
        }
        uint32_t want = d->need ? d->need : LWIRE_HDR;
        if (d->have < want) {
            uint32_t k = want - d->have;
            if (k > n - used)
                k = (uint32_t)(n - used);
            for (uint32_t i = 0; i < k; i++)
                d->buf[d->have + i] = p[used + i];
            d->have += k;
            d->work += k;
            used += k;
            if (d->have < want)
                return used;
        }
        if (!d->need) {
            if (!header_ok(d))
                reject(d);
            continue;
        }
        uint32_t len = d->need - LWIRE_HDR - LWIRE_TRAILER;
        uint16_t crc = lwire_crc(lwire_crc(0xffff, d->buf + 1, 3), d->buf + LWIRE_HDR, len);
        d->work += 3 + len;
        uint16_t sent = (uint16_t)(d->buf[d->need - 2] | d->buf[d->need - 1] << 8);
        if (crc != sent) {
            reject(d);
            continue;
        }
        m->type = d->buf[1];
        m->len = (uint16_t)len;
        m->body = d->buf + LWIRE_HDR;
        d->good++;
        d->keep = d->have - d->need;   /* held bytes after it: looked at next time */
        if (!d->keep)
            d->have = 0;
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
