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
 *   server   answers registry requests, by value (see sermux.h).
 *
 * State is static (one mux per system); sermux_start() resets it, which is
 * what a fresh kernel_init() needs.
 */
#include "sermux.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "common/cerr.h"
#include "common/uuid.h"

#define MUX_PRIO 4
#define ENC_MAX (SERMUX_FRAME_MAX - 1)   /* COBS bytes of the largest frame */
#define DEC_MAX (2 + SERMUX_MTU)
#define CAP_MAX (1u << 24)
#define INBOX 8


typedef struct mport {
    port_t port;                 /* what users see; rings follow the struct */
    task_t writer;
    kerr_t err;
    bbq_grant_t lg;              /* the line grant for the next frame */
    unsigned refs;               /* sermux_open()s not yet closed */
    bool closing;                /* closed, its last output still going out */
    uint16_t client;             /* owner through the registry (0: none) */
    uint16_t payer;              /* the client whose account acct is (0: none) */
    kacct_t *acct;               /* who paid for it (NULL: the kernel); a
                                    client's, in its task's record, only while
                                    that client is connected (to_kernel) */
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
        if (mux.ports[i] && mux.ports[i]->port.num == num && !mux.ports[i]->closing)
            return mux.ports[i];
    return NULL;
}

/* ---- line -> ports --------------------------------------------------------- */

static void malformed(void)
{
    if (trace_nth(++mux.st.malformed))
        trace_emit(TRACE_WARN, TRACE_MOD_MUX, TRACE_EV_MUX_MALFORMED, (int32_t)mux.st.malformed, 0, NULL);
}

/* One frame ended (its 0x00 seen): decode and deliver or count. */
static void deliver(void)
{
    if (mux.overflow) {
        malformed();
        return;
    }
    if (mux.acc_len == 0)
        return;                  /* an idle or resync delimiter: nothing */
    long n = cobs_decode(mux.acc, mux.acc_len, mux.dec, sizeof mux.dec);
    if (n < 2) {
        malformed();
        return;
    }
    uint16_t num = (uint16_t)(mux.dec[0] | mux.dec[1] << 8);
    mport_t *m = find(num);
    if (!m) {
        if (trace_nth(++mux.st.unknown_port))
            trace_emit(TRACE_WARN, TRACE_MOD_MUX, TRACE_EV_MUX_UNKNOWN, (int32_t)mux.st.unknown_port, num, NULL);
        return;
    }
    uint32_t len = (uint32_t)n - 2, breaks = 0;
    if (m->port.on_break) {              /* break bytes go to the port's user */
        uint32_t k = 0;
        for (uint32_t i = 0; i < len; i++) {
            if (mux.dec[2 + i] == PORT_BREAK)
                breaks++;
            else
                mux.dec[2 + k++] = mux.dec[2 + i];
        }
        len = k;
    }
    bool lost = false;
    if (len) {
        bbq_grant_t g;
        if (bbq_grant(&m->port.rx, len, &g) != KERR_OK) {
            if (trace_nth(++mux.st.rx_full))
                trace_emit(TRACE_WARN, TRACE_MOD_MUX, TRACE_EV_MUX_RX_FULL, (int32_t)mux.st.rx_full, num, NULL);
            m->port.dropped++;
            lost = true;                 /* the data, not the break */
        } else {
            kmem_copy(g.ptr, mux.dec + 2, len);
            bbq_commit(&m->port.rx, len);
        }
    }
    while (breaks--)
        m->port.on_break(&m->port);
    if (!lost)
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
        if (mux.line->resync) {      /* a new peer: no frame spans two */
            mux.line->resync = 0;
            if (mux.acc_len || mux.overflow)
                malformed();
            mux.acc_len = 0;
            mux.overflow = false;
        }
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
        if (m->closing && !bbq_used(&m->port.tx))
            PT_EXIT(t, 0);                   /* the last output went: on_exit frees */
        PT_YIELD(t);
    }
    PT_END(t);
}

/* Take m out of the table and free it; nobody may stay linked into it. */
static void destroy(mport_t *m)
{
    for (unsigned i = 0; i < SERMUX_MAX_PORTS; i++)
        if (mux.ports[i] == m)
            mux.ports[i] = NULL;
    port_t *p = &m->port;
    if (m->writer.flags & TASK_F_LIVE) {
        m->writer.on_exit = NULL;
        task_cancel(&m->writer);
    }
    kwaitq_wake_all(&p->rx.consumers);
    kwaitq_wake_all(&p->rx.producers);
    kwaitq_wake_all(&p->tx.consumers);
    kwaitq_wake_all(&p->tx.producers);
    kacct_free(m->acct, m);
}

/* The kernel takes over m's charge (kacct_disown): m stays after the client
 * that paid for it has let go of it -- to send its last output, or for a
 * kernel user sharing it -- and that client's account lives in its task's
 * record, which is freed once the task ends.  Bounded: such a port keeps
 * its slot in the table, so the kernel comes to hold at most
 * SERMUX_MAX_PORTS of them, each a client's (sizeof(mport_t) +
 * 2 * SERMUX_CLIENT_CAP bytes, about 8.5 KiB); and a client hands over only
 * a port still sending when it goes (never one it closed while it lives),
 * so its quota still bounds the ports it keeps. */
static void to_kernel(mport_t *m)
{
    kacct_disown(m->acct, m);
    m->acct = NULL;
    m->payer = 0;
}

static void writer_exit(task_t *t)
{
    mport_t *m = kcontainer_of(t, mport_t, writer);
    if (m->closing)
        destroy(m);
}

/* A new port for acct (NULL: the kernel); the caller checked it is not open. */
static kerr_t open_new(uint16_t num, uint32_t cap, kacct_t *acct, mport_t **out)
{
    if (cap == 0)
        cap = SERMUX_DEFAULT_CAP;
    if (cap < 2 || cap > CAP_MAX)
        return KERR_INVAL;
    unsigned slot = 0;
    while (slot < SERMUX_MAX_PORTS && mux.ports[slot])
        slot++;
    if (slot == SERMUX_MAX_PORTS)
        return KERR_REG_FULL;
    mport_t *m = kacct_alloc(acct, sizeof *m + 2 * (size_t)cap);
    if (!m)
        return KERR_NOMEM;
    kmem_set(m, 0, sizeof *m);
    m->acct = acct;
    m->refs = 1;
    uint8_t *rings = (uint8_t *)(m + 1);
    m->port.num = num;
    bbq_init(&m->port.rx, rings, cap);
    bbq_init(&m->port.tx, rings + cap, cap);
    m->writer.on_exit = writer_exit;
    kerr_t e = task_spawn(&m->writer, writer_poll, MUX_PRIO);
    if (e != KERR_OK) {
        kacct_free(acct, m);
        return e;
    }
    mux.ports[slot] = m;
    trace_emit(TRACE_DEBUG, TRACE_MOD_MUX, TRACE_EV_MUX_OPEN, num, (int32_t)cap, NULL);
    *out = m;
    return KERR_OK;
}

kerr_t sermux_open(uint16_t num, uint32_t cap, port_t **out)
{
    if (!out || !started())
        return KERR_INVAL;
    mport_t *m = find(num);
    if (m) {
        m->refs++;
        *out = &m->port;
        return KERR_OK;
    }
    kerr_t e = open_new(num, cap, NULL, &m);
    if (e == KERR_OK)
        *out = &m->port;
    return e;
}

unsigned sermux_refs(uint16_t num)
{
    mport_t *m = find(num);
    return m ? m->refs : 0;
}

void sermux_close(port_t *p)
{
    if (!p)
        return;
    for (unsigned i = 0; i < SERMUX_MAX_PORTS; i++) {
        mport_t *m = mux.ports[i];
        if (!m || &m->port != p)
            continue;
        if (m->closing || --m->refs)
            return;
        trace_emit(TRACE_DEBUG, TRACE_MOD_MUX, TRACE_EV_MUX_CLOSE, p->num, 0, NULL);
        if (bbq_used(&p->tx) && (m->writer.flags & TASK_F_LIVE)) {
            m->closing = true;               /* its writer sends the rest, then frees */
            m->client = 0;
            return;
        }
        destroy(m);
        return;
    }
}

void sermux_stats(sermux_stats_t *out)
{
    *out = mux.st;
}

/* ---- registry service: ports by value ---------------------------------------- */

/* Client m->client lets go of m (its CLOSE, or it has gone): its reference
 * is closed.  A port a kernel user shares stays for that user alone, so it
 * becomes the kernel's; one still sending the client's last output stays
 * charged to the client until it drains or the client goes (on_gone). */
static void let_go(mport_t *m)
{
    m->client = 0;
    if (m->refs > 1)
        to_kernel(m);
    sermux_close(&m->port);
}

/* The port num if this client owns it. */
static mport_t *owned(uint16_t num, uint16_t client)
{
    mport_t *m = find(num);
    return m && m->client && m->client == client ? m : NULL;
}

/* The client has gone, and its account may go with its task's record at
 * any time: every port it paid for becomes the kernel's (those closed
 * before, still sending, too), and its references are closed -- a port
 * with output left, or shared, stays on without touching the account. */
static void on_gone(reg_service_t *s, uint16_t client)
{
    (void)s;
    for (unsigned i = 0; i < SERMUX_MAX_PORTS; i++) {
        mport_t *m = mux.ports[i];
        if (!m || !client)
            continue;
        if (m->payer == client)
            to_kernel(m);
        if (m->client == client)
            let_go(m);
    }
}

static int open_for(reg_msg_t *m, uint16_t num, uint32_t cap)
{
    kacct_t *acct;
    if (cap == 0)
        cap = SERMUX_CLIENT_CAP;
    if (cap < 2 || cap > SERMUX_CLIENT_CAP)
        return CERR_INVAL;
    if (find(num))
        return CERR_BUSY;
    if (reg_client_acct(m, &acct) != KERR_OK)
        return CERR_GONE;
    mport_t *p;
    kerr_t e = open_new(num, cap, acct, &p);
    if (e == KERR_NOMEM)
        return acct && acct->used + cap > acct->limit ? CERR_QUOTA : CERR_NOMEM;
    if (e == KERR_REG_FULL)
        return CERR_NOPORT;
    if (e != KERR_OK)
        return cerr_from_kerr(e);
    p->client = m->client;
    p->payer = acct ? m->client : 0;
    return CERR_OK;
}

/* READ: what rx holds (both pieces of a wrapped ring), up to max. */
static uint32_t read_port(mport_t *p, uint8_t *out, uint32_t max)
{
    uint32_t n = 0;
    bbq_grant_t g;
    while (n < max && bbq_read(&p->port.rx, &g) == KERR_OK) {
        uint32_t k = g.len < max - n ? g.len : max - n;
        kmem_copy(out + n, g.ptr, k);
        bbq_release(&p->port.rx, k);
        n += k;
    }
    return n;
}

static uint32_t write_port(mport_t *p, const uint8_t *src, uint32_t n)
{
    uint32_t done = 0;
    bbq_grant_t g;
    while (done < n && bbq_grant_max(&p->port.tx, n - done, &g) == KERR_OK) {
        kmem_copy(g.ptr, src + done, g.len);
        bbq_commit(&p->port.tx, g.len);
        done += g.len;
    }
    return done;
}

static void answer(reg_msg_t *m)
{
    const uint8_t *req = reg_payload(m);
    if (m->len && !req)
        return;                      /* the client has gone */
    kwire_rd_t in = kwire_reader(req, m->len);
    uint32_t max;
    uint8_t *area = reg_reply_area(m, &max);
    if (!area)
        return;
    kwire_wr_t out = kwire_writer(area, max);
    int st = CERR_INVAL;
    uint16_t op = m->opcode, num = 0;
    const uint8_t *data = NULL;
    uint32_t n = 0;
    if (op == SERMUX_OP_OPEN || op == SERMUX_OP_READ || op == SERMUX_OP_WRITE || op == SERMUX_OP_CLOSE)
        num = kwire_u16(&in);
    if (op == SERMUX_OP_OPEN || op == SERMUX_OP_READ)
        n = kwire_u32(&in);
    else if (op == SERMUX_OP_WRITE)
        data = kwire_rest(&in, &n);
    mport_t *p = op == SERMUX_OP_OPEN || op == SERMUX_OP_STATS ? NULL : owned(num, m->client);
    if (!kwire_done(&in))
        st = CERR_INVAL;
    else if (op == SERMUX_OP_STATS) {
        const sermux_stats_t *v = &mux.st;
        kwire_put_u32(&out, v->frames_in);
        kwire_put_u32(&out, v->frames_out);
        kwire_put_u32(&out, v->bytes_in);
        kwire_put_u32(&out, v->bytes_out);
        kwire_put_u32(&out, v->malformed);
        kwire_put_u32(&out, v->unknown_port);
        kwire_put_u32(&out, v->rx_full);
        st = out.bad ? CERR_TOO_BIG : CERR_OK;
    } else if (op == SERMUX_OP_OPEN) {
        st = open_for(m, num, n);
    } else if (op == SERMUX_OP_READ || op == SERMUX_OP_WRITE || op == SERMUX_OP_CLOSE) {
        st = CERR_NOPORT;
        if (p && op == SERMUX_OP_READ) {
            out.n = read_port(p, area, n < max ? n : max);
            st = CERR_OK;
        } else if (p && op == SERMUX_OP_WRITE) {
            uint32_t k = write_port(p, data, n);
            kwire_put_u32(&out, k);
            st = CERR_OK;
        } else if (p) {
            let_go(p);
            st = CERR_OK;
        }
    }
    m->status = st;
    m->len = st == CERR_OK ? out.n : 0;
    reg_reply_from(m, area);
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
    mux.svc.on_gone = on_gone;
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
