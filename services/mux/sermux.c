/*
 * sermux -- the mux (see sermux.h).
 *
 * Tasks, all at MUX_PRIO:
 *   reader   reads line->rx, gathers the bytes of a frame up to its 0x00,
 *            decodes it and commits the payload into the port's rx ring
 *            whole, or drops and counts it.  It never waits for a port, so
 *            one slow port user cannot stall the others.
 *   writer   one per open port: waits until the port's tx holds data and the
 *            line's tx has room for a whole frame, then sends up to
 *            SERMUX_MTU bytes as one frame and yields.  The line's tx is an
 *            MPSC ring (bbq_mp_grant), so writers with data take turns in
 *            run-queue order: round-robin, and a port user needs nothing but
 *            bbq_commit() on its tx to wake its writer.  Outgoing data is
 *            never dropped: a writer waits for the line.
 *   server   answers registry requests (SERMUX_OP_OPEN, SERMUX_OP_STATS).
 *
 * State is static (one mux per system); sermux_start() resets it, which is
 * what a fresh kernel_init() needs.
 */
#include "sermux.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "common/uuid.h"

#define MUX_PRIO 4
#define ENC_MAX (SERMUX_FRAME_MAX - 1)   /* COBS bytes of the largest frame */
#define DEC_MAX (2 + SERMUX_MTU)
#define CAP_MAX (1u << 24)
#define INBOX 8

_Static_assert(sizeof(sermux_stats_t) <= REG_INLINE_MAX, "stats reply inline");

typedef struct mport {
    port_t port;                 /* what users see; rings follow the struct */
    task_t writer;
    kerr_t err;
    bbq_grant_t lg;              /* the line grant for the next frame */
} mport_t;

static struct mux {
    port_t *line;
    task_t reader, server;
    kerr_t rerr, serr;
    bbq_grant_t rg;
    uint32_t acc_len;
    bool overflow;               /* frame too long: skip to the next 0x00 */
    uint8_t acc[ENC_MAX];
    uint8_t dec[DEC_MAX];
    uint8_t stage[DEC_MAX];      /* writers: used within one poll only */
    reg_service_t svc;
    reg_msg_t inbox[INBOX];
    reg_msg_t req;
    mport_t *ports[SERMUX_MAX_PORTS];
    sermux_stats_t st;
} mux;

static bool started(void)
{
    reg_uuid_t u;
    uint16_t idx;
    return mux.line && uuid_parse(SERMUX_UUID_STR, &u) == 0 &&
           reg_lookup(&u, &idx) == KERR_OK && reg_service_at(idx) == &mux.svc;
}

static mport_t *find(uint16_t num)
{
    for (unsigned i = 0; i < SERMUX_MAX_PORTS; i++)
        if (mux.ports[i] && mux.ports[i]->port.num == num)
            return mux.ports[i];
    return NULL;
}

/* ---- line -> ports --------------------------------------------------------- */

/* One frame ended (its 0x00 seen): decode and deliver or count. */
static void deliver(void)
{
    if (mux.overflow) {
        mux.st.malformed++;
        return;
    }
    if (mux.acc_len == 0)
        return;                  /* an idle or resync delimiter: nothing */
    long n = cobs_decode(mux.acc, mux.acc_len, mux.dec, sizeof mux.dec);
    if (n < 2) {
        mux.st.malformed++;
        return;
    }
    mport_t *m = find((uint16_t)(mux.dec[0] | mux.dec[1] << 8));
    if (!m) {
        mux.st.unknown_port++;
        return;
    }
    uint32_t len = (uint32_t)n - 2;
    if (len) {
        bbq_grant_t g;
        if (bbq_grant(&m->port.rx, len, &g) != KERR_OK) {
            mux.st.rx_full++;
            m->port.dropped++;
            return;
        }
        kmem_copy(g.ptr, mux.dec + 2, len);
        bbq_commit(&m->port.rx, len);
    }
    mux.st.frames_in++;
}

static void scan(const uint8_t *p, uint32_t n)
{
    uint32_t i = 0;
    while (i < n) {
        uint32_t j = i;
        while (j < n && p[j])
            j++;
        uint32_t span = j - i;
        if (!mux.overflow) {
            if (mux.acc_len + span > ENC_MAX) {
                mux.overflow = true;
            } else {
                kmem_copy(mux.acc + mux.acc_len, p + i, span);
                mux.acc_len += span;
            }
        }
        if (j < n) {
            deliver();
            mux.acc_len = 0;
            mux.overflow = false;
            j++;
        }
        i = j;
    }
}

static task_status_t reader_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, mux.rerr, bbq_read_wait(&mux.line->rx, t, &mux.rg));
        if (mux.rerr != KERR_OK)
            PT_EXIT(t, (int32_t)mux.rerr);
        scan(mux.rg.ptr, mux.rg.len);
        mux.st.bytes_in += mux.rg.len;
        bbq_release(&mux.line->rx, mux.rg.len);
        PT_YIELD(t);
    }
    PT_END(t);
}

/* ---- ports -> line ---------------------------------------------------------- */

static kerr_t wait_data(bbq_t *q, task_t *t)
{
    return bbq_used(q) ? KERR_OK : task_park(t, &q->consumers);
}

/* Send what tx holds (up to the MTU) into the line grant m->lg. */
static void send_frame(mport_t *m)
{
    bbq_grant_t g;
    bbq_t *line_tx = &mux.line->tx;
    if (bbq_read(&m->port.tx, &g) != KERR_OK) {
        bbq_mp_commit(line_tx, 0);
        return;
    }
    uint32_t n = g.len < SERMUX_MTU ? g.len : SERMUX_MTU;
    mux.stage[0] = (uint8_t)(m->port.num & 0xff);
    mux.stage[1] = (uint8_t)(m->port.num >> 8);
    kmem_copy(mux.stage + 2, g.ptr, n);
    bbq_release(&m->port.tx, n);
    size_t e = cobs_encode(mux.stage, n + 2, m->lg.ptr);
    m->lg.ptr[e++] = 0;
    bbq_mp_commit(line_tx, (uint32_t)e);
    mux.st.frames_out++;
    mux.st.bytes_out += (uint32_t)e;
}

static task_status_t writer_poll(task_t *t)
{
    mport_t *m = kcontainer_of(t, mport_t, writer);
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, m->err, wait_data(&m->port.tx, t));
        if (m->err != KERR_OK)
            PT_EXIT(t, (int32_t)m->err);
        PT_WAIT_OP(t, m->err, bbq_mp_grant(&mux.line->tx, t, SERMUX_FRAME_MAX, &m->lg));
        if (m->err != KERR_OK)
            PT_EXIT(t, (int32_t)m->err);     /* line ring smaller than a frame */
        send_frame(m);
        PT_YIELD(t);
    }
    PT_END(t);
}

kerr_t sermux_open(uint16_t num, uint32_t cap, port_t **out)
{
    if (!out || !started())
        return KERR_INVAL;
    mport_t *m = find(num);
    if (m) {
        *out = &m->port;
        return KERR_OK;
    }
    if (cap == 0)
        cap = SERMUX_DEFAULT_CAP;
    if (cap < 2 || cap > CAP_MAX)
        return KERR_INVAL;
    unsigned slot = 0;
    while (slot < SERMUX_MAX_PORTS && mux.ports[slot])
        slot++;
    if (slot == SERMUX_MAX_PORTS)
        return KERR_REG_FULL;
    m = kalloc(sizeof *m + 2 * (size_t)cap);
    if (!m)
        return KERR_NOMEM;
    kmem_set(m, 0, sizeof *m);
    uint8_t *rings = (uint8_t *)(m + 1);
    m->port.num = num;
    bbq_init(&m->port.rx, rings, cap);
    bbq_init(&m->port.tx, rings + cap, cap);
    kerr_t e = task_spawn(&m->writer, writer_poll, MUX_PRIO);
    if (e != KERR_OK) {
        kfree(m);
        return e;
    }
    mux.ports[slot] = m;
    *out = &m->port;
    return KERR_OK;
}

void sermux_close(port_t *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < SERMUX_MAX_PORTS; i++) {
        mport_t *m = mux.ports[i];
        if (!m || &m->port != p)
            continue;
        mux.ports[i] = NULL;
        if (m->writer.flags & TASK_F_LIVE)
            task_cancel(&m->writer);
        /* nobody may stay linked into memory we free */
        kwaitq_wake_all(&p->rx.consumers);
        kwaitq_wake_all(&p->rx.producers);
        kwaitq_wake_all(&p->tx.consumers);
        kwaitq_wake_all(&p->tx.producers);
        kfree(m);
        return;
    }
}

void sermux_stats(sermux_stats_t *out)
{
    *out = mux.st;
}

/* ---- registry service ------------------------------------------------------------ */

static void answer(reg_msg_t *m)
{
    if (m->opcode == SERMUX_OP_STATS) {
        reg_reply_bytes(m, 0, &mux.st, sizeof mux.st);
        return;
    }
    if (m->opcode != SERMUX_OP_OPEN || (m->flags & REG_MSG_EXT) || m->len < 2) {
        reg_reply_bytes(m, KERR_INVAL, NULL, 0);
        return;
    }
    const uint8_t *b = m->data.bytes;
    uint16_t num = (uint16_t)(b[0] | b[1] << 8);
    uint32_t cap = 0;
    if (m->len >= 6)
        cap = (uint32_t)b[2] | (uint32_t)b[3] << 8 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 24;
    port_t *p;
    kerr_t e = sermux_open(num, cap, &p);
    if (e != KERR_OK) {
        reg_reply_bytes(m, (int32_t)e, NULL, 0);
        return;
    }
    m->status = 0;
    m->flags = REG_MSG_EXT;
    m->len = sizeof(port_t);
    m->data.ext.ptr = p;
    reg_reply(m);
}

static task_status_t server_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, mux.serr, reg_serve(&mux.svc, t, &mux.req));
        if (mux.serr != KERR_OK)
            break;               /* inbox closed: unregistered */
        answer(&mux.req);
    }
    PT_END(t);
}

kerr_t sermux_start(port_t *line)
{
    reg_uuid_t u;
    uint16_t idx;
    if (!line || !line->rx.buf || !line->tx.buf || uuid_parse(SERMUX_UUID_STR, &u))
        return KERR_INVAL;
    if (reg_lookup(&u, &idx) == KERR_OK)
        return KERR_DUPLICATE;
    kmem_set(&mux, 0, sizeof mux);
    mux.line = line;
    kerr_t e = reg_service_init(&mux.svc, &u, SERMUX_IFACE, "sermux", mux.inbox, INBOX);
    if (e == KERR_OK)
        e = reg_register(&mux.svc);
    if (e == KERR_OK)
        e = task_spawn(&mux.server, server_poll, MUX_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&mux.reader, reader_poll, MUX_PRIO);
    if (e != KERR_OK) {
        if (mux.svc.live)
            reg_unregister(&mux.svc);
        mux.line = NULL;
    }
    return e;
}
