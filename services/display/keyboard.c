/* keyboard -- the keyboard service and mux (see keyboard.h). */
#include "keyboard.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "common/cerr.h"
#include "common/uuid.h"

#define KEYBOARD_PRIO 4

static struct {
    task_t task, reader;
    reg_service_t svc;
    reg_msg_t inbox[8];
    reg_msg_t req;
    kerr_t err, rerr;
    port_t *src;
    bbq_grant_t g;
    bbq_t *subs[KEYBOARD_MAX_SUBS];
    uint16_t client[KEYBOARD_MAX_SUBS];   /* a registry client's queue (0: C's) */
    kacct_t *acct[KEYBOARD_MAX_SUBS];
    uint32_t nsubs, published, dropped;
} kb;

static kerr_t subscribe(uint16_t client, kacct_t *acct, bbq_t **out)
{
    if (kb.nsubs >= KEYBOARD_MAX_SUBS)
        return KERR_REG_FULL;
    bbq_t *q = kacct_alloc_zero(acct, sizeof *q + KEYBOARD_RING);
    if (!q)
        return KERR_NOMEM;
    bbq_init(q, (uint8_t *)(q + 1), KEYBOARD_RING);
    kb.client[kb.nsubs] = client;
    kb.acct[kb.nsubs] = acct;
    kb.subs[kb.nsubs++] = q;
    *out = q;
    return KERR_OK;
}

kerr_t keyboard_subscribe(bbq_t **out)
{
    return subscribe(0, NULL, out);
}

static int sub_of(uint16_t client)
{
    for (uint32_t i = 0; i < kb.nsubs; i++)
        if (client && kb.client[i] == client)
            return (int)i;
    return -1;
}

static void on_gone(reg_service_t *s, uint16_t client)
{
    (void)s;
    int i = sub_of(client);
    if (i < 0)
        return;
    kacct_free(kb.acct[i], kb.subs[i]);
    kb.nsubs--;                              /* the last takes its place */
    kb.subs[i] = kb.subs[kb.nsubs];
    kb.client[i] = kb.client[kb.nsubs];
    kb.acct[i] = kb.acct[kb.nsubs];
}

void keyboard_publish(const uint8_t *keys, uint32_t n)
{
    kb.published += n;
    for (uint32_t i = 0; i < kb.nsubs; i++) {
        const uint8_t *k = keys;
        uint32_t left = n;
        bbq_grant_t g;
        while (left && bbq_grant_max(kb.subs[i], left, &g) == KERR_OK) {
            kmem_copy(g.ptr, k, g.len);
            bbq_commit(kb.subs[i], g.len);
            k += g.len;
            left -= g.len;
        }
        kb.dropped += left;
    }
}

static int answer_op(reg_msg_t *m, kwire_rd_t *in, kwire_wr_t *out)
{
    if (m->opcode == KEYBOARD_OP_SUBSCRIBE) {
        kacct_t *acct;
        bbq_t *q;
        if (!kwire_done(in))
            return CERR_INVAL;
        if (sub_of(m->client) >= 0)
            return CERR_OK;
        if (reg_client_acct(m, &acct) != KERR_OK)
            return CERR_GONE;
        kerr_t e = subscribe(m->client, acct, &q);
        return e == KERR_REG_FULL ? CERR_BUSY
             : e == KERR_NOMEM ? (acct && acct->used + KEYBOARD_RING > acct->limit ? CERR_QUOTA : CERR_NOMEM)
             : cerr_from_kerr(e);
    }
    if (m->opcode == KEYBOARD_OP_READ) {
        uint32_t max = kwire_u32(in);
        int i = sub_of(m->client);
        if (!kwire_done(in))
            return CERR_INVAL;
        if (i < 0)
            return CERR_NOPORT;
        bbq_grant_t g;
        while (out->n < out->cap && out->n < max && bbq_read(kb.subs[i], &g) == KERR_OK) {
            uint32_t k = g.len;
            if (k > out->cap - out->n)
                k = out->cap - out->n;
            if (k > max - out->n)
                k = max - out->n;
            kwire_put_bytes(out, g.ptr, k);
            bbq_release(kb.subs[i], k);
        }
        return CERR_OK;
    }
    if (m->opcode == KEYBOARD_OP_STATS) {
        if (!kwire_done(in))
            return CERR_INVAL;
        kwire_put_u32(out, kb.published);
        kwire_put_u32(out, kb.dropped);
        return CERR_OK;
    }
    return CERR_INVAL;
}

static void answer(reg_msg_t *m)
{
    const uint8_t *req = reg_payload(m);
    if (m->len && !req)
        return;                          /* the client has gone */
    kwire_rd_t in = kwire_reader(req, m->len);
    uint32_t max;
    uint8_t *area = reg_reply_area(m, &max);
    if (!area)
        return;
    kwire_wr_t out = kwire_writer(area, max);
    int st = answer_op(m, &in, &out);
    m->status = st;
    m->len = st == CERR_OK ? out.n : 0;
    reg_reply_from(m, area);
}

static task_status_t serve_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, kb.err, reg_serve(&kb.svc, t, &kb.req));
        if (kb.err != KERR_OK)
            break;
        answer(&kb.req);
    }
    PT_EXIT(t, kb.err);
    PT_END(t);
}

/* How many of n keys every C subscriber has room for now; *full: the
 * ring of one that has none (when that is what limits). */
static uint32_t c_room(uint32_t n, bbq_t **full)
{
    for (uint32_t i = 0; i < kb.nsubs; i++) {
        if (kb.client[i])
            continue;                        /* a registry client's: drops */
        uint32_t r = bbq_room(kb.subs[i]);
        if (r < n) {
            n = r;
            *full = kb.subs[i];
        }
    }
    return n;
}

/* KERR_OK once every C subscriber has room for a key, else parked on the
 * producer queue of one that has none (its reader's release wakes it). */
static kerr_t room_wait(task_t *t)
{
    bbq_t *full = NULL;
    return c_room(1, &full) ? KERR_OK : task_park(t, &full->producers);
}

/* The source port (sermux port 2): every byte is a key.  Only what every C
 * subscriber has room for is taken out of the port's ring; the rest waits
 * there (the mux drops, and counts, only what does not fit in that ring). */
static task_status_t reader_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, kb.rerr, room_wait(t));
        if (kb.rerr != KERR_OK)
            break;
        PT_WAIT_OP(t, kb.rerr, bbq_read_wait(&kb.src->rx, t, &kb.g));
        if (kb.rerr != KERR_OK)
            break;
        {
            bbq_t *full = NULL;
            uint32_t n = c_room(kb.g.len, &full);
            keyboard_publish(kb.g.ptr, n);
            bbq_release(&kb.src->rx, n);
        }
    }
    PT_EXIT(t, kb.rerr);
    PT_END(t);
}

kerr_t keyboard_start(port_t *src)
{
    reg_uuid_t u;
    kmem_set(&kb, 0, sizeof kb);
    kb.src = src;
    uuid_parse(KEYBOARD_UUID_STR, &u);
    kerr_t err = reg_service_init(&kb.svc, &u, KEYBOARD_IFACE, "keyboard", kb.inbox, 8);
    kb.svc.on_gone = on_gone;
    if (err == KERR_OK)
        err = reg_register(&kb.svc);
    if (err == KERR_OK)
        err = task_spawn(&kb.task, serve_poll, KEYBOARD_PRIO);
    if (err == KERR_OK && src)
        err = task_spawn(&kb.reader, reader_poll, KEYBOARD_PRIO);
    return err;
}
