/*
 * test_fdisplay -- the Forth drawing words (services/display/fdisplay.c) in
 * a shell task on the real kernel, with the display service on a fake
 * backend: shapes are clipped to the canvas whatever their size (a rect
 * with a huge height once looped over every row of it and froze the
 * kernel), extreme cells neither overflow nor draw outside the canvas,
 * and every drawing word pays fuel for the pixels and steps it touches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "display/display.h"
#include "display/fdisplay.h"
#include "tasks/ftask.h"
#include "kernel.h"
#include "platform_linux.h"
#include "fvm_test.h"
#include "tport.h"

static tport_t ports[3];
static tport_t *tp;
static int nshells;
static outcap_t oc;

static void fake_present(void *ctx, const uint8_t *fb, uint16_t w, uint16_t h)
{
    (void)ctx, (void)fb, (void)w, (void)h;
}
static const display_backend_t backend = { .present = fake_present };

/* One kernel for the whole group: fdisplay_init hooks the end of tasks
 * once, and its slots outlive a kernel_init. */
static int group_setup(void **state)
{
    (void)state;
    plat_linux_real_clock();
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(display_start(&backend, 64, 32), KERR_OK);
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000 };
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    assert_int_equal(fdisplay_init(), KERR_OK);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    display_stop();
    return 0;
}

/* A shell on a port of its own (the earlier tests' shells stay), with cv: a 16x8 canvas followed by 64 guard
 * bytes, and words to show it. */
static ftask_t *shell(void)
{
    ftask_t *f;
    assert_true(nshells < 3);
    tp = &ports[nshells];
    tport_init(tp, (uint16_t)(10 + nshells++));
    assert_int_equal(ftask_start_shell(&tp->port, &f), KERR_OK);
    tport_type(tp, "create cv 16 8 * 8 + 64 + allot  cv 16 8 * 8 + + 64 0 fill\n"
                    ": row ( y -- ) 16 0 do cv 8 + over 16 * + i + c@ if [char] # else "
                    "[char] . then emit loop drop [char] | emit ;\n"
                    ": show 8 0 do i row loop ;\n"
                    ": guard 0 64 0 do cv 136 + i + c@ or loop ;\n"
                    ": mx -1 1 rshift ;  : mn mx negate 1- ;\n"
                    "cv 0 0 16 8 canvas 255 color 11 .\n");
    assert_true(tport_run_until(tp, 1, tp, "11  ok\n", 2000));
    return f;
}

/* line runs at once in the shell and prints want */
static void answers(const char *line, const char *want)
{
    tp->nout = 0;
    tp->out[0] = 0;
    tport_type(tp, line);
    tport_type(tp, "\n");
    assert_true(tport_run_until(tp, 1, tp, want, 1000));
}

static void test_rect__huge_height_is_clipped(void **state)
{
    (void)state;
    watchdog(10);
    shell();
    answers("2 3 4 1000000000000 rect  -5 -1000000000000 20 2000000000000 rect show guard .",
            "..............#.|..............#.|..............#.|..####........#.|"
            "..#..#........#.|..#..#........#.|..#..#........#.|..#..#........#.|0  ok\n");
    alarm(0);
}

/* Cells at the ends of their range: nothing overflows (UBSan), nothing
 * outside the canvas is written, and a rect or fill-rect that covers the
 * canvas still draws it. */
static void test_extremes__no_overflow_no_escape(void **state)
{
    (void)state;
    watchdog(10);
    shell();
    answers("0 0 mx mx rect  mx mx 1 1 rect  mx mx mx mx rect  mn mn mx mx rect "
            "mx mx mn mn line  mn 0 mx 0 line  mn mn mx mx line  0 0 mx 1 line "
            "mx mx 10 circle  mn mn 100000 fill-circle  mx 0 100000 circle "
            "s\" hi\" mx mx text  s\" hi\" mn mn text  s\" hi\" mn 0 text  s\" hi\" 0 mx text "
            "mx mx pixel  mn mn pixel  mn mn mx mx fill-rect  mx 0 mx mx fill-rect guard .",
            "0  ok\n");
    answers("clear 0 0 mx mx fill-rect show guard .",
            "################|################|################|################|"
            "################|################|################|################|0  ok\n");
    answers("clear mn mn mx mx rect -1 -1 18 10 rect show guard .",
            "................|................|................|................|"
            "................|................|................|................|0  ok\n");
    alarm(0);
}

/* `: t 200 0 do <draw> loop ;` compiled, then `t` run on the shell's VM
 * by this test with a small budget (the shell task waits for its next line
 * meanwhile): the loop alone costs a few units a round and fits; the
 * drawing must not.  (Compiled apart: the lookups of DO and LOOP behind
 * the library's words cost thousands of units themselves.) */
static void pays(fvm_t *vm, const char *draw)
{
    char line[160];
    snprintf(line, sizeof line, ": t 200 0 do %s loop ;", draw);
    answers(line, " ok\n");
    fvm_status_t st = run_line_fuel(vm, &oc, "t", 4000, 500);
    if (st != FVM_OUT_OF_FUEL)
        print_error("'%s': status %s, want OUT_OF_FUEL\n", draw, status_name(st));
    assert_int_equal(st, FVM_OUT_OF_FUEL);
    while ((st = fvm_run(vm, 100000)) == FVM_OUT_OF_FUEL)
        ;
    assert_int_equal(st, FVM_NEED_INPUT);
}

static void test_fuel__drawing_pays_for_its_pixels(void **state)
{
    (void)state;
    watchdog(10);
    ftask_t *f = shell();
    answers("create big 128 128 * 8 + allot  big 0 0 128 128 canvas 12 .", "12  ok\n");
    fvm_t *vm = ftask_vm(f);
    answers(": t 200 0 do 1 2 pixel loop ;", " ok\n");
    fvm_status_t st = run_line_fuel(vm, &oc, "t", 4000, 500);
    assert_int_equal(st, FVM_NEED_INPUT);          /* the loop alone fits */
    pays(vm, "big 0 0 128 128 canvas");
    pays(vm, "clear");
    pays(vm, "0 0 128 128 fill-rect");
    pays(vm, "0 0 128 100000000 rect");
    pays(vm, "0 0 500 1 line");
    pays(vm, "64 64 300 circle");
    pays(vm, "64 64 300 fill-circle");
    pays(vm, "here 4096 0 0 text");
    answers("13 .", "13  ok\n");                   /* and the shell goes on */
    alarm(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rect__huge_height_is_clipped),
        cmocka_unit_test(test_extremes__no_overflow_no_escape),
        cmocka_unit_test(test_fuel__drawing_pays_for_its_pixels),
    };
    return cmocka_run_group_tests_name("fdisplay", tests, group_setup, group_teardown);
}
