/*
 * lwire -- the link protocol's message framing (prefix lwire_): see
 * docs/links.md.
 *
 * A message on the link's byte stream is: magic 0xC7, u8 type, u16 body
 * length (little-endian, at most LWIRE_BODY_MAX), a header check (the low
 * byte of the CRC of type and length), the body, then the
 * CRC-16/CCITT-FALSE of type, length and body (u16 little-endian).  The
 * header check lets a receiver refuse a false start in garbage at once
 * instead of waiting for the body its length announces.
 *
 * lwire_dec_t is the receiving side: feed it bytes as they come
 * (lwire_feed); it hunts for the magic byte, checks the header (a known
 * type, a length within the maximum, the header check) and the CRC, and hands each good
 * message to the caller.  Bad headers and bad CRCs are dropped and counted
 * (bad), and the hunt starts again at the byte after the rejected magic;
 * bytes passed over while hunting are counted (skipped).  Never trusts a
 * length before checking it; never reads or writes past its own buffer;
 * its work per byte is bounded on any input (LWIRE_WORK_MAX).
 * Freestanding, no allocation; the decoder is the caller's memory.
 */
#ifndef LWIRE_H
#define LWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LWIRE_MAGIC 0xC7u
#define LWIRE_HDR 5                    /* magic, type, u16 length, check */
#define LWIRE_TRAILER 2                /* the CRC */
#define LWIRE_PAYLOAD_MAX 2112u        /* a REQ's or REP's payload */
#define LWIRE_BODY_MAX (LWIRE_PAYLOAD_MAX + 192u)
#define LWIRE_MSG_MAX (LWIRE_HDR + LWIRE_BODY_MAX + LWIRE_TRAILER)
#define LWIRE_NAME_MAX 15

enum {
    LWIRE_HELLO = 1,
    LWIRE_ADVERT = 2,
    LWIRE_ROUTES = 3,
    LWIRE_REQ = 4,
    LWIRE_REP = 5,
    LWIRE_CREDIT = 6,
    LWIRE_PING = 7,
    LWIRE_PONG = 8,
    LWIRE_TYPES
};

#define LWIRE_VERSION 1

/* The decoder's work, in units of about one table CRC step: a unit for each
 * byte looked at, taken in (and CRC'd), CRC'd again (a header) or moved,
 * and LWIRE_WORK_BODY for a body's CRC however long the body (measured:
 * about 10 steps).  Since init it is at most LWIRE_WORK_MAX units per byte
 * consumed, on any input: a unit to take or pass over the byte, at most one
 * to move it and one to pass over it again while held, and a header check
 * and a body CRC at most every other byte (a start's next byte is its
 * type, never the magic): 1 + 1 + 1 + (3 + 16) / 2 = 12.5.  (The chain of false
 * starts that cost 1080 before costs 7.2.)  test_lwire
 * work_is_bounded_per_byte; a receiver's budget counts it (link.c). */
#define LWIRE_WORK_BODY 16u
#define LWIRE_WORK_MAX 13u

/* The decoder keeps the bytes of the start it judges (and what followed
 * it) in buf[start..have), never moving them on a rejection: it moves the
 * held bytes to the front only when more must come in and the end is
 * reached, and then more than LWIRE_MSG_MAX bytes have been let go of, so
 * a byte is moved at most once.  With each held byte it keeps the CRC
 * register (from any origin) after it, so a start's CRC is found from two
 * of them and a shift (lwire.c body_ok) instead of from its body: each
 * byte is CRC'd once however many false starts hold it. */
#define LWIRE_DEC_BUF (2 * LWIRE_MSG_MAX)

typedef struct lwire_dec {
    uint32_t start;                     /* buf[start]: the magic being judged */
    uint32_t have;                      /* buf[have]: where input goes next;
                                           start == have == 0 when nothing held */
    uint32_t need;                      /* the whole message's length, once known */
    uint16_t hcrc;                      /* the CRC of its type and length, then */
    uint32_t bad;                       /* messages dropped: header, CRC */
    uint32_t skipped;                   /* bytes passed over while hunting */
    uint32_t good;                      /* messages handed out */
    uint32_t keep;                      /* held bytes after the message handed out
                                           (found inside a rejected false start) */
    uint32_t work;                      /* work done so far (wraps; callers take
                                           differences): see LWIRE_WORK_MAX */
    uint16_t reg[LWIRE_DEC_BUF + 1];    /* reg[i]: the CRC register, from some
                                           origin, after buf[i - 1] (before buf[i]) */
    uint8_t buf[LWIRE_DEC_BUF];
} lwire_dec_t;

/* A decoded message: type and body (pointing into the decoder's buffer,
 * valid until the next lwire_feed). */
typedef struct lwire_msg {
    uint8_t type;
    uint16_t len;
    const uint8_t *body;
} lwire_msg_t;

uint16_t lwire_crc(uint16_t crc, const uint8_t *p, size_t n);   /* start with 0xffff */

void lwire_dec_init(lwire_dec_t *d);

/* Forget a half-received message (the line's peer changed). */
void lwire_dec_reset(lwire_dec_t *d);
/* Consume bytes from p (n of them) until one whole message is decoded:
 * returns how many bytes were consumed and sets *got (true: *m holds a
 * message).  Call again with the rest -- and while lwire_more(): held
 * bytes may hold more messages (n may be 0 then). */
size_t lwire_feed(lwire_dec_t *d, const uint8_t *p, size_t n, lwire_msg_t *m, bool *got);
static inline bool lwire_more(const lwire_dec_t *d)
{
    return d->keep != 0;
}

/* Write a whole message of `type` with body (len bytes) at dst, which holds
 * LWIRE_HDR + len + LWIRE_TRAILER bytes; returns that length.  len must be
 * at most LWIRE_BODY_MAX. */
size_t lwire_encode(uint8_t *dst, uint8_t type, const uint8_t *body, uint16_t len);
/* The same when the body is already in place at dst + LWIRE_HDR. */
size_t lwire_seal(uint8_t *dst, uint8_t type, uint16_t len);

/* A node name: 1..LWIRE_NAME_MAX bytes of A-Z a-z 0-9 - _ */
bool lwire_name_ok(const uint8_t *s, size_t n);

#endif
