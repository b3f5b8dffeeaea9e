/* reply -- one-shot reply slot with request-id matching. */
#include "reply.h"
#include "kstring.h"

void kreply_init(kreply_t *r, void *buf, uint32_t cap)
{
    r->buf = buf;
    r->cap = buf ? cap : 0;
    r->len = 0;
    r->id = 0;
    r->status = 0;
    r->state = KREPLY_IDLE;
    kwaitq_init(&r->waiter);
}

kerr_t kreply_arm(kreply_t *r, uint32_t id)
{
    if (r->state != KREPLY_IDLE)
        return KERR_BUSY;
    r->id = id;
    r->len = 0;
    r->state = KREPLY_ARMED;
    return KERR_OK;
}

kerr_t kreply_fill(kreply_t *r, uint32_t id, int32_t status, const void *data, uint32_t len)
{
    if (r->state != KREPLY_ARMED || r->id != id)
        return KERR_GONE;
    if (len > r->cap)
        return KERR_TOO_BIG;
    if (len)
        kmem_copy_msg(r->buf, data, len);
    r->len = len;
    r->status = status;
    r->state = KREPLY_FULL;
    kwaitq_wake_one(&r->waiter);       /* one requester per slot */
    return KERR_OK;
}

kerr_t kreply_wait(kreply_t *r, task_t *t, int32_t *status, uint32_t *len)
{
    if (r->state == KREPLY_FULL) {
        r->state = KREPLY_IDLE;
        if (status)
            *status = r->status;
        if (len)
            *len = r->len;
        return KERR_OK;
    }
    if (r->state != KREPLY_ARMED)
        return KERR_INVAL;
    return task_park(t, &r->waiter);
}

void kreply_cancel(kreply_t *r)
{
    r->state = KREPLY_IDLE;
    while (!kwaitq_empty(&r->waiter))
        task_unpark(kcontainer_of(r->waiter.waiters.next, task_t, wait_link));
}
