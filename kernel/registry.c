/*
 * registry -- a fixed table of services and one of connected clients.
 *
 * Clients are found by id on every reply, so a reply to a client that has
 * disconnected (or moved on to another request) is dropped instead of
 * written through a stale pointer.  Service slots carry a generation so a
 * handle to an unregistered service stays "gone" even if the slot is reused.
 */
#include "registry.h"
#include "kstring.h"
#include "trace.h"

/* a client id: its slot in the low CLIENT_BITS, a generation above */
#define CLIENT_BITS 9
#define CLIENT_MASK (REG_MAX_CLIENTS - 1)
_Static_assert(REG_MAX_CLIENTS == 1u << CLIENT_BITS && CLIENT_BITS < 16, "REG_MAX_CLIENTS: 2^CLIENT_BITS");

enum { PH_IDLE = 0, PH_SEND, PH_WAIT };

static reg_service_t *services[REG_MAX_SERVICES];
static uint16_t service_gens[REG_MAX_SERVICES];
static reg_handle_t *clients[REG_MAX_CLIENTS];
static uint16_t client_gen;
static unsigned nclients;            /* slots in use */
static uint32_t request_seq;   /* request ids: unique across connections */
static kwaitq_t appear;

void reg_init(void)
{
    for (unsigned i = 0; i < REG_MAX_SERVICES; i++)
        services[i] = NULL;
    for (unsigned i = 0; i < REG_MAX_CLIENTS; i++)
        clients[i] = NULL;
    nclients = 0;
    client_gen = 0;
    request_seq = 0;
    kwaitq_init(&appear);
}

uint32_t reg_hash(const void *data, size_t len)
{
    const uint8_t *p = data;
    uint32_t h = 2166136261u;
    while (len--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

kerr_t reg_service_init(reg_service_t *s, const reg_uuid_t *uuid, uint32_t iface,
                        const char *name, reg_msg_t *buf, uint32_t cap)
{
    s->uuid = *uuid;
    s->iface = iface;
    s->name = name;
    s->live = false;
    s->index = 0;
    s->gen = 0;
    s->on_gone = NULL;
    s->node = 0;
    s->via = NULL;
    return kchan_init(&s->inbox, buf, sizeof(reg_msg_t), cap);
}

static int find(const reg_uuid_t *uuid, uint8_t node)
{
    for (int i = 0; i < REG_MAX_SERVICES; i++)
        if (services[i] && services[i]->node == node && kmem_eq(services[i]->uuid.b, uuid->b, 16))
            return i;
    return -1;
}

kerr_t reg_register(reg_service_t *s)
{
    if (s->live || !s->inbox.buf)
        return KERR_INVAL;
    if (appear.waiters.next == NULL)
        reg_init();
    if (find(&s->uuid, s->node) >= 0) {
        trace_emit(TRACE_WARN, TRACE_MOD_REG, TRACE_EV_REFUSED, -1, KERR_DUPLICATE, s->name);
        return KERR_DUPLICATE;
    }
    for (uint16_t i = 0; i < REG_MAX_SERVICES; i++) {
        if (services[i])
            continue;
        services[i] = s;
        s->index = i;
        s->gen = ++service_gens[i];
        s->live = true;
        kwaitq_wake_all(&appear);
        trace_emit(TRACE_INFO, TRACE_MOD_REG, TRACE_EV_REGISTER, i, 0, s->name);
        return KERR_OK;
    }
    trace_emit(TRACE_WARN, TRACE_MOD_REG, TRACE_EV_REFUSED, -1, KERR_REG_FULL, "registry full");
    return KERR_REG_FULL;
}

kerr_t reg_unregister(reg_service_t *s)
{
    if (!s->live || services[s->index] != s)
        return KERR_INVAL;
    services[s->index] = NULL;
    service_gens[s->index]++;        /* no handle's service_gen matches now */
    s->live = false;
    kchan_close(&s->inbox);
    for (unsigned i = 0; i < REG_MAX_CLIENTS; i++) {
        reg_handle_t *h = clients[i];
        if (h && h->service == s->index && h->service_gen == s->gen && h->phase == PH_WAIT)
            kreply_fill(&h->reply, h->reply.id, KERR_GONE, NULL, 0);
    }
    trace_emit(TRACE_INFO, TRACE_MOD_REG, TRACE_EV_UNREGISTER, s->index, 0, s->name);
    return KERR_OK;
}

/*
 * Envelope copies on the hot paths: a request is copied whole into the
 * inbox slot and out of it (like kchan_send/kchan_recv); a reply carries
 * exactly the header and the used inline payload into h->resp (a payload
 * over REG_INLINE_MAX is in the client's call buffer already).
 */
#define HDR_BYTES ((uint32_t)offsetof(reg_msg_t, data))
_Static_assert(offsetof(reg_msg_t, data) == 24, "envelope header: three words");
_Static_assert(sizeof(reg_msg_t) % 8 == 0, "envelope: whole words");
_Static_assert(_Alignof(reg_msg_t) >= 8, "envelope: word aligned");

static inline uint32_t used_payload(const reg_msg_t *m)
{
    return m->len <= REG_INLINE_MAX ? m->len : 0;
}

/* Requests travel whole, as kchan copies them: one fixed-size copy is
 * cheaper than working out the used part. */
static inline void copy_envelope(reg_msg_t *dst, const reg_msg_t *src)
{
    *dst = *src;
}

/* Replies are exact: header + payload bytes, the pad up to the next word
 * zeroed, so a reply never carries stale bytes of the service's buffer
 * (which may hold another client's request). */
static inline void copy_exact(reg_msg_t *dst, const reg_msg_t *src, uint32_t payload)
{
    uint64_t *d = (uint64_t *)(void *)dst;
    const uint64_t *s = (const uint64_t *)(const void *)src;
    size_t w = payload / 8;
    uint32_t rem = payload & 7;
    d[0] = s[0];
    d[1] = s[1];
    d[2] = s[2];
    for (size_t i = 3; i < 3 + w; i++)
        d[i] = s[i];
    if (rem) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
        d[3 + w] = s[3 + w] & (~(uint64_t)0 << (64 - 8 * rem));
#else
        d[3 + w] = s[3 + w] & (~(uint64_t)0 >> (64 - 8 * rem));
#endif
    }
}

static inline reg_msg_t *inbox_slot(const kchan_t *c, uint32_t pos)
{
    return (reg_msg_t *)(void *)c->buf + (pos & c->mask);
}

static __attribute__((noinline)) kerr_t serve_empty(kchan_t *c, task_t *t)
{
    return c->closed ? KERR_CLOSED : task_park_inline(t, &c->receivers);
}

/* The handle of m's client while it still waits for m's reply, else NULL.
 * A request whose client gave up (disconnected, timed out, was cancelled)
 * is dropped unseen, and its call buffer is never handed out again. */
static inline reg_handle_t *waiting_caller(const reg_msg_t *m)
{
    reg_handle_t *h = clients[m->client & CLIENT_MASK];
    return h && h->client == m->client && h->reply.state == KREPLY_ARMED
        && h->reply.id == m->request ? h : NULL;
}
#define caller_waits(m) (waiting_caller(m) != NULL)

kerr_t reg_serve(reg_service_t *s, task_t *t, reg_msg_t *req)
{
    return reg_serve_chan(&s->inbox, t, req);
}

kerr_t reg_serve_chan(kchan_t *c, task_t *t, reg_msg_t *req)
{
    uint32_t head = c->head;
    if (c->tail == head)
        return serve_empty(c, t);
    const reg_msg_t *m = inbox_slot(c, head);
    if (__builtin_expect(!caller_waits(m), 0)) {
        c->head = head + 1;                /* drop it unseen, try the next */
        kwaitq_wake_one_inline(&c->senders);
        return reg_serve_chan(c, t, req);
    }
    copy_envelope(req, m);
    c->head = head + 1;
    kwaitq_wake_one_inline(&c->senders);
    return KERR_OK;
}

bool reg_waiting(const reg_msg_t *m)
{
    return caller_waits(m);
}

const uint8_t *reg_payload(const reg_msg_t *m)
{
    if (m->len == 0)
        return NULL;
    if (m->len <= REG_INLINE_MAX)
        return m->data;
    reg_handle_t *h = waiting_caller(m);
    return h && m->len <= h->cap ? h->buf : NULL;
}

uint32_t reg_reply_max(const reg_msg_t *m)
{
    reg_handle_t *h = waiting_caller(m);
    return h && h->cap > REG_INLINE_MAX ? h->cap : REG_INLINE_MAX;
}

uint8_t *reg_reply_room(reg_msg_t *m, uint32_t n)
{
    if (n <= REG_INLINE_MAX) {
        m->len = n;
        return m->data;
    }
    reg_handle_t *h = waiting_caller(m);
    if (!h || n > h->cap)
        return NULL;
    m->len = n;
    return h->buf;
}

uint8_t *reg_reply_area(reg_msg_t *m, uint32_t *max)
{
    reg_handle_t *h = waiting_caller(m);
    if (!h)
        return NULL;
    if (h->cap > REG_INLINE_MAX) {
        *max = h->cap;
        return h->buf;
    }
    *max = REG_INLINE_MAX;
    return m->data;
}

kerr_t reg_reply_from(reg_msg_t *m, const uint8_t *area)
{
    if (!caller_waits(m))
        return KERR_GONE;            /* area may have gone with the client */
    if (m->len <= REG_INLINE_MAX && area != m->data && m->len)
        kmem_move(m->data, area, m->len);
    return reg_reply(m);
}

kerr_t reg_client_acct(const reg_msg_t *m, kacct_t **out)
{
    reg_handle_t *h = clients[m->client & CLIENT_MASK];
    if (!h || h->client != m->client)
        return KERR_GONE;
    *out = h->acct;
    return KERR_OK;
}

const void *reg_client_group(const reg_msg_t *m)
{
    reg_handle_t *h = clients[m->client & CLIENT_MASK];
    return h && h->client == m->client ? h->group : NULL;
}

/* kreply_fill(&h->reply, m->request, KERR_OK, m, used bytes of m), with the
 * slot's buffer known to be h->resp: the reply lands there directly. */
kerr_t reg_reply(reg_msg_t *m)
{
    reg_handle_t *h = clients[m->client & CLIENT_MASK];
    if (!h || h->client != m->client)
        return KERR_GONE;
    kreply_t *r = &h->reply;
    if (r->state != KREPLY_ARMED || r->id != m->request)
        return KERR_GONE;
    kerr_t ret = KERR_OK;
    if (__builtin_expect(m->len > REG_INLINE_MAX && m->len > h->cap, 0)) {
        m->status = KERR_TOO_BIG;          /* a service bug: never past the buffer */
        m->len = 0;
        ret = KERR_TOO_BIG;
    }
    uint32_t n = used_payload(m);
    copy_exact(&h->resp, m, n);
    r->len = HDR_BYTES + n;
    r->status = KERR_OK;
    r->state = KREPLY_FULL;
    kwaitq_wake_first_keep(&r->waiter);    /* the client parks here every call */
    return ret;
}

kerr_t reg_reply_bytes(reg_msg_t *m, int32_t status, const void *data, uint32_t len)
{
    uint8_t *room = reg_reply_room(m, len);
    m->status = status;
    m->flags = 0;
    if (!room) {
        if (!caller_waits(m))
            return KERR_GONE;
        m->status = KERR_TOO_BIG;
        m->len = 0;
        reg_reply(m);
        return KERR_TOO_BIG;
    }
    if (len && room != data)
        kmem_move(room, data, len);
    return reg_reply(m);
}

kerr_t reg_lookup(const reg_uuid_t *uuid, uint16_t *index)
{
    return reg_lookup_node(uuid, 0, index);
}

kerr_t reg_lookup_node(const reg_uuid_t *uuid, uint8_t node, uint16_t *index)
{
    int i = find(uuid, node);
    if (i < 0)
        return KERR_NOT_FOUND;
    *index = (uint16_t)i;
    return KERR_OK;
}

reg_service_t *reg_service_at(uint16_t index)
{
    return index < REG_MAX_SERVICES ? services[index] : NULL;
}

static kerr_t refuse(int index, kerr_t e, const char *why)
{
    trace_emit(TRACE_WARN, TRACE_MOD_REG, TRACE_EV_REFUSED, index, e, why);
    return e;
}

kerr_t reg_connect_index(reg_handle_t *h, uint16_t index, uint32_t iface)
{
    reg_service_t *s = reg_service_at(index);
    if (!s)
        return refuse(index, KERR_NOT_FOUND, "no such service");
    if (s->iface != iface)
        return refuse(index, KERR_IFACE_MISMATCH, s->name);
    for (unsigned i = 0; i < REG_MAX_CLIENTS; i++) {
        if (clients[i])
            continue;
        do                               /* never 0: that means "not connected" */
            h->client = (uint16_t)(i | ((unsigned)++client_gen << CLIENT_BITS));
        while (h->client == 0);
        h->service = index;
        h->service_gen = s->gen;
        h->phase = PH_IDLE;
        h->next_req = 0;
        kreply_init(&h->reply, &h->resp, sizeof h->resp);
        clients[i] = h;
        nclients++;
        trace_emit(TRACE_DEBUG, TRACE_MOD_REG, TRACE_EV_CONNECT, index, h->client, s->name);
        return KERR_OK;
    }
    return refuse(index, KERR_REG_FULL, "too many clients");
}

unsigned reg_clients_free(void)
{
    return REG_MAX_CLIENTS - nclients;
}

kerr_t reg_wait_for(const reg_uuid_t *uuid, task_t *waiter, uint16_t *index)
{
    if (appear.waiters.next == NULL)
        reg_init();
    int i = find(uuid, 0);
    if (i < 0)
        return task_park(waiter, &appear);
    task_unpark(waiter);
    *index = (uint16_t)i;
    return KERR_OK;
}

kerr_t reg_connect(reg_handle_t *h, const reg_uuid_t *uuid, uint32_t iface, task_t *waiter)
{
    uint16_t i = 0;
    if (waiter) {
        kerr_t e = reg_wait_for(uuid, waiter, &i);
        if (e != KERR_OK)
            return e;
    } else if (reg_lookup(uuid, &i) != KERR_OK) {
        return KERR_NOT_FOUND;
    }
    return reg_connect_index(h, i, iface);
}

void reg_disconnect(reg_handle_t *h)
{
    uint16_t client = h->client;
    if (client && clients[client & CLIENT_MASK] == h) {
        clients[client & CLIENT_MASK] = NULL;
        nclients--;
        reg_service_t *s = h->service < REG_MAX_SERVICES ? services[h->service] : NULL;
        if (s && service_gens[h->service] == h->service_gen && s->on_gone)
            s->on_gone(s, client);
        trace_emit(TRACE_DEBUG, TRACE_MOD_REG, TRACE_EV_DISCONNECT, h->service, client, NULL);
    }
    if (client)                      /* a handle never connected has no reply slot yet */
        kreply_cancel(&h->reply);
    h->client = 0;
    h->phase = PH_IDLE;
    kacct_free(h->acct, h->buf);
    h->buf = NULL;
    h->cap = 0;
}

bool reg_connected(const reg_handle_t *h)
{
    return h->client && clients[h->client & CLIENT_MASK] == h && h->service < REG_MAX_SERVICES
        && service_gens[h->service] == h->service_gen;
}

void reg_abandon(reg_handle_t *h)
{
    kreply_cancel(&h->reply);
    h->phase = PH_IDLE;
}

kerr_t reg_reserve(reg_handle_t *h, uint32_t cap)
{
    if (cap <= REG_INLINE_MAX || cap <= h->cap)
        return KERR_OK;
    if (cap > REG_PAYLOAD_MAX)
        return KERR_TOO_BIG;
    if (h->phase != PH_IDLE)
        return KERR_BUSY;
    uint8_t *b = kacct_alloc(h->acct, cap);
    if (!b)
        return KERR_NOMEM;
    kacct_free(h->acct, h->buf);
    h->buf = b;
    h->cap = cap;
    return KERR_OK;
}

uint8_t *reg_request_room(reg_handle_t *h, reg_msg_t *req, uint32_t n)
{
    if (n <= REG_INLINE_MAX) {
        req->len = n;
        return req->data;
    }
    if (n > h->cap)
        return NULL;
    req->len = n;
    return h->buf;
}

static kerr_t end_call(reg_handle_t *h, kerr_t e)
{
    kreply_cancel(&h->reply);
    h->phase = PH_IDLE;
    return e;
}

/* The inbox is full or closed. */
static __attribute__((noinline)) kerr_t call_blocked(reg_handle_t *h, task_t *t, kchan_t *c)
{
    h->phase = PH_SEND;
    if (c->closed)
        return end_call(h, KERR_GONE);
    kerr_t e = task_park_inline(t, &c->senders);
    return e == KERR_PENDING ? e : end_call(h, e);
}

static inline kerr_t call_start(reg_handle_t *h, reg_msg_t *req)
{
    if (!h->client)
        return KERR_INVAL;
    if (req->len > REG_INLINE_MAX && req->len > h->cap)
        return KERR_TOO_BIG;
    /* One sequence for every connection: a reply held back for an earlier
     * connection of the same client slot (whose id can come round again)
     * never matches a request of a later one. */
    uint32_t id = ++request_seq;
    if (id == 0)
        id = ++request_seq;
    h->next_req = id;
    req->service = h->service;        /* the header is stamped in place */
    req->client = h->client;
    req->request = id;
    req->status = 0;
    req->flags = 0;
    req->pad = 0;
    h->reply.id = id;                  /* arm the reply slot */
    h->reply.state = KREPLY_ARMED;     /* phase: PH_SEND only if the send waits */
    return KERR_OK;
}

kerr_t reg_call(reg_handle_t *h, task_t *t, reg_msg_t *req)
{
    kerr_t e;
    if (h->phase == PH_WAIT)
        goto wait;
    if (h->phase == PH_IDLE && __builtin_expect((e = call_start(h, req)) != KERR_OK, 0))
        return e;
    /* A handle's service_gen matches the slot's generation only while the
     * service it connected to is registered (unregister bumps it). */
    if (h->service >= REG_MAX_SERVICES || service_gens[h->service] != h->service_gen)
        return end_call(h, KERR_GONE);
    reg_service_t *s = services[h->service];
    kchan_t *c = __builtin_expect(s->via != NULL, 0) ? s->via : &s->inbox;
    uint32_t tail = c->tail;
    if (__builtin_expect((int32_t)(tail - c->head) > c->send_max, 0))
        return call_blocked(h, t, c);
    copy_envelope(inbox_slot(c, tail), req);
    c->tail = tail + 1;
    kwaitq_wake_first_keep(&c->receivers); /* the service parks here again */
    h->phase = PH_WAIT;
wait:
    if (h->reply.state == KREPLY_FULL) {
        h->reply.state = KREPLY_IDLE;
        h->phase = PH_IDLE;
        return (kerr_t)h->reply.status;
    }
    e = task_park_inline(t, &h->reply.waiter);
    if (__builtin_expect(e != KERR_PENDING, 0))
        return end_call(h, e);
    return e;
}
