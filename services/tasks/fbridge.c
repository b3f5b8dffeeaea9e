/*
 * fbridge -- Forth calls services by UUID: the bridge between a Forth task
 * and the kernel registry.  A service written in C becomes callable from
 * Forth by registering; nothing here or in forth/ changes for it.
 *
 *   (uuid-parse) ( c-addr u -- lo hi )   the 128-bit UUID in two cells
 *                                        (forth-lib's uuid" wraps it)
 *   connect      ( lo hi -- h )          fail fast: unknown UUID throws
 *   connect-wait ( lo hi -- h )          wait until the service registers
 *   disconnect   ( h -- )
 *   call         ( addr u op h buf max -- u2 status )
 *                request opcode op with payload addr u; the reply's inline
 *                payload is copied to buf (at most max bytes); u2 is its
 *                length (0 for an out-of-line reply: those point into
 *                kernel memory and never reach Forth), status the
 *                service's (0 = ok).  The task waits;
 *                the kernel does not.  A dead service, a bad handle or a
 *                refused request throws with a clear message.
 *   services     ( -- )                  list the registry
 *
 * With 32-bit cells a UUID is four cells, not two (UUID_CELLS).
 *
 * The generic envelope is the registry's (reg_msg_t): payloads up to
 * REG_INLINE_MAX bytes travel inline, longer ones by pointer into the
 * task's own VM memory (valid while the task waits).  Forth code speaks a
 * service's own message layout, so connect presents the service's own
 * interface hash.
 */
#include "ftask.h"
#include "kstring.h"
#include "common/uuid.h"

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

/* The caller checked the depth. */
static void pop_uuid(fvm_t *vm, reg_uuid_t *u)
{
    for (int k = 0; k < UUID_CELLS; k++) {
        fvm_cell_t c;
        fvm_pop(vm, &c);
        fvm_ucell_t x = (fvm_ucell_t)c;
        for (size_t i = sizeof x; i-- > 0; x >>= 8)
            u->b[k * sizeof x + i] = (uint8_t)x;
    }
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

static int free_slot(ftask_t *f)
{
    reg_handle_t **hs = ftask_handles(f);
    for (int i = 0; i < FTASK_HANDLES; i++)
        if (!hs[i] || !hs[i]->client)
            return i;
    return -1;
}

static int unknown(fvm_t *vm, const reg_uuid_t *u)
{
    char msg[64] = "unknown service ";
    uuid_format(u, msg + 16);
    return fvm_abort_msg(vm, msg);
}

/* Connect slot i to the service with uuid u; push the handle. */
static int connect_slot(fvm_t *vm, ftask_t *f, int i, const reg_uuid_t *u)
{
    uint16_t idx;
    if (reg_lookup(u, &idx) != KERR_OK)
        return unknown(vm, u);
    reg_handle_t **hs = ftask_handles(f);
    if (!hs[i] && !(hs[i] = kalloc_zero(sizeof(reg_handle_t))))
        return fvm_abort_msg(vm, "connect: out of memory");
    kerr_t err = reg_connect_index(hs[i], idx, reg_service_at(idx)->iface);
    if (err != KERR_OK)
        return fvm_abort_msg(vm, err == KERR_REG_FULL ? "connect: too many clients" : kerr_str(err));
    return fvm_push(vm, i + 1);
}

static int w_connect(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = ftask_of(vm);
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_depth(vm) < UUID_CELLS)
        return FVM_E_STACK_UNDERFLOW;
    reg_uuid_t u;
    pop_uuid(vm, &u);
    int i = free_slot(f);
    if (i < 0)
        return fvm_abort_msg(vm, "connect: all handles in use");
    return connect_slot(vm, f, i, &u);
}

/* connect-wait: scratch holds the UUID; poll until the service appears. */
static kerr_t op_connect(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    const reg_uuid_t *u = scratch;
    uint16_t idx;
    if (reg_lookup(u, &idx) != KERR_OK) {
        reg_handle_t probe = { 0 };
        kerr_t err = reg_connect(&probe, u, 0, t);   /* parks until a service registers */
        if (err == KERR_PENDING)
            return err;
        if (err == KERR_OK)
            reg_disconnect(&probe);
        if (reg_lookup(u, &idx) != KERR_OK) {
            if (err == KERR_TIMEOUT) {
                fvm_fail(vm, unknown(vm, u));
                return KERR_OK;
            }
            task_wake(t);
            return KERR_PENDING;
        }
    }
    int i = free_slot(f);
    int rc = i < 0 ? fvm_abort_msg(vm, "connect: all handles in use") : connect_slot(vm, f, i, u);
    if (rc)
        fvm_fail(vm, rc);
    return KERR_OK;
}

static int w_connect_wait(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = ftask_of(vm);
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_depth(vm) < UUID_CELLS)
        return FVM_E_STACK_UNDERFLOW;
    pop_uuid(vm, ftask_scratch(f));
    return ftask_wait_op(f, op_connect);
}

static reg_handle_t *handle(fvm_t *vm, ftask_t *f, fvm_cell_t h, int *rc)
{
    reg_handle_t **hs = ftask_handles(f);
    if (h < 1 || h > FTASK_HANDLES || !hs[h - 1] || !hs[h - 1]->client) {
        *rc = fvm_abort_msg(vm, "not a connected service handle");
        return NULL;
    }
    return hs[h - 1];
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
    reg_handle_t *rh = handle(vm, f, h, &rc);
    if (rh)
        reg_disconnect(rh);
    return rc;
}

/* call: the request is built in scratch (a reg_msg_t), the reply buffer
 * and handle follow it. */
struct callargs {
    reg_msg_t req;
    fvm_cell_t buf, max, h;
};
_Static_assert(sizeof(struct callargs) <= FTASK_SCRATCH, "scratch too small");

static kerr_t op_call(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    struct callargs *a = scratch;
    reg_handle_t *h = ftask_handles(f)[a->h - 1];
    kerr_t err = reg_call(h, t, &a->req);
    if (err == KERR_PENDING)
        return err;
    if (err != KERR_OK) {
        char msg[64] = "service call failed: ";
        const char *e = kerr_str(err);
        size_t k = 21;
        while (*e && k < sizeof msg - 1)
            msg[k++] = *e++;
        msg[k] = 0;
        fvm_fail(vm, fvm_abort_msg(vm, msg));
        return KERR_OK;
    }
    const reg_msg_t *r = reg_response(h);
    /* Only inline payloads reach Forth: an out-of-line reply points into
     * kernel or service memory, which a task must neither read nor learn. */
    const void *src = r->data.bytes;
    uint32_t n = (r->flags & REG_MSG_EXT) ? 0 : r->len;
    if (n > REG_INLINE_MAX)
        n = REG_INLINE_MAX;
    uint32_t k = n < (uint64_t)a->max ? n : (uint32_t)a->max;
    void *dst = k ? fvm_mem_w(vm, a->buf, k) : NULL;
    if (k && !dst) {
        fvm_fail(vm, FVM_E_INVALID_ADDRESS);
        return KERR_OK;
    }
    if (k && src)
        kmem_copy(dst, src, k);
    fvm_push(vm, (fvm_cell_t)n);
    fvm_push(vm, r->status);
    return KERR_OK;
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
    if (!handle(vm, f, v[3], &rc))
        return rc;
    if (v[1] < 0 || v[1] > 0xffff || v[5] < 0 || (v[5] && !fvm_mem_w(vm, v[4], (size_t)v[5])))
        return FVM_E_INVALID_ADDRESS;
    const void *payload = v[1] ? fvm_mem(vm, v[0], (size_t)v[1]) : NULL;
    if (v[1] && !payload)
        return FVM_E_INVALID_ADDRESS;
    struct callargs *a = ftask_scratch(f);
    kmem_set(&a->req, 0, sizeof a->req);
    a->req.opcode = (uint16_t)v[2];
    a->req.len = (uint32_t)v[1];
    if (v[1] <= REG_INLINE_MAX) {
        if (v[1])
            kmem_copy(a->req.data.bytes, payload, (size_t)v[1]);
    } else {
        a->req.flags = REG_MSG_EXT;
        a->req.data.ext.ptr = (void *)payload;   /* the VM block: stable while we wait */
    }
    a->buf = v[4];
    a->max = v[5];
    a->h = v[3];
    return ftask_wait_op(f, op_call);
}

static int w_services(fvm_t *vm, void *ctx)
{
    (void)ctx;
    static const char hdr[] = "  #  uuid                                  name\n";
    fvm_type(vm, hdr, sizeof hdr - 1);
    for (uint16_t i = 0; i < REG_MAX_SERVICES; i++) {
        reg_service_t *s = reg_service_at(i);
        if (!s || !s->live)
            continue;
        char line[96];
        int k = 0;
        line[k++] = ' ';
        line[k++] = (char)(i >= 10 ? '0' + i / 10 : ' ');
        line[k++] = (char)('0' + i % 10);
        line[k++] = ' ';
        line[k++] = ' ';
        uuid_format(&s->uuid, line + k);
        k += UUID_STR_LEN;
        line[k++] = ' ';
        line[k++] = ' ';
        for (const char *n = s->name ? s->name : "?"; *n && k < 90; n++)
            line[k++] = *n;
        line[k++] = '\n';
        fvm_type(vm, line, (size_t)k);
    }
    return 0;
}

static const fvm_word_t words[] = {
    { "(uuid-parse)", w_uuid_parse, NULL, 0 }, { "connect", w_connect, NULL, 0 },
    { "connect-wait", w_connect_wait, NULL, 0 }, { "disconnect", w_disconnect, NULL, 0 },
    { "call", w_call, NULL, 0 }, { "services", w_services, NULL, 0 },
};

kerr_t fbridge_init(void)
{
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
