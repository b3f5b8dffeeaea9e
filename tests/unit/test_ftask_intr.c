/*
 * test_ftask_intr -- Ctrl-C for a Forth task on the real kernel
 * (ftask_interrupt): a running word, a sleep, a wait for a message, KEY,
 * a script; a shell at its prompt is left alone; the shell goes on after.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "tasks/ftask.h"
#include "kernel.h"
#include "platform_linux.h"
#include "tport.h"

static tport_t port;

#define run_until(want, ms) tport_run_until(&port, 1, &port, (want), (ms))

static int setup(void **state)
{
    (void)state;
    plat_linux_real_clock();
    assert_int_equal(kernel_init(), KERR_OK);
    ftask_config_t cfg = { .root_size = 256 * 1024, .fuel = 5000 };
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    tport_init(&port, 10);
    return 0;
}

static ftask_t *shell(void)
{
    ftask_t *f;
    assert_int_equal(ftask_start_shell(&port.port, &f), KERR_OK);
    assert_true(run_until(NULL, 50));
    return f;
}

static void test_interrupt__running_word_then_the_shell_goes_on(void **state)
{
    (void)state;
    ftask_t *f = shell();
    assert_false(ftask_interrupt(f));                  /* idle at the prompt */
    tport_type(&port, ": spin begin again ; spin\n");
    assert_true(run_until(NULL, 100));
    assert_true(ftask_interrupt(f));
    assert_true(run_until("user interrupt: spin\n", 2000));
    tport_type(&port, "1 2 + .\n");
    assert_true(run_until("3  ok\n", 2000));
}

static void test_interrupt__sleep_receive_and_key_end_at_once(void **state)
{
    (void)state;
    ftask_t *f = shell();
    const char *lines[] = { "100000 ms\n", "receive\n", "key\n" };
    const char *want[] = { "user interrupt: ms\n", "user interrupt: receive\n", "user interrupt: key\n" };
    for (int i = 0; i < 3; i++) {
        tport_type(&port, lines[i]);
        assert_true(run_until(NULL, 100));
        uint64_t t0 = plat_now();
        assert_true(ftask_interrupt(f));
        assert_true(run_until(want[i], 2000));
        assert_true(plat_now() - t0 < 500000000u);
    }
    tport_type(&port, "7 .\n");
    assert_true(run_until("7  ok\n", 2000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_interrupt__running_word_then_the_shell_goes_on, setup),
        cmocka_unit_test_setup(test_interrupt__sleep_receive_and_key_end_at_once, setup),
    };
    return cmocka_run_group_tests_name("ftask_intr", tests, NULL, NULL);
}
