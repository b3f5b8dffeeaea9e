/*
 * test_faults -- allocation failure swept over boot, spawning, service calls
 * and the end of tasks: for every N, the N-th allocation from the start of
 * the scenario fails (kalloc_fault_inject).  Each run must not crash, must
 * report the failure clearly (a kerr at boot, a Forth error in a task), and
 * must give back all memory its tasks took once they have ended.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "example/echo.h"
#include "tasks/ftask.h"
#include "kernel.h"
#include "platform_linux.h"
#include "tasks/spawnulator.h"

#define CAP 4096

static port_t port;
static uint8_t rxb[CAP], txb[CAP];
static char out[32768];
static size_t nout;
static echo_service_t echo;

static void drain(void)
{
    bbq_grant_t g;
    while (bbq_read(&port.tx, &g) == KERR_OK && g.len) {
        size_t k = g.len < sizeof out - 1 - nout ? g.len : sizeof out - 1 - nout;
        memcpy(out + nout, g.ptr, k);
        nout += k;
        out[nout] = 0;
        bbq_release(&port.tx, g.len);
    }
}

static void type_in(const char *s)
{
    bbq_grant_t g;
    size_t n = strlen(s);
    if (bbq_grant_max(&port.rx, (uint32_t)n, &g) == KERR_OK) {
        memcpy(g.ptr, s, g.len);
        bbq_commit(&port.rx, g.len);
    }
}

static void run(int ticks)
{
    for (int i = 0; i < ticks; i++) {
        kernel_tick();
        drain();
        plat_linux_advance(2000000);      /* 2 ms a tick: sleeps end */
    }
}

/* The root VM as an image (the RISC-V image's boot path), when set. */
static unsigned char root_img[192 * 1024];
static size_t root_len;

/* One scenario with the n-th allocation failing (n == 0: none). Returns how
 * many allocations it made. */
static uint64_t scenario(uint32_t n, bool *booted)
{
    plat_linux_fake_clock(1000000000ull);
    assert_int_equal(kernel_init(), KERR_OK);
    uint64_t base = kalloc_calls();
    kalloc_fault_inject(n, false);
    memset(&port, 0, sizeof port);
    nout = 0;
    out[0] = 0;
    bbq_init(&port.rx, rxb, CAP);
    bbq_init(&port.tx, txb, CAP);
    *booted = false;
    ftask_config_t cfg = { .root_size = 192 * 1024, .shell_size = 48 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000,
                           .root_image = root_len ? root_img : NULL, .root_image_len = root_len };
    if (echo_start(&echo, 1) != KERR_OK || ftask_init(&cfg, NULL) != KERR_OK ||
        spawnulator_start() != KERR_OK)
        return kalloc_calls() - base;       /* boot failed: a clear kerr, no crash */
    assert_true(ftask_root_from_image() == (root_len != 0));
    *booted = true;
    kalloc_stats_t before;
    kalloc_get_stats(&before);
    ftask_t *sh;
    if (ftask_start_shell(&port, &sh) != KERR_OK)
        return kalloc_calls() - base;
    type_in(": w 3 4 + ; ' w spawn wait . s\" ab\" upper type\n"
            ": v 5 ms 1 ; ' v spawn ' v spawn wait . wait . live-tasks .\n"
            "bye\n");
    run(400);
    assert_true(ftask_ended(sh));
    ftask_reap();
    /* everything the tasks took is back (the root VM stays) */
    kalloc_stats_t after;
    kalloc_get_stats(&after);
    if (after.in_use != before.in_use)
        print_error("n=%u: %zu bytes not given back; output: %s\n", n,
                    after.in_use - before.in_use, out);
    assert_int_equal(after.in_use, before.in_use);
    kalloc_fault_inject(0, false);
    return kalloc_calls() - base;
}

static void sweep(void)
{
    bool booted;
    uint64_t total = scenario(0, &booted);
    assert_true(booted);
    if (!strstr(out, "0 AB ok"))
        print_error("output: [%s]\n", out);
    assert_non_null(strstr(out, "0 AB ok"));
    assert_true(total > 5);
    unsigned boot_fails = 0, task_errors = 0;
    for (uint32_t n = 1; n <= total + 2; n++) {
        scenario(n, &booted);
        if (!booted)
            boot_fails++;
        else if (strstr(out, "out of memory") || strstr(out, "spawn") || strstr(out, "aborted"))
            task_errors++;
    }
    print_message("%llu allocations swept (root VM %s): %u failed boots, %u runs with a task error\n",
                  (unsigned long long)total, root_len ? "from its image" : "compiled",
                  boot_fails, task_errors);
}

static void test_faults__every_allocation_fails_once(void **state)
{
    (void)state;
    root_len = 0;
    sweep();
}

/* The same with the root VM loaded from an image, as the RISC-V image boots. */
static void test_faults__every_allocation_fails_once_image_boot(void **state)
{
    (void)state;
    ftask_config_t cfg = { .root_size = 192 * 1024 };
    assert_int_equal(kernel_init(), KERR_OK);
    root_len = 0;
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    root_len = fvm_image_save(ftask_root(), root_img, sizeof root_img);
    assert_true(root_len > 0);
    sweep();
    root_len = 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults__every_allocation_fails_once),
        cmocka_unit_test(test_faults__every_allocation_fails_once_image_boot),
    };
    return cmocka_run_group_tests_name("faults", tests, NULL, NULL);
}
