/* spawnulator -- the service that spawns Forth tasks (see spawnulator.h). */
#include "spawnulator.h"
#include "ftask.h"
#include "kstring.h"
#include "common/cerr.h"
#include "pt.h"
#include "common/uuid.h"

static struct {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[8];
    reg_msg_t req;
    kerr_t err;
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
    m->status = st;
    m->len = st == CERR_OK ? out.n : 0;
    reg_reply_from(m, area);
}

static task_status_t poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, sp.err, reg_serve(&sp.svc, t, &sp.req));
        if (sp.err != KERR_OK)
            break;
        answer(&sp.req);
    }
    PT_EXIT(t, sp.err);
    PT_END(t);
}

kerr_t spawnulator_start(void)
{
    reg_uuid_t u;
    kmem_set(&sp, 0, sizeof sp);
    uuid_parse(SPAWNULATOR_UUID_STR, &u);
    kerr_t err = reg_service_init(&sp.svc, &u, SPAWNULATOR_IFACE, "spawnulator", sp.inbox, 8);
    if (err == KERR_OK)
        err = reg_register(&sp.svc);
    if (err == KERR_OK)
        err = task_spawn(&sp.task, poll, 3);
    return err;
}
