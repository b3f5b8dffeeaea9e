/*
 * link -- the links themselves (see link.h, lnet.h, docs/links.md): one
 * receiving task and one sending task per link.
 *
 * The receiver decodes the stream (lwire), acts on each message and counts
 * what it drops; control messages pay from a token bucket, so a peer that
 * floods them is read more slowly (its bytes wait in the line) and no
 * other link notices.  The sender says HELLO until the peer answers, then
 * sends what is due -- PONG, CREDIT, advertisements, relayed requests,
 * the proxies' requests while it has credit -- and keeps the link alive
 * (PING after 1 s idle; down after 3 s of silence).  Resetting a link ends
 * every call in flight through it with CERR_GONE.
 */
#include "lnet.h"
#include "kstring.h"
#include "trace.h"
#include "common/cerr.h"
#include "mux/sermux.h"
#include "pt.h"

#define LINK_PRIO 3
#define RX_BUDGET 16384u                 /* decoder work a receiver does per poll
                                            (lwire_dec_t.work: at least a unit a byte) */
#define ST(l) ((l)->st)

lnet_t lnet;

uint32_t lnet_random(void)
{
    /* xorshift, seeded from the clock: sessions only need to differ */
    uint32_t x = lnet.seed ? lnet.seed : (uint32_t)plat_now() | 1u;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    lnet.seed = x;
    return x;
}

kerr_t link_init(const char *name)
{
    kmem_set(&lnet, 0, sizeof lnet);
    kwaitq_init(&lnet.changed);
    lnodes_init(name);
    ljobs_init();
    lline_forget();
    return link_service_start();
}

const char *link_node_name(void)
{
    return lnet.nodes[0].name;
}

bool lnet_up(const lnet_link_t *l)
{
    return l->used && l->state == LINK_UP;
}

void lnet_kick(lnet_link_t *l)
{
    task_wake(&l->tx_task);
}

/* ---- sending ---------------------------------------------------------------- */

static bbq_grant_t txg;                  /* the one grant outstanding (never across a yield) */

uint8_t *lnet_room(lnet_link_t *l, uint32_t max)
{
    if (bbq_grant(&l->port->tx, LWIRE_HDR + max + LWIRE_TRAILER, &txg) != KERR_OK)
        return NULL;
    return txg.ptr + LWIRE_HDR;
}

void lnet_commit(lnet_link_t *l, uint8_t type, uint32_t len)
{
    size_t n = lwire_seal(txg.ptr, type, (uint16_t)len);
    bbq_commit(&l->port->tx, (uint32_t)n);
    l->last_tx = plat_now();
    ST(l).msgs_out++;
}

int lnet_out_alloc(lnet_link_t *l, uint8_t kind)
{
    for (int i = 0; i < LNET_OUT; i++)
        if (l->out[i].kind == OUT_FREE) {
            l->out[i].kind = kind;
            l->out[i].deadline = plat_now() + LNET_CALL_NS;
            return i;
        }
    return -1;
}

static void out_free(lnet_link_t *l, int i)
{
    l->out[i].kind = OUT_FREE;
    l->out[i].gen = (uint16_t)((l->out[i].gen + 1) & 0xffffff);
}

/* End the request in slot i with status (no payload) or the REP's. */
static void out_finish(lnet_link_t *l, int i, int32_t status, const uint8_t *p, uint32_t n)
{
    lnet_out_t *o = &l->out[i];
    if (o->kind == OUT_PROXY)
        reg_reply_bytes(&o->env, status, p, n);
    else if (o->kind == OUT_RELAY)
        ljobs_relay_answer(o->job, status, p, n);
    out_free(l, i);
}

static bool send_hello(lnet_link_t *l)
{
    uint8_t *b = lnet_room(l, 7 + LWIRE_NAME_MAX);
    if (!b)
        return false;
    kwire_wr_t w = kwire_writer(b, 7 + LWIRE_NAME_MAX);
    const char *me = lnet.nodes[0].name;
    uint8_t n = (uint8_t)kstr_len(me, LWIRE_NAME_MAX);
    kwire_put_u8(&w, LWIRE_VERSION);
    kwire_put_u8(&w, LWIRE_VERSION);
    kwire_put_u32(&w, l->my_session);
    kwire_put_u8(&w, n);
    kwire_put_bytes(&w, me, n);
    lnet_commit(l, LWIRE_HELLO, w.n);
    return true;
}

/* A message whose body is one little-endian value of `bytes` (2 or 4). */
static bool send_value(lnet_link_t *l, uint8_t type, uint32_t v, uint32_t bytes)
{
    uint8_t *b = lnet_room(l, bytes);
    if (!b)
        return false;
    kwire_wr_t w = kwire_writer(b, bytes);
    if (bytes == 2)
        kwire_put_u16(&w, (uint16_t)v);
    else
        kwire_put_u32(&w, v);
    lnet_commit(l, type, bytes);
    return true;
}

/* A proxy's call: REQ with a new tag.  False if there is no room now. */
static bool send_proxy_req(lnet_link_t *l, reg_msg_t *m)
{
    if (!reg_waiting(m))
        return true;                     /* the caller has gone (or was told the
                                            service went): nothing to send */
    lnet_proxy_t *px = lnodes_proxy_of(m->service);
    const uint8_t *payload = reg_payload(m);
    if (!px || !px->used || lnet.nodes[px->node].via != l->idx || !lnet.nodes[px->node].reachable) {
        reg_reply_bytes(m, CERR_GONE, NULL, 0);
        return true;
    }
    if (m->len > LWIRE_PAYLOAD_MAX) {
        reg_reply_bytes(m, CERR_TOO_BIG, NULL, 0);
        return true;
    }
    const lnet_node_t *dst = &lnet.nodes[px->node];
    const lnet_node_t *me = &lnet.nodes[0];
    uint32_t dl = kstr_len(dst->name, LWIRE_NAME_MAX), ml = kstr_len(me->name, LWIRE_NAME_MAX);
    uint32_t max = 4 + 1 + dl + 1 + ml + 16 + 4 + 2 + 2 + m->len;
    int slot = lnet_out_alloc(l, OUT_PROXY);
    if (slot < 0)
        return false;
    uint8_t *b = lnet_room(l, max);
    if (!b) {
        out_free(l, slot);
        return false;
    }
    uint32_t rmax = reg_reply_max(m);
    kwire_wr_t w = kwire_writer(b, max);
    kwire_put_u32(&w, lnet_tag(l, slot));
    kwire_put_u8(&w, (uint8_t)dl);
    kwire_put_bytes(&w, dst->name, dl);
    kwire_put_u8(&w, (uint8_t)ml);
    kwire_put_bytes(&w, me->name, ml);
    kwire_put_bytes(&w, px->svc.uuid.b, 16);
    kwire_put_u32(&w, px->svc.iface);
    kwire_put_u16(&w, m->opcode);
    kwire_put_u16(&w, (uint16_t)(rmax > LWIRE_PAYLOAD_MAX ? LWIRE_PAYLOAD_MAX : rmax));
    kwire_put_bytes(&w, payload, m->len);
    l->out[slot].env = *m;
    l->credit--;
    ST(l).calls_out++;
    lnet_commit(l, LWIRE_REQ, w.n);
    return true;
}

/* ---- resets --------------------------------------------------------------- */

/* End every proxy call not yet sent with status. */
static void fail_queued(lnet_link_t *l, int32_t status)
{
    if (l->has_pending) {
        reg_reply_bytes(&l->pending, status, NULL, 0);
        l->has_pending = false;
    }
    reg_msg_t m;
    while (kchan_try_recv(&l->reqs, &m) == KERR_OK)
        reg_reply_bytes(&m, status, NULL, 0);
}

static void link_reset(lnet_link_t *l, const char *why)
{
    bool was_up = l->state == LINK_UP;
    l->state = LINK_DOWN;
    l->epoch++;
    l->credit = 0;
    l->in_flight = 0;
    l->advert_due = l->pong_due = l->reset_due = false;
    l->grant_due = 0;
    for (int i = 0; i < LNET_OUT; i++)
        if (l->out[i].kind != OUT_FREE)
            out_finish(l, i, CERR_GONE, NULL, 0);
    fail_queued(l, CERR_GONE);
    l->stalled_since = 0;
    ljobs_link_down(l);
    lnodes_link_down(l);
    lwire_dec_reset(&l->dec);
    l->my_session = lnet_random();
    l->next_hello = 0;
    if (was_up) {
        ST(l).resets++;
        trace_emit(TRACE_WARN, TRACE_MOD_LINK, TRACE_EV_LINK_STATE, l->idx, LINK_DOWN, why);
    }
}

/* ---- receiving ------------------------------------------------------------ */

/* Another link is up with a peer of this name (before its adverts came). */
static bool peer_elsewhere(const uint8_t *name, uint8_t n, const lnet_link_t *l)
{
    for (unsigned i = 0; i < LINK_MAX; i++) {
        const lnet_link_t *o = &lnet.links[i];
        if (o != l && lnet_up(o) && kstr_len(o->peer, LWIRE_NAME_MAX) == n && kmem_eq(o->peer, name, n))
            return true;
    }
    return false;
}

static void on_hello(lnet_link_t *l, kwire_rd_t *r)
{
    uint8_t ver = kwire_u8(r), oldest = kwire_u8(r);
    uint32_t session = kwire_u32(r);
    uint8_t n = kwire_u8(r);
    const uint8_t *name = kwire_take(r, n);
    if (!kwire_done(r) || !name || !lwire_name_ok(name, n) || oldest > LWIRE_VERSION || ver < 1) {
        ST(l).bad++;
        return;
    }
    if (l->state == LINK_UP) {
        if (session == l->peer_session && kmem_eq(l->peer, name, n) && l->peer[n] == 0)
            return;                      /* ours crossed theirs: nothing to do */
        link_reset(l, "peer restarted");
    }
    if ((n == kstr_len(lnet.nodes[0].name, LWIRE_NAME_MAX) && kmem_eq(name, lnet.nodes[0].name, n)) ||
        lnodes_name_in_use_elsewhere(name, n, l) || peer_elsewhere(name, n, l)) {
        if (l->state != LINK_REFUSED)
            trace_emit(TRACE_WARN, TRACE_MOD_LINK, TRACE_EV_LINK_STATE, l->idx, LINK_REFUSED,
                       "name in use");
        l->state = LINK_REFUSED;
        kmem_copy(l->peer, name, n);
        l->peer[n] = 0;
        return;
    }
    kmem_copy(l->peer, name, n);
    l->peer[n] = 0;
    l->peer_session = session;
    l->state = LINK_UP;
    l->credit = 0;
    l->in_flight = 0;
    l->advert_due = true;
    l->next_advert = 0;
    l->grant_due = LINK_CREDITS;
    l->next_hello = 0;                   /* one HELLO more: the peer may lack ours */
    l->ctl_tokens = LNET_CTL_BURST;
    trace_emit(TRACE_INFO, TRACE_MOD_LINK, TRACE_EV_LINK_STATE, l->idx, LINK_UP, l->peer);
}

static void on_rep(lnet_link_t *l, kwire_rd_t *r)
{
    uint32_t tag = kwire_u32(r);
    int32_t status = (int32_t)kwire_u32(r);
    uint32_t n;
    const uint8_t *p = kwire_rest(r, &n);
    uint32_t slot = tag & 0xff;
    if (r->bad || slot >= LNET_OUT || l->out[slot].kind == OUT_FREE || l->out[slot].gen != tag >> 8) {
        ST(l).bad++;                     /* late (timed out) or forged */
        return;
    }
    out_finish(l, (int)slot, status, p, n);
    if (l->credit < 0xffff)
        l->credit++;
}

static bool is_control(uint8_t type)
{
    return type != LWIRE_REQ && type != LWIRE_REP;
}

static void handle(lnet_link_t *l, const lwire_msg_t *m)
{
    kwire_rd_t r = kwire_reader(m->body, m->len);
    l->last_rx = plat_now();
    ST(l).msgs_in++;
    if (is_control(m->type)) {
        uint32_t cost = m->len + LWIRE_HDR + LWIRE_TRAILER;
        l->ctl_tokens = l->ctl_tokens > cost ? l->ctl_tokens - cost : 0;
    }
    if (m->type == LWIRE_HELLO) {
        on_hello(l, &r);
        lnet_kick(l);
        return;
    }
    if (l->state != LINK_UP)
        return;                          /* nothing counts before the handshake */
    switch (m->type) {
    case LWIRE_ADVERT:
        lnodes_advert(l, m->body, m->len);
        break;
    case LWIRE_ROUTES:
        lnodes_routes(l, m->body, m->len);
        break;
    case LWIRE_REQ:
        ljobs_request(l, m->body, m->len);
        break;
    case LWIRE_REP:
        on_rep(l, &r);
        break;
    case LWIRE_CREDIT: {
        uint16_t k = kwire_u16(&r);
        if (!kwire_done(&r) || k > LINK_JOBS * 4) {
            ST(l).bad++;
            break;
        }
        l->credit = (uint16_t)(l->credit + k > 1024 ? 1024 : l->credit + k);
        break;
    }
    case LWIRE_PING:
        l->pong_nonce = kwire_u32(&r);
        if (kwire_done(&r))
            l->pong_due = true;
        else
            ST(l).bad++;
        break;
    default:                             /* PONG: a sign of life, nothing more */
        break;
    }
    lnet_kick(l);
}

/* Refill the control bucket; false while it is empty (the peer floods). */
static bool ctl_ready(lnet_link_t *l, uint64_t now)
{
    uint64_t dt = now - l->ctl_time;
    if (dt >= 1000000) {                 /* whole milliseconds */
        uint64_t add = dt / 1000000 * LNET_CTL_RATE / 1000;
        uint64_t v = l->ctl_tokens + add;
        l->ctl_tokens = (uint32_t)(v > LNET_CTL_BURST ? LNET_CTL_BURST : v);
        l->ctl_time += dt / 1000000 * 1000000;
    }
    return l->ctl_tokens > 0;
}

/* What is left of a receiver's budget after `work` more. */
static uint32_t spend(uint32_t budget, uint32_t work)
{
    return budget > work ? budget - work : 0;
}

static task_status_t rx_poll(task_t *t)
{
    lnet_link_t *l = kcontainer_of(t, lnet_link_t, rx_task);
    uint32_t budget = RX_BUDGET;
    for (;;) {
        if (l->port->resync) {           /* the line has a new peer */
            l->port->resync = 0;
            lwire_dec_reset(&l->dec);
            l->reset_due = true;
            lnet_kick(l);
        }
        uint64_t now = plat_now();
        if (!ctl_ready(l, now)) {
            ST(l).throttled++;
            if (task_sleep_until(t, now + 50000000ull) == KERR_PENDING)
                return TASK_PENDING;
            continue;
        }
        task_clear_deadline(t);
        if (!budget) {
            task_wake(t);                /* let the others run, then go on */
            return TASK_PENDING;
        }
        if (lwire_more(&l->dec)) {       /* messages found inside a false start */
            lwire_msg_t m;
            bool got;
            uint32_t w = l->dec.work;
            lwire_feed(&l->dec, NULL, 0, &m, &got);
            budget = spend(budget, l->dec.work - w);
            if (got)
                handle(l, &m);
            continue;
        }
        kerr_t e = bbq_read_wait(&l->port->rx, t, &l->in);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return task_exit(t, (int32_t)e);
        uint32_t used = 0;
        while ((used < l->in.len || lwire_more(&l->dec)) && budget && ctl_ready(l, now)) {
            lwire_msg_t m;
            bool got;
            uint32_t w = l->dec.work;
            size_t k = lwire_feed(&l->dec, l->in.ptr + used, l->in.len - used, &m, &got);
            used += (uint32_t)k;
            budget = spend(budget, l->dec.work - w);   /* garbage can cost more than its bytes */
            if (got)
                handle(l, &m);
        }
        bbq_release(&l->port->rx, used);
    }
}

/* ---- the sender ------------------------------------------------------------- */

static uint64_t earliest(uint64_t a, uint64_t b)
{
    return a < b ? a : b;
}

static task_status_t tx_poll(task_t *t)
{
    lnet_link_t *l = kcontainer_of(t, lnet_link_t, tx_task);
    uint64_t now = plat_now();
    task_set_deadline(t, PLAT_NEVER);    /* clears a timeout: parking below works */
    if (l->reset_due)
        link_reset(l, "line changed");
    if (l->state == LINK_UP && l->last_rx + LNET_DEAD_NS < now)
        link_reset(l, "peer silent");
    if (l->state != LINK_UP) {
        if (now >= l->next_hello && send_hello(l))
            l->next_hello = now + LNET_HELLO_NS;
        task_set_deadline(t, l->next_hello > now ? l->next_hello : now + 2000000);
        return TASK_PENDING;
    }
    bool retry = false;                  /* something waits for room in the stream */
    if (l->next_hello == 0) {            /* one HELLO after coming up */
        if (send_hello(l))
            l->next_hello = PLAT_NEVER;
        else
            retry = true;
    }
    if (l->pong_due) {
        if (send_value(l, LWIRE_PONG, l->pong_nonce, 4))
            l->pong_due = false;
        else
            retry = true;
    }
    if (l->grant_due) {
        if (send_value(l, LWIRE_CREDIT, l->grant_due, 2))
            l->grant_due = 0;
        else
            retry = true;
    }
    if (now >= l->next_refresh)
        l->advert_due = true;
    /* advert rounds at most every LNET_ADVERT_GAP_NS: changes that come
     * faster (a peer's flapping) are sent together, not each to everyone */
    if (l->advert_due && now >= l->next_advert) {
        if (lnodes_send_all(l)) {
            l->advert_due = false;
            l->next_refresh = now + LNET_REFRESH_NS;
            l->next_advert = now + LNET_ADVERT_GAP_NS;
        } else {
            retry = true;
        }
    }
    uint64_t next = earliest(l->next_refresh, l->last_rx + LNET_DEAD_NS + 1);
    if (l->advert_due)
        next = earliest(next, l->next_advert);
    ljobs_expire(l, now, &next);
    for (int i = 0; i < LNET_OUT; i++)
        if (l->out[i].kind != OUT_FREE) {
            if (now >= l->out[i].deadline) {
                out_finish(l, i, CERR_TIMEOUT, NULL, 0);
                if (l->credit < 0xffff)
                    l->credit++;         /* a late REP (unknown tag) gives none */
            } else {
                next = earliest(next, l->out[i].deadline);
            }
        }
    while (l->credit && l->relay_n && ljobs_send_relay(l))
        ;
    if (l->credit && l->relay_n)
        retry = true;
    /* calls that wait for a credit the peer never gives end as if the
     * far node did not answer */
    if (l->credit || (!l->has_pending && !kchan_len(&l->reqs))) {
        l->stalled_since = 0;
    } else if (!l->stalled_since) {
        l->stalled_since = now;
    } else if (now >= l->stalled_since + LNET_CALL_NS) {
        fail_queued(l, CERR_TIMEOUT);
        l->stalled_since = 0;
    }
    if (l->stalled_since)
        next = earliest(next, l->stalled_since + LNET_CALL_NS);
    while (l->credit) {
        if (!l->has_pending) {
            if (reg_serve_chan(&l->reqs, t, &l->pending) != KERR_OK)
                break;                   /* none: parked on the queue */
            l->has_pending = true;
        }
        if (!send_proxy_req(l, &l->pending)) {
            retry = true;
            break;
        }
        l->has_pending = false;
    }
    if (l->last_tx + LNET_PING_NS <= now && !send_value(l, LWIRE_PING, lnet_random(), 4))
        retry = true;
    next = earliest(next, l->last_tx + LNET_PING_NS);
    if (retry)
        next = earliest(next, now + 2000000);
    task_set_deadline(t, next);
    if (!l->credit)
        task_park(t, &l->reqs.receivers);  /* to see calls arrive (and stall) */
    return TASK_PENDING;
}

/* ---- attaching ------------------------------------------------------------ */

static kerr_t attach(port_t *stream, const char *label)
{
    lnet_link_t *l = NULL;
    for (unsigned i = 0; i < LINK_MAX && !l; i++)
        if (!lnet.links[i].used)
            l = &lnet.links[i];
    if (!l)
        return KERR_REG_FULL;
    unsigned idx = (unsigned)(l - lnet.links);
    kmem_set(l, 0, sizeof *l);
    l->used = true;
    l->idx = (uint8_t)idx;
    l->port = stream;
    size_t k = 0;
    for (; label && label[k] && k < sizeof l->label - 1; k++)
        l->label[k] = label[k];
    l->label[k] = 0;
    l->my_session = lnet_random();
    l->ctl_tokens = LNET_CTL_BURST;
    l->ctl_time = plat_now();
    lwire_dec_init(&l->dec);
    kerr_t e = kchan_init(&l->reqs, l->reqs_buf, sizeof(reg_msg_t), LNET_REQS);
    if (e == KERR_OK)
        e = task_spawn(&l->rx_task, rx_poll, LINK_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&l->tx_task, tx_poll, LINK_PRIO);
    if (e != KERR_OK)
        l->used = false;
    return e;
}

kerr_t link_attach_mux(void)
{
    port_t *p;
    kerr_t e = sermux_open(LINK_PORT, LINK_RING, &p);
    return e == KERR_OK ? attach(p, "mux port 5") : e;
}

kerr_t link_attach_line(port_t *line, const char *label)
{
    port_t *p;
    kerr_t e = lline_start(line, &p);
    return e == KERR_OK ? attach(p, label) : e;
}

bool link_stats(unsigned i, link_stats_t *out)
{
    if (i >= LINK_MAX || !lnet.links[i].used)
        return false;
    *out = lnet.links[i].st;
    out->bad += lnet.links[i].dec.bad;
    out->skipped = lnet.links[i].dec.skipped;
    out->state = lnet.links[i].state;
    out->credit = lnet.links[i].credit;
    kmem_copy(out->peer, lnet.links[i].peer, sizeof out->peer);
    return true;
}
