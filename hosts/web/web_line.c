/*
 * web_line -- the page's byte lines (see web.h): WEB_LINE_CONSOLE, the
 * console shell's port, and WEB_LINE_MUX, the sermux line whose far end is
 * the page's tabs.  Each is a port_t with two rings; the page writes rx
 * through clio_line_in() the way an interrupt handler would (commit, then
 * task_wake_isr of a bottom half that wakes the readers), and a driver task
 * hands everything written to tx to the page's line_out import.  The
 * input buffer (clio_inbuf) is here too: the page writes into it what it
 * hands to clio_line_in() or clio_seed().
 */
#include "kstring.h"
#include "pt.h"
#include "web.h"

#define DRIVER_PRIO 5
#define LINE_CAP (16u * 1024)     /* each ring; a sermux line needs >= SERMUX_FRAME_MAX */

typedef struct web_line {
    port_t port;
    uint8_t rx[LINE_CAP], tx[LINE_CAP];
    task_t bh, txd;
    bbq_grant_t g;
    uint32_t id;
    bool open;
} web_line_t;

static web_line_t lines[WEB_LINES];
static uint8_t inbuf[WEB_INBUF];

WEB_EXPORT("clio_line_in") uint32_t clio_line_in(uint32_t id, uint32_t n);
WEB_EXPORT("clio_inbuf") uint8_t *clio_inbuf(void);

uint8_t *clio_inbuf(void)
{
    return inbuf;
}

const uint8_t *web_inbuf(uint32_t n)
{
    return n <= sizeof inbuf ? inbuf : NULL;
}

static task_status_t bh_poll(task_t *t)
{
    web_line_t *l = kcontainer_of(t, web_line_t, bh);
    if (!kwaitq_empty(&l->port.rx.consumers))
        kwaitq_wake_all(&l->port.rx.consumers);
    return TASK_PENDING;
}

static task_status_t txd_poll(task_t *t)
{
    web_line_t *l = kcontainer_of(t, web_line_t, txd);
    kerr_t e;
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, (e = bbq_read_wait(&l->port.tx, t, &l->g)) != KERR_PENDING);
        if (e != KERR_OK)
            PT_EXIT(t, (int32_t)e);
        web_line_out(l->id, l->g.ptr, l->g.len);
        bbq_release(&l->port.tx, l->g.len);
    }
    PT_END(t);
}

kerr_t web_line_open(uint32_t id, uint16_t num, port_t **out)
{
    if (id >= WEB_LINES || lines[id].open)
        return KERR_INVAL;
    web_line_t *l = &lines[id];
    kmem_set(&l->port, 0, sizeof l->port);
    kmem_set(&l->bh, 0, sizeof l->bh);
    kmem_set(&l->txd, 0, sizeof l->txd);
    l->id = id;
    l->port.num = num;
    bbq_init(&l->port.rx, l->rx, sizeof l->rx);
    bbq_init(&l->port.tx, l->tx, sizeof l->tx);
    kerr_t e = task_spawn(&l->bh, bh_poll, DRIVER_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&l->txd, txd_poll, DRIVER_PRIO);
    if (e != KERR_OK)
        return e;
    l->open = true;
    *out = &l->port;
    return KERR_OK;
}

uint32_t clio_line_in(uint32_t id, uint32_t n)
{
    uint32_t done = 0;
    const uint8_t *in = web_inbuf(n);
    if (id >= WEB_LINES || !lines[id].open || !in)
        return 0;
    web_line_t *l = &lines[id];
    while (done < n) {
        bbq_grant_t g;
        if (bbq_grant_max(&l->port.rx, n - done, &g) != KERR_OK)
            break;
        kmem_copy(g.ptr, in + done, g.len);
        bbq_commit_isr(&l->port.rx, g.len, &l->bh);
        done += g.len;
    }
    return done;
}
