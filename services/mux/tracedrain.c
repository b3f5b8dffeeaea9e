/* tracedrain -- port 3 carries the kernel trace ring as text lines (see daemons.h). */
#include "daemons.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "sermux.h"

#define TRACEDRAIN_PRIO 1
#define LINE_MAX 160

static struct {
    task_t task;
    port_t *port;
    kerr_t err;
    uint32_t len;
    uint64_t next;
    trace_event_t ev;
    char line[LINE_MAX];
} td;

static task_status_t tracedrain_poll(task_t *t)
{
    bbq_grant_t g;
    PT_BEGIN(t);
    for (;;) {
        if (!trace_pop(&td.ev)) {
            td.next = plat_now() + TRACEDRAIN_PERIOD_MS * 1000000ull;
            PT_SLEEP_UNTIL(t, td.next);
            continue;
        }
        td.len = (uint32_t)trace_format(&td.ev, td.line, LINE_MAX - 1);
        td.line[td.len++] = '\n';
        PT_WAIT_OP(t, td.err, bbq_grant_wait(&td.port->tx, t, td.len, &g));
        if (td.err != KERR_OK)
            PT_EXIT(t, (int32_t)td.err);
        kmem_copy(g.ptr, td.line, td.len);
        bbq_commit(&td.port->tx, td.len);
    }
    PT_END(t);
}

kerr_t tracedrain_start(void)
{
    kmem_set(&td, 0, sizeof td);
    kerr_t e = sermux_open(SERMUX_PORT_TRACE, 0, &td.port);
    if (e == KERR_OK)
        e = task_spawn(&td.task, tracedrain_poll, TRACEDRAIN_PRIO);
    return e;
}
