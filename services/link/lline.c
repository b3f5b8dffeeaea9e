/*
 * lline -- an outbound link's framing over a raw serial line (see lnet.h).
 *
 * The far end is a peer's sermux, so this end speaks its frame format for
 * one port: the link's stream goes out as frames of port LINK_PORT (COBS,
 * at most SERMUX_MTU payload bytes each, then 0x00), and of the frames that
 * come in only port LINK_PORT's payloads go into the stream; other ports'
 * frames and malformed ones are dropped and counted.  When the line has a
 * new peer (port_t.resync on the line) a half-received frame is dropped and
 * the stream's own resync tells the link.  Back-pressure both ways: a
 * frame waits for room in the stream, the stream waits for room in the
 * line.  Two kernel tasks; rings from the kernel heap (2 x LINK_RING).
 */
#include "lnet.h"
#include "kstring.h"
#include "mux/sermux.h"

#define LLINE_PRIO 3

typedef struct lline {
    port_t *line;
    port_t stream;
    task_t in_task, out_task;
    uint8_t frame[SERMUX_FRAME_MAX];
    uint32_t flen;
    bool overflow;
    uint8_t dec[2 + SERMUX_MTU];
    long pending;                      /* decoded bytes of dec waiting for room (-1: none) */
    uint8_t enc[SERMUX_FRAME_MAX];
    uint32_t malformed, other_ports;
} lline_t;

static lline_t *llines[LINK_MAX];

static task_status_t in_poll(task_t *t)
{
    lline_t *x = kcontainer_of(t, lline_t, in_task);
    bbq_grant_t g, room;
    for (;;) {
        if (x->pending >= 0) {           /* a port-5 payload waits for room */
            uint32_t n = (uint32_t)x->pending - 2;
            if (n) {
                if (bbq_grant(&x->stream.rx, n, &room) != KERR_OK) {
                    task_park(t, &x->stream.rx.producers);
                    return TASK_PENDING;
                }
                kmem_copy(room.ptr, x->dec + 2, n);
                bbq_commit(&x->stream.rx, n);
            }
            x->pending = -1;
        }
        if (x->line->resync) {           /* a new peer: its bytes start clean */
            x->line->resync = 0;
            x->flen = 0;
            x->overflow = false;
            x->stream.resync = 1;
            kwaitq_wake_all(&x->stream.rx.consumers);   /* the link's receiver */
        }
        kerr_t e = bbq_read_wait(&x->line->rx, t, &g);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return task_exit(t, (int32_t)e);
        uint32_t used = 0;
        while (used < g.len && x->pending < 0) {
            uint8_t b = g.ptr[used++];
            if (b != 0) {
                if (x->flen < sizeof x->frame)
                    x->frame[x->flen++] = b;
                else
                    x->overflow = true;
                continue;
            }
            long n = x->overflow ? -1 : cobs_decode(x->frame, x->flen, x->dec, sizeof x->dec);
            bool empty = x->flen == 0 && !x->overflow;
            x->flen = 0;
            x->overflow = false;
            if (empty)
                continue;                /* a lone 0x00: a line's idle byte */
            if (n < 2) {
                x->malformed++;
                continue;
            }
            if ((x->dec[0] | x->dec[1] << 8) != LINK_PORT) {
                x->other_ports++;
                continue;
            }
            x->pending = n;
        }
        bbq_release(&x->line->rx, used);
    }
}

static task_status_t out_poll(task_t *t)
{
    lline_t *x = kcontainer_of(t, lline_t, out_task);
    bbq_grant_t g, room;
    for (;;) {
        kerr_t e = bbq_read_wait(&x->stream.tx, t, &g);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return task_exit(t, (int32_t)e);
        uint32_t n = g.len > SERMUX_MTU ? SERMUX_MTU : g.len;
        x->dec[0] = (uint8_t)LINK_PORT;
        x->dec[1] = (uint8_t)(LINK_PORT >> 8);
        kmem_copy(x->dec + 2, g.ptr, n);
        size_t k = cobs_encode(x->dec, 2 + n, x->enc);
        x->enc[k++] = 0;
        if (bbq_grant(&x->line->tx, (uint32_t)k, &room) != KERR_OK) {
            task_park(t, &x->line->tx.producers);
            return TASK_PENDING;
        }
        kmem_copy(room.ptr, x->enc, k);
        bbq_commit(&x->line->tx, (uint32_t)k);
        bbq_release(&x->stream.tx, n);
    }
}

void lline_forget(void)
{
    for (unsigned i = 0; i < LINK_MAX; i++)
        llines[i] = NULL;                /* (the heap went with the kernel's re-init) */
}

kerr_t lline_start(port_t *line, port_t **stream)
{
    unsigned i = 0;
    while (i < LINK_MAX && llines[i] && llines[i]->line != line)
        i++;
    if (i == LINK_MAX || !line)
        return KERR_REG_FULL;
    lline_t *x = kalloc_zero(sizeof *x);
    uint8_t *rings = kalloc(2 * LINK_RING);
    if (!x || !rings) {
        kfree(x);
        kfree(rings);
        return KERR_NOMEM;
    }
    x->line = line;
    x->pending = -1;
    x->stream.num = LINK_PORT;
    bbq_init(&x->stream.rx, rings, LINK_RING);
    bbq_init(&x->stream.tx, rings + LINK_RING, LINK_RING);
    kerr_t e = task_spawn(&x->in_task, in_poll, LLINE_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&x->out_task, out_poll, LLINE_PRIO);
    if (e != KERR_OK)
        return e;
    llines[i] = x;
    *stream = &x->stream;
    return KERR_OK;
}
