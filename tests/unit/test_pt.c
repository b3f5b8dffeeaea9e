/* Unit tests: kernel/pt.h and the example echo service (kernel/example/echo.c) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "pt.h"
#include "example/echo.h"
#include "platform_linux.h"

static echo_service_t svc;
static echo_client_t cli[3];

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    memset(&svc, 0, sizeof svc);
    memset(cli, 0, sizeof cli);
    return 0;
}

/* Run the kernel with the fake clock jumping to each deadline. */
static void run_until_idle(void)
{
    for (int i = 0; i < 10000; i++) {
        uint64_t next = kernel_tick();
        if (next == KERNEL_IDLE)
            return;
        if (next > plat_now())
            plat_linux_advance(next - plat_now());
    }
    fail_msg("kernel never went idle");
}

typedef struct {
    task_t task;
    int step;
    int log[8];
    int n;
    kwaitq_t *q;
    bool *go;
} seq_t;

static seq_t seqs[2];

static task_status_t seq_poll(task_t *t)
{
    seq_t *s = kcontainer_of(t, seq_t, task);
    int local = 1000;                 /* NOT preserved across waits */
    PT_BEGIN(t);
    s->log[s->n++] = 1;
    PT_YIELD(t);
    s->log[s->n++] = 2;
    local = 5;
    task_park(t, s->q);
    PT_WAIT_UNTIL(t, *s->go);
    s->log[s->n++] = local;           /* 1000 again: re-entered after the wait */
    PT_EXIT(t, 9);
    PT_END(t);
}

static void test_pt__yield_wait_exit_and_lost_locals(void **state)
{
    (void)state;
    kwaitq_t q;
    kwaitq_init(&q);
    static bool go;
    go = false;
    for (int i = 0; i < 2; i++) {
        seqs[i] = (seq_t){ .q = &q, .go = &go };
        task_spawn(&seqs[i].task, seq_poll, 1);
    }
    kernel_tick();
    assert_int_equal(seqs[0].n, 2);
    assert_int_equal(seqs[1].n, 2);
    assert_int_equal(seqs[0].log[1], 2);
    assert_false(task_done(&seqs[0].task));
    kwaitq_wake_one(&q);                  /* spurious: go is still false */
    kernel_tick();
    assert_false(task_done(&seqs[0].task));
    assert_int_equal(seqs[0].n, 2);
    go = true;
    task_wake(&seqs[0].task);
    kwaitq_wake_all(&q);
    kernel_tick();
    for (int i = 0; i < 2; i++) {
        assert_true(task_done(&seqs[i].task));
        assert_int_equal(seqs[i].task.exit_code, 9);
        assert_int_equal(seqs[i].log[2], 1000);
    }
}

static void test_echo__client_gets_every_reply(void **state)
{
    (void)state;
    assert_int_equal(echo_start(&svc, 2), KERR_OK);
    assert_int_equal(echo_client_start(&cli[0], 1, 5, 1000, 0), KERR_OK);
    run_until_idle();
    assert_true(task_done(&cli[0].task));
    assert_int_equal(cli[0].task.exit_code, 5);
    assert_int_equal(svc.served, 5);
    assert_false(task_done(&svc.task));
    assert_true(plat_now() >= 1000 + 5 * 1000);   /* slept between requests */
}

static void test_echo__client_waits_for_service_to_appear(void **state)
{
    (void)state;
    echo_client_start(&cli[0], 1, 2, 0, 0);
    echo_client_start(&cli[1], 1, 3, 0, 0);
    run_until_idle();
    assert_false(task_done(&cli[0].task));
    echo_start(&svc, 2);
    run_until_idle();
    assert_int_equal(cli[0].task.exit_code, 2);
    assert_int_equal(cli[1].task.exit_code, 3);
    assert_int_equal(svc.served, 5);
}

typedef struct {
    task_t task;
    reg_handle_t h;
    reg_msg_t m;
    kerr_t err;
    int32_t status[3];
    char upper[8];
} driver_t;

static driver_t drv;

static task_status_t driver_poll(task_t *t)
{
    driver_t *d = kcontainer_of(t, driver_t, task);
    static const reg_uuid_t u = ECHO_UUID_INIT;
    PT_BEGIN(t);
    PT_WAIT_OP(t, d->err, reg_connect(&d->h, &u, ECHO_IFACE, t));
    d->m = (reg_msg_t){ .opcode = ECHO_OP_UPPER, .len = 5 };
    memcpy(d->m.data, "mixEd", 5);
    PT_WAIT_OP(t, d->err, reg_call(&d->h, t, &d->m));
    d->status[0] = reg_response(&d->h)->status;
    memcpy(d->upper, reg_response(&d->h)->data, 5);
    d->m = (reg_msg_t){ .opcode = 77 };
    PT_WAIT_OP(t, d->err, reg_call(&d->h, t, &d->m));
    d->status[1] = reg_response(&d->h)->status;
    d->m = (reg_msg_t){ .opcode = ECHO_OP_QUIT };
    PT_WAIT_OP(t, d->err, reg_call(&d->h, t, &d->m));
    d->status[2] = reg_response(&d->h)->status;
    d->m = (reg_msg_t){ .opcode = ECHO_OP_ECHO };
    PT_WAIT_OP(t, d->err, reg_call(&d->h, t, &d->m));   /* service gone now */
    PT_EXIT(t, d->err);
    PT_END(t);
}

static void test_echo__upper_unknown_op_and_quit(void **state)
{
    (void)state;
    echo_start(&svc, 2);
    memset(&drv, 0, sizeof drv);
    task_spawn(&drv.task, driver_poll, 1);
    run_until_idle();
    assert_true(task_done(&drv.task));
    assert_int_equal(drv.status[0], 0);
    assert_memory_equal(drv.upper, "MIXED", 5);
    assert_int_equal(drv.status[1], ECHO_ERR_OP);
    assert_int_equal(drv.status[2], 0);
    assert_int_equal(drv.task.exit_code, KERR_GONE);
    assert_true(task_done(&svc.task));
    assert_int_equal(svc.task.exit_code, 3);
    assert_false(svc.svc.live);
}

static void test_echo__duplicate_start_refused(void **state)
{
    (void)state;
    static echo_service_t second;
    assert_int_equal(echo_start(&svc, 2), KERR_OK);
    assert_int_equal(echo_start(&second, 2), KERR_DUPLICATE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_pt__yield_wait_exit_and_lost_locals, setup),
        cmocka_unit_test_setup(test_echo__client_gets_every_reply, setup),
        cmocka_unit_test_setup(test_echo__client_waits_for_service_to_appear, setup),
        cmocka_unit_test_setup(test_echo__upper_unknown_op_and_quit, setup),
        cmocka_unit_test_setup(test_echo__duplicate_start_refused, setup),
    };
    return cmocka_run_group_tests_name("pt", tests, NULL, NULL);
}
