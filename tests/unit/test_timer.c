/* Unit tests: kernel/timer.c, task deadlines and sleep */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "pt.h"
#include "platform_linux.h"

typedef struct {
    ktimer_t timer;
    int id;
} tagged_t;

static tagged_t tm[6];
static int fired[16];
static int nfired;

static void on_fire(ktimer_t *t)
{
    fired[nfired++] = kcontainer_of(t, tagged_t, timer)->id;
}

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    for (int i = 0; i < 6; i++) {
        tm[i].id = i;
        timer_setup(&tm[i].timer, on_fire);
    }
    nfired = 0;
    return 0;
}

static void test_timer_run__fires_in_deadline_order(void **state)
{
    (void)state;
    static const uint64_t when[6] = { 300, 100, 200, 100, 50, 250 };
    for (int i = 0; i < 6; i++)
        timer_arm(&tm[i].timer, when[i]);
    assert_int_equal(timer_next(), 50);
    assert_int_equal(timer_run(1000), 6);
    static const int want[6] = { 4, 1, 3, 2, 5, 0 };   /* ties: arming order */
    for (int i = 0; i < 6; i++)
        assert_int_equal(fired[i], want[i]);
    assert_int_equal(timer_next(), TIMER_IDLE);
}

static void test_timer_run__only_expired(void **state)
{
    (void)state;
    timer_arm(&tm[0].timer, 10);
    timer_arm(&tm[1].timer, 50);
    assert_int_equal(timer_run(20), 1);
    assert_int_equal(fired[0], 0);
    assert_true(timer_armed(&tm[1].timer));
    assert_false(timer_armed(&tm[0].timer));
    assert_int_equal(timer_next(), 50);
    assert_int_equal(timer_run(49), 0);
    assert_int_equal(timer_run(50), 1);
}

static void test_timer_cancel__and_rearm_moves(void **state)
{
    (void)state;
    timer_arm(&tm[0].timer, 10);
    timer_arm(&tm[1].timer, 20);
    timer_arm(&tm[2].timer, 30);
    timer_cancel(&tm[1].timer);
    timer_cancel(&tm[1].timer);                /* harmless twice */
    timer_arm(&tm[0].timer, 40);               /* re-arm moves it */
    assert_int_equal(timer_run(100), 2);
    assert_int_equal(nfired, 2);
    assert_int_equal(fired[0], 2);
    assert_int_equal(fired[1], 0);
}

typedef struct {
    task_t task;
    uint64_t until;
    int woke;
} sleeper_t;

static sleeper_t sl[3];

static task_status_t sleeper_poll(task_t *t)
{
    sleeper_t *s = kcontainer_of(t, sleeper_t, task);
    PT_BEGIN(t);
    PT_SLEEP_UNTIL(t, s->until);
    s->woke = ++nfired;
    PT_END(t);
}

static void test_task_sleep_until__wakes_in_order_and_tick_reports_deadline(void **state)
{
    (void)state;
    static const uint64_t until[3] = { 5000, 2000, 3000 };
    for (int i = 0; i < 3; i++) {
        sl[i] = (sleeper_t){ .until = until[i] };
        task_spawn(&sl[i].task, sleeper_poll, 1);
    }
    assert_int_equal(kernel_tick(), 2000);
    plat_linux_advance(999);                    /* now 1999 */
    assert_int_equal(kernel_tick(), 2000);
    assert_int_equal(sl[1].woke, 0);
    plat_linux_advance(1);
    assert_int_equal(kernel_tick(), 3000);
    assert_int_equal(sl[1].woke, 1);
    plat_linux_advance(5000);
    assert_int_equal(kernel_tick(), KERNEL_IDLE);
    assert_int_equal(sl[2].woke, 2);
    assert_int_equal(sl[0].woke, 3);
    for (int i = 0; i < 3; i++)
        assert_true(task_done(&sl[i].task));
}

static void test_task_sleep_until__past_deadline_returns_at_once(void **state)
{
    (void)state;
    sl[0] = (sleeper_t){ .until = 10 };
    task_spawn(&sl[0].task, sleeper_poll, 1);
    assert_int_equal(kernel_tick(), KERNEL_IDLE);
    assert_true(task_done(&sl[0].task));
}

typedef struct {
    task_t task;
    kchan_t *ch;
    uint64_t msg;
    kerr_t err;
} receiver_t;

static receiver_t rx;

static task_status_t receiver_poll(task_t *t)
{
    receiver_t *r = kcontainer_of(t, receiver_t, task);
    r->err = kchan_recv(r->ch, t, &r->msg);
    return r->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static uint64_t rxbuf[4];
static kchan_t ch;

static void start_receiver(void)
{
    assert_int_equal(kchan_init(&ch, rxbuf, sizeof rxbuf[0], 4), KERR_OK);
    rx = (receiver_t){ .ch = &ch };
    assert_int_equal(task_spawn(&rx.task, receiver_poll, 2), KERR_OK);
}

static void test_task_set_deadline__times_out_any_wait(void **state)
{
    (void)state;
    start_receiver();
    task_set_deadline(&rx.task, 1500);
    assert_int_equal(kernel_tick(), 1500);
    assert_int_equal(rx.err, KERR_PENDING);
    assert_false(kwaitq_empty(&ch.receivers));
    plat_linux_advance(500);
    assert_int_equal(kernel_tick(), KERNEL_IDLE);
    assert_int_equal(rx.err, KERR_TIMEOUT);
    assert_true(task_timed_out(&rx.task));
    assert_true(kwaitq_empty(&ch.receivers));   /* taken off the queue */
}

static void test_task_set_deadline__op_done_before_deadline(void **state)
{
    (void)state;
    start_receiver();
    task_set_timeout(&rx.task, 500);
    kernel_tick();
    uint64_t v = 99;
    assert_int_equal(kchan_try_send(&ch, &v), KERR_OK);
    kernel_tick();
    assert_int_equal(rx.err, KERR_OK);
    assert_int_equal(rx.msg, 99);
    assert_false(timer_armed(&rx.task.timer));  /* exit disarms */
    assert_int_equal(timer_next(), TIMER_IDLE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_timer_run__fires_in_deadline_order, setup),
        cmocka_unit_test_setup(test_timer_run__only_expired, setup),
        cmocka_unit_test_setup(test_timer_cancel__and_rearm_moves, setup),
        cmocka_unit_test_setup(test_task_sleep_until__wakes_in_order_and_tick_reports_deadline, setup),
        cmocka_unit_test_setup(test_task_sleep_until__past_deadline_returns_at_once, setup),
        cmocka_unit_test_setup(test_task_set_deadline__times_out_any_wait, setup),
        cmocka_unit_test_setup(test_task_set_deadline__op_done_before_deadline, setup),
    };
    return cmocka_run_group_tests_name("timer", tests, NULL, NULL);
}
