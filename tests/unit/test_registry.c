/* Unit tests: kernel/registry.c (every error code) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

#define IFACE 0x1234u

static reg_service_t svcs[REG_MAX_SERVICES + 1];
static reg_msg_t inboxes[REG_MAX_SERVICES + 1][4];
static reg_handle_t handles[REG_MAX_CLIENTS + 1];

static reg_uuid_t uuid(int n)
{
    reg_uuid_t u = { { 0xc1, 0x10 } };
    u.b[15] = (uint8_t)n;
    u.b[14] = (uint8_t)(n >> 8);
    return u;
}

static void svc_init(int i)
{
    reg_uuid_t u = uuid(i);
    assert_int_equal(reg_service_init(&svcs[i], &u, IFACE, "t", inboxes[i], 4), KERR_OK);
}

/* Register service i and connect handles[0] to it. */
static void connect_to(int i)
{
    svc_init(i);
    assert_int_equal(reg_register(&svcs[i]), KERR_OK);
    reg_uuid_t u = uuid(i);
    assert_int_equal(reg_connect(&handles[0], &u, IFACE, NULL), KERR_OK);
}

/* A client task doing one reg_call(). */
typedef struct {
    task_t task;
    reg_handle_t *h;
    reg_msg_t msg;
    kerr_t err;
} caller_t;

static caller_t caller;

static task_status_t caller_poll(task_t *t)
{
    caller_t *c = kcontainer_of(t, caller_t, task);
    c->err = reg_call(c->h, t, &c->msg);
    return c->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static void start_call(reg_handle_t *h, uint16_t op, const char *text)
{
    caller = (caller_t){ .h = h };
    caller.msg.opcode = op;
    caller.msg.len = (uint32_t)strlen(text);
    memcpy(caller.msg.data, text, caller.msg.len);
    assert_int_equal(task_spawn(&caller.task, caller_poll, 1), KERR_OK);
}

static void run_all(void)
{
    for (int i = 0; i < 100 && kernel_tick() == 0; i++)
        ;
}

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    memset(svcs, 0, sizeof svcs);
    memset(handles, 0, sizeof handles);
    return 0;
}

static void test_kerr_str__every_code_named_and_distinct(void **state)
{
    (void)state;
    for (int i = 0; i < KERR_COUNT; i++) {
        assert_non_null(kerr_str((kerr_t)i));
        assert_string_not_equal(kerr_str((kerr_t)i), "unknown error");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(kerr_str((kerr_t)i), kerr_str((kerr_t)j));
    }
    assert_string_equal(kerr_str(KERR_COUNT), "unknown error");
    assert_string_equal(kerr_str(KERR_DUPLICATE), "duplicate UUID");
}

static void test_reg_register__lookup_by_uuid_then_index(void **state)
{
    (void)state;
    svc_init(0);
    svc_init(1);
    assert_int_equal(reg_register(&svcs[0]), KERR_OK);
    assert_int_equal(reg_register(&svcs[1]), KERR_OK);
    uint16_t idx = 99;
    reg_uuid_t u = uuid(1);
    assert_int_equal(reg_lookup(&u, &idx), KERR_OK);
    assert_int_equal(idx, svcs[1].index);
    assert_ptr_equal(reg_service_at(idx), &svcs[1]);
    assert_int_equal(reg_connect_index(&handles[0], idx, IFACE), KERR_OK);
    assert_int_equal(handles[0].service, idx);
}

static void test_reg_register__duplicate_uuid(void **state)
{
    (void)state;
    svc_init(0);
    assert_int_equal(reg_register(&svcs[0]), KERR_OK);
    reg_uuid_t u = uuid(0);
    reg_service_init(&svcs[1], &u, IFACE, "dup", inboxes[1], 4);
    assert_int_equal(reg_register(&svcs[1]), KERR_DUPLICATE);
    assert_int_equal(reg_register(&svcs[0]), KERR_INVAL);       /* already live */
}

static void test_reg_register__full(void **state)
{
    (void)state;
    for (int i = 0; i < REG_MAX_SERVICES; i++) {
        svc_init(i);
        assert_int_equal(reg_register(&svcs[i]), KERR_OK);
    }
    svc_init(REG_MAX_SERVICES);
    assert_int_equal(reg_register(&svcs[REG_MAX_SERVICES]), KERR_REG_FULL);
    reg_unregister(&svcs[3]);
    assert_int_equal(reg_register(&svcs[REG_MAX_SERVICES]), KERR_OK);
}

static void test_reg_connect__not_found_fails_fast(void **state)
{
    (void)state;
    reg_uuid_t u = uuid(7);
    uint16_t idx;
    assert_int_equal(reg_connect(&handles[0], &u, IFACE, NULL), KERR_NOT_FOUND);
    assert_int_equal(reg_lookup(&u, &idx), KERR_NOT_FOUND);
    assert_int_equal(reg_connect_index(&handles[0], 5, IFACE), KERR_NOT_FOUND);
}

static void test_reg_connect__interface_mismatch(void **state)
{
    (void)state;
    svc_init(0);
    reg_register(&svcs[0]);
    reg_uuid_t u = uuid(0);
    assert_int_equal(reg_connect(&handles[0], &u, IFACE + 1, NULL), KERR_IFACE_MISMATCH);
    assert_int_equal(reg_connect(&handles[0], &u, IFACE, NULL), KERR_OK);
}

static void test_reg_connect__client_table_full(void **state)
{
    (void)state;
    svc_init(0);
    reg_register(&svcs[0]);
    reg_uuid_t u = uuid(0);
    for (int i = 0; i < REG_MAX_CLIENTS; i++)
        assert_int_equal(reg_connect(&handles[i], &u, IFACE, NULL), KERR_OK);
    assert_int_equal(reg_connect(&handles[REG_MAX_CLIENTS], &u, IFACE, NULL), KERR_REG_FULL);
    reg_disconnect(&handles[5]);
    assert_int_equal(reg_connect(&handles[REG_MAX_CLIENTS], &u, IFACE, NULL), KERR_OK);
    assert_int_not_equal(handles[REG_MAX_CLIENTS].client, handles[6].client);
}

typedef struct {
    task_t task;
    reg_handle_t h;
    kerr_t err;
} connector_t;

static connector_t con;

static task_status_t connector_poll(task_t *t)
{
    connector_t *c = kcontainer_of(t, connector_t, task);
    reg_uuid_t u = uuid(9);
    c->err = reg_connect(&c->h, &u, IFACE, t);
    return c->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static void test_reg_connect__waits_until_service_appears(void **state)
{
    (void)state;
    con = (connector_t){ .err = KERR_OK };
    task_spawn(&con.task, connector_poll, 1);
    run_all();
    assert_int_equal(con.err, KERR_PENDING);
    svc_init(0);
    reg_register(&svcs[0]);                 /* another UUID: wakes, re-parks */
    run_all();
    assert_int_equal(con.err, KERR_PENDING);
    svc_init(9);
    reg_register(&svcs[9]);
    run_all();
    assert_int_equal(con.err, KERR_OK);
    assert_int_equal(con.h.service, svcs[9].index);
}

static void test_reg_connect__wait_times_out(void **state)
{
    (void)state;
    con = (connector_t){ .err = KERR_OK };
    task_spawn(&con.task, connector_poll, 1);
    task_set_timeout(&con.task, 100);
    run_all();
    plat_linux_advance(100);
    run_all();
    assert_int_equal(con.err, KERR_TIMEOUT);
}

/* Serve one request by hand: echo the payload with status 5. */
static void serve_one(int i, reg_msg_t *got)
{
    reg_msg_t m;
    assert_int_equal(kchan_try_recv(&svcs[i].inbox, &m), KERR_OK);
    *got = m;
    assert_int_equal(reg_reply_bytes(&m, 5, m.data, m.len), KERR_OK);
}

static void test_reg_call__ids_travel_both_ways(void **state)
{
    (void)state;
    connect_to(2);
    for (uint32_t n = 1; n <= 3; n++) {
        start_call(&handles[0], 7, "abc");
        run_all();
        assert_int_equal(caller.err, KERR_PENDING);
        reg_msg_t req;
        serve_one(2, &req);
        assert_int_equal(req.service, svcs[2].index);
        assert_int_equal(req.client, handles[0].client);
        assert_int_equal(req.request, n);
        assert_int_equal(req.opcode, 7);
        run_all();
        assert_int_equal(caller.err, KERR_OK);
        const reg_msg_t *r = reg_response(&handles[0]);
        assert_int_equal(r->status, 5);
        assert_int_equal(r->request, n);
        assert_int_equal(r->client, handles[0].client);
        assert_int_equal(r->service, svcs[2].index);
        assert_int_equal(r->len, 3);
        assert_memory_equal(r->data, "abc", 3);
    }
}

static void test_reg_call__service_gone_before_call(void **state)
{
    (void)state;
    connect_to(0);
    reg_unregister(&svcs[0]);
    svc_init(1);
    reg_register(&svcs[1]);                 /* reuses the slot */
    start_call(&handles[0], 1, "x");
    run_all();
    assert_int_equal(caller.err, KERR_GONE);
    assert_int_equal(reg_unregister(&svcs[0]), KERR_INVAL);
}

static void test_reg_call__service_gone_during_call(void **state)
{
    (void)state;
    connect_to(0);
    start_call(&handles[0], 1, "x");
    run_all();
    assert_int_equal(caller.err, KERR_PENDING);
    reg_unregister(&svcs[0]);
    run_all();
    assert_int_equal(caller.err, KERR_GONE);
}

static void test_reg_call__gone_while_inbox_full(void **state)
{
    (void)state;
    svc_init(0);
    reg_register(&svcs[0]);
    reg_msg_t filler = { 0 };
    for (int i = 0; i < 4; i++)
        kchan_try_send(&svcs[0].inbox, &filler);
    reg_uuid_t u = uuid(0);
    reg_connect(&handles[0], &u, IFACE, NULL);
    start_call(&handles[0], 1, "x");
    run_all();
    assert_int_equal(caller.err, KERR_PENDING);   /* parked on the full inbox */
    reg_unregister(&svcs[0]);
    run_all();
    assert_int_equal(caller.err, KERR_GONE);
}

static void test_reg_call__timeout_then_late_reply_refused(void **state)
{
    (void)state;
    connect_to(0);
    start_call(&handles[0], 1, "x");
    task_set_timeout(&caller.task, 50);
    run_all();
    plat_linux_advance(50);
    run_all();
    assert_int_equal(caller.err, KERR_TIMEOUT);
    reg_msg_t m;
    kchan_try_recv(&svcs[0].inbox, &m);
    assert_int_equal(reg_reply_bytes(&m, 0, NULL, 0), KERR_GONE);
}

static void test_reg_reply__client_disconnected(void **state)
{
    (void)state;
    connect_to(0);
    start_call(&handles[0], 1, "x");
    run_all();
    task_cancel(&caller.task);
    reg_disconnect(&handles[0]);
    reg_msg_t m;
    kchan_try_recv(&svcs[0].inbox, &m);
    assert_int_equal(reg_reply(&m), KERR_GONE);
}

static void test_reg_call__payload_too_big_and_bad_handle(void **state)
{
    (void)state;
    svc_init(0);
    reg_register(&svcs[0]);
    reg_uuid_t u = uuid(0);
    reg_msg_t m = { .len = REG_INLINE_MAX + 1 };
    assert_int_equal(reg_call(&handles[1], NULL, &m), KERR_INVAL);   /* not connected */
    reg_connect(&handles[0], &u, IFACE, NULL);
    assert_int_equal(reg_call(&handles[0], NULL, &m), KERR_TOO_BIG);  /* nothing reserved */
    assert_int_equal(reg_reply_bytes(&m, 0, "x", REG_INLINE_MAX + 1), KERR_GONE);
}

/* reg_serve() gets the client's whole envelope; reg_reply() carries only the
 * used part of the service's: the header and the inline payload, zero up to
 * the next word, never stale bytes of the service's buffer. */
static void test_reg_serve_reply__copy_only_the_used_envelope(void **state)
{
    (void)state;
    connect_to(0);
    for (uint32_t len = 0; len <= REG_INLINE_MAX; len++) {
        char text[REG_INLINE_MAX + 1];
        for (uint32_t i = 0; i < len; i++)
            text[i] = (char)('a' + i);
        text[len] = 0;
        start_call(&handles[0], 3, text);
        run_all();
        assert_int_equal(caller.err, KERR_PENDING);
        reg_msg_t req;
        memset(&req, 0xaa, sizeof req);
        assert_int_equal(reg_serve(&svcs[0], &caller.task, &req), KERR_OK);
        assert_int_equal(req.client, handles[0].client);
        assert_int_equal(req.service, svcs[0].index);
        assert_int_equal(req.request, len + 1);
        assert_int_equal(req.opcode, 3);
        assert_int_equal(req.len, len);
        assert_memory_equal(req.data, text, len);
        assert_memory_equal(req.data, caller.msg.data, REG_INLINE_MAX);
        /* Reply from a buffer full of stale bytes: only len of them count. */
        memset(req.data, 0x55, sizeof req.data);
        memset(handles[0].resp.data, 0x77, sizeof handles[0].resp.data);
        req.len = len;
        req.status = -4;
        assert_int_equal(reg_reply(&req), KERR_OK);
        assert_int_equal(reg_reply(&req), KERR_GONE);          /* once */
        run_all();
        assert_int_equal(caller.err, KERR_OK);
        const reg_msg_t *r = reg_response(&handles[0]);
        assert_int_equal(r->status, -4);
        assert_int_equal(r->len, len);
        assert_int_equal(r->request, len + 1);
        assert_int_equal(handles[0].reply.len, offsetof(reg_msg_t, data) + len);
        for (uint32_t i = 0; i < len; i++)
            assert_int_equal(r->data[i], 0x55);
        for (uint32_t i = len; i < (len + 7) / 8 * 8; i++)
            assert_int_equal(r->data[i], 0);           /* pad: zero */
        for (uint32_t i = (len + 7) / 8 * 8; i < REG_INLINE_MAX; i++)
            assert_int_equal(r->data[i], 0x77);        /* untouched */
    }
}

/* A payload over REG_INLINE_MAX travels in the client's call buffer:
 * reserved (and charged to the handle's account), handed to the service
 * while the client waits, the reply written into it, freed at disconnect. */
static void test_reg_call__big_payload_in_the_call_buffer(void **state)
{
    (void)state;
    kacct_t acct;
    kacct_init(&acct, 4096);
    handles[0].acct = &acct;
    connect_to(0);
    assert_int_equal(reg_reserve(&handles[0], 1000), KERR_OK);
    assert_true(acct.used >= 1000);
    start_call(&handles[0], 9, "");
    uint8_t *p = reg_request_room(&handles[0], &caller.msg, 300);
    assert_non_null(p);
    assert_ptr_equal(p, handles[0].buf);
    for (int i = 0; i < 300; i++)
        p[i] = (uint8_t)i;
    run_all();
    reg_msg_t req;
    assert_int_equal(reg_serve(&svcs[0], &caller.task, &req), KERR_OK);
    assert_int_equal(req.len, 300);
    const uint8_t *in = reg_payload(&req);
    assert_non_null(in);
    assert_int_equal(in[299], 299 & 0xff);
    assert_int_equal(reg_reply_max(&req), 1000);
    assert_null(reg_reply_room(&req, 1001));               /* more than it takes */
    uint8_t *out = reg_reply_room(&req, 700);
    assert_non_null(out);
    memset(out, 0x5a, 700);
    assert_int_equal(reg_reply(&req), KERR_OK);
    run_all();
    assert_int_equal(caller.err, KERR_OK);
    assert_int_equal(reg_response(&handles[0])->len, 700);
    assert_int_equal(reg_response_data(&handles[0])[699], 0x5a);
    /* the reply header alone crossed: no inline bytes for a big payload */
    assert_int_equal(handles[0].reply.len, offsetof(reg_msg_t, data));
    reg_disconnect(&handles[0]);
    assert_int_equal(acct.used, 0);
    assert_null(handles[0].buf);
}

/* The limits: a request over the reservation or REG_PAYLOAD_MAX is refused
 * before it is sent; a reservation over the account's quota is refused and
 * counted; a service's reply over the client's buffer reaches it as
 * KERR_TOO_BIG with no payload. */
static void test_reg_call__buffer_limits_and_quota(void **state)
{
    (void)state;
    kacct_t acct;
    kacct_init(&acct, 512);
    handles[0].acct = &acct;
    connect_to(0);
    assert_int_equal(reg_reserve(&handles[0], REG_PAYLOAD_MAX + 1), KERR_TOO_BIG);
    assert_int_equal(reg_reserve(&handles[0], 600), KERR_NOMEM);
    assert_int_equal(acct.refused, 1);
    assert_int_equal(acct.used, 0);
    assert_null(reg_request_room(&handles[0], &caller.msg, 33));
    reg_msg_t m = { .len = 33 };
    assert_int_equal(reg_call(&handles[0], NULL, &m), KERR_TOO_BIG);
    assert_int_equal(reg_reserve(&handles[0], 100), KERR_OK);
    start_call(&handles[0], 1, "x");
    run_all();
    reg_msg_t req;
    assert_int_equal(reg_serve(&svcs[0], &caller.task, &req), KERR_OK);
    req.len = 5000;                                         /* a buggy service */
    assert_int_equal(reg_reply(&req), KERR_TOO_BIG);
    run_all();
    assert_int_equal(caller.err, KERR_OK);
    assert_int_equal(reg_response(&handles[0])->status, KERR_TOO_BIG);
    assert_int_equal(reg_response(&handles[0])->len, 0);
    reg_disconnect(&handles[0]);
    assert_int_equal(acct.used, 0);
}

/* Once the client gives up, its call buffer is never handed out: the
 * payload and the reply room of its request are NULL. */
static void test_reg_payload__gone_client_gives_null(void **state)
{
    (void)state;
    connect_to(0);
    assert_int_equal(reg_reserve(&handles[0], 256), KERR_OK);
    start_call(&handles[0], 9, "");
    assert_non_null(reg_request_room(&handles[0], &caller.msg, 200));
    run_all();
    reg_msg_t req;
    assert_int_equal(reg_serve(&svcs[0], &caller.task, &req), KERR_OK);
    assert_non_null(reg_payload(&req));
    task_cancel(&caller.task);
    reg_disconnect(&handles[0]);
    assert_null(reg_payload(&req));
    assert_null(reg_reply_room(&req, 100));
    assert_int_equal(reg_reply_max(&req), REG_INLINE_MAX);
    kacct_t *a;
    assert_int_equal(reg_client_acct(&req, &a), KERR_GONE);
    assert_int_equal(reg_reply_bytes(&req, 0, "abc", 3), KERR_GONE);
}

static uint16_t gone_client;
static int gone_calls;
static void on_gone(reg_service_t *sv, uint16_t client)
{
    (void)sv;
    gone_client = client;
    gone_calls++;
}

/* A service learns of every client that leaves, so it can free what it
 * holds for it; not for a handle to an older service in the slot. */
static void test_reg_disconnect__tells_the_service(void **state)
{
    (void)state;
    svc_init(0);
    svcs[0].on_gone = on_gone;
    reg_register(&svcs[0]);
    reg_uuid_t u = uuid(0);
    gone_calls = 0;
    assert_int_equal(reg_connect(&handles[0], &u, IFACE, NULL), KERR_OK);
    uint16_t id = handles[0].client;
    reg_disconnect(&handles[0]);
    assert_int_equal(gone_calls, 1);
    assert_int_equal(gone_client, id);
    reg_disconnect(&handles[0]);                           /* twice: once */
    assert_int_equal(gone_calls, 1);
    assert_int_equal(reg_connect(&handles[0], &u, IFACE, NULL), KERR_OK);
    reg_unregister(&svcs[0]);
    reg_disconnect(&handles[0]);                           /* service gone: no call */
    assert_int_equal(gone_calls, 1);
}

/* An envelope queued by kchan_try_send() that no waiting client sent (here
 * with a len past the inline maximum) is dropped by reg_serve() unseen: a
 * service only ever sees requests whose caller still waits for the reply,
 * so a payload pointer of a client that gave up is never followed. */
static void test_reg_serve__drops_a_raw_envelope(void **state)
{
    (void)state;
    svc_init(0);
    reg_register(&svcs[0]);
    reg_msg_t raw;
    memset(&raw, 0x33, sizeof raw);
    raw.len = 1000;
    assert_int_equal(kchan_try_send(&svcs[0].inbox, &raw), KERR_OK);
    reg_msg_t req;
    memset(&req, 0, sizeof req);
    assert_int_equal(reg_serve(&svcs[0], &caller.task, &req), KERR_PENDING);
    assert_int_equal(kchan_len(&svcs[0].inbox), 0);
    assert_int_equal(req.len, 0);
}

/* A client slot's id comes round again after 1024 connections; it must
 * never be 0 (= not connected) nor repeat the previous connection's. */
static void test_reg_connect__client_ids_survive_generation_wrap(void **state)
{
    (void)state;
    connect_to(0);
    uint16_t prev = handles[0].client, idx = handles[0].service;
    for (int k = 0; k < 3000; k++) {
        reg_disconnect(&handles[0]);
        assert_int_equal(reg_connect_index(&handles[0], idx, IFACE), KERR_OK);
        assert_int_not_equal(handles[0].client, 0);
        assert_int_not_equal(handles[0].client, prev);
        prev = handles[0].client;
    }
}

/* Unregistering bumps the slot generation: a handle to the old service is
 * refused even while the slot is empty, and after it is reused. */
static void test_reg_call__gone_after_unregister_even_if_slot_empty(void **state)
{
    (void)state;
    connect_to(0);
    uint16_t idx = svcs[0].index;
    reg_unregister(&svcs[0]);
    assert_null(reg_service_at(idx));
    start_call(&handles[0], 1, "x");
    run_all();
    assert_int_equal(caller.err, KERR_GONE);
    assert_int_equal(handles[0].reply.state, KREPLY_IDLE);
    assert_int_equal(reg_register(&svcs[0]), KERR_OK);     /* same service again */
    start_call(&handles[0], 1, "x");
    run_all();
    assert_int_equal(caller.err, KERR_GONE);               /* still the old handle */
}

static void test_reg_hash__differs_by_layout(void **state)
{
    (void)state;
    assert_int_not_equal(reg_hash("echo v1", 7), reg_hash("echo v2", 7));
    assert_int_equal(reg_hash("", 0), 2166136261u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_kerr_str__every_code_named_and_distinct, setup),
        cmocka_unit_test_setup(test_reg_register__lookup_by_uuid_then_index, setup),
        cmocka_unit_test_setup(test_reg_register__duplicate_uuid, setup),
        cmocka_unit_test_setup(test_reg_register__full, setup),
        cmocka_unit_test_setup(test_reg_connect__not_found_fails_fast, setup),
        cmocka_unit_test_setup(test_reg_connect__interface_mismatch, setup),
        cmocka_unit_test_setup(test_reg_connect__client_table_full, setup),
        cmocka_unit_test_setup(test_reg_connect__waits_until_service_appears, setup),
        cmocka_unit_test_setup(test_reg_connect__wait_times_out, setup),
        cmocka_unit_test_setup(test_reg_call__ids_travel_both_ways, setup),
        cmocka_unit_test_setup(test_reg_call__service_gone_before_call, setup),
        cmocka_unit_test_setup(test_reg_call__service_gone_during_call, setup),
        cmocka_unit_test_setup(test_reg_call__gone_while_inbox_full, setup),
        cmocka_unit_test_setup(test_reg_call__timeout_then_late_reply_refused, setup),
        cmocka_unit_test_setup(test_reg_reply__client_disconnected, setup),
        cmocka_unit_test_setup(test_reg_call__payload_too_big_and_bad_handle, setup),
        cmocka_unit_test_setup(test_reg_hash__differs_by_layout, setup),
        cmocka_unit_test_setup(test_reg_serve_reply__copy_only_the_used_envelope, setup),
        cmocka_unit_test_setup(test_reg_call__big_payload_in_the_call_buffer, setup),
        cmocka_unit_test_setup(test_reg_call__buffer_limits_and_quota, setup),
        cmocka_unit_test_setup(test_reg_payload__gone_client_gives_null, setup),
        cmocka_unit_test_setup(test_reg_disconnect__tells_the_service, setup),
        cmocka_unit_test_setup(test_reg_serve__drops_a_raw_envelope, setup),
        cmocka_unit_test_setup(test_reg_connect__client_ids_survive_generation_wrap, setup),
        cmocka_unit_test_setup(test_reg_call__gone_after_unregister_even_if_slot_empty, setup),
    };
    return cmocka_run_group_tests_name("registry", tests, NULL, NULL);
}
