/* Unit tests: kernel/sched.c (executor, wakers, join, cancel, tick) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <pthread.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

#define NT 6

typedef struct {
    task_t task;
    int id;
    int polls;
    int yields;        /* how many times to re-wake itself before exiting */
    kwaitq_t *wait_on; /* park here on first poll */
    int32_t code;
} probe_t;

static probe_t tasks[NT];
static int order[64];
static int norder;
static int exits;

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    for (int i = 0; i < NT; i++)
        tasks[i] = (probe_t){ .id = i };
    norder = 0;
    exits = 0;
    return 0;
}

static task_status_t probe_poll(task_t *t)
{
    probe_t *p = kcontainer_of(t, probe_t, task);
    p->polls++;
    if (norder < 64)
        order[norder++] = p->id;
    if (p->wait_on) {
        kerr_t e = task_park(t, p->wait_on);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        return task_exit(t, -(int32_t)e);
    }
    if (p->yields > 0) {
        p->yields--;
        task_wake(t);
        return TASK_PENDING;
    }
    return task_exit(t, p->code);
}

static void run_all(void)
{
    for (int i = 0; i < 1000 && kernel_tick() == 0; i++)
        ;
}

static void test_task_spawn__runs_and_exits_with_code(void **state)
{
    (void)state;
    tasks[0].code = 42;
    assert_int_equal(task_spawn(&tasks[0].task, probe_poll, 3), KERR_OK);
    assert_true(sched_has_ready());
    assert_int_equal(kernel_tick(), KERNEL_IDLE);
    assert_true(task_done(&tasks[0].task));
    assert_int_equal(tasks[0].task.exit_code, 42);
    assert_int_equal(tasks[0].polls, 1);
}

static void test_task_spawn__rejects_bad_args(void **state)
{
    (void)state;
    assert_int_equal(task_spawn(&tasks[0].task, NULL, 0), KERR_INVAL);
    assert_int_equal(task_spawn(&tasks[0].task, probe_poll, SCHED_PRIOS), KERR_INVAL);
    assert_int_equal(task_spawn(&tasks[0].task, probe_poll, 0), KERR_OK);
    assert_int_equal(task_spawn(&tasks[0].task, probe_poll, 0), KERR_INVAL);   /* live */
    run_all();
    assert_int_equal(task_spawn(&tasks[0].task, probe_poll, 0), KERR_OK);     /* respawn */
    run_all();
    assert_int_equal(tasks[0].polls, 2);
}

static void test_sched_run__highest_priority_first(void **state)
{
    (void)state;
    static const uint8_t prio[NT] = { 0, 5, 2, 7, 5, 1 };
    for (int i = 0; i < NT; i++)
        task_spawn(&tasks[i].task, probe_poll, prio[i]);
    run_all();
    static const int want[NT] = { 3, 1, 4, 2, 5, 0 };
    assert_int_equal(norder, NT);
    for (int i = 0; i < NT; i++)
        assert_int_equal(order[i], want[i]);
}

static void test_sched_run__round_robin_within_priority(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        tasks[i].yields = 3;
        task_spawn(&tasks[i].task, probe_poll, 4);
    }
    run_all();
    assert_int_equal(norder, 12);
    for (int i = 0; i < 12; i++)
        assert_int_equal(order[i], i % 3);
}

static void test_sched_run__higher_priority_preempts_at_next_poll(void **state)
{
    (void)state;
    tasks[0].yields = 5;
    task_spawn(&tasks[0].task, probe_poll, 1);
    sched_run(2);                               /* low task polled twice */
    task_spawn(&tasks[1].task, probe_poll, 6);
    sched_run(1);
    assert_int_equal(order[2], 1);              /* the high one ran next */
}

static void test_task_wake__idempotent_and_ignores_done(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    tasks[0].wait_on = &q;
    task_spawn(&tasks[0].task, probe_poll, 0);
    run_all();
    assert_int_equal(tasks[0].polls, 1);
    task_wake(&tasks[0].task);
    task_wake(&tasks[0].task);
    run_all();
    assert_int_equal(tasks[0].polls, 2);        /* one poll per wake */
    task_cancel(&tasks[0].task);
    task_wake(&tasks[0].task);
    assert_false(sched_has_ready());
}

static void test_kwaitq__wake_one_fifo_and_all(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    for (int i = 0; i < 3; i++) {
        tasks[i].wait_on = &q;
        task_spawn(&tasks[i].task, probe_poll, 2);
    }
    run_all();
    norder = 0;
    assert_int_equal(kwaitq_wake_one(&q), 1);
    run_all();
    assert_int_equal(order[0], 0);              /* first parked, first woken */
    assert_int_equal(kwaitq_wake_all(&q), 3);   /* 0 re-parked itself */
    assert_true(kwaitq_empty(&q));
    assert_int_equal(kwaitq_wake_one(&q), 0);
}

typedef struct {
    task_t task;
    task_t *target;
    int32_t code;
    kerr_t err;
} joiner_t;

static joiner_t joiner;

static task_status_t joiner_poll(task_t *t)
{
    joiner_t *j = kcontainer_of(t, joiner_t, task);
    j->err = task_join(j->target, t, &j->code);
    return j->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static void test_task_join__waits_for_exit_code(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    tasks[0].wait_on = &q;
    task_spawn(&tasks[0].task, probe_poll, 1);
    joiner = (joiner_t){ .target = &tasks[0].task };
    task_spawn(&joiner.task, joiner_poll, 1);
    run_all();
    assert_int_equal(joiner.err, KERR_PENDING);
    tasks[0].wait_on = NULL;
    tasks[0].code = 7;
    kwaitq_wake_one(&q);
    run_all();
    assert_true(task_done(&joiner.task));
    assert_int_equal(joiner.err, KERR_OK);
    assert_int_equal(joiner.code, 7);
}

static void test_task_join__already_done_and_self(void **state)
{
    (void)state;
    task_spawn(&tasks[0].task, probe_poll, 1);
    run_all();
    int32_t code = -1;
    assert_int_equal(task_join(&tasks[0].task, &tasks[1].task, &code), KERR_OK);
    assert_int_equal(code, 0);
    task_spawn(&tasks[2].task, probe_poll, 1);
    assert_int_equal(task_join(&tasks[2].task, &tasks[2].task, &code), KERR_INVAL);
}

static void on_exit_count(task_t *t)
{
    (void)t;
    exits++;
}

static void test_task_cancel__parked_task_wakes_joiners(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    tasks[0].wait_on = &q;
    tasks[0].task.on_exit = on_exit_count;
    task_spawn(&tasks[0].task, probe_poll, 1);
    task_set_timeout(&tasks[0].task, 1000000);
    joiner = (joiner_t){ .target = &tasks[0].task };
    task_spawn(&joiner.task, joiner_poll, 1);
    run_all();
    assert_false(kwaitq_empty(&q));
    assert_int_equal(task_cancel(&tasks[0].task), KERR_OK);
    assert_true(kwaitq_empty(&q));
    assert_false(timer_armed(&tasks[0].task.timer));
    assert_int_equal(exits, 1);
    run_all();
    assert_int_equal(joiner.err, KERR_OK);
    assert_int_equal(joiner.code, KERR_CANCELLED);
    assert_int_equal(task_cancel(&tasks[0].task), KERR_INVAL);
}

static void test_task_cancel__ready_task_never_runs(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++)
        task_spawn(&tasks[i].task, probe_poll, 3);
    task_cancel(&tasks[1].task);
    task_cancel(&tasks[2].task);          /* the tail of the run queue */
    task_spawn(&tasks[3].task, probe_poll, 3);
    run_all();
    assert_int_equal(tasks[1].polls, 0);
    assert_int_equal(tasks[2].polls, 0);
    assert_int_equal(tasks[0].polls, 1);
    assert_int_equal(tasks[3].polls, 1);
    assert_int_equal(tasks[1].task.exit_code, KERR_CANCELLED);
}

/* The run queue empties (by running or by cancel) and refills in FIFO order;
 * cancelling the head, a middle task or the only task keeps it consistent. */
static void test_run_queue__empties_and_refills_in_order(void **state)
{
    (void)state;
    task_spawn(&tasks[0].task, probe_poll, 2);
    task_cancel(&tasks[0].task);          /* the only queued task */
    assert_false(sched_has_ready());
    for (int i = 1; i < 5; i++)
        task_spawn(&tasks[i].task, probe_poll, 2);
    task_cancel(&tasks[1].task);          /* the head */
    task_cancel(&tasks[3].task);          /* a middle task */
    task_spawn(&tasks[5].task, probe_poll, 2);
    tasks[2].yields = 1;
    run_all();
    int want[] = { 2, 4, 5, 2 };
    assert_int_equal(norder, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(order[i], want[i]);
    assert_false(sched_has_ready());
    task_spawn(&tasks[0].task, probe_poll, 2);  /* refill after it emptied */
    task_spawn(&tasks[1].task, probe_poll, 2);
    run_all();
    assert_int_equal(norder, 6);
    assert_int_equal(order[4], 0);
    assert_int_equal(order[5], 1);
}

/* kwaitq_wake_first_keep(): the woken task stays parked (re-parking is
 * free), waiters take turns, and wake_all / cancel / a timeout still take
 * every task off the queue. */
static void test_kwaitq_wake_first_keep__stays_parked_and_rotates(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    kwaitq_wake_first_keep(&q);                 /* empty: nothing */
    tasks[0].wait_on = &q;
    tasks[1].wait_on = &q;
    task_spawn(&tasks[0].task, probe_poll, 2);
    task_spawn(&tasks[1].task, probe_poll, 2);
    run_all();
    assert_int_equal(norder, 2);
    kwaitq_wake_first_keep(&q);                 /* task 0, now at the back */
    run_all();
    assert_int_equal(tasks[0].polls, 2);
    assert_int_equal(tasks[1].polls, 1);
    assert_ptr_equal(tasks[0].task.wait_q, &q);
    kwaitq_wake_first_keep(&q);                 /* task 1's turn */
    kwaitq_wake_first_keep(&q);                 /* then task 0 again */
    run_all();
    assert_int_equal(tasks[0].polls, 3);
    assert_int_equal(tasks[1].polls, 2);
    assert_false(kwaitq_empty(&q));
    task_set_timeout(&tasks[1].task, 10);       /* a timeout unparks */
    plat_linux_advance(10);
    kernel_tick();
    run_all();
    assert_true(task_done(&tasks[1].task));
    assert_int_equal(tasks[1].task.exit_code, -(int32_t)KERR_TIMEOUT);
    assert_ptr_equal(q.waiters.next, &tasks[0].task.wait_link);
    assert_ptr_equal(q.waiters.prev, &tasks[0].task.wait_link);
    assert_int_equal(kwaitq_wake_all(&q), 1);   /* wake_all empties it */
    assert_true(kwaitq_empty(&q));
    assert_null(tasks[0].task.wait_q);
    run_all();                                  /* parks again, normally */
    assert_ptr_equal(tasks[0].task.wait_q, &q);
    kwaitq_wake_first_keep(&q);
    task_cancel(&tasks[0].task);                /* cancel unparks */
    assert_true(kwaitq_empty(&q));
    run_all();
    assert_int_equal(tasks[0].polls, 4);
}

static task_status_t self_cancel_poll(task_t *t)
{
    task_cancel(t);
    task_wake(t);
    return TASK_PENDING;
}

static void test_task_cancel__self_finishes_after_poll(void **state)
{
    (void)state;
    task_spawn(&tasks[0].task, self_cancel_poll, 0);
    run_all();
    assert_true(task_done(&tasks[0].task));
    assert_int_equal(tasks[0].task.exit_code, KERR_CANCELLED);
    assert_false(sched_has_ready());
}

static unsigned fired;
static void count_fire(ktimer_t *t)
{
    (void)t;
    fired++;
}

static void test_kernel_tick__budget_keeps_timers_alive(void **state)
{
    (void)state;
    tasks[0].yields = 1 << 30;                 /* re-wakes itself "forever" */
    task_spawn(&tasks[0].task, probe_poll, 7);
    static ktimer_t tm;
    fired = 0;
    timer_setup(&tm, count_fire);
    timer_arm(&tm, 1500);
    assert_int_equal(kernel_tick(), 0);        /* still ready */
    assert_int_equal(tasks[0].polls, SCHED_TICK_BUDGET);
    plat_linux_advance(600);
    assert_int_equal(kernel_tick(), 0);
    assert_int_equal(fired, 1);
    task_cancel(&tasks[0].task);
    assert_int_equal(kernel_tick(), KERNEL_IDLE);
}

static void *isr_thread(void *arg)
{
    task_wake_isr(arg);
    return NULL;
}

static void test_task_wake_isr__from_another_thread(void **state)
{
    (void)state;
    plat_linux_real_clock();
    kwaitq_t q;
    kwaitq_init(&q);
    tasks[0].wait_on = &q;
    task_spawn(&tasks[0].task, probe_poll, 0);
    assert_int_equal(kernel_tick(), KERNEL_IDLE);
    pthread_t th;
    pthread_create(&th, NULL, isr_thread, &tasks[0].task);
    for (int i = 0; i < 100; i++) {
        uint64_t next = kernel_tick();
        if (tasks[0].polls >= 2)
            break;
        kernel_wait(next);                     /* sleeps in poll() until signalled */
    }
    pthread_join(th, NULL);
    assert_int_equal(tasks[0].polls, 2);
    task_cancel(&tasks[0].task);
}

static void test_task_wake_isr__cancel_removes_pending_wake(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    tasks[0].wait_on = &q;
    tasks[1].wait_on = &q;
    task_spawn(&tasks[0].task, probe_poll, 0);
    task_spawn(&tasks[1].task, probe_poll, 0);
    run_all();
    task_wake_isr(&tasks[0].task);
    task_wake_isr(&tasks[1].task);
    task_wake_isr(&tasks[1].task);
    task_cancel(&tasks[1].task);
    run_all();
    assert_int_equal(tasks[0].polls, 2);
    assert_int_equal(tasks[1].polls, 1);
    task_cancel(&tasks[0].task);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_task_spawn__runs_and_exits_with_code, setup),
        cmocka_unit_test_setup(test_task_spawn__rejects_bad_args, setup),
        cmocka_unit_test_setup(test_sched_run__highest_priority_first, setup),
        cmocka_unit_test_setup(test_sched_run__round_robin_within_priority, setup),
        cmocka_unit_test_setup(test_sched_run__higher_priority_preempts_at_next_poll, setup),
        cmocka_unit_test_setup(test_task_wake__idempotent_and_ignores_done, setup),
        cmocka_unit_test_setup(test_kwaitq__wake_one_fifo_and_all, setup),
        cmocka_unit_test_setup(test_task_join__waits_for_exit_code, setup),
        cmocka_unit_test_setup(test_task_join__already_done_and_self, setup),
        cmocka_unit_test_setup(test_task_cancel__parked_task_wakes_joiners, setup),
        cmocka_unit_test_setup(test_task_cancel__ready_task_never_runs, setup),
        cmocka_unit_test_setup(test_task_cancel__self_finishes_after_poll, setup),
        cmocka_unit_test_setup(test_kernel_tick__budget_keeps_timers_alive, setup),
        cmocka_unit_test_setup(test_task_wake_isr__from_another_thread, setup),
        cmocka_unit_test_setup(test_task_wake_isr__cancel_removes_pending_wake, setup),
        cmocka_unit_test_setup(test_run_queue__empties_and_refills_in_order, setup),
        cmocka_unit_test_setup(test_kwaitq_wake_first_keep__stays_parked_and_rotates, setup),
    };
    return cmocka_run_group_tests_name("sched", tests, NULL, NULL);
}
