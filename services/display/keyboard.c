/* keyboard -- the keyboard service and mux (see keyboard.h). */
#include "keyboard.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
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
    uint32_t nsubs, published, dropped;
} kb;

kerr_t keyboard_subscribe(bbq_t **out)
{
    if (kb.nsubs >= KEYBOARD_MAX_SUBS)
        return KERR_REG_FULL;
    bbq_t *q = kalloc_zero(sizeof *q + KEYBOARD_RING);
    if (!q)
        return KERR_NOMEM;
    bbq_init(q, (uint8_t *)(q + 1), KEYBOARD_RING);
    kb.subs[kb.nsubs++] = q;
    *out = q;
    return KERR_OK;
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

static void answer(reg_msg_t *m)
{
    uint8_t out[8];
    if (m->opcode == KEYBOARD_OP_SUBSCRIBE) {
        bbq_t *q = NULL;
        kerr_t e = keyboard_subscribe(&q);
        m->status = e;
        m->len = 0;
        m->flags = e == KERR_OK ? REG_MSG_EXT : 0;
        m->data.ext.ptr = q;
        reg_reply(m);
    } else if (m->opcode == KEYBOARD_OP_STATS) {
        for (int i = 0; i < 4; i++) {
            out[i] = (uint8_t)(kb.published >> 8 * i);
            out[4 + i] = (uint8_t)(kb.dropped >> 8 * i);
        }
        m->flags = 0;
        reg_reply_bytes(m, 0, out, 8);
    } else {
        m->flags = 0;
        reg_reply_bytes(m, KERR_INVAL, NULL, 0);
    }
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

/* The source port (sermux port 2): every byte is a key. */
static task_status_t reader_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, kb.rerr, bbq_read_wait(&kb.src->rx, t, &kb.g));
        if (kb.rerr != KERR_OK)
            break;
        keyboard_publish(kb.g.ptr, kb.g.len);
        bbq_release(&kb.src->rx, kb.g.len);
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
    if (err == KERR_OK)
        err = reg_register(&kb.svc);
    if (err == KERR_OK)
        err = task_spawn(&kb.task, serve_poll, KEYBOARD_PRIO);
    if (err == KERR_OK && src)
        err = task_spawn(&kb.reader, reader_poll, KEYBOARD_PRIO);
    return err;
}
