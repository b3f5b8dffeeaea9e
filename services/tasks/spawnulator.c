/* spawnulator -- the service that spawns Forth tasks (see spawnulator.h). */
#include "spawnulator.h"
#include "ftask.h"
#include "kstring.h"
#include "pt.h"
#include "common/uuid.h"

static struct {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[8];
    reg_msg_t req;
    kerr_t err;
} sp;

static uint16_t u16_at(const reg_msg_t *m, uint32_t off)
{
    return (uint16_t)(m->data.bytes[off] | m->data.bytes[off + 1] << 8);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void answer(reg_msg_t *m)
{
    uint8_t out[REG_INLINE_MAX];
    uint32_t n = 0;
    int32_t status = 0;
    bool has_id = !(m->flags & REG_MSG_EXT) && m->len >= 2;
    ftask_t *f = has_id ? ftask_find(u16_at(m, 0)) : NULL;

    if (m->opcode == SPAWNULATOR_OP_SHELL && has_id) {
        port_t *p = ftask_child_port ? ftask_child_port(u16_at(m, 0)) : NULL;
        ftask_t *s;
        if (!p)
            status = KERR_NOT_FOUND;
        else if ((status = ftask_start_shell(p, &s)) == KERR_OK) {
            put16(out, ftask_id(s));
            n = 2;
        }
    } else if (m->opcode == SPAWNULATOR_OP_KILL && has_id) {
        status = f ? ftask_kill(f) : KERR_NOT_FOUND;
    } else if (m->opcode == SPAWNULATOR_OP_STATUS && has_id) {
        if (!f) {
            status = KERR_NOT_FOUND;
        } else {
            int32_t code = ftask_ended(f) ? ftask_status(f) : 0;
            out[0] = !ftask_ended(f);
            for (int i = 0; i < 4; i++)
                out[1 + i] = (uint8_t)((uint32_t)code >> (8 * i));
            n = 5;
        }
    } else if (m->opcode == SPAWNULATOR_OP_LIST) {
        uint16_t count = 0;
        for (ftask_t *x = ftask_first(); x && count < 15; x = ftask_next(x))
            if (!ftask_ended(x))
                put16(out + 2 + 2 * count++, ftask_id(x));
        put16(out, count);
        n = 2u + 2u * count;
    } else {
        status = KERR_INVAL;
    }
    reg_reply_bytes(m, status, out, n);
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
