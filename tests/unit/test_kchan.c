/* Unit tests: kernel/kchan.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

typedef struct {
    uint32_t a;
    uint16_t b;
    uint8_t c;
} msg_t;                                    /* 8 bytes, odd tail */

static msg_t buf[4];
static kchan_t ch;

typedef struct {
    task_t task;
    kchan_t *ch;
    msg_t msg;
    kerr_t err;
    bool sender;
    int done_ops;
} peer_t;

static peer_t peers[4];

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(kchan_init(&ch, buf, sizeof(msg_t), 4), KERR_OK);
    for (int i = 0; i < 4; i++)
        peers[i] = (peer_t){ .ch = &ch };
    return 0;
}

static task_status_t peer_poll(task_t *t)
{
    peer_t *p = kcontainer_of(t, peer_t, task);
    p->err = p->sender ? kchan_send(p->ch, t, &p->msg) : kchan_recv(p->ch, t, &p->msg);
    if (p->err == KERR_PENDING)
        return TASK_PENDING;
    p->done_ops++;
    return TASK_DONE;
}

static void run_all(void)
{
    for (int i = 0; i < 100 && kernel_tick() == 0; i++)
        ;
}

static void test_kchan_init__rejects_bad_sizes(void **state)
{
    (void)state;
    kchan_t c;
    assert_int_equal(kchan_init(&c, buf, 8, 3), KERR_INVAL);
    assert_int_equal(kchan_init(&c, buf, 8, 0), KERR_INVAL);
    assert_int_equal(kchan_init(&c, buf, 0, 4), KERR_INVAL);
    assert_int_equal(kchan_init(&c, NULL, 8, 4), KERR_INVAL);
    assert_null(kchan_new(8, 6));
}

static void test_kchan_try__fifo_and_full(void **state)
{
    (void)state;
    msg_t m;
    for (uint32_t i = 0; i < 4; i++) {
        m = (msg_t){ .a = i, .b = (uint16_t)(i * 3), .c = (uint8_t)i };
        assert_int_equal(kchan_try_send(&ch, &m), KERR_OK);
    }
    assert_int_equal(kchan_len(&ch), 4);
    assert_int_equal(kchan_try_send(&ch, &m), KERR_FULL);
    for (uint32_t i = 0; i < 6; i++) {                  /* wraps around */
        assert_int_equal(kchan_try_recv(&ch, &m), KERR_OK);
        assert_int_equal(m.a, i);
        assert_int_equal(m.b, i * 3);
        m.a = i + 4;
        m.b = (uint16_t)((i + 4) * 3);
        assert_int_equal(kchan_try_send(&ch, &m), KERR_OK);
    }
    assert_int_equal(kchan_len(&ch), 4);
}

static void test_kchan_try_recv__empty(void **state)
{
    (void)state;
    msg_t m;
    assert_int_equal(kchan_try_recv(&ch, &m), KERR_EMPTY);
}

static void test_kchan_close__drains_then_closed(void **state)
{
    (void)state;
    msg_t m = { .a = 5 };
    kchan_try_send(&ch, &m);
    kchan_close(&ch);
    assert_int_equal(kchan_try_send(&ch, &m), KERR_CLOSED);
    m.a = 0;
    assert_int_equal(kchan_try_recv(&ch, &m), KERR_OK);
    assert_int_equal(m.a, 5);
    assert_int_equal(kchan_try_recv(&ch, &m), KERR_CLOSED);
}

static void test_kchan_send__waits_while_full(void **state)
{
    (void)state;
    msg_t m = { 0 };
    for (int i = 0; i < 4; i++)
        kchan_try_send(&ch, &m);
    peers[0].sender = true;
    peers[0].msg.a = 77;
    task_spawn(&peers[0].task, peer_poll, 1);
    run_all();
    assert_int_equal(peers[0].err, KERR_PENDING);
    assert_int_equal(kchan_try_recv(&ch, &m), KERR_OK);  /* wakes the sender */
    run_all();
    assert_int_equal(peers[0].err, KERR_OK);
    for (int i = 0; i < 4; i++)
        assert_int_equal(kchan_try_recv(&ch, &m), KERR_OK);
    assert_int_equal(m.a, 77);
}

static void test_kchan_recv__wakes_on_send(void **state)
{
    (void)state;
    task_spawn(&peers[0].task, peer_poll, 1);
    run_all();
    assert_int_equal(peers[0].err, KERR_PENDING);
    msg_t m = { .a = 9, .c = 3 };
    assert_int_equal(kchan_try_send(&ch, &m), KERR_OK);
    run_all();
    assert_int_equal(peers[0].err, KERR_OK);
    assert_int_equal(peers[0].msg.a, 9);
    assert_int_equal(peers[0].msg.c, 3);
}

static void test_kchan_close__wakes_every_waiter(void **state)
{
    (void)state;
    static msg_t b2[2];
    static kchan_t full;
    kchan_init(&full, b2, sizeof(msg_t), 2);
    msg_t m = { 0 };
    kchan_try_send(&full, &m);
    kchan_try_send(&full, &m);
    for (int i = 0; i < 3; i++) {              /* three blocked senders */
        peers[i].ch = &full;
        peers[i].sender = true;
        task_spawn(&peers[i].task, peer_poll, 1);
    }
    task_spawn(&peers[3].task, peer_poll, 1);  /* one blocked receiver on ch */
    run_all();
    for (int i = 0; i < 4; i++)
        assert_int_equal(peers[i].err, KERR_PENDING);
    kchan_close(&full);
    kchan_close(&ch);
    run_all();
    for (int i = 0; i < 4; i++) {
        assert_true(task_done(&peers[i].task));
        assert_int_equal(peers[i].err, KERR_CLOSED);
    }
}

static void test_kchan_recv__timeout(void **state)
{
    (void)state;
    task_spawn(&peers[0].task, peer_poll, 1);
    task_set_timeout(&peers[0].task, 100);
    run_all();
    plat_linux_advance(100);
    run_all();
    assert_int_equal(peers[0].err, KERR_TIMEOUT);
    assert_true(kwaitq_empty(&ch.receivers));
}

/* Every copy path keeps bytes intact: word-sized messages (from and to
 * unaligned caller buffers), odd sizes, and word sizes over a misaligned
 * store. */
static void check_roundtrip(uint32_t elem, unsigned store_off, unsigned user_off)
{
    static uint64_t store[4 * 8 + 1];
    static uint64_t in[6], out[6];
    kchan_t c;
    unsigned char *sbuf = (unsigned char *)store + store_off;
    unsigned char *src = (unsigned char *)in + user_off, *dst = (unsigned char *)out + user_off;
    assert_int_equal(kchan_init(&c, sbuf, elem, 4), KERR_OK);
    for (unsigned round = 0; round < 6; round++) {      /* wraps around */
        for (uint32_t i = 0; i < elem; i++)
            src[i] = (unsigned char)(round * 31 + i + 1);
        memset(out, 0xee, sizeof out);
        assert_int_equal(kchan_try_send(&c, src), KERR_OK);
        assert_int_equal(kchan_try_recv(&c, dst), KERR_OK);
        assert_memory_equal(dst, src, elem);
        assert_int_equal(dst[elem], 0xee);             /* nothing past elem */
    }
}

static void test_kchan__copies_every_size_and_alignment(void **state)
{
    (void)state;
    check_roundtrip(24, 0, 0);     /* word copies */
    check_roundtrip(24, 0, 3);     /* word slots, unaligned caller buffers */
    check_roundtrip(8, 0, 1);
    check_roundtrip(5, 0, 0);      /* odd size */
    check_roundtrip(13, 0, 2);
    check_roundtrip(16, 4, 0);     /* word size over a misaligned store */
}

/* A full queue that is closed says CLOSED to senders, and does not park. */
static void test_kchan_close__full_queue_refuses_senders(void **state)
{
    (void)state;
    msg_t m = { .a = 1 };
    for (int i = 0; i < 4; i++)
        assert_int_equal(kchan_try_send(&ch, &m), KERR_OK);
    assert_int_equal(kchan_try_send(&ch, &m), KERR_FULL);
    kchan_close(&ch);
    assert_int_equal(kchan_try_send(&ch, &m), KERR_CLOSED);
    peers[0].sender = true;
    task_spawn(&peers[0].task, peer_poll, 1);
    run_all();
    assert_int_equal(peers[0].err, KERR_CLOSED);
    assert_true(kwaitq_empty(&ch.senders));
    assert_int_equal(kchan_len(&ch), 4);
}

static void test_kchan_new__free_returns_memory(void **state)
{
    (void)state;
    kalloc_stats_t s;
    kchan_t *c = kchan_new(24, 16);
    assert_non_null(c);
    assert_int_equal(kchan_cap(c), 16);
    kalloc_get_stats(&s);
    assert_true(s.in_use >= 24 * 16);
    kchan_free(c);
    kalloc_get_stats(&s);
    assert_int_equal(s.in_use, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_kchan_init__rejects_bad_sizes, setup),
        cmocka_unit_test_setup(test_kchan_try__fifo_and_full, setup),
        cmocka_unit_test_setup(test_kchan_try_recv__empty, setup),
        cmocka_unit_test_setup(test_kchan_close__drains_then_closed, setup),
        cmocka_unit_test_setup(test_kchan_send__waits_while_full, setup),
        cmocka_unit_test_setup(test_kchan_recv__wakes_on_send, setup),
        cmocka_unit_test_setup(test_kchan_close__wakes_every_waiter, setup),
        cmocka_unit_test_setup(test_kchan_recv__timeout, setup),
        cmocka_unit_test_setup(test_kchan_new__free_returns_memory, setup),
        cmocka_unit_test_setup(test_kchan__copies_every_size_and_alignment, setup),
        cmocka_unit_test_setup(test_kchan_close__full_queue_refuses_senders, setup),
    };
    return cmocka_run_group_tests_name("kchan", tests, NULL, NULL);
}
