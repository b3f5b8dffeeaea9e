/* kchan -- a power-of-two ring of fixed-size slots with two wait queues. */
#include "kchan.h"
#include "kalloc.h"
#include "kstring.h"

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

kerr_t kchan_try_send(kchan_t *c, const void *msg)
{
    if (c->closed)
        return KERR_CLOSED;
    if (c->tail - c->head > c->mask)
        return KERR_FULL;
    kmem_copy(c->buf + (size_t)(c->tail & c->mask) * c->elem, msg, c->elem);
    c->tail++;
    if (!kwaitq_empty(&c->receivers))
        kwaitq_wake_one(&c->receivers);
    return KERR_OK;
}

kerr_t kchan_send(kchan_t *c, task_t *t, const void *msg)
{
    kerr_t e = kchan_try_send(c, msg);
    if (e != KERR_FULL)
        return e;
    return task_park(t, &c->senders);
}

kerr_t kchan_try_recv(kchan_t *c, void *out)
{
    if (c->tail == c->head)
        return c->closed ? KERR_CLOSED : KERR_EMPTY;
    kmem_copy(out, c->buf + (size_t)(c->head & c->mask) * c->elem, c->elem);
    c->head++;
    if (!kwaitq_empty(&c->senders))
        kwaitq_wake_one(&c->senders);
    return KERR_OK;
}

kerr_t kchan_recv(kchan_t *c, task_t *t, void *out)
{
    kerr_t e = kchan_try_recv(c, out);
    if (e != KERR_EMPTY)
        return e;
    return task_park(t, &c->receivers);
}

void kchan_close(kchan_t *c)
{
    c->closed = true;
    kwaitq_wake_all(&c->senders);
    kwaitq_wake_all(&c->receivers);
}
