/*
 * lnodes -- the node table, advertisements and routes, and the proxies that
 * stand for remote services in the registry (see lnet.h, docs/links.md).
 *
 * A node keeps its slot while it is known; a node that goes and comes back
 * keeps its number.  When the table is full, the slot of a node nobody
 * reaches any more is given to a new name with its generation bumped, so a
 * number a task holds never silently means another node (lnet.h).  A node
 * is reachable through one link only: a name already reached through
 * another link is refused, which keeps names unique and rings open.  One
 * peer introduces at most LINK_NODE_SHARE nodes and gets at most
 * LINK_PROXY_SHARE proxies, so it cannot fill the tables for the others;
 * at hops 0 it can speak only for itself (the name it said HELLO with).
 */
#include "lnet.h"
#include "kstring.h"
#include "trace.h"
#include "common/cerr.h"

static size_t name_len(const char *s)
{
    return kstr_len(s, LWIRE_NAME_MAX);
}

static bool name_is(const char *s, const uint8_t *name, size_t n)
{
    return name_len(s) == n && kmem_eq(s, name, n);
}

void lnodes_init(const char *name)
{
    size_t n = name ? kstr_len(name, LWIRE_NAME_MAX + 1) : 0;
    if (!name || !lwire_name_ok((const uint8_t *)name, n)) {
        name = "clio";
        n = 4;
    }
    kmem_copy(lnet.nodes[0].name, name, n);
    lnet.nodes[0].name[n] = 0;
    lnet.nodes[0].reachable = true;
}

int lnodes_number(const char *name, size_t n)
{
    for (int i = 0; i < LINK_MAX_NODES; i++)
        if (lnet.nodes[i].name[0] && name_is(lnet.nodes[i].name, (const uint8_t *)name, n))
            return i;
    return -1;
}

int lnodes_find(const uint8_t *name, size_t n)
{
    int i = lnodes_number((const char *)name, n);
    return i >= 0 && lnet.nodes[i].reachable ? i : -1;
}

bool lnodes_name_in_use_elsewhere(const uint8_t *name, size_t n, const lnet_link_t *l)
{
    int i = lnodes_find(name, n);
    return i > 0 && lnet.nodes[i].via != l->idx;
}

lnet_proxy_t *lnodes_proxy_of(uint16_t reg_index)
{
    reg_service_t *s = reg_service_at(reg_index);
    if (!s || !s->via)
        return NULL;
    lnet_proxy_t *px = kcontainer_of(s, lnet_proxy_t, svc);
    return px >= lnet.proxies && px < lnet.proxies + LNET_PROXIES ? px : NULL;
}

void lnodes_changed(void)
{
    kwaitq_wake_all(&lnet.changed);
    for (unsigned i = 0; i < LINK_MAX; i++)
        if (lnet_up(&lnet.links[i])) {
            lnet.links[i].advert_due = true;
            lnet_kick(&lnet.links[i]);
        }
}

/* ---- proxies ---------------------------------------------------------------- */

static uint8_t proxy_new(uint8_t node, const lnet_svc_t *sv)
{
    const lnet_node_t *nd = &lnet.nodes[node];
    unsigned share = 0;
    for (unsigned i = 0; i < LNET_PROXIES; i++)
        share += lnet.proxies[i].used && lnet.nodes[lnet.proxies[i].node].via == nd->via;
    if (share >= LINK_PROXY_SHARE)
        return LNET_NOBODY;
    for (unsigned i = 0; i < LNET_PROXIES; i++) {
        lnet_proxy_t *px = &lnet.proxies[i];
        if (px->used)
            continue;
        size_t k = 0;
        for (const char *p = sv->name; *p && k < 16; p++)
            px->name[k++] = *p;
        px->name[k++] = '@';
        for (const char *p = nd->name; *p && k < sizeof px->name - 1; p++)
            px->name[k++] = *p;
        px->name[k] = 0;
        if (reg_service_init(&px->svc, &sv->uuid, sv->iface, px->name, px->inbox, 1) != KERR_OK)
            return LNET_NOBODY;
        px->svc.node = lnodes_num(node);
        px->svc.via = &lnet.links[nd->via].reqs;
        px->node = node;
        if (reg_register(&px->svc) != KERR_OK)
            return LNET_NOBODY;
        px->used = true;
        return (uint8_t)i;
    }
    return LNET_NOBODY;
}

static void proxy_drop(uint8_t i)
{
    if (i >= LNET_PROXIES || !lnet.proxies[i].used)
        return;
    reg_unregister(&lnet.proxies[i].svc);   /* calls in flight end with "gone" */
    lnet.proxies[i].used = false;
}

static void node_drop(lnet_node_t *nd)
{
    for (unsigned k = 0; k < nd->nsvc; k++)
        proxy_drop(nd->svc[k].proxy);
    nd->nsvc = 0;
    nd->reachable = false;
}

void lnodes_link_down(lnet_link_t *l)
{
    bool any = false;
    for (int i = 1; i < LINK_MAX_NODES; i++)
        if (lnet.nodes[i].reachable && lnet.nodes[i].via == l->idx) {
            node_drop(&lnet.nodes[i]);
            any = true;
        }
    if (any)
        lnodes_changed();
}

/* ---- receiving ---------------------------------------------------------------- */

static const uint8_t *take_name(kwire_rd_t *r, uint8_t *n)
{
    *n = kwire_u8(r);
    const uint8_t *p = kwire_take(r, *n);
    return p && lwire_name_ok(p, *n) ? p : NULL;
}

/* A service's name: 0..15 printable bytes. */
static bool svc_name_ok(const uint8_t *p, uint8_t n)
{
    if (n > LWIRE_NAME_MAX)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (p[i] < 0x21 || p[i] > 0x7e)
            return false;
    return true;
}

void lnodes_advert(lnet_link_t *l, const uint8_t *body, uint32_t len)
{
    kwire_rd_t r = kwire_reader(body, len);
    uint8_t n;
    const uint8_t *name = take_name(&r, &n);
    uint8_t hops = kwire_u8(&r), count = kwire_u8(&r);
    static lnet_svc_t got[LNET_NODE_SVCS];
    if (!name || count > LNET_NODE_SVCS) {
        l->st.bad++;
        return;
    }
    for (unsigned k = 0; k < count; k++) {
        const uint8_t *u = kwire_take(&r, 16);
        uint32_t iface = kwire_u32(&r);
        uint8_t sn = kwire_u8(&r);
        const uint8_t *sname = kwire_take(&r, sn);
        if (!u || !sname || !svc_name_ok(sname, sn)) {
            l->st.bad++;
            return;
        }
        kmem_copy(got[k].uuid.b, u, 16);
        got[k].iface = iface;
        kmem_copy(got[k].name, sname, sn);
        got[k].name[sn] = 0;
        got[k].proxy = LNET_NOBODY;
    }
    if (!kwire_done(&r)) {
        l->st.bad++;
        return;
    }
    if ((hops == 0) != name_is(l->peer, name, n)) {
        l->st.bad++;                             /* hops 0 is the peer itself, only */
        return;
    }
    if (name_is(lnet.nodes[0].name, name, n) || hops + 1 > LINK_MAX_HOPS)
        return;                                  /* ourselves, or too far */
    int num = lnodes_number((const char *)name, n);
    if (num > 0 && lnet.nodes[num].reachable && lnet.nodes[num].via != l->idx) {
        lnet.refused_nodes++;                    /* reached through another link */
        return;
    }
    if (num < 0 || !lnet.nodes[num].reachable) {
        unsigned mine = 0;
        for (int i = 1; i < LINK_MAX_NODES; i++)
            mine += lnet.nodes[i].reachable && lnet.nodes[i].via == l->idx;
        if (mine >= LINK_NODE_SHARE) {
            lnet.refused_nodes++;                /* this peer has its share */
            return;
        }
    }
    for (int i = 1; num < 0 && i < LINK_MAX_NODES; i++)
        if (!lnet.nodes[i].name[0])
            num = i;
    for (int i = 1; num < 0 && i < LINK_MAX_NODES; i++)
        if (!lnet.nodes[i].reachable) {          /* a name nobody reaches: reuse */
            num = i;
            lnet.nodes[i].gen = (uint8_t)((lnet.nodes[i].gen + 1) & 15);
        }
    if (num < 0) {
        lnet.refused_nodes++;                    /* every slot is reachable */
        return;
    }
    if (!name_is(lnet.nodes[num].name, name, n)) {
        kmem_copy(lnet.nodes[num].name, name, n);
        lnet.nodes[num].name[n] = 0;
        lnet.nodes[num].nsvc = 0;
    }
    lnet_node_t *nd = &lnet.nodes[num];
    bool changed = !nd->reachable || nd->hops != hops + 1 || nd->nsvc != count;
    nd->reachable = true;
    nd->via = l->idx;
    nd->hops = (uint8_t)(hops + 1);
    /* keep the proxies of services that stay (their clients stay connected) */
    for (unsigned k = 0; k < nd->nsvc; k++) {
        unsigned j = 0;
        while (j < count && !(kmem_eq(got[j].uuid.b, nd->svc[k].uuid.b, 16) &&
                              got[j].iface == nd->svc[k].iface && got[j].proxy == LNET_NOBODY))
            j++;
        if (j < count)
            got[j].proxy = nd->svc[k].proxy;
        else {
            proxy_drop(nd->svc[k].proxy);
            changed = true;
        }
    }
    for (unsigned j = 0; j < count; j++) {
        if (got[j].proxy == LNET_NOBODY) {
            /* a proxy the registry has no room for is tried again at the
             * next advert, but is no change to tell the others about (two
             * full nodes would otherwise advertise to each other forever) */
            got[j].proxy = proxy_new((uint8_t)num, &got[j]);
            if (got[j].proxy != LNET_NOBODY)
                changed = true;
        }
        nd->svc[j] = got[j];
    }
    nd->nsvc = count;
    if (changed) {
        trace_emit(TRACE_INFO, TRACE_MOD_LINK, TRACE_EV_LINK_STATE, l->idx, 16 + num, nd->name);
        lnodes_changed();
    }
}

void lnodes_routes(lnet_link_t *l, const uint8_t *body, uint32_t len)
{
    kwire_rd_t r = kwire_reader(body, len);
    uint8_t count = kwire_u8(&r);
    static const uint8_t *names[LINK_MAX_NODES * 4];
    static uint8_t lens[LINK_MAX_NODES * 4];
    if (count > LINK_MAX_NODES * 4) {
        l->st.bad++;
        return;
    }
    for (unsigned k = 0; k < count; k++)
        if (!(names[k] = take_name(&r, &lens[k]))) {
            l->st.bad++;
            return;
        }
    if (!kwire_done(&r)) {
        l->st.bad++;
        return;
    }
    bool any = false;
    for (int i = 1; i < LINK_MAX_NODES; i++) {
        lnet_node_t *nd = &lnet.nodes[i];
        if (!nd->reachable || nd->via != l->idx)
            continue;
        unsigned k = 0;
        while (k < count && !name_is(nd->name, names[k], lens[k]))
            k++;
        if (k == count) {
            node_drop(nd);
            any = true;
        }
    }
    if (any)
        lnodes_changed();
}

/* ---- sending ---------------------------------------------------------------- */

static bool send_advert(lnet_link_t *l, int num)
{
    const lnet_node_t *nd = &lnet.nodes[num];
    uint32_t max = 1 + LWIRE_NAME_MAX + 2 + LNET_NODE_SVCS * (16 + 4 + 1 + LWIRE_NAME_MAX);
    uint8_t *b = lnet_room(l, max);
    if (!b)
        return false;
    kwire_wr_t w = kwire_writer(b, max);
    uint8_t n = (uint8_t)name_len(nd->name);
    kwire_put_u8(&w, n);
    kwire_put_bytes(&w, nd->name, n);
    kwire_put_u8(&w, nd->hops);
    uint8_t *count = kwire_room(&w, 1);
    uint8_t c = 0;
    if (num == 0) {
        for (uint16_t i = 0; i < REG_MAX_SERVICES && c < LNET_NODE_SVCS; i++) {
            reg_service_t *s = reg_service_at(i);
            if (!s || !s->live || s->node != 0)
                continue;
            const char *sn = s->name ? s->name : "";
            uint8_t k = (uint8_t)name_len(sn);
            if (!svc_name_ok((const uint8_t *)sn, k))
                k = 0;
            kwire_put_bytes(&w, s->uuid.b, 16);
            kwire_put_u32(&w, s->iface);
            kwire_put_u8(&w, k);
            kwire_put_bytes(&w, sn, k);
            c++;
        }
    } else {
        for (unsigned i = 0; i < nd->nsvc; i++, c++) {
            uint8_t k = (uint8_t)name_len(nd->svc[i].name);
            kwire_put_bytes(&w, nd->svc[i].uuid.b, 16);
            kwire_put_u32(&w, nd->svc[i].iface);
            kwire_put_u8(&w, k);
            kwire_put_bytes(&w, nd->svc[i].name, k);
        }
    }
    *count = c;
    lnet_commit(l, LWIRE_ADVERT, w.n);
    return true;
}

bool lnodes_send_all(lnet_link_t *l)
{
    for (int i = 0; i < LINK_MAX_NODES; i++) {
        const lnet_node_t *nd = &lnet.nodes[i];
        if (nd->reachable && (i == 0 || nd->via != l->idx) && !send_advert(l, i))
            return false;
    }
    uint32_t max = 1 + LINK_MAX_NODES * (1 + LWIRE_NAME_MAX);
    uint8_t *b = lnet_room(l, max);
    if (!b)
        return false;
    kwire_wr_t w = kwire_writer(b, max);
    uint8_t *count = kwire_room(&w, 1);
    uint8_t c = 0;
    for (int i = 0; i < LINK_MAX_NODES; i++) {
        const lnet_node_t *nd = &lnet.nodes[i];
        if (nd->reachable && (i == 0 || nd->via != l->idx)) {
            uint8_t n = (uint8_t)name_len(nd->name);
            kwire_put_u8(&w, n);
            kwire_put_bytes(&w, nd->name, n);
            c++;
        }
    }
    *count = c;
    lnet_commit(l, LWIRE_ROUTES, w.n);
    return true;
}
