/* kchan -- a power-of-two ring of fixed-size slots with two wait queues. */
#include "kchan.h"
#include "kalloc.h"
#include "kstring.h"
#include <stdint.h>

kerr_t kchan_init(kchan_t *c, void *buf, uint32_t elem, uint32_t cap)
{
    if (!buf || elem == 0 || cap == 0 || (cap & (cap - 1)) || cap > (1u << 30))
        return KERR_INVAL;
    c->buf = buf;
    c->elem = elem;
    c->mask = cap - 1;
    c->head = c->tail = 0;
    c->closed = false;
    c->owned = false;
    c->send_max = (int32_t)c->mask;
    c->words = (((uintptr_t)buf | elem) & 7u) == 0 ? elem / 8 : 0;
    kwaitq_init(&c->senders);
    kwaitq_init(&c->receivers);
    return KERR_OK;
}

kchan_t *kchan_new(uint32_t elem, uint32_t cap)
{
    if (elem == 0 || cap == 0 || (cap & (cap - 1)) || (uint64_t)elem * cap > (1u << 30))
        return NULL;
    kchan_t *c = kalloc(sizeof *c);
    if (!c)
        return NULL;
    void *buf = kalloc((size_t)elem * cap);
    if (!buf) {
        kfree(c);
        return NULL;
    }
    kchan_init(c, buf, elem, cap);
    c->owned = true;
    return c;
}

void kchan_free(kchan_t *c)
{
    if (!c)
        return;
    kchan_close(c);
    if (c->owned)
        kfree(c->buf);
    kfree(c);
}

/*
 * The hot paths are shaped so that every call on them is a tail call (wake a
 * waiter, park, copy an odd-sized message): gcc then needs no stack frame.
 */
static __attribute__((noinline)) kerr_t wake_receiver(kchan_t *c)
{
    kwaitq_wake_one(&c->receivers);
    return KERR_OK;
}

static __attribute__((noinline)) kerr_t wake_sender(kchan_t *c)
{
    kwaitq_wake_one(&c->senders);
    return KERR_OK;
}

/* Odd sizes or alignments: byte copies.  Same arguments as the callers, so
 * reaching them is a plain jump. */
static __attribute__((noinline)) kerr_t put_slow(kchan_t *c, task_t *t, const void *msg)
{
    (void)t;
    kmem_copy(c->buf + (size_t)(c->tail & c->mask) * c->elem, msg, c->elem);
    c->tail++;
    return kwaitq_empty(&c->receivers) ? KERR_OK : wake_receiver(c);
}

static __attribute__((noinline)) kerr_t get_slow(kchan_t *c, task_t *t, void *out)
{
    (void)t;
    kmem_copy(out, c->buf + (size_t)(c->head & c->mask) * c->elem, c->elem);
    c->head++;
    return kwaitq_empty(&c->senders) ? KERR_OK : wake_sender(c);
}

/* "Full or closed" (send_max is -1 once closed). */
static inline bool no_room(const kchan_t *c)
{
    return (int32_t)(c->tail - c->head) > c->send_max;
}

/* Precondition: not closed, not full. */
static inline kerr_t put(kchan_t *c, task_t *t, const void *msg)
{
    uint32_t tail = c->tail;
    uint64_t *slot = (uint64_t *)(void *)(c->buf + (size_t)(tail & c->mask) * c->elem);
    uint32_t w = c->words;
    if (__builtin_expect(w == 0 || !kmem_word_ok(msg), 0))
        return put_slow(c, t, msg);
    const kmem_word_u *src = msg;
    size_t i = w;
    do {                                   /* last word first: one counter */
        i--;
        slot[i] = src[i];
    } while (i);
    c->tail = tail + 1;
    return kwaitq_empty(&c->receivers) ? KERR_OK : wake_receiver(c);
}

/* Precondition: not empty. */
static inline kerr_t get(kchan_t *c, task_t *t, void *out)
{
    uint32_t head = c->head;
    const uint64_t *slot = (const uint64_t *)(const void *)(c->buf + (size_t)(head & c->mask) * c->elem);
    uint32_t w = c->words;
    if (__builtin_expect(w == 0 || !kmem_word_ok(out), 0))
        return get_slow(c, t, out);
    kmem_word_u *dst = out;
    size_t i = w;
    do {
        i--;
        dst[i] = slot[i];
    } while (i);
    c->head = head + 1;
    return kwaitq_empty(&c->senders) ? KERR_OK : wake_sender(c);
}

kerr_t kchan_try_send(kchan_t *c, const void *msg)
{
    if (__builtin_expect(no_room(c), 0))
        return c->closed ? KERR_CLOSED : KERR_FULL;
    return put(c, NULL, msg);
}

static __attribute__((noinline)) kerr_t send_blocked(kchan_t *c, task_t *t)
{
    return c->closed ? KERR_CLOSED : task_park(t, &c->senders);
}

static __attribute__((noinline)) kerr_t recv_blocked(kchan_t *c, task_t *t)
{
    return c->closed ? KERR_CLOSED : task_park(t, &c->receivers);
}

kerr_t kchan_send(kchan_t *c, task_t *t, const void *msg)
{
    if (__builtin_expect(no_room(c), 0))
        return send_blocked(c, t);
    return put(c, t, msg);
}

kerr_t kchan_try_recv(kchan_t *c, void *out)
{
    if (__builtin_expect(c->tail == c->head, 0))
        return c->closed ? KERR_CLOSED : KERR_EMPTY;
    return get(c, NULL, out);
}

kerr_t kchan_recv(kchan_t *c, task_t *t, void *out)
{
    if (c->tail == c->head)
        return recv_blocked(c, t);
    return get(c, t, out);
}

void kchan_close(kchan_t *c)
{
    c->closed = true;
    c->send_max = -1;
    kwaitq_wake_all(&c->senders);
    kwaitq_wake_all(&c->receivers);
}
