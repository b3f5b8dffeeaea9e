/* loopback -- port 0 echoes every byte back (see daemons.h). */
#include "daemons.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "sermux.h"

#define LOOPBACK_PRIO 3

static struct {
    task_t task;
    port_t *port;
    kerr_t err;
    bbq_grant_t in, out;
} lb;

/* Room for 1..max bytes in q, or park t until the consumer releases some. */
static kerr_t grant_some(bbq_t *q, task_t *t, uint32_t max, bbq_grant_t *g)
{
    kerr_t e = bbq_grant_max(q, max, g);
    return e == KERR_FULL ? task_park(t, &q->producers) : e;
}

static task_status_t loopback_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, lb.err, bbq_read_wait(&lb.port->rx, t, &lb.in));
        if (lb.err != KERR_OK)
            PT_EXIT(t, (int32_t)lb.err);
        PT_WAIT_OP(t, lb.err, grant_some(&lb.port->tx, t, lb.in.len, &lb.out));
        if (lb.err != KERR_OK)
            PT_EXIT(t, (int32_t)lb.err);
        kmem_copy(lb.out.ptr, lb.in.ptr, lb.out.len);
        bbq_commit(&lb.port->tx, lb.out.len);
        bbq_release(&lb.port->rx, lb.out.len);
        PT_YIELD(t);
    }
    PT_END(t);
}

kerr_t loopback_start(void)
{
    kmem_set(&lb, 0, sizeof lb);
    kerr_t e = sermux_open(SERMUX_PORT_LOOPBACK, LOOPBACK_CAP, &lb.port);
    if (e == KERR_OK)
        e = task_spawn(&lb.task, loopback_poll, LOOPBACK_PRIO);
    return e;
}
