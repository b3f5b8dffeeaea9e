/* Unit tests: kernel/reply.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

static kreply_t r;
static char rbuf[8];

typedef struct {
    task_t task;
    kerr_t err;
    int32_t status;
    uint32_t len;
} waiter_t;

static waiter_t w;

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    kreply_init(&r, rbuf, sizeof rbuf);
    w = (waiter_t){ .err = KERR_OK };
    return 0;
}

static task_status_t waiter_poll(task_t *t)
{
    waiter_t *x = kcontainer_of(t, waiter_t, task);
    x->err = kreply_wait(&r, t, &x->status, &x->len);
    return x->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static void test_kreply__arm_fill_wait(void **state)
{
    (void)state;
    assert_int_equal(kreply_arm(&r, 5), KERR_OK);
    assert_int_equal(kreply_arm(&r, 6), KERR_BUSY);
    task_spawn(&w.task, waiter_poll, 1);
    kernel_tick();
    assert_int_equal(w.err, KERR_PENDING);
    assert_int_equal(kreply_fill(&r, 5, 3, "hey", 3), KERR_OK);
    kernel_tick();
    assert_int_equal(w.err, KERR_OK);
    assert_int_equal(w.status, 3);
    assert_int_equal(w.len, 3);
    assert_memory_equal(rbuf, "hey", 3);
    assert_int_equal(kreply_arm(&r, 7), KERR_OK);   /* reusable */
}

static void test_kreply_fill__stale_id_refused(void **state)
{
    (void)state;
    kreply_arm(&r, 5);
    assert_int_equal(kreply_fill(&r, 4, 0, NULL, 0), KERR_GONE);
    assert_int_equal(kreply_fill(&r, 5, 0, NULL, 0), KERR_OK);
    assert_int_equal(kreply_fill(&r, 5, 0, NULL, 0), KERR_GONE);  /* one shot */
}

static void test_kreply_fill__too_big(void **state)
{
    (void)state;
    kreply_arm(&r, 1);
    assert_int_equal(kreply_fill(&r, 1, 0, "123456789", 9), KERR_TOO_BIG);
    assert_int_equal(kreply_fill(&r, 1, 0, "12345678", 8), KERR_OK);
}

static void test_kreply_cancel__late_fill_refused(void **state)
{
    (void)state;
    kreply_arm(&r, 1);
    task_spawn(&w.task, waiter_poll, 1);
    kernel_tick();
    kreply_cancel(&r);
    assert_true(kwaitq_empty(&r.waiter));
    assert_int_equal(kreply_fill(&r, 1, 0, NULL, 0), KERR_GONE);
    assert_int_equal(kreply_wait(&r, &w.task, NULL, NULL), KERR_INVAL);
    task_cancel(&w.task);
}

static void test_kreply_wait__timeout(void **state)
{
    (void)state;
    kreply_arm(&r, 1);
    task_spawn(&w.task, waiter_poll, 1);
    task_set_timeout(&w.task, 10);
    kernel_tick();
    plat_linux_advance(10);
    kernel_tick();
    assert_int_equal(w.err, KERR_TIMEOUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_kreply__arm_fill_wait, setup),
        cmocka_unit_test_setup(test_kreply_fill__stale_id_refused, setup),
        cmocka_unit_test_setup(test_kreply_fill__too_big, setup),
        cmocka_unit_test_setup(test_kreply_cancel__late_fill_refused, setup),
        cmocka_unit_test_setup(test_kreply_wait__timeout, setup),
    };
    return cmocka_run_group_tests_name("reply", tests, NULL, NULL);
}
