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

#define CLIENT_MASK (REG_MAX_CLIENTS - 1)
_Static_assert((REG_MAX_CLIENTS & CLIENT_MASK) == 0, "REG_MAX_CLIENTS: power of two");

enum { PH_IDLE = 0, PH_SEND, PH_WAIT };

static reg_service_t *services[REG_MAX_SERVICES];
static uint16_t service_gens[REG_MAX_SERVICES];
static reg_handle_t *clients[REG_MAX_CLIENTS];
static uint16_t client_gen;
static kwaitq_t appear;

void reg_init(void)
{
    for (unsigned i = 0; i < REG_MAX_SERVICES; i++)
        services[i] = NULL;
    for (unsigned i = 0; i < REG_MAX_CLIENTS; i++)
        clients[i] = NULL;
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
    return kchan_init(&s->inbox, buf, sizeof(reg_msg_t), cap);
}

static int find(const reg_uuid_t *uuid)
{
    for (int i = 0; i < REG_MAX_SERVICES; i++)
        if (services[i] && kmem_eq(services[i]->uuid.b, uuid->b, 16))
            return i;
    return -1;
}

kerr_t reg_register(reg_service_t *s)
{
    if (s->live || !s->inbox.buf)
        return KERR_INVAL;
    if (appear.waiters.next == NULL)
        reg_init();
    if (find(&s->uuid) >= 0)
        return KERR_DUPLICATE;
    for (uint16_t i = 0; i < REG_MAX_SERVICES; i++) {
        if (services[i])
            continue;
        services[i] = s;
        s->index = i;
        s->gen = ++service_gens[i];
        s->live = true;
        kwaitq_wake_all(&appear);
        return KERR_OK;
    }
    return KERR_REG_FULL;
}

kerr_t reg_unregister(reg_service_t *s)
{
    if (!s->live || services[s->index] != s)
        return KERR_INVAL;
    services[s->index] = NULL;
    s->live = false;
    kchan_close(&s->inbox);
    for (unsigned i = 0; i < REG_MAX_CLIENTS; i++) {
        reg_handle_t *h = clients[i];
        if (h && h->service == s->index && h->service_gen == s->gen && h->phase == PH_WAIT)
            kreply_fill(&h->reply, h->reply.id, KERR_GONE, NULL, 0);
    }
    return KERR_OK;
}

kerr_t reg_serve(reg_service_t *s, task_t *t, reg_msg_t *req)
{
    return kchan_recv(&s->inbox, t, req);
}

kerr_t reg_reply(const reg_msg_t *m)
{
    reg_handle_t *h = clients[m->client & CLIENT_MASK];
    if (!h || h->client != m->client)
        return KERR_GONE;
    uint32_t n = offsetof(reg_msg_t, data);
    n += (m->flags & REG_MSG_EXT) ? (uint32_t)sizeof m->data.ext
                                  : (m->len < REG_INLINE_MAX ? m->len : REG_INLINE_MAX);
    return kreply_fill(&h->reply, m->request, KERR_OK, m, n);
}

kerr_t reg_reply_bytes(reg_msg_t *m, int32_t status, const void *data, uint32_t len)
{
    if (len > REG_INLINE_MAX)
        return KERR_TOO_BIG;
    m->status = status;
    m->flags = 0;
    m->len = len;
    if (len)
        kmem_copy(m->data.bytes, data, len);
    return reg_reply(m);
}

kerr_t reg_lookup(const reg_uuid_t *uuid, uint16_t *index)
{
    int i = find(uuid);
    if (i < 0)
        return KERR_NOT_FOUND;
    *index = (uint16_t)i;
    return KERR_OK;
}

reg_service_t *reg_service_at(uint16_t index)
{
    return index < REG_MAX_SERVICES ? services[index] : NULL;
}

kerr_t reg_connect_index(reg_handle_t *h, uint16_t index, uint32_t iface)
{
    reg_service_t *s = reg_service_at(index);
    if (!s)
        return KERR_NOT_FOUND;
    if (s->iface != iface)
        return KERR_IFACE_MISMATCH;
    for (unsigned i = 0; i < REG_MAX_CLIENTS; i++) {
        if (clients[i])
            continue;
        client_gen++;
        h->client = (uint16_t)(i | ((unsigned)client_gen << 6));
        if (h->client == 0)
            h->client = (uint16_t)(i | (1u << 6));
        h->service = index;
        h->service_gen = s->gen;
        h->phase = PH_IDLE;
        h->next_req = 0;
        kreply_init(&h->reply, &h->resp, sizeof h->resp);
        clients[i] = h;
        return KERR_OK;
    }
    return KERR_REG_FULL;
}

kerr_t reg_connect(reg_handle_t *h, const reg_uuid_t *uuid, uint32_t iface, task_t *waiter)
{
    if (appear.waiters.next == NULL)
        reg_init();
    int i = find(uuid);
    if (i < 0)
        return waiter ? task_park(waiter, &appear) : KERR_NOT_FOUND;
    if (waiter)
        task_unpark(waiter);
    return reg_connect_index(h, (uint16_t)i, iface);
}

void reg_disconnect(reg_handle_t *h)
{
    if (h->client && clients[h->client & CLIENT_MASK] == h)
        clients[h->client & CLIENT_MASK] = NULL;
    kreply_cancel(&h->reply);
    h->client = 0;
    h->phase = PH_IDLE;
}

static reg_service_t *live_service(const reg_handle_t *h)
{
    reg_service_t *s = reg_service_at(h->service);
    return (s && s->gen == h->service_gen) ? s : NULL;
}

static kerr_t end_call(reg_handle_t *h, kerr_t e)
{
    kreply_cancel(&h->reply);
    h->phase = PH_IDLE;
    return e;
}

kerr_t reg_call(reg_handle_t *h, task_t *t, reg_msg_t *req)
{
    reg_service_t *s;
    kerr_t e;
    if (h->phase == PH_WAIT)
        goto wait;
    if (h->phase == PH_IDLE) {
        if (!h->client)
            return KERR_INVAL;
        if (!(req->flags & REG_MSG_EXT) && req->len > REG_INLINE_MAX)
            return KERR_TOO_BIG;
        uint32_t id = h->next_req + 1;
        if (id == 0)
            id = 1;
        h->next_req = id;
        req->service = h->service;        /* the header is stamped in place */
        req->client = h->client;
        req->request = id;
        req->status = 0;
        h->reply.id = id;                  /* arm the reply slot */
        h->reply.state = KREPLY_ARMED;
        h->phase = PH_SEND;
    }
    if (!(s = live_service(h)))
        return end_call(h, KERR_GONE);
    e = kchan_send(&s->inbox, t, req);
    if (e == KERR_PENDING)
        return e;
    if (e != KERR_OK)
        return end_call(h, e == KERR_CLOSED ? KERR_GONE : e);
    h->phase = PH_WAIT;
wait:
    if (h->reply.state == KREPLY_FULL) {
        h->reply.state = KREPLY_IDLE;
        h->phase = PH_IDLE;
        return (kerr_t)h->reply.status;
    }
    e = task_park(t, &h->reply.waiter);
    if (e != KERR_PENDING)
        return end_call(h, e);
    return e;
}
