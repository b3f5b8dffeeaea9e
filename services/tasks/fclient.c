/*
 * fclient -- the Forth client layer (see fclient.h): the task's handle
 * table, the connect words, the one async call and its error mapping, and
 * `call`, the generic word any service can be spoken to with.
 *
 *   (uuid-parse)    ( c-addr u -- uuid )       16 bytes in cells (two with
 *                                              64-bit cells, four with 32)
 *   connect         ( uuid -- h )              fail fast: -522 no such service
 *   (connect-or)    ( uuid ior -- h )          the same, throwing ior (and
 *                                              its text) for a missing service
 *   connect-wait    ( uuid -- h )              wait until it registers
 *   connect-timeout ( uuid ms -- h )           ... at most ms: -531 timed out
 *   connect-on      ( uuid n -- h )            on node n (0: this node; else
 *                                              the proxy a link made for it)
 *   disconnect      ( h -- )
 *   call            ( addr u op h buf max -- u2 status )
 *                   request op with the u bytes at addr as its payload; the
 *                   reply's payload (u2 bytes, at most max) lands at buf;
 *                   status is the service's (0 = ok, else an ior).  The
 *                   task waits; the kernel does not.
 *   service-info    ( i c-addr -- u flag )     registry entry i as a line of
 *                   text at c-addr (80 bytes); u = 0 for an empty slot,
 *                   flag false past the last
 */
#include "fclient.h"
#include "common/cerr.h"
#include "common/uuid.h"
#include "kstring.h"
#include "ftask.h"

/* ---- the handle table ------------------------------------------------------- */

_Static_assert(FCLIENT_SLOTS <= 16, "fclient_t.counted: a bit a slot");

void fclient_init(fclient_t *c, kacct_t *acct, unsigned *tree)
{
    kmem_set(c, 0, sizeof *c);
    c->acct = acct;
    c->tree = tree;
}

/* Disconnect slot's handle (it may be connected, stale or never connected)
 * and stop counting it. */
static void disconnect(fclient_t *c, int slot)
{
    reg_disconnect(c->h[slot]);
    if (c->counted & (1u << slot)) {
        c->counted &= (uint16_t)~(1u << slot);
        (*c->tree)--;
    }
}

void fclient_end(fclient_t *c)
{
    for (int i = 0; i < FCLIENT_SLOTS; i++)
        if (c->h[i]) {
            disconnect(c, i);            /* the services release what they hold */
            kacct_free(c->acct, c->h[i]);
            c->h[i] = NULL;
        }
}

static reg_handle_t *slot_handle(fclient_t *c, int slot)
{
    if (!c->h[slot] && (c->h[slot] = kacct_alloc_zero(c->acct, sizeof(reg_handle_t)))) {
        c->h[slot]->acct = c->acct;
        c->h[slot]->group = c->tree;     /* the tree counts as one client */
    }
    return c->h[slot];
}

/* Over the account's quota, or the kernel heap itself out of memory? */
static int nomem(const fclient_t *c, size_t more)
{
    return c->acct && c->acct->used + more > c->acct->limit ? CERR_QUOTA : CERR_NOMEM;
}

/* A THROW code with "name: text" as its message. */
static int fail(fvm_t *vm, const char *name, int code)
{
    char msg[96];
    size_t k = 0;
    for (const char *p = name; p && *p && k < 40; p++)
        msg[k++] = *p;
    if (k) {
        msg[k++] = ':';
        msg[k++] = ' ';
    }
    for (const char *p = cerr_text(code); *p && k < sizeof msg - 1; p++)
        msg[k++] = *p;
    msg[k] = 0;
    return fvm_throw_msg(vm, code, msg);
}

/* Connect slot's handle (disconnected) to the service at idx, presenting
 * iface (0: the service's own: Forth code speaks its layout), if the tree
 * has a connection left and the registry more than FCLIENT_KEEP_FREE. */
static int connect_index(fclient_t *c, int slot, uint16_t idx, uint32_t iface)
{
    reg_service_t *s = reg_service_at(idx);
    if (!s)
        return CERR_NOSVC;
    if (c->tree && *c->tree >= FCLIENT_TREE_CONNS)
        return CERR_HANDLES_FULL;
    if (reg_clients_free() <= FCLIENT_KEEP_FREE)
        return CERR_REFUSED;
    kerr_t e = reg_connect_index(c->h[slot], idx, iface ? iface : s->iface);
    if (e == KERR_OK && c->tree) {
        c->counted |= (uint16_t)(1u << slot);
        (*c->tree)++;
    }
    return cerr_from_kerr(e);
}

/* ---- the call ------------------------------------------------------------------ */

static kerr_t op_call(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)args;
    fclient_t *c = ftask_client(f);
    reg_handle_t *h = c->h[c->slot];
    kerr_t e = reg_call(h, t, &c->req);
    if (e == KERR_PENDING)
        return e;
    int rc;
    if (e != KERR_OK) {
        int code = cerr_from_kerr(e);
        rc = c->svc && c->svc->iors ? c->done(vm, code, NULL, 0, c->arg)
                                    : fail(vm, c->svc ? c->svc->name : "call", code);
    } else {
        const reg_msg_t *r = reg_response(h);
        rc = c->done(vm, r->status, reg_response_data(h), r->len, c->arg);
    }
    if (rc == FVM_PENDING) {             /* done() sent the word's next request */
        task_wake(t);
        return KERR_PENDING;
    }
    if (rc)
        fvm_fail(vm, rc);
    return KERR_OK;
}

/* Open a request on the handle in slot, connected already. */
static int begin_on(fvm_t *vm, fclient_t *c, int slot, uint16_t op, uint32_t len, uint32_t reply_max,
                    uint8_t **payload)
{
    reg_handle_t *h = c->h[slot];
    uint32_t need = len > reply_max ? len : reply_max;
    kerr_t e = reg_reserve(h, need);
    if (e != KERR_OK) {
        *payload = NULL;
        return e == KERR_NOMEM ? nomem(c, need) : cerr_from_kerr(e);
    }
    (void)vm;
    kmem_set(&c->req, 0, sizeof c->req);
    c->req.opcode = op;
    c->slot = (uint8_t)slot;
    *payload = reg_request_room(h, &c->req, len);
    return 0;
}

int fclient_begin(fvm_t *vm, const fclient_svc_t *svc, uint16_t op, uint32_t len,
                  uint32_t reply_max, fclient_done_t done, const void *arg, size_t argn,
                  uint8_t **payload)
{
    ftask_t *f = ftask_of(vm);
    *payload = NULL;
    if (!f)
        return FVM_E_UNSUPPORTED;
    fclient_t *c = ftask_client(f);
    c->svc = svc;
    c->done = done;
    if (argn)                            /* arg may be NULL then */
        kmem_copy(c->arg, arg, argn < FCLIENT_ARG_MAX ? argn : FCLIENT_ARG_MAX);
    int code = 0;
    reg_handle_t *h = slot_handle(c, svc->slot);
    if (!h) {
        code = nomem(c, sizeof *h);
    } else if (!reg_connected(h)) {
        uint16_t idx;
        disconnect(c, svc->slot);        /* a service that went: start afresh */
        if (reg_lookup(&svc->uuid, &idx) != KERR_OK)
            code = svc->absent ? svc->absent : CERR_NOSVC;
        else
            code = connect_index(c, svc->slot, idx, svc->iface);
    }
    if (!code)
        code = begin_on(vm, c, svc->slot, op, len, reply_max, payload);
    if (!code)
        return 0;
    *payload = NULL;
    return svc->iors ? c->done(vm, code, NULL, 0, c->arg) : fail(vm, svc->name, code);
}

int fclient_send(fvm_t *vm)
{
    return ftask_wait_op(ftask_of(vm), op_call, NULL, 0);
}

/* Ctrl-C: stop waiting; the service's late reply is refused, and it can
 * see that the client gave the call up (reg_reply_area is NULL). */
static void call_cancel(ftask_t *f, void *args)
{
    (void)args;
    fclient_t *c = ftask_client(f);
    if (c->h[c->slot])
        reg_abandon(c->h[c->slot]);
}

int fclient_send_intr(fvm_t *vm)
{
    return ftask_wait_op_cancel(ftask_of(vm), op_call, call_cancel, NULL, 0);
}

/* ---- UUIDs on the stack ------------------------------------------------------- */

/* A UUID on the stack: its 16 bytes in cells, the first bytes on top, each
 * cell most significant byte first (64-bit cells: hi = bytes 0..7 on top,
 * lo = bytes 8..15 below). */
#define UUID_CELLS ((int)(sizeof(reg_uuid_t) / sizeof(fvm_cell_t)))

static int push_uuid(fvm_t *vm, const reg_uuid_t *u)
{
    int rc = 0;
    for (int k = UUID_CELLS - 1; k >= 0 && !rc; k--) {
        fvm_ucell_t x = 0;
        for (size_t i = 0; i < sizeof x; i++)
            x = x << 8 | u->b[k * sizeof x + i];
        rc = fvm_push(vm, (fvm_cell_t)x);
    }
    return rc;
}

static int pop_uuid(fvm_t *vm, reg_uuid_t *u)
{
    if (fvm_depth(vm) < UUID_CELLS)
        return FVM_E_STACK_UNDERFLOW;
    for (int k = 0; k < UUID_CELLS; k++) {
        fvm_cell_t c;
        fvm_pop(vm, &c);
        fvm_ucell_t x = (fvm_ucell_t)c;
        for (size_t i = sizeof x; i-- > 0; x >>= 8)
            u->b[k * sizeof x + i] = (uint8_t)x;
    }
    return 0;
}

static int w_uuid_parse(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t a, n;
    if (fvm_depth(vm) < 2)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &n);
    fvm_pop(vm, &a);
    const char *s = n == UUID_STR_LEN ? fvm_mem(vm, a, (size_t)n) : NULL;
    char buf[UUID_STR_LEN + 1];
    reg_uuid_t u;
    if (s) {
        kmem_copy(buf, s, UUID_STR_LEN);
        buf[UUID_STR_LEN] = 0;
    }
    if (!s || uuid_parse(buf, &u) != 0)
        return fvm_abort_msg(vm, "bad UUID: want xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
    return push_uuid(vm, &u);
}

/* ---- the connect words ----------------------------------------------------------- */

static int no_service(fvm_t *vm, const reg_uuid_t *u, int code)
{
    char msg[80] = "no such service ";
    uuid_format(u, msg + 16);
    return fvm_throw_msg(vm, code, msg);
}

/* connect-wait / connect-timeout gave up on u: code's text, the UUID
 * ("timed out waiting for service ..."). */
static int not_connected(fvm_t *vm, const reg_uuid_t *u, int code)
{
    static const char mid[] = " waiting for service ";
    char msg[96];
    const char *why = cerr_text(code);
    size_t n = kstr_len(why, sizeof msg - sizeof mid - UUID_STR_LEN);
    kmem_copy(msg, why, n);
    kmem_copy(msg + n, mid, sizeof mid - 1);
    uuid_format(u, msg + n + sizeof mid - 1);
    return fvm_throw_msg(vm, code, msg);
}

/* A free user slot (its handle allocated), or -1 with *rc set. */
static int free_user_slot(fvm_t *vm, fclient_t *c, int *rc)
{
    for (int i = 0; i < FCLIENT_USER; i++)
        if (!c->h[i] || !c->h[i]->client) {
            if (slot_handle(c, i))
                return i;
            *rc = fail(vm, "connect", nomem(c, sizeof(reg_handle_t)));
            return -1;
        }
    *rc = fail(vm, "connect", CERR_HANDLES_FULL);
    return -1;
}

static int connect_user(fvm_t *vm, fclient_t *c, int slot, uint16_t idx)
{
    int code = connect_index(c, slot, idx, 0);
    return code ? fail(vm, "connect", code) : fvm_push(vm, slot + 1);
}

static int connect_or(fvm_t *vm, int absent)
{
    ftask_t *f = ftask_of(vm);
    reg_uuid_t u;
    uint16_t idx;
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if ((rc = pop_uuid(vm, &u)))
        return rc;
    fclient_t *c = ftask_client(f);
    int slot = free_user_slot(vm, c, &rc);
    if (slot < 0)
        return rc;
    if (reg_lookup(&u, &idx) != KERR_OK)
        return absent ? fvm_throw_msg(vm, absent, cerr_text(absent)) : no_service(vm, &u, CERR_NOSVC);
    return connect_user(vm, c, slot, idx);
}

static int w_connect(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return connect_or(vm, 0);
}

static int w_connect_or(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t code;
    if (fvm_pop(vm, &code))
        return FVM_E_STACK_UNDERFLOW;
    return connect_or(vm, code < 0 && code >= -4095 ? (int)code : CERR_NOSVC);
}

static int w_connect_on(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = ftask_of(vm);
    fvm_cell_t n;
    reg_uuid_t u;
    uint16_t idx;
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_depth(vm) < UUID_CELLS + 1)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &n);
    if (n == 0)
        return connect_or(vm, 0);
    pop_uuid(vm, &u);
    if (n < 0 || n > 255)
        return fail(vm, "connect-on", CERR_NONODE);
    fclient_t *c = ftask_client(f);
    int slot = free_user_slot(vm, c, &rc);
    if (slot < 0)
        return rc;
    if (reg_lookup_node(&u, (uint8_t)n, &idx) != KERR_OK)
        return no_service(vm, &u, CERR_NOSVC);
    return connect_user(vm, c, slot, idx);
}

/* connect-wait / connect-timeout: c->uuid, c->slot; the task's deadline is
 * the timeout's. */
static kerr_t op_connect(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)args;
    fclient_t *c = ftask_client(f);
    uint16_t idx;
    kerr_t e = reg_wait_for(&c->uuid, t, &idx);
    if (e == KERR_PENDING)
        return e;
    task_clear_deadline(t);
    c->connecting = false;
    int rc = e == KERR_OK ? connect_user(vm, c, c->slot, idx)
                          : not_connected(vm, &c->uuid, cerr_from_kerr(e));
    if (rc)
        fvm_fail(vm, rc);
    return KERR_OK;
}

static int connect_waiting(fvm_t *vm, fvm_cell_t ms)
{
    ftask_t *f = ftask_of(vm);
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    fclient_t *c = ftask_client(f);
    if ((rc = pop_uuid(vm, &c->uuid)))
        return rc;
    int slot = free_user_slot(vm, c, &rc);
    if (slot < 0)
        return rc;
    c->slot = (uint8_t)slot;
    c->connecting = true;
    if (ms >= 0)
        task_set_timeout(ftask_task(f), (uint64_t)ms * 1000000u);
    return ftask_wait_op(f, op_connect, NULL, 0);
}

static int w_connect_wait(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return connect_waiting(vm, -1);
}

static int w_connect_timeout(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t ms;
    if (fvm_pop(vm, &ms))
        return FVM_E_STACK_UNDERFLOW;
    if (ms < 0 || ms > 86400000)
        return fail(vm, "connect-timeout", CERR_INVAL);
    return connect_waiting(vm, ms);
}

/* A user handle h (1..FCLIENT_USER) that is connected, or NULL with *rc. */
static reg_handle_t *user_handle(fvm_t *vm, fclient_t *c, fvm_cell_t h, int *rc)
{
    if (h < 1 || h > FCLIENT_USER || !c->h[h - 1] || !c->h[h - 1]->client) {
        *rc = fail(vm, NULL, CERR_HANDLE);
        return NULL;
    }
    return c->h[h - 1];
}

static int w_disconnect(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = ftask_of(vm);
    fvm_cell_t h;
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_pop(vm, &h))
        return FVM_E_STACK_UNDERFLOW;
    fclient_t *c = ftask_client(f);
    reg_handle_t *rh = user_handle(vm, c, h, &rc);
    if (rh) {
        disconnect(c, (int)h - 1);
        kacct_free(c->acct, rh);     /* its call buffer went with it */
        c->h[h - 1] = NULL;
    }
    return rc;
}

/* ---- call ------------------------------------------------------------------------ */

typedef struct {
    fvm_cell_t buf, max;
} callarg_t;

static int call_done(fvm_t *vm, int32_t status, const uint8_t *p, uint32_t n, const void *arg)
{
    const callarg_t *a = arg;
    uint32_t k = (uint64_t)n < (uint64_t)a->max ? n : (uint32_t)a->max;
    void *dst = k ? fvm_mem_w(vm, a->buf, k) : NULL;
    if (k && !dst)
        return FVM_E_INVALID_ADDRESS;
    if (k)
        kmem_copy(dst, p, k);
    int rc = fvm_push(vm, (fvm_cell_t)k);
    return rc ? rc : fvm_push(vm, status);
}

static int w_call(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = ftask_of(vm);
    fvm_cell_t v[6];
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_depth(vm) < 6)
        return FVM_E_STACK_UNDERFLOW;
    for (int i = 5; i >= 0; i--)
        fvm_pop(vm, &v[i]);              /* addr u op h buf max */
    fclient_t *c = ftask_client(f);
    if (!user_handle(vm, c, v[3], &rc))
        return rc;
    if (v[1] < 0 || v[5] < 0 || v[2] < 0 || v[2] > 0xffff)
        return fail(vm, "call", CERR_INVAL);
    if (v[1] > (fvm_cell_t)REG_PAYLOAD_MAX || v[5] > (fvm_cell_t)REG_PAYLOAD_MAX)
        return fail(vm, "call", CERR_TOO_BIG);
    const void *src = v[1] ? fvm_mem(vm, v[0], (size_t)v[1]) : NULL;
    if ((v[1] && !src) || (v[5] && !fvm_mem_w(vm, v[4], (size_t)v[5])))
        return FVM_E_INVALID_ADDRESS;
    uint8_t *payload;
    int code = begin_on(vm, c, (int)v[3] - 1, (uint16_t)v[2], (uint32_t)v[1], (uint32_t)v[5], &payload);
    if (code)
        return fail(vm, "call", code);
    if (v[1])
        kmem_copy(payload, src, (size_t)v[1]);
    c->svc = NULL;
    c->done = call_done;
    callarg_t a = { v[4], v[5] };
    kmem_copy(c->arg, &a, sizeof a);
    /* a call to another node may wait long (a hung node: until the link's
     * timeout): Ctrl-C gives it up; a local service's call completes */
    reg_service_t *s = reg_service_at(c->h[v[3] - 1]->service);
    return s && s->node ? fclient_send_intr(vm) : fclient_send(vm);
}

/* ---- the registry, listed ------------------------------------------------------------ */

static int w_service_info(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t i, a;
    if (fvm_depth(vm) < 2)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &a);
    fvm_pop(vm, &i);
    if (i < 0 || i >= REG_MAX_SERVICES) {
        fvm_push(vm, 0);
        return fvm_push(vm, 0);
    }
    char *line = fvm_mem_w(vm, a, 80);
    if (!line)
        return FVM_E_INVALID_ADDRESS;
    reg_service_t *s = reg_service_at((uint16_t)i);
    int k = 0;
    if (s && s->live) {
        line[k++] = (char)(i >= 100 ? '0' + i / 100 : ' ');
        line[k++] = (char)(i >= 10 ? '0' + i / 10 % 10 : ' ');
        line[k++] = (char)('0' + i % 10);
        line[k++] = ' ';
        line[k++] = ' ';
        uuid_format(&s->uuid, line + k);
        k += UUID_STR_LEN;
        line[k++] = ' ';
        line[k++] = ' ';
        for (const char *n = s->name ? s->name : "?"; *n && k < 78; n++)
            line[k++] = *n;
    }
    fvm_push(vm, k);
    return fvm_push(vm, -1);
}

static const fvm_word_t words[] = {
    { "(uuid-parse)", w_uuid_parse, NULL, 0 }, { "connect", w_connect, NULL, 0 },
    { "(connect-or)", w_connect_or, NULL, 0 }, { "connect-on", w_connect_on, NULL, 0 },
    { "connect-wait", w_connect_wait, NULL, 0 }, { "connect-timeout", w_connect_timeout, NULL, 0 },
    { "disconnect", w_disconnect, NULL, 0 }, { "call", w_call, NULL, 0 },
    { "service-info", w_service_info, NULL, 0 },
};

kerr_t fclient_words_init(void)
{
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
