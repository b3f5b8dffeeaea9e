/*
 * ljobs -- requests that peers send us (see lnet.h, docs/links.md).
 *
 * A REQ takes one of LINK_JOBS job slots, each with its own kernel task:
 * a request for this node is called on the local service by UUID (the
 * job's own registry handle; its call buffer is the kernel's, bounded by
 * the slot count) and answered with a REP.  The handle is disconnected
 * when the job ends: a service keeps nothing for a remote request past its
 * reply (a file it opened is closed), so no peer holds what it made a
 * service keep, and no request acts as another's client.  A request for
 * another node is relayed on the link toward it under a new tag, and its
 * REP relayed back.
 * A REQ that finds no free slot, or whose link holds its share
 * (LINK_CREDITS) already -- counted across the link's resets, so a peer
 * cannot take more by restarting -- is answered at once with CERR_BUSY.  A
 * job whose link reset meanwhile (another epoch) is dropped when done.
 * Every job has a deadline of LNET_CALL_NS from its arrival, whatever it
 * waits for (credit or room on the next link, its REP): then -531.
 */
#include "lnet.h"
#include "kstring.h"
#include "common/cerr.h"

#define JOB_PRIO 3

enum { J_FREE = 0, J_LOCAL, J_CALLING, J_RELAY_Q, J_RELAY_OUT, J_REPLY };

typedef struct ljob {
    task_t task;
    uint8_t state;
    uint8_t from, to;
    uint32_t from_epoch, tag;
    uint64_t deadline;
    uint8_t dst[LWIRE_NAME_MAX], dstlen, src[LWIRE_NAME_MAX], srclen;
    reg_uuid_t uuid;
    uint32_t iface;
    uint16_t op, reply_max;
    int32_t status;
    uint32_t len;
    reg_handle_t h;
    reg_msg_t req;
    uint8_t data[LWIRE_PAYLOAD_MAX];
} ljob_t;

static ljob_t jobs[LINK_JOBS];

/* A REP now, from the receiving task (no job): dropped if there is no room,
 * and the peer's call then times out. */
static void rep_now(lnet_link_t *l, uint32_t tag, int32_t status)
{
    uint8_t *b = lnet_room(l, 8);
    if (!b)
        return;
    kwire_wr_t w = kwire_writer(b, 8);
    kwire_put_u32(&w, tag);
    kwire_put_u32(&w, (uint32_t)status);
    lnet_commit(l, LWIRE_REP, 8);
}

static void job_free(ljob_t *j)
{
    reg_disconnect(&j->h);                   /* the service frees what it kept */
    lnet_link_t *from = &lnet.links[j->from];
    if (from->jobs_held)
        from->jobs_held--;
    j->state = J_FREE;
}

static void job_answer(ljob_t *j, int32_t status)
{
    j->status = status;
    j->len = 0;
    j->state = J_REPLY;
    task_wake(&j->task);
}

void ljobs_request(lnet_link_t *l, const uint8_t *body, uint32_t n)
{
    kwire_rd_t r = kwire_reader(body, n);
    uint32_t tag = kwire_u32(&r);
    uint8_t dl = kwire_u8(&r);
    const uint8_t *dst = kwire_take(&r, dl);
    uint8_t sl = kwire_u8(&r);
    const uint8_t *src = kwire_take(&r, sl);
    const uint8_t *uuid = kwire_take(&r, 16);
    uint32_t iface = kwire_u32(&r);
    uint16_t op = kwire_u16(&r), rmax = kwire_u16(&r);
    uint32_t len;
    const uint8_t *payload = kwire_rest(&r, &len);
    if (r.bad || !dst || !src || !uuid || !lwire_name_ok(dst, dl) || !lwire_name_ok(src, sl) ||
        len > LWIRE_PAYLOAD_MAX) {
        l->st.bad++;
        if (!r.bad)
            rep_now(l, tag, CERR_INVAL);
        return;
    }
    l->st.calls_in++;
    if (l->in_flight >= LINK_CREDITS || l->jobs_held >= LINK_CREDITS) {
        /* past the credit we gave, or its old sessions' jobs still run */
        l->st.busy++;
        rep_now(l, tag, CERR_BUSY);
        return;
    }
    ljob_t *j = NULL;
    for (unsigned i = 0; i < LINK_JOBS && !j; i++)
        if (jobs[i].state == J_FREE)
            j = &jobs[i];
    if (!j) {
        l->st.busy++;
        rep_now(l, tag, CERR_BUSY);
        return;
    }
    l->in_flight++;
    l->jobs_held++;
    j->deadline = plat_now() + LNET_CALL_NS;
    j->from = l->idx;
    j->from_epoch = l->epoch;
    j->tag = tag;
    kmem_copy(j->dst, dst, dl);
    j->dstlen = dl;
    kmem_copy(j->src, src, sl);
    j->srclen = sl;
    kmem_copy(j->uuid.b, uuid, 16);
    j->iface = iface;
    j->op = op;
    j->reply_max = rmax > LWIRE_PAYLOAD_MAX ? LWIRE_PAYLOAD_MAX : rmax;
    j->len = len;
    if (len)
        kmem_copy(j->data, payload, len);
    int node = lnodes_find(dst, dl);
    if (node == 0) {
        j->state = J_LOCAL;
        task_wake(&j->task);
        return;
    }
    lnet_link_t *to = node > 0 ? &lnet.links[lnet.nodes[node].via] : NULL;
    if (!to || to == l || !lnet_up(to) || to->relay_n >= LINK_JOBS) {
        job_answer(j, CERR_NONODE);
        return;
    }
    j->to = to->idx;
    j->state = J_RELAY_Q;
    to->relay_q[(to->relay_head + to->relay_n++) % LINK_JOBS] = (uint8_t)(j - jobs);
    lnet_kick(to);
}

bool ljobs_send_relay(lnet_link_t *l)
{
    ljob_t *j = &jobs[l->relay_q[l->relay_head]];
    uint32_t max = 4 + 1 + j->dstlen + 1 + j->srclen + 16 + 4 + 2 + 2 + j->len;
    int slot = lnet_out_alloc(l, OUT_RELAY);
    if (slot < 0)
        return false;
    uint8_t *b = lnet_room(l, max);
    if (!b) {
        l->out[slot].kind = OUT_FREE;
        return false;
    }
    kwire_wr_t w = kwire_writer(b, max);
    kwire_put_u32(&w, lnet_tag(l, slot));
    kwire_put_u8(&w, j->dstlen);
    kwire_put_bytes(&w, j->dst, j->dstlen);
    kwire_put_u8(&w, j->srclen);
    kwire_put_bytes(&w, j->src, j->srclen);
    kwire_put_bytes(&w, j->uuid.b, 16);
    kwire_put_u32(&w, j->iface);
    kwire_put_u16(&w, j->op);
    kwire_put_u16(&w, j->reply_max);
    kwire_put_bytes(&w, j->data, j->len);
    l->out[slot].job = (uint8_t)(j - jobs);
    l->out[slot].deadline = j->deadline;
    l->credit--;
    l->st.calls_out++;
    lnet_commit(l, LWIRE_REQ, w.n);
    l->relay_head = (uint8_t)((l->relay_head + 1) % LINK_JOBS);
    l->relay_n--;
    j->state = J_RELAY_OUT;
    return true;
}

void ljobs_relay_answer(uint8_t job, int32_t status, const uint8_t *p, uint32_t n)
{
    if (job >= LINK_JOBS)
        return;
    ljob_t *j = &jobs[job];
    if (j->state != J_RELAY_OUT && j->state != J_RELAY_Q)
        return;
    if (n > j->reply_max) {
        status = CERR_TOO_BIG;
        n = 0;
    }
    if (n)
        kmem_copy(j->data, p, n);
    j->status = status;
    j->len = n;
    j->state = J_REPLY;
    task_wake(&j->task);
}

void ljobs_expire(lnet_link_t *l, uint64_t now, uint64_t *next)
{
    uint8_t keep[LINK_JOBS], n = 0;
    for (uint8_t k = 0; k < l->relay_n; k++) {
        uint8_t idx = l->relay_q[(l->relay_head + k) % LINK_JOBS];
        if (now >= jobs[idx].deadline) {
            ljobs_relay_answer(idx, CERR_TIMEOUT, NULL, 0);
        } else {
            keep[n++] = idx;
            if (jobs[idx].deadline < *next)
                *next = jobs[idx].deadline;
        }
    }
    for (uint8_t k = 0; k < n; k++)
        l->relay_q[k] = keep[k];
    l->relay_head = 0;
    l->relay_n = n;
}

void ljobs_link_down(lnet_link_t *l)
{
    while (l->relay_n) {                     /* queued to go out on l: never will */
        ljobs_relay_answer(l->relay_q[l->relay_head], CERR_GONE, NULL, 0);
        l->relay_head = (uint8_t)((l->relay_head + 1) % LINK_JOBS);
        l->relay_n--;
    }
}

/* ---- a job's task --------------------------------------------------------------- */

static void local_start(ljob_t *j)
{
    uint16_t idx;
    if (reg_lookup(&j->uuid, &idx) != KERR_OK) {
        job_answer(j, CERR_NOSVC);
        return;
    }
    kerr_t e = reg_connect_index(&j->h, idx, j->iface);
    if (e != KERR_OK) {
        job_answer(j, e == KERR_IFACE_MISMATCH ? CERR_REFUSED : cerr_from_kerr(e));
        return;
    }
    e = reg_reserve(&j->h, LWIRE_PAYLOAD_MAX);
    if (e != KERR_OK) {
        job_answer(j, cerr_from_kerr(e));
        return;
    }
    kmem_set(&j->req, 0, sizeof j->req);
    j->req.opcode = j->op;
    uint8_t *room = reg_request_room(&j->h, &j->req, j->len);
    if (j->len)
        kmem_copy(room, j->data, j->len);
    task_set_timeout(&j->task, LNET_SERVE_NS);
    j->state = J_CALLING;
}

static task_status_t job_poll(task_t *t)
{
    ljob_t *j = kcontainer_of(t, ljob_t, task);
    if (j->state == J_LOCAL)
        local_start(j);
    if (j->state == J_CALLING) {
        kerr_t e = reg_call(&j->h, t, &j->req);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        task_clear_deadline(t);
        if (e == KERR_OK) {
            const reg_msg_t *resp = reg_response(&j->h);
            uint32_t n = resp->len > j->reply_max ? j->reply_max : resp->len;
            j->status = resp->status;
            if (resp->len > j->reply_max)
                j->status = CERR_TOO_BIG, n = 0;
            if (n)
                kmem_copy(j->data, reg_response_data(&j->h), n);
            j->len = n;
        } else {
            j->status = cerr_from_kerr(e);
            j->len = 0;
        }
        j->state = J_REPLY;
    }
    if (j->state != J_REPLY)
        return TASK_PENDING;
    lnet_link_t *l = &lnet.links[j->from];
    if (!lnet_up(l) || l->epoch != j->from_epoch) {
        job_free(j);                         /* the asker's link went meanwhile */
        return TASK_PENDING;
    }
    uint8_t *b = lnet_room(l, 8 + j->len);
    if (!b) {                                /* the stream is full: wait for room */
        task_set_timeout(t, 100000000ull);
        task_park(t, &l->port->tx.producers);
        return TASK_PENDING;
    }
    task_clear_deadline(t);
    kwire_wr_t w = kwire_writer(b, 8 + j->len);
    kwire_put_u32(&w, j->tag);
    kwire_put_u32(&w, (uint32_t)j->status);
    kwire_put_bytes(&w, j->data, j->len);
    lnet_commit(l, LWIRE_REP, w.n);
    if (l->in_flight)
        l->in_flight--;
    job_free(j);
    return TASK_PENDING;
}

void ljobs_init(void)
{
    for (unsigned i = 0; i < LINK_JOBS; i++) {
        kmem_set(&jobs[i], 0, sizeof jobs[i]);
        task_spawn(&jobs[i].task, job_poll, JOB_PRIO);
    }
}
