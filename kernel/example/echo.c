/* echo -- the example service and client (see echo.h). */
#include "echo.h"
#include "pt.h"
#include "kstring.h"

static const reg_uuid_t echo_uuid = ECHO_UUID_INIT;

/* The reply is the request's own payload, transformed in place: the
 * registry hands out the same bytes (inline, or the client's call buffer). */
static void answer(reg_msg_t *m)
{
    uint32_t n = m->len;
    if (m->opcode != ECHO_OP_ECHO && m->opcode != ECHO_OP_UPPER && m->opcode != ECHO_OP_QUIT) {
        reg_reply_bytes(m, ECHO_ERR_OP, NULL, 0);
        return;
    }
    uint8_t *p = reg_reply_room(m, n);
    if (!p)
        return;                          /* the client has gone */
    if (m->opcode == ECHO_OP_UPPER)
        for (uint32_t i = 0; i < n; i++)
            if (p[i] >= 'a' && p[i] <= 'z')
                p[i] = (uint8_t)(p[i] - 'a' + 'A');
    m->status = 0;
    reg_reply(m);
}

static task_status_t service_poll(task_t *t)
{
    echo_service_t *e = kcontainer_of(t, echo_service_t, task);
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, e->err, reg_serve(&e->svc, t, &e->req));
        if (e->err != KERR_OK)
            break;                       /* inbox closed: unregistered */
        answer(&e->req);
        e->served++;
        if (e->req.opcode == ECHO_OP_QUIT)
            break;
    }
    if (e->svc.live)
        reg_unregister(&e->svc);
    PT_EXIT(t, (int32_t)e->served);
    PT_END(t);
}

kerr_t echo_start(echo_service_t *e, uint8_t prio)
{
    e->served = 0;
    e->task.flags = 0;
    e->task.on_exit = NULL;
    kerr_t err = reg_service_init(&e->svc, &echo_uuid, ECHO_IFACE, "echo", e->inbox, 8);
    if (err == KERR_OK)
        err = reg_register(&e->svc);
    if (err == KERR_OK)
        err = task_spawn(&e->task, service_poll, prio);
    return err;
}

static void ping_text(reg_msg_t *m, uint32_t n)
{
    static const char p[] = "ping ";
    uint32_t len = 0;
    for (; p[len]; len++)
        m->data[len] = (uint8_t)p[len];
    char d[10];
    int k = 0;
    do {
        d[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (k)
        m->data[len++] = (uint8_t)d[--k];
    m->len = len;
}

static task_status_t client_poll(task_t *t)
{
    echo_client_t *c = kcontainer_of(t, echo_client_t, task);
    PT_BEGIN(t);
    PT_WAIT_OP(t, c->err, reg_connect(&c->h, &echo_uuid, ECHO_IFACE, t));
    if (c->err != KERR_OK)
        PT_EXIT(t, -(int32_t)c->err);
    for (c->i = 0; c->i < c->count; c->i++) {
        c->msg.opcode = ECHO_OP_ECHO;
        c->msg.flags = 0;
        ping_text(&c->msg, c->i);
        if (c->timeout_ns)
            task_set_timeout(t, c->timeout_ns);
        PT_WAIT_OP(t, c->err, reg_call(&c->h, t, &c->msg));
        task_clear_deadline(t);
        if (c->err != KERR_OK) {
            reg_disconnect(&c->h);
            PT_EXIT(t, -(int32_t)c->err);
        }
        const reg_msg_t *r = reg_response(&c->h);
        if (r->status == 0 && r->len == c->msg.len && r->request == c->msg.request &&
            kmem_eq(r->data, c->msg.data, r->len))
            c->good++;
        if (c->gap_ns) {
            c->wake_at = plat_now() + c->gap_ns;
            PT_SLEEP_UNTIL(t, c->wake_at);
        }
    }
    reg_disconnect(&c->h);
    PT_EXIT(t, (int32_t)c->good);
    PT_END(t);
}

kerr_t echo_client_start(echo_client_t *c, uint8_t prio, uint32_t count,
                         uint64_t gap_ns, uint64_t timeout_ns)
{
    c->count = count;
    c->gap_ns = gap_ns;
    c->timeout_ns = timeout_ns;
    c->good = 0;
    c->task.flags = 0;
    c->task.on_exit = NULL;
    return task_spawn(&c->task, client_poll, prio);
}
