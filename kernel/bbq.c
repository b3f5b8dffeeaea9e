/*
 * bbq -- the bbqueue algorithm: write/read/last/reserve indices.
 *
 * write: end of committed data; read: start of unread data; last: end of
 * valid data when the ring is inverted (write < read); reserve: end of the
 * current grant.  write == read means empty, and write never catches up with
 * read while inverted, so the two cases stay distinguishable.
 */
#include "bbq.h"
#include "platform.h"

#define LD(x)     __atomic_load_n(&(x), __ATOMIC_ACQUIRE)
#define ST(x, v)  __atomic_store_n(&(x), (v), __ATOMIC_RELEASE)
#define XCHG(x, v) __atomic_exchange_n(&(x), (v), __ATOMIC_ACQ_REL)

kerr_t bbq_init(bbq_t *q, void *buf, uint32_t cap)
{
    if (!buf || cap < 2)
        return KERR_INVAL;
    q->buf = buf;
    q->cap = cap;
    q->write = q->read = q->last = q->reserve = 0;
    q->wgrant = q->rgrant = 0;
    q->writing = q->reading = 0;
    q->mp_locked = 0;
    kwaitq_init(&q->producers);
    kwaitq_init(&q->consumers);
    return KERR_OK;
}

kerr_t bbq_grant(bbq_t *q, uint32_t len, bbq_grant_t *g)
{
    if (len == 0 || len > q->cap)
        return len == 0 ? KERR_INVAL : KERR_TOO_BIG;
    if (XCHG(q->writing, 1))
        return KERR_BUSY;
    uint32_t w = LD(q->write), r = LD(q->read), start;
    if (w < r) {
        if (w + len >= r)
            goto full;
        start = w;
    } else if (w + len <= q->cap) {
        start = w;
    } else if (len < r) {
        start = 0;
    } else {
        goto full;
    }
    ST(q->reserve, start + len);
    q->wgrant = len;
    g->ptr = q->buf + start;
    g->len = len;
    return KERR_OK;
full:
    ST(q->writing, 0);
    return KERR_FULL;
}

kerr_t bbq_grant_max(bbq_t *q, uint32_t max, bbq_grant_t *g)
{
    if (max == 0)
        return KERR_INVAL;
    if (XCHG(q->writing, 1))
        return KERR_BUSY;
    uint32_t w = LD(q->write), r = LD(q->read), start, n;
    if (w < r) {
        n = r - w - 1;
        start = w;
    } else if (w != q->cap) {
        n = q->cap - w;
        start = w;
    } else {
        n = r > 1 ? r - 1 : 0;
        start = 0;
    }
    if (n == 0) {
        ST(q->writing, 0);
        return KERR_FULL;
    }
    if (n > max)
        n = max;
    ST(q->reserve, start + n);
    q->wgrant = n;
    g->ptr = q->buf + start;
    g->len = n;
    return KERR_OK;
}

static void commit(bbq_t *q, uint32_t used)
{
    if (!LD(q->writing))
        return;
    if (used > q->wgrant)
        used = q->wgrant;
    uint32_t w = LD(q->write);
    uint32_t nw = LD(q->reserve) - (q->wgrant - used);
    ST(q->reserve, nw);
    uint32_t last = LD(q->last);
    if (nw < w && w != q->cap)
        ST(q->last, w);            /* wrapped: valid data ends at the old write */
    else if (nw > last)
        ST(q->last, q->cap);
    ST(q->write, nw);
    q->wgrant = 0;
    ST(q->writing, 0);
}

void bbq_commit(bbq_t *q, uint32_t used)
{
    commit(q, used);
    if (!kwaitq_empty(&q->consumers))
        kwaitq_wake_all(&q->consumers);
}

void bbq_commit_isr(bbq_t *q, uint32_t used, task_t *consumer)
{
    commit(q, used);
    if (consumer)
        task_wake_isr(consumer);
}

kerr_t bbq_read(bbq_t *q, bbq_grant_t *g)
{
    if (XCHG(q->reading, 1))
        return KERR_BUSY;
    uint32_t w = LD(q->write), last = LD(q->last), r = LD(q->read);
    if (r == last && w < r) {
        r = 0;
        ST(q->read, 0);
    }
    uint32_t n = (w < r ? last : w) - r;
    if (n == 0) {
        ST(q->reading, 0);
        return KERR_EMPTY;
    }
    q->rgrant = n;
    g->ptr = q->buf + r;
    g->len = n;
    return KERR_OK;
}

void bbq_release(bbq_t *q, uint32_t used)
{
    if (!LD(q->reading))
        return;
    if (used > q->rgrant)
        used = q->rgrant;
    __atomic_fetch_add(&q->read, used, __ATOMIC_RELEASE);
    q->rgrant = 0;
    ST(q->reading, 0);
    if (!kwaitq_empty(&q->producers))
        kwaitq_wake_all(&q->producers);
}

kerr_t bbq_grant_wait(bbq_t *q, task_t *t, uint32_t len, bbq_grant_t *g)
{
    kerr_t e = bbq_grant(q, len, g);
    return e == KERR_FULL ? task_park(t, &q->producers) : e;
}

kerr_t bbq_read_wait(bbq_t *q, task_t *t, bbq_grant_t *g)
{
    kerr_t e = bbq_read(q, g);
    return e == KERR_EMPTY ? task_park(t, &q->consumers) : e;
}

kerr_t bbq_mp_grant(bbq_t *q, task_t *t, uint32_t len, bbq_grant_t *g)
{
    if (len > q->cap)
        return KERR_TOO_BIG;
    plat_irqstate_t s = plat_crit_enter();
    bool mine = !q->mp_locked;
    if (mine)
        q->mp_locked = 1;
    plat_crit_leave(s);
    if (!mine)
        return t ? task_park(t, &q->producers) : KERR_BUSY;
    kerr_t e = bbq_grant(q, len, g);
    if (e == KERR_OK)
        return e;
    q->mp_locked = 0;
    return (e == KERR_FULL && t) ? task_park(t, &q->producers) : e;
}

void bbq_mp_commit(bbq_t *q, uint32_t used)
{
    commit(q, used);
    q->mp_locked = 0;
    if (!kwaitq_empty(&q->consumers))
        kwaitq_wake_all(&q->consumers);
    if (!kwaitq_empty(&q->producers))
        kwaitq_wake_all(&q->producers);
}

uint32_t bbq_used(const bbq_t *q)
{
    uint32_t w = LD(q->write), r = LD(q->read), last = LD(q->last);
    return w >= r ? w - r : (last - r) + w;
}

uint32_t bbq_room(const bbq_t *q)
{
    uint32_t w = LD(q->write), r = LD(q->read);
    if (w < r)
        return r - w - 1;                 /* inverted: up to one short of read */
    return (q->cap - w) + (r > 1 ? r - 1 : 0);   /* the tail, then the head */
}
