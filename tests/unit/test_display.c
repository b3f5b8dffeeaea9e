/* Unit tests: services/display/display.c -- metadata, paint, flush, clear, and
 * malformed requests refused while the display keeps working. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "display/display.h"
#include "display/keyboard.h"
#include "kernel.h"
#include "platform_linux.h"
#include "common/uuid.h"

static int presents;
static uint8_t shown[64 * 32];

static void fake_present(void *ctx, const uint8_t *fb, uint16_t w, uint16_t h)
{
    (void)ctx;
    presents++;
    memcpy(shown, fb, (size_t)w * h);
}
static const display_backend_t backend = { .present = fake_present };

typedef struct {
    task_t task;
    reg_handle_t h;
    reg_msg_t msg;
    kerr_t err;
} caller_t;
static caller_t caller;

static task_status_t caller_poll(task_t *t)
{
    caller_t *c = kcontainer_of(t, caller_t, task);
    c->err = reg_call(&c->h, t, &c->msg);
    return c->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

/* One request with payload p (len bytes, by value); returns the reply
 * status. */
static int32_t call(uint16_t op, const void *p, uint32_t len)
{
    caller.msg = (reg_msg_t){ .opcode = op };
    assert_int_equal(reg_reserve(&caller.h, len), KERR_OK);
    uint8_t *room = reg_request_room(&caller.h, &caller.msg, len);
    assert_non_null(room);
    if (len)
        memcpy(room, p, len);
    assert_int_equal(task_spawn(&caller.task, caller_poll, 1), KERR_OK);
    for (int i = 0; i < 100 && kernel_tick() == 0; i++)
        ;
    assert_true(task_done(&caller.task));
    assert_int_equal(caller.err, KERR_OK);
    return reg_response(&caller.h)->status;
}

static uint8_t chunk[DISPLAY_CHUNK_HDR + 65 * 33];

static uint32_t make_chunk(uint16_t x, uint16_t y, uint16_t w, uint16_t h, uint8_t g)
{
    uint16_t hdr[4] = { x, y, w, h };
    memcpy(chunk, hdr, sizeof hdr);
    memset(chunk + DISPLAY_CHUNK_HDR, g, (size_t)w * h);
    return DISPLAY_CHUNK_HDR + (uint32_t)w * h;
}

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(display_start(&backend, 64, 32), KERR_OK);
    reg_uuid_t u;
    uuid_parse(DISPLAY_UUID_STR, &u);
    memset(&caller, 0, sizeof caller);
    assert_int_equal(reg_connect(&caller.h, &u, DISPLAY_IFACE, NULL), KERR_OK);
    presents = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    reg_disconnect(&caller.h);
    display_stop();
    return 0;
}

static void test_metadata(void **state)
{
    (void)state;
    assert_int_equal(call(DISPLAY_OP_METADATA, NULL, 0), 0);
    const reg_msg_t *r = reg_response(&caller.h);
    assert_true(r->len >= 6);
    assert_int_equal(r->data[0] | r->data[1] << 8, 64);
    assert_int_equal(r->data[2] | r->data[3] << 8, 32);
    assert_int_equal(r->data[4], DISPLAY_FMT_GRAY8);
    assert_int_equal(r->data[5], 8);
}

static void test_paint_flush(void **state)
{
    (void)state;
    uint32_t n = make_chunk(10, 5, 4, 3, 200);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), 0);
    assert_int_equal(presents, 0);                 /* nothing shows before FLUSH */
    assert_int_equal(call(DISPLAY_OP_FLUSH, NULL, 0), 0);
    assert_int_equal(presents, 1);
    assert_int_equal(shown[5 * 64 + 10], 200);
    assert_int_equal(shown[7 * 64 + 13], 200);
    assert_int_equal(shown[7 * 64 + 14], 0);
    assert_int_equal(shown[8 * 64 + 10], 0);
    assert_int_equal(shown[5 * 64 + 9], 0);
    /* a chunk touching the far corner exactly fits */
    n = make_chunk(60, 30, 4, 2, 9);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), 0);
    uint16_t w, h;
    const uint8_t *fb = display_framebuffer(&w, &h);
    assert_int_equal(w, 64);
    assert_int_equal(fb[31 * 64 + 63], 9);
}

static void test_clear(void **state)
{
    (void)state;
    uint8_t g = 77;
    assert_int_equal(call(DISPLAY_OP_CLEAR, &g, 1), 0);
    assert_int_equal(call(DISPLAY_OP_FLUSH, NULL, 0), 0);
    assert_int_equal(shown[0], 77);
    assert_int_equal(shown[64 * 32 - 1], 77);
    assert_int_equal(call(DISPLAY_OP_CLEAR, NULL, 0), 0);
    assert_int_equal(call(DISPLAY_OP_FLUSH, NULL, 0), 0);
    assert_int_equal(shown[100], 0);
}

static void test_malformed(void **state)
{
    (void)state;
    uint16_t w, h;
    const uint8_t *fb = display_framebuffer(&w, &h);
    /* out of bounds: refused, not clipped */
    uint32_t n = make_chunk(62, 0, 4, 2, 255);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), DISPLAY_ERR_BOUNDS);
    n = make_chunk(0, 31, 1, 2, 255);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), DISPLAY_ERR_BOUNDS);
    n = make_chunk(65535, 65535, 2, 2, 255);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), DISPLAY_ERR_BOUNDS);
    /* oversized: bigger than the screen */
    n = make_chunk(0, 0, 65, 1, 255);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), DISPLAY_ERR_BOUNDS);
    /* length does not match the header */
    n = make_chunk(0, 0, 4, 4, 255);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n - 1), DISPLAY_ERR_SIZE);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n + 1), DISPLAY_ERR_SIZE);
    /* no header, zero size, NULL pointer */
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, 7), DISPLAY_ERR_MALFORMED);
    assert_int_equal(call(DISPLAY_OP_PAINT, NULL, 0), DISPLAY_ERR_MALFORMED);
    n = make_chunk(0, 0, 0, 4, 255);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), DISPLAY_ERR_MALFORMED);
    /* unknown opcode */
    assert_int_equal(call(99, NULL, 0), CERR_INVAL);
    assert_int_equal(call(DISPLAY_OP_FLUSH, chunk, 3), CERR_INVAL);     /* no payload wanted */
    assert_int_equal(call(DISPLAY_OP_CLEAR, chunk, 2), CERR_INVAL);
    for (int i = 0; i < 64 * 32; i++)
        assert_int_equal(fb[i], 0);                /* nothing was drawn */
    assert_string_equal(display_status_str(DISPLAY_ERR_BOUNDS), "chunk outside the screen");
    /* and the display keeps working */
    n = make_chunk(1, 1, 2, 2, 50);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), 0);
    assert_int_equal(call(DISPLAY_OP_FLUSH, NULL, 0), 0);
    assert_int_equal(shown[1 * 64 + 1], 50);
    assert_int_equal(call(DISPLAY_OP_METADATA, NULL, 0), 0);
    const reg_msg_t *r = reg_response(&caller.h);
    uint32_t refused = (uint32_t)(r->data[10] | r->data[11] << 8);
    assert_int_equal(refused, 12);
}

/* The frame-rate cap: a flush inside the cap is presented later, not lost. */
static const display_backend_t capped = { .present = fake_present, .min_frame_ns = 50000000 };
static void test_cap(void **state)
{
    (void)state;
    display_stop();
    reg_disconnect(&caller.h);
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(display_start(&capped, 64, 32), KERR_OK);
    reg_uuid_t u;
    uuid_parse(DISPLAY_UUID_STR, &u);
    memset(&caller, 0, sizeof caller);
    assert_int_equal(reg_connect(&caller.h, &u, DISPLAY_IFACE, NULL), KERR_OK);
    assert_int_equal(call(DISPLAY_OP_FLUSH, NULL, 0), 0);
    assert_int_equal(presents, 1);
    uint32_t n = make_chunk(0, 0, 1, 1, 99);
    assert_int_equal(call(DISPLAY_OP_PAINT, chunk, n), 0);
    assert_int_equal(call(DISPLAY_OP_FLUSH, NULL, 0), 0);
    assert_int_equal(presents, 1);                 /* capped */
    plat_linux_advance(60000000);
    for (int i = 0; i < 100 && kernel_tick() == 0; i++)
        ;
    kernel_tick();
    assert_int_equal(presents, 2);
    assert_int_equal(shown[0], 99);
}

/* The keyboard mux: every subscriber gets every key, from C and from the
 * source port; a full ring drops only for that subscriber. */
static void test_keyboard_mux(void **state)
{
    (void)state;
    static port_t src;
    static uint8_t rxb[64], txb[64];
    memset(&src, 0, sizeof src);
    bbq_init(&src.rx, rxb, sizeof rxb);
    bbq_init(&src.tx, txb, sizeof txb);
    assert_int_equal(keyboard_start(&src), KERR_OK);
    bbq_t *a, *b;
    assert_int_equal(keyboard_subscribe(&a), KERR_OK);
    assert_int_equal(keyboard_subscribe(&b), KERR_OK);
    keyboard_publish((const uint8_t *)"hi", 2);
    bbq_grant_t g;
    assert_int_equal(bbq_grant(&src.rx, 3, &g), KERR_OK);   /* keys from "port 2" */
    memcpy(g.ptr, "x\r\b", 3);
    bbq_commit(&src.rx, 3);
    for (int i = 0; i < 100 && kernel_tick() == 0; i++)
        ;
    bbq_t *subs[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        assert_int_equal(bbq_read(subs[i], &g), KERR_OK);
        assert_int_equal(g.len, 5);
        assert_memory_equal(g.ptr, "hix\r\b", 5);
        bbq_release(subs[i], g.len);
    }
    /* a's ring full: b still gets everything */
    static uint8_t many[KEYBOARD_RING];
    memset(many, 'k', sizeof many);
    keyboard_publish(many, KEYBOARD_RING);        /* fills both rings */
    uint32_t full = bbq_used(a);
    while (bbq_read(b, &g) == KERR_OK)
        bbq_release(b, g.len);                     /* b keeps reading, a does not */
    keyboard_publish((const uint8_t *)"z", 1);
    assert_int_equal(bbq_used(a), full);           /* dropped for a only */
    assert_int_equal(bbq_read(b, &g), KERR_OK);
    assert_int_equal(g.len, 1);
    assert_int_equal(g.ptr[0], 'z');
    for (int i = 0; i < KEYBOARD_MAX_SUBS - 2; i++)
        assert_int_equal(keyboard_subscribe(&a), KERR_OK);
    assert_int_equal(keyboard_subscribe(&a), KERR_REG_FULL);
}

/* STATS through the registry: published, dropped. */
static void kb_stats(uint32_t *published, uint32_t *dropped)
{
    static caller_t kc;
    reg_uuid_t u;
    uuid_parse(KEYBOARD_UUID_STR, &u);
    memset(&kc, 0, sizeof kc);
    assert_int_equal(reg_connect(&kc.h, &u, KEYBOARD_IFACE, NULL), KERR_OK);
    assert_int_equal(reg_reserve(&kc.h, 8), KERR_OK);
    kc.msg = (reg_msg_t){ .opcode = KEYBOARD_OP_STATS };
    assert_non_null(reg_request_room(&kc.h, &kc.msg, 0));
    assert_int_equal(task_spawn(&kc.task, caller_poll, 1), KERR_OK);
    for (int i = 0; i < 100 && kernel_tick() == 0; i++)
        ;
    assert_true(task_done(&kc.task));
    const reg_msg_t *r = reg_response(&kc.h);
    assert_int_equal(r->status, 0);
    assert_int_equal(r->len, 8);
    const uint8_t *p = reg_payload(r);
    *published = (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
    *dropped = (uint32_t)p[4] | (uint32_t)p[5] << 8 | (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
    reg_disconnect(&kc.h);
}

static void idle(void)
{
    for (int i = 0; i < 1000 && kernel_tick() == 0; i++)
        ;
}

/* Back-pressure from the source port: a burst larger than a C subscriber's
 * ring waits in the source port's ring until the subscriber has read, and
 * comes whole and in order; nothing counts as dropped (keys past the ring
 * were dropped, the port's own ring having room). */
static void test_keyboard_source_waits_for_a_c_subscriber(void **state)
{
    (void)state;
    enum { N = 3000 };
    static port_t src;
    static uint8_t rxb[4096], txb[64], got[N];
    memset(&src, 0, sizeof src);
    bbq_init(&src.rx, rxb, sizeof rxb);
    bbq_init(&src.tx, txb, sizeof txb);
    assert_int_equal(keyboard_start(&src), KERR_OK);
    bbq_t *a;
    assert_int_equal(keyboard_subscribe(&a), KERR_OK);
    bbq_grant_t g;
    assert_int_equal(bbq_grant(&src.rx, N, &g), KERR_OK);   /* one burst from "port 2" */
    for (uint32_t i = 0; i < N; i++)
        g.ptr[i] = (uint8_t)(' ' + i % 90);
    bbq_commit(&src.rx, N);
    idle();
    assert_true(bbq_used(a) <= KEYBOARD_RING);
    assert_int_equal(bbq_used(a) + bbq_used(&src.rx), N);      /* the rest waits in the port */
    uint32_t n = 0, rounds = 0;
    while (n < N && rounds++ < 100) {                           /* the subscriber reads */
        while (bbq_read(a, &g) == KERR_OK) {
            memcpy(got + n, g.ptr, g.len);
            n += g.len;
            bbq_release(a, g.len);
        }
        idle();
    }
    assert_int_equal(n, N);
    for (uint32_t i = 0; i < N; i++)
        assert_int_equal(got[i], (uint8_t)(' ' + i % 90));
    uint32_t published, dropped;
    kb_stats(&published, &dropped);
    assert_int_equal(published, N);
    assert_int_equal(dropped, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_metadata, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paint_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_clear, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_mux, setup, teardown),
        cmocka_unit_test_setup_teardown(test_keyboard_source_waits_for_a_c_subscriber, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
