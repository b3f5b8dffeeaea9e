/*
 * test_ftask -- Forth tasks on the real kernel: shells on in-memory ports,
 * the spawnulator words, messages, sleep, the service bridge (the echo
 * example service called by UUID), runaway tasks and memory budgets, and
 * the bound on one poll (one fuel budget however often the VM restarts).
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
#include "fvm_test.h"
#include "tport.h"

static tport_t ports[3];
static echo_service_t echo;

static void tport_init_all(void)
{
    for (int i = 0; i < 3; i++)
        tport_init(&ports[i], (uint16_t)(10 + i));
}

#define type_in tport_type
#define run_until(p, want, ms) tport_run_until(ports, 3, (p), (want), (ms))

static int setup(void **state)
{
    (void)state;
    plat_linux_real_clock();
    assert_int_equal(kernel_init(), KERR_OK);
    echo_start(&echo, 1);
    /* tree_quota: room for test_spawn__hundred_children's hundred */
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000,
                           .tree_quota = 4u << 20 };
    const fvm_error_t *e = NULL;
    kerr_t err = ftask_init(&cfg, &e);
    if (err != KERR_OK && e)
        fprintf(stderr, "forth-lib: %s: %s\n", e->message, e->word);
    assert_int_equal(err, KERR_OK);
    assert_int_equal(spawnulator_start(), KERR_OK);
    tport_init_all();
    return 0;
}

static ftask_t *shell(int i)
{
    ftask_t *f;
    assert_int_equal(ftask_start_shell(&ports[i].port, &f), KERR_OK);
    return f;
}

static void test_shell__answers_with_ok(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], "2 3 + .\n");
    assert_true(run_until(&ports[0], "5  ok\n", 2000));
    type_in(&ports[0], ": sq dup * ;\n7 sq .\n");
    assert_true(run_until(&ports[0], "49  ok\n", 2000));
}

static void test_shell__error_aborts_only_that_line(void **state)
{
    (void)state;
    shell(0);
    shell(1);
    type_in(&ports[0], "1 2 foo 3 .\n4 .\n");
    type_in(&ports[1], "10 .\n");
    assert_true(run_until(&ports[0], "4  ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "undefined word: foo\n1 2 >>>foo<<< 3 .\n"));
    assert_null(strstr(ports[0].out, "\n3 "));       /* the rest of the line did not run */
    assert_true(run_until(&ports[1], "10  ok\n", 2000));
}

static void test_spawn__child_runs_and_is_waited_for(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], ": w 6 7 * . 5 ; ' w spawn wait . tasks\n");
    assert_true(run_until(&ports[0], " ok\n", 3000));
    assert_non_null(strstr(ports[0].out, "42 "));   /* the child's output on our port */
    assert_non_null(strstr(ports[0].out, "0 "));    /* its exit code */
}

static void test_spawn__messages_both_ways(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], "variable parent tid parent !\n"
                       ": child receive dup * parent @ send ;\n"
                       "' child spawn dup 12 swap send receive . wait .\n");
    assert_true(run_until(&ports[0], "144 0  ok\n", 3000));
}

static void test_spawn__hundred_children(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], "variable n : w 1 ; : many 100 0 do ['] w spawn loop ; many\n"
                       ": reap 100 0 do wait drop loop ; reap .kmem\n");
    assert_true(run_until(&ports[0], "tasks     1\n", 10000));
}

/* A task spawning forever (children that live on) stops at its tree's
 * quota, not at the end of the heap: another shell still spawns, and once
 * the children end the tree spawns again and the heap is as it was.  (The
 * children's blocks were charged to nobody: the loop took the whole heap,
 * and the system's own shells and evals could not start.) */
static void test_spawn__a_tree_stops_at_its_quota(void **state)
{
    (void)state;
    shell(0);
    shell(1);
    type_in(&ports[0], "reap drop kmem-in-use constant k0\n"
                       ": z 2000 ms ; : k begin ['] z spawn drop again ; k\n");
    assert_true(run_until(&ports[0], "over the task's kernel memory quota", 5000));
    type_in(&ports[1], ": w 5 . ; ' w spawn wait .\n");
    assert_true(run_until(&ports[1], "5 0  ok\n", 2000));
    type_in(&ports[0], "3000 ms reap drop : w 6 . ; ' w spawn wait . kmem-in-use k0 - 4096 < .\n");
    assert_true(run_until(&ports[0], "6 0 -1  ok\n", 6000));
}

/* Children connecting all they may stop at their tree's share of the
 * registry: another shell still connects, and the slots come back when they
 * end.  (Ten children of 8 handles each took all 64 of the registry's
 * slots: every service refused every other task.) */
static void test_connect__a_tree_stops_at_its_share(void **state)
{
    (void)state;
    shell(0);
    shell(1);
    unsigned free0 = reg_clients_free();
    type_in(&ports[0], ": g 8 0 do echo-service connect drop loop 2000 ms ;\n"
                       ": h 80 0 do ['] g spawn drop loop ; h\n");
    assert_true(run_until(&ports[0], "service handles in use", 3000));
    type_in(&ports[1], "echo-service connect .\n");
    assert_true(run_until(&ports[1], "1  ok\n", 2000));
    assert_int_equal(free0 - reg_clients_free(), FCLIENT_TREE_CONNS + 1);
    type_in(&ports[0], "2500 ms reap drop 7 .\n");
    assert_true(run_until(&ports[0], "7  ok\n", 5000));
    assert_int_equal(free0 - reg_clients_free(), 1);
}

static void test_sleep__ms_does_not_block_others(void **state)
{
    (void)state;
    shell(0);
    shell(1);
    type_in(&ports[0], "500 ms .( woke)\n");
    type_in(&ports[1], "1 .\n");
    assert_true(run_until(&ports[1], "1  ok\n", 300));
    assert_null(strstr(ports[0].out, "woke"));
    assert_true(run_until(&ports[0], "woke ok\n", 2000));
}

static void test_runaway__others_keep_running_then_kill(void **state)
{
    (void)state;
    ftask_t *r = shell(0);
    shell(1);
    type_in(&ports[0], ": x begin again ; x\n");
    for (int i = 0; i < 5; i++) {
        char cmd[32], want[32];
        snprintf(cmd, sizeof cmd, "%d .\n", 100 + i);
        snprintf(want, sizeof want, "%d  ok\n", 100 + i);
        type_in(&ports[1], cmd);
        assert_true(run_until(&ports[1], want, 2000));
    }
    char cmd[32];
    snprintf(cmd, sizeof cmd, "%u kill 7 .\n", (unsigned)ftask_id(r));
    type_in(&ports[1], cmd);
    assert_true(run_until(&ports[1], "7  ok\n", 2000));
    run_until(&ports[0], NULL, 50);
    assert_true(ftask_ended(r));
}

/* A host or service that keeps a task's record across runs holds it: an
 * ended task's held record is not freed by `reap` (nor by the zombie
 * bound), so the holder still reads its status; once let go it is freed
 * as any other (a holder's pointer was left dangling: rev6 F-gfx-2). */
static void test_hold__reap_skips_a_held_record(void **state)
{
    (void)state;
    ftask_t *s = shell(0);
    shell(1);
    uint32_t id = ftask_id(s);
    ftask_hold(s);
    type_in(&ports[0], "3 throw\n");
    type_in(&ports[0], "bye\n");
    run_until(&ports[0], NULL, 200);
    assert_true(ftask_ended(s));
    type_in(&ports[1], "reap . 5 .\n");
    assert_true(run_until(&ports[1], "5  ok\n", 2000));
    assert_ptr_equal(ftask_find(id), s);             /* still there */
    assert_int_equal(ftask_status(s), 0);
    ftask_unhold(s);
    assert_int_equal(ftask_reap(), 1);
    assert_null(ftask_find(id));
}

/* The services run at the lowest priority the hosts give them (echo and
 * files at 1): a task that loops forever must not starve them (it did at
 * priority 2 -- a script that spawned `begin again` never read its next
 * line, each file call hung; found by fuzz_services). */
static void test_runaway__does_not_starve_a_service(void **state)
{
    (void)state;
    ftask_t *r = shell(0);
    shell(1);
    type_in(&ports[0], ": x begin again ; x\n");
    run_until(&ports[0], NULL, 50);
    type_in(&ports[1], "s\" hello\" upper type\n");
    assert_true(run_until(&ports[1], "HELLO ok\n", 2000));
    type_in(&ports[1], ":noname begin again ; spawn drop s\" abc\" upper type\n");
    assert_true(run_until(&ports[1], "ABC ok\n", 2000));
    assert_false(ftask_ended(r));
}

static void test_bridge__calls_a_service_by_uuid(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], "s\" hello\" upper type\n");
    assert_true(run_until(&ports[0], "HELLO ok\n", 2000));
    type_in(&ports[0], "uuid\" 6c696f2d-6563-686f-9a41-4e0b8c110001\" connect "
                       "s\" abc\" 1 3 roll pad 10 call . pad swap type\n");
    assert_true(run_until(&ports[0], "0 abc ok\n", 2000));
}

static void test_bridge__unknown_uuid_is_a_clear_error(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], "uuid\" 00000000-0000-0000-0000-000000000001\" connect\n1 .\n");
    assert_true(run_until(&ports[0], "1  ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "no such service 00000000-0000-0000-0000-000000000001"));
    type_in(&ports[0], "uuid\" not-a-uuid\" \n2 .\n");
    assert_true(run_until(&ports[0], "2  ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "bad UUID"));
    type_in(&ports[0], "s\" x\" 1 7 pad 1 call\n3 .\n");
    assert_true(run_until(&ports[0], "3  ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "not a connected service handle"));
}

static void test_budget__a_task_over_its_memory_is_alone(void **state)
{
    (void)state;
    shell(0);
    shell(1);
    type_in(&ports[0], "here unused 2 * allot\n: y begin 0 , again ; y\n5 .\n");
    type_in(&ports[1], "6 .\n");
    assert_true(run_until(&ports[0], "5  ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "dictionary overflow"));
    assert_true(run_until(&ports[1], "6  ok\n", 2000));
}

static void test_child__cannot_write_parent_memory(void **state)
{
    (void)state;
    shell(0);
    type_in(&ports[0], "variable v 5 v ! : w 9 v ! ; ' w spawn wait . v ? \n");
    assert_true(run_until(&ports[0], "-20 5  ok\n", 2000));
}

/* The root VM from an image of itself: the same system, no forth-lib
 * compiled; an image made with other words before ftask_init is refused and
 * the root VM compiled instead. */
static void test_root_image__boots_the_same(void **state)
{
    (void)state;
    static unsigned char img[256 * 1024];
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000 };
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    assert_false(ftask_root_from_image());
    size_t n = fvm_image_save(ftask_root(), img, sizeof img);
    assert_true(n > 0);

    assert_int_equal(kernel_init(), KERR_OK);
    echo_start(&echo, 1);
    cfg.root_image = img;
    cfg.root_image_len = n;
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    assert_true(ftask_root_from_image());
    assert_int_equal(spawnulator_start(), KERR_OK);
    tport_init_all();
    shell(0);
    type_in(&ports[0], "2 3 + . echo-service connect 0<> . ' tasks >body 0<> .\n");
    assert_true(run_until(&ports[0], "5 -1 -1  ok\n", 2000));
    type_in(&ports[0], ": hi .\" child\" ; ' hi spawn wait .\n");
    assert_true(run_until(&ports[0], "child0  ok\n", 2000));

    /* another root size: the image does not fit, forth-lib is compiled */
    assert_int_equal(kernel_init(), KERR_OK);
    cfg.root_size = 200 * 1024;
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    assert_false(ftask_root_from_image());
    /* an image with a word this system does not add in ftask_init: its
     * words do not match, forth-lib is compiled */
    assert_int_equal(kernel_init(), KERR_OK);
    cfg.root_size = 256 * 1024;
    cfg.root_image = NULL;
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    static const fvm_word_t extra[] = { { "extra-word", NULL, NULL, 0 } };
    assert_int_equal(ftask_add_words(extra, 1), KERR_OK);
    n = fvm_image_save(ftask_root(), img, sizeof img);
    assert_true(n > 0);
    assert_int_equal(kernel_init(), KERR_OK);
    cfg.root_image = img;
    cfg.root_image_len = n;
    assert_int_equal(ftask_init(&cfg, NULL), KERR_OK);
    assert_false(ftask_root_from_image());
    tport_init_all();
    shell(1);
    type_in(&ports[1], "2 3 + . ' extra-word\n");
    assert_true(run_until(&ports[1], "undefined word: extra-word\n", 2000));
    assert_non_null(strstr(ports[1].out, "5 "));
}

static void test_spawnulator__service_lists_and_kills(void **state)
{
    (void)state;
    shell(0);
    ftask_t *b = shell(1);
    char cmd[96];
    snprintf(cmd, sizeof cmd, "live-tasks . . . cr %u pad ! spawnulator connect pad 4 2 3 roll pad 8 call . .\n",
             (unsigned)ftask_id(b));
    type_in(&ports[0], cmd);
    assert_true(run_until(&ports[0], "0 0  ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "2 1 2 \n"));   /* count on top, then the tids, newest first */
    run_until(&ports[1], NULL, 50);
    assert_true(ftask_ended(b));
    /* a bad request is refused with a status, not a crash */
    type_in(&ports[0], "spawnulator connect s\" x\" 9 3 roll pad 8 call . . 5 .\n");
    assert_true(run_until(&ports[0], "5  ok\n", 2000));
}

/* Ids come round after FTASK_ID_MAX, never onto a task or a record that
 * lives: the shell keeps 1, an unwaited ended child keeps its id too. */
static void test_ids__wrap_skips_the_living(void **state)
{
    (void)state;
    ftask_t *s = shell(0);
    assert_int_equal(ftask_id(s), 1);
    type_in(&ports[0], ": w ; ' w spawn . \n");
    assert_true(run_until(&ports[0], " ok\n", 2000));
    assert_non_null(strstr(ports[0].out, "2 "));    /* ended, not waited: its record lives */
    ftask_test_next_id(FTASK_ID_MAX - 1);
    memset(ports[0].out, 0, sizeof ports[0].out);
    ports[0].nout = 0;
    type_in(&ports[0], "' w spawn . ' w spawn . ' w spawn . ' w spawn .\n");
    assert_true(run_until(&ports[0], " ok\n", 2000));
    char want[64];
    snprintf(want, sizeof want, "%d 3 4 5  ok", FTASK_ID_MAX);
    assert_non_null(strstr(ports[0].out, want));
    type_in(&ports[0], "2 wait . 2 wait\n");          /* collected, then gone */
    assert_true(run_until(&ports[0], "no such task", 2000));
}

/* A child whose every op completes at once (a message to itself, then
 * receiving it) never parks: one poll of it once restarted its VM with a
 * fresh budget forever and the kernel never ran anything else (the
 * watchdog ends the binary).  Now a poll spends one budget and yields. */
static void test_poll__ops_done_at_once_do_not_hold_the_kernel(void **state)
{
    (void)state;
    watchdog(20);
    shell(0);
    shell(1);
    type_in(&ports[0], ": f begin 1 tid send receive drop again ; ' f spawn .\n");
    assert_true(run_until(&ports[0], " ok\n", 2000));
    type_in(&ports[1], "1 2 + .\n");
    assert_true(run_until(&ports[1], "3  ok\n", 2000));
    type_in(&ports[0], "4 5 + .\n");
    assert_true(run_until(&ports[0], "9  ok\n", 2000));
    alarm(0);
}

/* The longest run of " ok" lines in s with no '.' between them. */
static unsigned longest_oks_without_dot(const char *s)
{
    unsigned run = 0, most = 0;
    for (; *s; s++) {
        if (*s == '.') {
            run = 0;
        } else if (strncmp(s, " ok\n", 4) == 0 && ++run > most) {
            most = run;
        }
    }
    return most;
}

/* A shell with many lines of input buffered takes a budget's worth of them
 * per poll, not all: a child on its port that prints a '.' each time it
 * runs gets in between (one poll once ran every buffered line). */
static void test_poll__buffered_lines_take_turns(void **state)
{
    (void)state;
    watchdog(20);
    shell(0);
    type_in(&ports[0], ": d begin [char] . emit yield again ; ' d spawn drop\n");
    assert_true(run_until(&ports[0], ".", 2000));
    char lines[1000 * 7 + 1];
    for (int i = 0; i < 1000; i++)
        memcpy(lines + 7 * i, "1 drop\n", 7);
    lines[sizeof lines - 1] = 0;
    type_in(&ports[0], lines);
    type_in(&ports[0], "3 4 + .\n");
    assert_true(run_until(&ports[0], "7  ok\n", 5000));
    unsigned most = longest_oks_without_dot(ports[0].out);
    if (most > 64)
        print_error("%u lines in a row with no turn for the child\n", most);
    assert_true(most <= 64);
    alarm(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_shell__answers_with_ok, setup),
        cmocka_unit_test_setup(test_shell__error_aborts_only_that_line, setup),
        cmocka_unit_test_setup(test_spawn__child_runs_and_is_waited_for, setup),
        cmocka_unit_test_setup(test_spawn__messages_both_ways, setup),
        cmocka_unit_test_setup(test_spawn__hundred_children, setup),
        cmocka_unit_test_setup(test_spawn__a_tree_stops_at_its_quota, setup),
        cmocka_unit_test_setup(test_connect__a_tree_stops_at_its_share, setup),
        cmocka_unit_test_setup(test_sleep__ms_does_not_block_others, setup),
        cmocka_unit_test_setup(test_runaway__others_keep_running_then_kill, setup),
        cmocka_unit_test_setup(test_hold__reap_skips_a_held_record, setup),
        cmocka_unit_test_setup(test_runaway__does_not_starve_a_service, setup),
        cmocka_unit_test_setup(test_bridge__calls_a_service_by_uuid, setup),
        cmocka_unit_test_setup(test_bridge__unknown_uuid_is_a_clear_error, setup),
        cmocka_unit_test_setup(test_budget__a_task_over_its_memory_is_alone, setup),
        cmocka_unit_test_setup(test_child__cannot_write_parent_memory, setup),
        cmocka_unit_test_setup(test_spawnulator__service_lists_and_kills, setup),
        cmocka_unit_test_setup(test_root_image__boots_the_same, setup),
        cmocka_unit_test_setup(test_ids__wrap_skips_the_living, setup),
        cmocka_unit_test_setup(test_poll__ops_done_at_once_do_not_hold_the_kernel, setup),
        cmocka_unit_test_setup(test_poll__buffered_lines_take_turns, setup),
    };
    return cmocka_run_group_tests_name("ftask", tests, NULL, NULL);
}
