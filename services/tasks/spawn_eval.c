/*
 * spawn_eval -- the spawnulator's EVAL (see spawn_eval.h).
 *
 * Each eval is a slot: the request's envelope (to answer when the task
 * ends), the task, and its output buffer, charged to the client's account.
 * A slot is given back only here, in spawn_eval_poll, once its task has
 * ended; the task's end (ev_end, from whichever context ends it) and a
 * client's disconnection (spawn_eval_gone) only mark it, so the slots
 * never change under a loop that walks them.
 */
#include "spawn_eval.h"
#include "spawnulator.h"
#include "ftask.h"
#include "common/cerr.h"
#include "kstring.h"
#include "kwire.h"

#define CHECK_NS (500u * 1000000u)     /* how often clients are looked at */

typedef struct {
    bool used;
    bool ended;               /* the task has ended: code is its status */
    bool gone;                /* the client went: out freed, no answer */
    bool timed_out;           /* killed for the time limit */
    reg_msg_t req;            /* the request, to answer */
    kacct_t *acct;            /* the client's: pays for out */
    char *out;                /* SPAWNULATOR_EVAL_OUT bytes, or NULL */
    uint32_t n;               /* bytes kept */
    bool cut;                 /* more came than out holds */
    ftask_t *task;            /* while it runs */
    uint32_t tid;
    int32_t code;
    uint64_t deadline;
} eval_t;

static struct {
    eval_t e[SPAWNULATOR_EVALS];
    task_t *server;
    uint32_t limit_ms;
} ev;

void spawn_eval_reset(task_t *server)
{
    kmem_set(&ev, 0, sizeof ev);
    ev.server = server;
}

void spawn_eval_set_limit_ms(uint32_t ms)
{
    ev.limit_ms = ms;
}

static size_t ev_write(void *ctx, const char *s, size_t n)
{
    eval_t *e = ctx;
    if (e->out) {
        size_t k = n < SPAWNULATOR_EVAL_OUT - e->n ? n : SPAWNULATOR_EVAL_OUT - e->n;
        kmem_copy(e->out + e->n, s, k);
        e->n += (uint32_t)k;
        if (k < n)
            e->cut = true;
    }
    return n;
}

static void ev_end(void *ctx, int32_t status)
{
    eval_t *e = ctx;
    e->ended = true;
    e->code = status;
    e->task = NULL;
    task_wake(ev.server);
}

static void drop_out(eval_t *e)
{
    kacct_free(e->acct, e->out);
    e->out = NULL;
}

int spawn_eval_begin(const reg_msg_t *m)
{
    if (m->len == 0 || m->len > SPAWNULATOR_EVAL_MAX)
        return CERR_INVAL;
    const uint8_t *text = reg_payload(m);
    kacct_t *acct;
    if (!text || reg_client_acct(m, &acct) != KERR_OK)
        return CERR_GONE;
    eval_t *e = NULL;
    for (unsigned i = 0; i < SPAWNULATOR_EVALS && !e; i++)
        if (!ev.e[i].used)
            e = &ev.e[i];
    if (!e)
        return CERR_BUSY;
    kmem_set(e, 0, sizeof *e);
    e->out = kacct_alloc(acct, SPAWNULATOR_EVAL_OUT);
    if (!e->out)
        return acct && acct->used + SPAWNULATOR_EVAL_OUT > acct->limit ? CERR_QUOTA : CERR_NOMEM;
    e->acct = acct;
    e->req = *m;
    ftask_sink_t sink = { ev_write, ev_end, e };
    kerr_t err = ftask_start_eval((const char *)text, m->len, &sink, &e->task);
    if (err != KERR_OK) {
        drop_out(e);
        return cerr_from_kerr(err);
    }
    e->used = true;
    e->tid = ftask_id(e->task);
    uint32_t ms = ev.limit_ms ? ev.limit_ms : SPAWNULATOR_EVAL_MS;
    e->deadline = plat_now() + (uint64_t)ms * 1000000u;
    return SPAWN_EVAL_KEPT;
}

void spawn_eval_gone(uint16_t client)
{
    for (unsigned i = 0; i < SPAWNULATOR_EVALS; i++) {
        eval_t *e = &ev.e[i];
        if (!e->used || e->gone || e->req.client != client)
            continue;
        e->gone = true;
        drop_out(e);
        if (e->task)
            ftask_kill(e->task, 0);       /* ev_end marks it ended */
    }
}

/* The reply: i32 code, then the output, cut to what the client takes. */
static void answer(eval_t *e)
{
    uint32_t max;
    uint8_t *area = reg_reply_area(&e->req, &max);
    if (!area)
        return;
    uint32_t n = e->n;
    bool cut = e->cut;
    if (4 + n > max) {
        n = max - 4;
        cut = true;
    }
    if (cut && n >= 4) {
        n -= 4;
        kmem_copy(e->out + n, "...\n", 4);
        n += 4;
    }
    int32_t code = e->timed_out ? CERR_TIMEOUT : e->code;
    kwire_wr_t w = kwire_writer(area, max);
    kwire_put_u32(&w, (uint32_t)code);
    kwire_put_bytes(&w, e->out, n);
    e->req.status = CERR_OK;
    e->req.len = w.n;
    reg_reply_from(&e->req, area);
}

static void release(eval_t *e)
{
    if (!e->gone)
        answer(e);
    drop_out(e);
    ftask_t *f = ftask_find(e->tid);
    if (f)
        ftask_forget(f);                  /* nobody else waits for it */
    e->used = false;
}

uint64_t spawn_eval_poll(void)
{
    uint64_t now = plat_now(), next = 0;
    for (unsigned i = 0; i < SPAWNULATOR_EVALS; i++) {
        eval_t *e = &ev.e[i];
        if (!e->used || e->ended)
            continue;
        uint32_t max;
        if (!e->gone && !reg_reply_area(&e->req, &max)) {
            e->gone = true;               /* the client gave up the call */
            drop_out(e);
        }
        if (e->gone || now >= e->deadline) {
            e->timed_out = !e->gone;
            ftask_kill(e->task, 0);
        }
    }
    for (unsigned i = 0; i < SPAWNULATOR_EVALS; i++) {
        eval_t *e = &ev.e[i];
        if (e->used && e->ended)
            release(e);
        else if (e->used && (!next || e->deadline < next))
            next = e->deadline;
    }
    if (next && next > now + CHECK_NS)
        next = now + CHECK_NS;
    return next;
}
