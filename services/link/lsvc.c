/*
 * lsvc -- the link service: what Forth code asks about nodes and links, by
 * value through the registry (LINK_UUID; the words in forth-lib/links.fs).
 *
 *   LINK_OP_NODE   name (1..15 bytes)   reply u8 node number; status
 *                                       CERR_NONODE when it is not reachable
 *   LINK_OP_NODES  -                    the node table as text lines
 *   LINK_OP_LINKS  -                    the links as text lines
 * Malformed requests: CERR_INVAL.  Text is cut at the client's reply size.
 */
#include "lnet.h"
#include "kstring.h"
#include "pt.h"
#include "common/cerr.h"
#include "common/uuid.h"

static struct {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[4];
    reg_msg_t req;
    kerr_t err;
} ls;

typedef struct {
    char *p;
    uint32_t n, cap;
} text_t;

static void put(text_t *t, const char *s)
{
    while (*s && t->n < t->cap)
        t->p[t->n++] = *s++;
}

static void pad_to(text_t *t, uint32_t col, uint32_t start)
{
    while (t->n - start < col && t->n < t->cap)
        t->p[t->n++] = ' ';
    if (t->n - start >= col && t->n < t->cap && t->p[t->n - 1] != ' ')
        t->p[t->n++] = ' ';
}

static void put_u(text_t *t, uint32_t v)
{
    char b[11];
    int k = 0;
    do
        b[k++] = (char)('0' + v % 10);
    while ((v /= 10) && k < 10);
    while (k-- && t->n < t->cap)
        t->p[t->n++] = b[k];
}

static const char *state_name(uint8_t s)
{
    return s == LINK_UP ? "up" : s == LINK_REFUSED ? "refused" : "down";
}

static void nodes_text(text_t *t)
{
    put(t, "node             #  hops  via\n");
    for (int i = 0; i < LINK_MAX_NODES; i++) {
        const lnet_node_t *nd = &lnet.nodes[i];
        if (!nd->name[0])
            continue;
        uint32_t s = t->n;
        put(t, nd->name);
        pad_to(t, 16, s);
        put_u(t, lnodes_num(i));
        pad_to(t, 19, s);
        put_u(t, nd->hops);
        pad_to(t, 25, s);
        if (i == 0)
            put(t, "(this node)");
        else if (!nd->reachable)
            put(t, "unreachable");
        else {
            put(t, "link ");
            put_u(t, nd->via);
            put(t, " (");
            put(t, lnet.links[nd->via].label);
            put(t, ")");
        }
        put(t, "\n");
    }
    if (lnet.refused_nodes) {
        put(t, "(");
        put_u(t, lnet.refused_nodes);
        put(t, " node adverts refused: a name reached through another link, or a peer's share full)\n");
    }
}

/* Pad to column col of the line that starts at `start`, then v. */
static void col_u(text_t *t, uint32_t start, uint32_t col, uint32_t v)
{
    pad_to(t, col, start);
    put_u(t, v);
}

static void links_text(text_t *t)
{
    put(t, "link  end          peer             state    msgs in/out   bad  skipped  calls out/in  busy  credit\n");
    for (unsigned i = 0; i < LINK_MAX; i++) {
        link_stats_t st;
        if (!link_stats(i, &st))
            continue;
        uint32_t s = t->n;
        put_u(t, i);
        pad_to(t, 6, s);
        put(t, lnet.links[i].label);
        pad_to(t, 19, s);
        put(t, st.peer[0] ? st.peer : "-");
        pad_to(t, 36, s);
        put(t, state_name(st.state));
        col_u(t, s, 45, st.msgs_in);
        put(t, "/");
        put_u(t, st.msgs_out);
        col_u(t, s, 59, st.bad);
        col_u(t, s, 65, st.skipped);
        col_u(t, s, 74, st.calls_out);
        put(t, "/");
        put_u(t, st.calls_in);
        col_u(t, s, 88, st.busy);
        col_u(t, s, 94, st.credit);
        put(t, "\n");
    }
}

static void answer(reg_msg_t *m)
{
    const uint8_t *in = reg_payload(m);
    if (m->len && !in)
        return;                              /* the client has gone */
    uint32_t max;
    uint8_t *area = reg_reply_area(m, &max);
    if (!area)
        return;
    int32_t st = 0;
    uint32_t n = 0;
    if (m->opcode == LINK_OP_NODE && m->len >= 1 && m->len <= LWIRE_NAME_MAX) {
        int num = lnodes_find(in, m->len);
        if (num < 0)
            st = CERR_NONODE;
        else
            area[n++] = lnodes_num(num);
    } else if ((m->opcode == LINK_OP_NODES || m->opcode == LINK_OP_LINKS) && m->len == 0) {
        text_t t = { (char *)area, 0, max };
        if (m->opcode == LINK_OP_NODES)
            nodes_text(&t);
        else
            links_text(&t);
        n = t.n;
    } else {
        st = CERR_INVAL;
    }
    m->status = st;
    m->len = n;
    reg_reply_from(m, area);
}

static task_status_t ls_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, ls.err, reg_serve(&ls.svc, t, &ls.req));
        if (ls.err != KERR_OK)
            PT_EXIT(t, (int32_t)ls.err);
        answer(&ls.req);
    }
    PT_END(t);
}

kerr_t link_service_start(void)
{
    reg_uuid_t u;
    kmem_set(&ls, 0, sizeof ls);
    if (uuid_parse(LINK_UUID_STR, &u) != 0)
        return KERR_INVAL;
    kerr_t e = reg_service_init(&ls.svc, &u, LINK_IFACE, "links", ls.inbox, 4);
    if (e == KERR_OK)
        e = reg_register(&ls.svc);
    if (e == KERR_OK)
        e = task_spawn(&ls.task, ls_poll, 3);
    return e;
}
