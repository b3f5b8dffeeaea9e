/* spawnulator -- the service that spawns Forth tasks (see spawnulator.h). */
#include "spawnulator.h"
#include "ftask.h"
#include "spawn_eval.h"
#include "kstring.h"
#include "common/cerr.h"
#include "common/uuid.h"

static struct {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[8];
    reg_msg_t req;
} sp;

static int answer_op(reg_msg_t *m, kwire_rd_t *in, kwire_wr_t *out)
{
    uint16_t op = m->opcode;
    if (op == SPAWNULATOR_OP_SHELL) {
        uint16_t port = kwire_u16(in);
        if (!kwire_done(in))
            return CERR_INVAL;
        ftask_t *s;
        kerr_t e = ftask_start_shell_on(port, &s);
        if (e == KERR_NOT_FOUND)
            return CERR_NOPORT;
        if (e == KERR_REG_FULL)
            return CERR_BUSY;
        if (e != KERR_OK)
            return cerr_from_kerr(e);
        kwire_put_u32(out, ftask_id(s));
        return CERR_OK;
    }
    if (op == SPAWNULATOR_OP_KILL || op == SPAWNULATOR_OP_STATUS) {
        uint32_t id = kwire_u32(in);
        if (!kwire_done(in))
            return CERR_INVAL;
        ftask_t *f = ftask_find(id);
        if (!f)
            return CERR_NOTASK;
        if (op == SPAWNULATOR_OP_KILL) {
            ftask_kill(f, 0);
            return CERR_OK;
        }
        kwire_put_u8(out, !ftask_ended(f));
        kwire_put_u32(out, (uint32_t)(ftask_ended(f) ? ftask_status(f) : 0));
        return CERR_OK;
    }
    if (op == SPAWNULATOR_OP_EVAL)
        return spawn_eval_begin(m);
    if (op == SPAWNULATOR_OP_LIST) {
        if (!kwire_done(in))
            return CERR_INVAL;
        uint8_t *count = kwire_room(out, 4);
        uint32_t n = 0;
        for (ftask_t *x = ftask_first(); x; x = ftask_next(x))
            if (!ftask_ended(x)) {
                if (out->cap - out->n >= 4)
                    kwire_put_u32(out, ftask_id(x));
                n++;
            }
        if (!count)
            return CERR_TOO_BIG;
        kwire_wr_t c = kwire_writer(count, 4);
        kwire_put_u32(&c, n);
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
    if (st == SPAWN_EVAL_KEPT || st == CERR_GONE)
        return;                          /* answered when it ends / nobody to answer */
    m->status = st;
    m->len = st == CERR_OK ? out.n : 0;
    reg_reply_from(m, area);
}

/* Serve requests; between them, look after the evals running (woken when
 * one ends, and at the next time limit). */
static task_status_t poll(task_t *t)
{
    for (;;) {
        uint64_t next = spawn_eval_poll();
        kerr_t err = reg_serve(&sp.svc, t, &sp.req);
        if (err == KERR_OK) {
            answer(&sp.req);
            continue;
        }
        if (err == KERR_TIMEOUT) {
            task_clear_deadline(t);
            continue;
        }
        if (err != KERR_PENDING)
            return task_exit(t, err);
        if (next)
            task_set_deadline(t, next);
        else
            task_clear_deadline(t);
        return TASK_PENDING;
    }
}

static void on_gone(reg_service_t *s, uint16_t client)
{
    (void)s;
    spawn_eval_gone(client);
}

void spawnulator_test_eval_ms(uint32_t ms)
{
    spawn_eval_set_limit_ms(ms);
}

kerr_t spawnulator_start(void)
{
    reg_uuid_t u;
    kmem_set(&sp, 0, sizeof sp);
    spawn_eval_reset(&sp.task);
    uuid_parse(SPAWNULATOR_UUID_STR, &u);
    kerr_t err = reg_service_init(&sp.svc, &u, SPAWNULATOR_IFACE, "spawnulator", sp.inbox, 8);
    sp.svc.on_gone = on_gone;
    if (err == KERR_OK)
        err = reg_register(&sp.svc);
    if (err == KERR_OK)
        err = task_spawn(&sp.task, poll, 3);
    return err;
}
