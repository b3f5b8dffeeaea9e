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
static __attribute__((noinline)) kerr_t wake_ok(kwaitq_t *q)
{
    kwaitq_wake_one(q);
    return KERR_OK;
}

static __attribute__((noinline)) kerr_t put_slow(kchan_t *c, void *slot, const void *msg)
{
    kmem_copy(slot, msg, c->elem);
    c->tail++;
    return kwaitq_empty(&c->receivers) ? KERR_OK : wake_ok(&c->receivers);
}

static __attribute__((noinline)) kerr_t get_slow(kchan_t *c, void *out, const void *slot)
{
    kmem_copy(out, slot, c->elem);
    c->head++;
    return kwaitq_empty(&c->senders) ? KERR_OK : wake_ok(&c->senders);
}

static inline bool words_ok(const void *a, const void *b, uint32_t n)
{
    return (((uintptr_t)a | (uintptr_t)b | n) & 7u) == 0;
}

static inline void copy_words(uint64_t *d, const uint64_t *s, uint32_t n)
{
    for (uint32_t i = 0; i < n / 8; i++)
        d[i] = s[i];
}

/* Precondition: not closed, not full. */
static inline kerr_t put(kchan_t *c, const void *msg)
{
    uint32_t tail = c->tail;
    void *slot = c->buf + (size_t)(tail & c->mask) * c->elem;
    if (!words_ok(slot, msg, c->elem))
        return put_slow(c, slot, msg);
    copy_words(slot, msg, c->elem);
    c->tail = tail + 1;
    return kwaitq_empty(&c->receivers) ? KERR_OK : wake_ok(&c->receivers);
}

/* Precondition: not empty. */
static inline kerr_t get(kchan_t *c, void *out)
{
    uint32_t head = c->head;
    const void *slot = c->buf + (size_t)(head & c->mask) * c->elem;
    if (!words_ok(slot, out, c->elem))
        return get_slow(c, out, slot);
    copy_words(out, slot, c->elem);
    c->head = head + 1;
    return kwaitq_empty(&c->senders) ? KERR_OK : wake_ok(&c->senders);
}

kerr_t kchan_try_send(kchan_t *c, const void *msg)
{
    if (c->closed)
        return KERR_CLOSED;
    if (c->tail - c->head > c->mask)
        return KERR_FULL;
    return put(c, msg);
}

kerr_t kchan_send(kchan_t *c, task_t *t, const void *msg)
{
    if (c->closed)
        return KERR_CLOSED;
    if (c->tail - c->head > c->mask)
        return task_park(t, &c->senders);
    return put(c, msg);
}

kerr_t kchan_try_recv(kchan_t *c, void *out)
{
    if (c->tail == c->head)
        return c->closed ? KERR_CLOSED : KERR_EMPTY;
    return get(c, out);
}

kerr_t kchan_recv(kchan_t *c, task_t *t, void *out)
{
    if (c->tail == c->head)
        return c->closed ? KERR_CLOSED : task_park(t, &c->receivers);
    return get(c, out);
}

void kchan_close(kchan_t *c)
{
    c->closed = true;
    kwaitq_wake_all(&c->senders);
    kwaitq_wake_all(&c->receivers);
}
