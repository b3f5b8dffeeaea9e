/*
 * test_fvm_shell.c -- what the VM gives an interactive shell: fvm_interrupt
 * (from another thread, before a run, in ACCEPT, under CATCH), a DEFER that
 * runs out of fuel, the error's context line and the interrupted word's
 * name, fvm_each_word (Tab completion) and WORDS without shadowed names,
 * structured SEE, long input lines, quotations and gforth's { } locals.
 */
#include "fvm_test.h"
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

FVM_FIXTURE

static void ok(const char *line)
{
    fvm_status_t st = run_line(vm, &out, line);
    if (st != FVM_NEED_INPUT)
        print_error("<%s>: %s, error %d\n", line, status_name(st), fvm_error(vm)->code);
    assert_int_equal(st, FVM_NEED_INPUT);
}

/* ---- fvm_interrupt ---------------------------------------------------------- */

static void *interrupt_later(void *arg)
{
    struct timespec ts = { 0, 50 * 1000000L };
    nanosleep(&ts, NULL);
    fvm_interrupt(arg);
    return NULL;
}

/* A word that never ends, run with unlimited fuel, stops within a slice of
 * the interrupt from another thread: -28, naming the running word. */
static void test_interrupt__stops_endless_loop_from_thread(void **state)
{
    (void)state;
    ok(": inner begin again ; : outer inner ;");
    fvm_input(vm, "outer\n", 6);
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, interrupt_later, vm), 0);
    fvm_status_t st = fvm_run(vm, 0);
    pthread_join(th, NULL);
    assert_int_equal(st, FVM_ERROR);
    assert_int_equal(fvm_error(vm)->code, -28);
    assert_string_equal(fvm_error(vm)->message, "user interrupt");
    assert_string_equal(fvm_error(vm)->word, "inner");
    assert_int_equal(fvm_interrupt_pending(vm), 0);
    ok("1 2 + .");                      /* and the VM goes on */
    assert_string_equal(out.buf, "3 ");
}

/* With a fuel budget: the run after the interrupt throws at once. */
static void test_interrupt__with_fuel_and_catch(void **state)
{
    (void)state;
    ok(": spin begin again ; : guarded ['] spin catch . ;");
    assert_int_equal(run_line_fuel(vm, &out, "guarded", 200000, 50000), FVM_OUT_OF_FUEL);
    fvm_interrupt(vm);
    fvm_status_t st;
    while ((st = fvm_run(vm, 50000)) == FVM_OUT_OF_FUEL)
        ;
    assert_int_equal(st, FVM_NEED_INPUT);     /* CATCH took it: prints -28 */
    assert_string_equal(out.buf, "-28 ");
}

/* An interrupt while a program waits in ACCEPT throws when it runs again;
 * one that comes while the QUIT loop waits for a line is dropped. */
static void test_interrupt__in_accept_and_at_the_prompt(void **state)
{
    (void)state;
    ok(": ask pad 10 accept ;");
    fvm_input(vm, "ask\n", 4);
    assert_int_equal(fvm_run(vm, 100000), FVM_NEED_INPUT);
    assert_int_equal(fvm_wants(vm), FVM_WANT_ACCEPT);
    fvm_interrupt(vm);
    assert_int_equal(fvm_run(vm, 100000), FVM_ERROR);
    assert_int_equal(fvm_error(vm)->code, -28);
    assert_int_equal(fvm_run(vm, 100000), FVM_NEED_INPUT);
    assert_int_equal(fvm_wants(vm), FVM_WANT_LINE);
    fvm_interrupt(vm);                        /* late: the work has ended */
    ok("7 .");
    assert_string_equal(out.buf, "7 ");
}

/* ---- DEFER with little fuel ------------------------------------------------- */

/* A deferred word whose fuel runs out as it dispatches still runs (it was
 * skipped: 999901 of 1000000 in a task with 20000 fuel a slice). */
static void test_defer__runs_when_fuel_runs_out(void **state)
{
    (void)state;
    ok("variable n : inc 1 n +! ; defer d ' inc is d : t 0 do d loop ;");
    assert_int_equal(run_line_fuel(vm, &out, "100000 t n @ .", 20000000, 7), FVM_NEED_INPUT);
    assert_string_equal(out.buf, "100000 ");
}

/* ---- errors --------------------------------------------------------------------- */

static void test_error__context_marks_the_word(void **state)
{
    (void)state;
    assert_int_equal(run_line(vm, &out, "1 2 nosuch 3 4"), FVM_ERROR);
    assert_string_equal(fvm_error(vm)->context, "1 2 >>>nosuch<<< 3 4");
    assert_int_equal(run_line(vm, &out, "   nosuch  "), FVM_ERROR);
    assert_string_equal(fvm_error(vm)->context, "");        /* the word alone */
    assert_int_equal(run_line(vm, &out, ": z 1 0 / ; 5 z"), FVM_ERROR);
    assert_string_equal(fvm_error(vm)->context, ": z 1 0 / ; 5 >>>z<<<");
}

/* An xt run with fvm_execute (a spawned task's): the error names the word
 * that was running, with no stale line from earlier input. */
static void test_error__executed_xt_names_the_running_word(void **state)
{
    (void)state;
    ok(": inner 1 0 / ; : outer 5 inner ; : plain 1 0 / ;");
    fvm_cell_t xt = fvm_find(vm, "outer");
    assert_int_not_equal(xt, 0);
    assert_int_equal(fvm_execute(vm, xt), 0);
    assert_int_equal(fvm_run(vm, 100000), FVM_ERROR);
    assert_int_equal(fvm_error(vm)->code, -10);
    assert_string_equal(fvm_error(vm)->word, "inner");
    assert_string_equal(fvm_error(vm)->context, "");
    assert_int_equal(fvm_execute(vm, fvm_find(vm, "plain")), 0);
    assert_int_equal(fvm_run(vm, 100000), FVM_ERROR);
    assert_string_equal(fvm_error(vm)->word, "plain");
}

static void test_error__context_of_a_long_line_is_cut(void **state)
{
    (void)state;
    char line[4200];
    memset(line, ' ', sizeof line);
    memcpy(line + 4000, "oops", 4);
    for (int i = 0; i < 3990; i += 10)
        memcpy(line + i, "1 drop", 6);
    memcpy(line + 4010, "2 drop", 6);
    line[4100] = 0;
    assert_int_equal(run_line(vm, &out, line), FVM_ERROR);
    const char *c = fvm_error(vm)->context;
    assert_true(strlen(c) < 128);
    assert_non_null(strstr(c, ">>>oops<<<"));
    assert_true(strncmp(c, "...", 3) == 0);
}

/* Lines of 4096 characters, from the terminal and with fvm_eval. */
static void test_input__4096_character_lines(void **state)
{
    (void)state;
    char line[4097];
    int k = 0;
    while (k < 4096 - 12) {
        memcpy(line + k, "1 drop ", 7);
        k += 7;
    }
    memset(line + k, ' ', (size_t)(4096 - 4 - k));
    memcpy(line + 4092, "42 .", 4);
    line[4096] = 0;
    ok(line);
    assert_string_equal(out.buf, "42 ");
}

/* ---- the dictionary for a shell ------------------------------------------------- */

struct names { char buf[1 << 16]; size_t len; int bye, mine; };

static int collect(void *ctx, const char *name, size_t len)
{
    struct names *n = ctx;
    if (len == 3 && strncasecmp(name, "BYE", 3) == 0)
        n->bye++;
    if (len == 7 && strncmp(name, "my-word", 7) == 0)
        n->mine++;
    assert_true(name[0] != '(');
    return 0;
}

static void test_each_word__every_name_once(void **state)
{
    (void)state;
    ok(": my-word ; : my-word 2 ;");
    struct names n = { .len = 0 };
    fvm_each_word(vm, collect, &n);
    assert_int_equal(n.bye, 1);         /* the prelude's BYE shadows the primitive */
    assert_int_equal(n.mine, 1);
    ok("words");
    const char *p = out.buf;
    int byes = 0;
    while ((p = strstr(p, "BYE ")) != NULL) {
        byes += p == out.buf || p[-1] == ' ' || p[-1] == '\n';
        p += 4;
    }
    assert_int_equal(byes, 1);
}

/* A task's forged dictionary (hostile review F-tab-1): n words named
 * "qqq...q0000" .. (31 characters) in word list w1 (forge_words), the
 * oldest one's link turned to the newest (a cycle), and 14 more word lists
 * whose head is w1's, all 16 in the search order (FORTH last, so the VM
 * still works). */
static void forge_words(int n)
{
    char text[1024];
    snprintf(text, sizeof text,
             "create buf 80 allot variable blen "
             ": b+ ( a u -- ) tuck buf blen @ + swap move blen +! ; "
             ": mk ( i -- ) 0 blen ! s\" create qqqqqqqqqqqqqqqqqqqqqqqqqqq\" b+ "
             "  0 <# # # # # #> b+ buf blen @ evaluate ; "
             ": mkall ( hi lo -- ) ?do i mk loop ; "
             "wordlist constant w1 variable firstxt "
             "get-current w1 set-current 0 mk latestxt firstxt ! %d 1 mkall set-current", n);
    ok(text);
}

static void forge_cycle(int n)
{
    forge_words(n);
    ok("w1 @ firstxt @ 1 cells - ! "
       ": wl+ ( -- wid ) wordlist dup w1 @ swap ! ; "
       "forth-wordlist w1 wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ wl+ "
       "16 set-order");
}

struct forged { int seen[4096], calls, others; };

/* counts the calls for each forged name ("qqq...q" and 4 digits) */
static int count_forged(void *ctx, const char *name, size_t len)
{
    struct forged *f = ctx;
    f->calls++;
    if (len != 31 || strncmp(name, "qqqqqqqqqqqqqqqqqqqqqqqqqqq", 27) != 0) {
        f->others++;
        return 0;
    }
    f->seen[atoi(name + 27) % 4096]++;
    return 0;
}

/* Tab completion over the forged cycle lists each forged name once and
 * stops: the 15 lists that share one head are walked once, the cycle ends
 * at its link that goes up (before: each list walked the cycle to its own
 * bound, 43000 headers here, each with a lookup walking it again: every
 * name listed hundreds of times, seconds of work in the host's call). */
static void test_each_word__forged_cycle_listed_once(void **state)
{
    (void)state;
    enum { N = 200 };
    forge_cycle(N);
    static struct forged f;
    memset(&f, 0, sizeof f);
    size_t steps = fvm_each_word(vm, count_forged, &f);
    for (int i = 0; i < N; i++)
        if (f.seen[i] != 1) {
            print_error("forged name %d listed %d times (%d calls)\n", i, f.seen[i], f.calls);
            assert_int_equal(f.seen[i], 1);
        }
    assert_in_range(f.others, 300, 1000);     /* and FORTH's words */
    /* three passes over each header (FORTH's unlisted ones too), no lookups */
    assert_in_range(steps, 3 * (size_t)f.calls, 4 * (size_t)f.calls);
}

/* A long list with many names defined again lists each name once, at its
 * newest word (what WORDS and Tab completion show on a true dictionary). */
static void test_each_word__long_list_each_name_once(void **state)
{
    (void)state;
    enum { N = 1000 };
    forge_words(N);
    ok("get-current w1 set-current 1000 900 mkall 100 0 mkall set-current "
       "forth-wordlist w1 2 set-order");
    static struct forged f;
    memset(&f, 0, sizeof f);
    size_t steps = fvm_each_word(vm, count_forged, &f);
    for (int i = 0; i < N; i++)
        assert_int_equal(f.seen[i], 1);
    assert_in_range(steps, 3 * (size_t)f.calls, 4 * (size_t)f.calls);   /* no lookups */
}

/* Lists that join one chain at different words, each walked to its end,
 * and a chain of thousands of names each defined twice (more names that
 * may occur twice than the listing keeps: lookups): the work of one call
 * stays within fvm.h's bound, a header visited a cell of the VM's memory,
 * and each name is listed (the twice-defined ones at most twice). */
static void test_each_word__work_is_bounded(void **state)
{
    (void)state;
    enum { N = 3000 };
    forge_words(N);
    ok("get-current w1 set-current 3000 0 mkall set-current");    /* each name again */
    ok("w1 @ firstxt @ 1 cells - ! "                               /* the cycle */
       ": wl@ ( i -- wid ) wordlist tuck swap w1 @ swap 0 ?do 1 cells - @ loop swap ! ; "
       ": wls ( -- ) forth-wordlist 15 0 do i 400 * wl@ loop 16 set-order ; wls");
    static struct forged f;
    memset(&f, 0, sizeof f);
    size_t steps = fvm_each_word(vm, count_forged, &f);
    assert_true(steps <= sizeof mem / sizeof(fvm_cell_t));
    for (int i = 0; i < N; i++)
        assert_in_range(f.seen[i], 1, 2 * 15);
}

/* WORDS (the first word list of the order: the forged cycle) lists each
 * name once and ends, within a small fuel budget. */
static void test_words__forged_cycle_listed_once(void **state)
{
    (void)state;
    enum { N = 200 };
    forge_cycle(N);
    assert_int_equal(run_line_fuel(vm, &out, "words", 2000000, 100000), FVM_NEED_INPUT);
    for (int i = 0; i < N; i++) {
        char name[40];
        snprintf(name, sizeof name, "qqqqqqqqqqqqqqqqqqqqqqqqqqq%04d ", i);
        const char *p = strstr(out.buf, name);
        assert_non_null(p);
        assert_null(strstr(p + 1, name));
    }
}

/* ---- SEE ------------------------------------------------------------------------ */

static void see(const char *def, const char *name, const char *want)
{
    ok(def);
    char line[64];
    snprintf(line, sizeof line, "see %s", name);
    ok(line);
    if (strcmp(out.buf, want) != 0)
        print_error("SEE %s:\n%s\nwant:\n%s\n", name, out.buf, want);
    assert_string_equal(out.buf, want);
}

static void test_see__structures(void **state)
{
    (void)state;
    see(": t dup if 1 else 2 then ;", "t",
        ": t\n  DUP IF\n    1\n  ELSE\n    2\n  THEN ;\n");
    see(": u begin dup while 1- repeat drop ;", "u",
        ": u\n  BEGIN\n    DUP\n  WHILE\n    1-\n  REPEAT\n  DROP ;\n");
    see(": v 5 0 ?do i 3 = if leave then i +loop ;", "v",
        ": v\n  5 0 ?DO\n    I 3 = IF\n      LEAVE\n    THEN\n    I\n  +LOOP ;\n");
    see(": w case 1 of .\" one\" endof 2 of 7 endof drop endcase ;", "w",
        ": w\n  CASE\n    1 OF\n      .\" one\"\n    ENDOF\n    2 OF\n      7\n    ENDOF\n"
        "    DROP\n  ENDCASE ;\n");
    see(": x begin 1- dup 0= until begin again ;", "x",
        ": x\n  BEGIN\n    1- DUP 0=\n  UNTIL\n  BEGIN\n  AGAIN ;\n");
    see(": y create 1 , does> @ ;", "y", ": y\n  CREATE 1 , DOES>\n  @ ;\n");
    see(": z abort\" bad\" s\" str\" c\" cs\" ;", "z", ": z\n  ABORT\" bad\" S\" str\" C\" cs\" ;\n");
    see(": q [: 1+ ;] execute ;", "q", ": q\n  [: 1+ ;] EXECUTE ;\n");
    see(": e s\\\" a\\nb\\\"c\\\\\" type s\" x\\y\" type ;", "e",        /* escapes shown as S\" */
        ": e\n  S\\\" a\\nb\\\"c\\\\\" TYPE .\" x\\y\" ;\n");
    see(": p postpone dup ['] dup drop 10 0 do i 5 > if unloop exit then loop ;", "p",
        ": p\n  POSTPONE DUP ['] DUP DROP 10 0 DO\n    I 5 > IF\n      UNLOOP EXIT\n    THEN\n  LOOP ;\n");
}

/* Garbage where code should be prints without a crash (bounded, checked). */
static void test_see__forged_code(void **state)
{
    (void)state;
    ok(": f 1 2 3 ; ' f >body here 64 cells allot 64 cells move");
    ok("' f cell+ 200 cells -1 fill");
    assert_int_equal(run_line(vm, &out, "see f"), FVM_NEED_INPUT);
}

/* ---- listings: long TOOLS output through a small, refusing hook ------------------- */

/* lines ( n -- ): a host word's listing, n numbered lines */
static int w_lines(fvm_t *v, void *ctx)
{
    (void)ctx;
    fvm_listing(v);
    fvm_cell_t n;
    if (fvm_pop(v, &n))
        return -4;
    for (fvm_cell_t i = 0; i < n; i++) {
        char b[40];
        int k = snprintf(b, sizeof b, "listing line %d\n", (int)i);
        fvm_type(v, b, (size_t)k);
    }
    return fvm_listed(v);
}

/* The output of line, first through a hook that takes everything, then
 * through one that takes 7 bytes a call and nothing every other call: the
 * same bytes both times. */
static void same_when_refused(const char *line)
{
    static char whole[OUT_MAX + 1];
    out.chunk = 0;
    out.refuse = 0;
    ok(line);
    strcpy(whole, out.buf);
    assert_true(strlen(whole) > 600);          /* more than the VM buffers */
    outcap_reset(&out);
    out.chunk = 7;
    out.refuse = 2;
    size_t n = strlen(line);
    assert_int_equal(fvm_input(vm, line, n), n);
    assert_int_equal(fvm_input(vm, "\n", 1), 1);
    fvm_status_t st;
    int waits = 0;
    while ((st = fvm_run(vm, 0)) == FVM_WAIT && waits < 100000)
        waits++;
    assert_int_equal(st, FVM_NEED_INPUT);
    assert_true(waits > 10);
    if (strcmp(out.buf, whole) != 0)
        print_error("<%s>\nwhole:   %.200s\nrefused: %.200s\n", line, whole, out.buf);
    assert_string_equal(out.buf, whole);
    out.chunk = 0;
    out.refuse = 0;
}

static void test_listing__whole_through_a_refusing_hook(void **state)
{
    (void)state;
    fvm_word_t w = { "lines", w_lines, NULL, 0 };
    assert_int_equal(fvm_register(vm, &w, 1), 0);
    char def[2048] = ": big ";
    for (int i = 0; i < 30; i++)
        strcat(def, "dup if 1+ .\" one\" else 2 - then ");
    strcat(def, "begin dup while 1- repeat drop ;");
    ok(def);
    same_when_refused("words");
    same_when_refused("see big 42 .");            /* SEE parses its name once */
    same_when_refused("here 400 dump 43 .");      /* DUMP's arguments taken once */
    ok(": deep 80 0 do i 1000000 * loop ;");
    same_when_refused("deep .s depth . clearstack");   /* .S takes nothing */
    same_when_refused("60 lines depth .");        /* a host word's listing */
    ok("1 2 + .");
    assert_string_equal(out.buf, "3 ");
}

/* WORDS and SEE keep within fvm_set_columns' width (a 66-column screen). */
static void test_columns__words_and_see_fit(void **state)
{
    (void)state;
    assert_int_equal(fvm_columns(vm), 80);
    fvm_set_columns(vm, 40);
    assert_int_equal(fvm_columns(vm), 40);
    ok("words");
    int lines = 0;
    for (const char *p = out.buf, *nl; *p; p = nl + 1, lines++) {
        nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true(nl - p <= 38);
    }
    assert_true(lines > 20);
    ok(": long 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 ; see long");
    for (const char *p = out.buf, *nl; *p; p = nl + 1) {
        nl = strchr(p, '\n');
        assert_non_null(nl);
        assert_true(nl - p <= 40);
    }
    fvm_set_columns(vm, 3);
    assert_int_equal(fvm_columns(vm), 20);
}

/* ---- the everyday words ------------------------------------------------------------ */

static void test_words__quotations_and_braces(void **state)
{
    (void)state;
    ok(": q 10 [: dup * ;] execute ; q .");
    assert_string_equal(out.buf, "100 ");
    ok("[: 3 4 + ;] execute .");
    assert_string_equal(out.buf, "7 ");
    ok(": nested [: [: 2 ;] execute 3 * ;] execute ; nested .");
    assert_string_equal(out.buf, "6 ");
    ok(": loc {: a b :} [: 5 ;] execute a b + + ; 1 2 loc .");
    assert_string_equal(out.buf, "8 ");
    ok(": br { a b -- c } a b - ; 10 3 br .");
    assert_string_equal(out.buf, "7 ");
    ok(": br2 { a | b } a 2* to b b ; 21 br2 .");
    assert_string_equal(out.buf, "42 ");
    /* a quotation inside a definition with locals cannot have its own */
    assert_int_equal(run_line(vm, &out, ": bad {: a :} [: {: b :} b ;] ;"), FVM_ERROR);
    assert_int_equal(fvm_error(vm)->code, -22);
    ok("1 2 + .");
    assert_string_equal(out.buf, "3 ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_interrupt__stops_endless_loop_from_thread, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt__with_fuel_and_catch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt__in_accept_and_at_the_prompt, setup, teardown),
        cmocka_unit_test_setup_teardown(test_defer__runs_when_fuel_runs_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error__context_marks_the_word, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error__executed_xt_names_the_running_word, setup, teardown),
        cmocka_unit_test_setup_teardown(test_error__context_of_a_long_line_is_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(test_input__4096_character_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_word__every_name_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_word__forged_cycle_listed_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_words__forged_cycle_listed_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_word__long_list_each_name_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_each_word__work_is_bounded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_see__structures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_see__forged_code, setup, teardown),
        cmocka_unit_test_setup_teardown(test_listing__whole_through_a_refusing_hook, setup, teardown),
        cmocka_unit_test_setup_teardown(test_columns__words_and_see_fit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_words__quotations_and_braces, setup, teardown),
    };
    return cmocka_run_group_tests_name("fvm_shell", tests, NULL, NULL);
}
