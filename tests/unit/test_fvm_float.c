/*
 * test_fvm_float.c -- the FLOATING word set under hostile use and through
 * the embedding API: float stack overflow and underflow (-44, -45), CATCH
 * restoring the float depth, host words taking and leaving floats, bad
 * addresses and counts for F@ >FLOAT REPRESENT, numbers out of range,
 * absurd literals, blocked output, forks and images carrying floats.  The
 * standard behaviour itself is the suite's fp/ programs' job
 * (tests/suite.sh); here the VM must answer with the right THROW code,
 * never crash or hang, and work afterwards.
 */
#include <stdlib.h>
#include "fvm_test.h"

static unsigned char mem[1 << 19] __attribute__((aligned(16)));
static unsigned char mem2[1 << 19] __attribute__((aligned(16)));
static unsigned char img[1 << 19];
static outcap_t out, out2;
static fvm_t *vm;

static int setup(void **state)
{
    (void)state;
    watchdog(30);
    vm = vm_new(mem, sizeof mem, &out);
    assert_non_null(vm);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

static void ok(const char *text, const char *want) { expect_ok(vm, &out, text, want); }
#define ok_in expect_ok

/* text must throw code (uncaught); then the float stack is empty and the
 * VM works */
static void throws(const char *text, int code)
{
    expect_throw(vm, &out, text, code);
    assert_int_equal(fvm_fdepth(vm), 0);
    ok("1.5e 2e f* f.", "3. ");
}

/* ---- the float stack ----------------------------------------------------------- */

static void test_fstack__underflow_overflow(void **state)
{
    (void)state;
    throws("fdrop", FVM_E_FSTACK_UNDERFLOW);
    throws("1e f+", FVM_E_FSTACK_UNDERFLOW);
    throws("f.", FVM_E_FSTACK_UNDERFLOW);
    throws("fswap", FVM_E_FSTACK_UNDERFLOW);
    throws("1e 2e frot", FVM_E_FSTACK_UNDERFLOW);
    throws("1e f<", FVM_E_FSTACK_UNDERFLOW);
    throws("here f!", FVM_E_FSTACK_UNDERFLOW);
    throws("f>s", FVM_E_FSTACK_UNDERFLOW);
    throws("fsqrt", FVM_E_FSTACK_UNDERFLOW);
    throws("1e 0 fpick 5 fpick", FVM_E_FSTACK_UNDERFLOW);
    throws("1e -1 fpick", FVM_E_FSTACK_UNDERFLOW);
    throws(": deep 1e recurse ; deep", FVM_E_FSTACK_OVERFLOW);
    throws(": deep2 0 do 1e loop ; 65 deep2", FVM_E_FSTACK_OVERFLOW);
    throws("1e s>f", FVM_E_STACK_UNDERFLOW);
    throws("f@", FVM_E_STACK_UNDERFLOW);
    ok("64 deep2 fdepth . : clear fdepth 0 ?do fdrop loop ; clear fdepth .", "64 0 ");
    ok("s\" FLOATING-STACK\" environment? . .", "-1 64 ");
    ok("s\" MAX-FLOAT\" environment? . fs.", "-1 1.7976931348623157E308 ");
    ok("s\" FLOATING-EXT\" environment? . .", "-1 -1 ");
}

static void test_fstack__catch_restores_depth(void **state)
{
    (void)state;
    ok(": t 1e 2e 3e -7 throw ; ' t catch . fdepth .", "-7 0 ");
    ok("1e 2e : u fdrop fdrop -5 throw ; ' u catch . fdepth . f. f.", "-5 2 2. 1. ");
    /* a float stack overflow inside CATCH: caught, the depth as before */
    ok("5e : deep 1e recurse ; ' deep catch . fdepth . f.", "-44 1 5. ");
    ok("9e : under fdrop fdrop ; ' under catch . fdepth . f.", "-45 1 9. ");
    /* nested */
    ok("1e : in 2e 3e -1 throw ; : out 4e ['] in catch . fdepth . ; ' out catch . fdepth . f. f.",
       "-1 2 0 2 4. 1. ");
}

static int w_fsquare(fvm_t *v, void *ctx)
{
    (void)ctx;
    double r;
    int rc = fvm_fpop(v, &r);
    return rc ? rc : fvm_fpush(v, r * r);
}

static int w_fpair(fvm_t *v, void *ctx)
{
    (void)ctx;
    fvm_cell_t n;
    int rc = fvm_pop(v, &n);
    if (!rc)
        rc = fvm_fpush(v, (double)n / 4);
    return rc ? rc : fvm_fpush(v, -(double)n);
}

static void test_api__host_words_take_and_leave_floats(void **state)
{
    (void)state;
    static const fvm_word_t w[] = { { "fsquare", w_fsquare, NULL, 0 },
                                    { "fpair", w_fpair, NULL, 0 } };
    assert_int_equal(fvm_register(vm, w, 2), 0);
    ok("1.5e fsquare f. 6 fpair f. f.", "2.25 -6. 1.5 ");
    ok(": sq2 fsquare fsquare ; 3e sq2 f.", "81. ");
    throws("fsquare", FVM_E_FSTACK_UNDERFLOW);
    assert_int_equal(fvm_fdepth(vm), 0);
    assert_int_equal(fvm_fpush(vm, 0.25), 0);
    assert_int_equal(fvm_fdepth(vm), 1);
    ok("f.", "0.25 ");
    double r = 1;
    assert_int_equal(fvm_fpop(vm, &r), FVM_E_FSTACK_UNDERFLOW);
    assert_true(r == 1);
    for (int i = 0; i < 64; i++)
        assert_int_equal(fvm_fpush(vm, i), 0);
    assert_int_equal(fvm_fpush(vm, 1), FVM_E_FSTACK_OVERFLOW);
    assert_int_equal(fvm_fpop(vm, &r), 0);
    assert_true(r == 63);
    ok("fdepth . f. fdepth .", "63 62. 62 ");
}

/* ---- bad arguments ----------------------------------------------------------------- */

static void test_hostile__addresses_and_counts(void **state)
{
    (void)state;
    throws("0 f@", FVM_E_INVALID_ADDRESS);
    throws("-1 f@", FVM_E_INVALID_ADDRESS);
    throws("1e 12345 f!", FVM_E_INVALID_ADDRESS);
    throws("1e ' dup f!", -20);                   /* the system dictionary */
    throws("1e 0 sf!", FVM_E_INVALID_ADDRESS);
    throws("-3 sf@", FVM_E_INVALID_ADDRESS);
    throws("0 -1 >float", FVM_E_INVALID_ADDRESS);
    throws("0 5 >float", FVM_E_INVALID_ADDRESS);
    throws("1e 0 5 represent", FVM_E_INVALID_ADDRESS);
    throws("1e pad -1 represent", FVM_E_INVALID_ADDRESS);
    throws("1e pad 100000000 represent", FVM_E_INVALID_ADDRESS);
    /* unaligned floats are fine */
    ok("create b 20 allot 2.5e b 1+ f! b 1+ f@ f. 1.5e b 3 + sf! b 3 + sf@ f.", "2.5 1.5 ");
    /* REPRESENT of 0 digits, of many */
    ok("1e pad 0 represent . . .", "-1 0 1 ");
    ok("create rb 1000 allot 1e 3e f/ rb 1000 represent . . . rb 20 type rb 990 + 10 type",
       "-1 0 0 33333333333333331482" "0000000000");
    ok("0.5e rb 3 represent . . . rb 3 type -0e rb 3 represent . . . rb 3 type",
       "-1 0 0 500-1 -1 1 000");
    ok("1e 0e f/ rb 5 represent . . . rb 5 type 0e 0e f/ rb 2 represent . . . rb 2 type",
       "0 0 0 inf  0 -1 0 na");
    ok("9.99999e rb 3 represent . . . rb 3 type", "-1 0 2 100");
}

static void test_hostile__out_of_range(void **state)
{
    (void)state;
    throws("1e300 f>s", -11);
    throws("-1e300 f>d", -11);
    throws("1e 0e f/ f>s", -11);
    throws("0e 0e f/ f>d", -11);
    throws("1e 0e f/ f>d", -11);
    ok("-0.999e f>s . 0.999e f>s . -1e f>d d.", "0 0 -1 ");
    if (sizeof(fvm_cell_t) == 8) {
        ok("-9223372036854775808e f>s . 9223372036854774784e f>s .",
           "-9223372036854775808 9223372036854774784 ");
        throws("9223372036854775808e f>s", -11);
        ok("1e38 f>d d>f fs. -1e38 f>d d>f fs.", "1.E38 -1.E38 ");
        ok("-1 -1 d>f f. 0 -1 d>f fs. -1 2147483647 d>f fs.",
           "-1. -1.8446744073709552E19 3.961408125713217E28 ");
        throws("1.71e38 f>d", -11);
        /* the least double cell, -2^127, is a double's too (it threw) */
        ok("-170141183460469231731687303715884105728e f>d d.",
           "-170141183460469231731687303715884105728 ");
        throws("170141183460469231731687303715884105728e f>d", -11);
    } else {
        ok("-2147483648e f>s . 2147483647e f>s . -2147483648.9e f>s .",
           "-2147483648 2147483647 -2147483648 ");
        throws("2147483648e f>s", -11);
        ok("-1 2147483647 d>f fs. 9.2e18 f>d d>f fs.", "9.223372036854776E18 9.2E18 ");
        ok("-9223372036854775808e f>d d.", "-9223372036854775808 ");
        throws("9223372036854775808e f>d", -11);
    }
    /* SET-PRECISION takes anything */
    ok("0 set-precision precision . 2e 3e f/ f. -5 set-precision precision .", "1 0.7 1 ");
    ok("100000 set-precision precision . 2e 3e f/ f. 17 set-precision", "255 0.6666666666666666 ");
}

static void test_hostile__literals(void **state)
{
    (void)state;
    /* 5000-digit numbers, exactly rounded: >FLOAT and a literal (EVALUATE) */
    ok("create s 6000 allot s 6000 char 3 fill char . s 1+ c! char 0 s c! "
       "s 5000 >float . fs. char e s 5000 + c! char 0 s 5001 + c! s 5002 evaluate fs.",
       "-1 3.333333333333333E-1 3.333333333333333E-1 ");
    ok("s 6000 char 0 fill char 1 s c! char e s 4001 + c! char - s 4002 + c! "
       "char 4 s 4003 + c! s 4004 + 3 char 0 fill s 4007 >float . f. s 4007 evaluate f.",
       "-1 1. 1. ");
    ok("1e99999999999999999999999 f. -1e99999999999999999999999 f. "
       "1e-99999999999999999999999 f. -1e-99999999999999999999999 f.", "inf -inf 0. -0. ");
    ok("2.4703282292062328e-324 fs. 2.4703282292062327e-324 fs.", "5.E-324 0.E0 ");
    ok("1.7976931348623158e308 fs. 1.7976931348623159e308 fs.", "1.7976931348623157E308 inf ");
    throws("1e1e", FVM_E_UNDEFINED);
    throws("1.5", FVM_E_UNDEFINED);
    throws("e5", FVM_E_UNDEFINED);
    throws("1e+-5", FVM_E_UNDEFINED);
    throws("1d5", FVM_E_UNDEFINED);
    /* floats are read in base 10 only */
    ok("hex s\" 1.5e\" ' evaluate catch decimal . 2drop fdepth . 1e5 f.", "-13 0 100000. ");
    /* compiled literals and SEE */
    ok(": lits 1.5e -0e 1e300 ; lits fs. fs. fs.", "1.E300 -0.E0 1.5E0 ");
    ok("see lits", ": lits\n  1.5E0 -0.E0 1.E300 ;\n");
}

/* ---- output that the host refuses for a while -------------------------------- */

/* Conversions pay fuel for their big-integer work, which grows with the
 * float's binary exponent and the digits produced or read, and for the
 * characters >FLOAT scans (review finding: a child in `begin 4.9e-324
 * here 17 represent 2drop drop again` held clio's kernel; 4.9e-324 takes
 * 25 times as long as 1.5e0, and 800 digits of it 2000 times).  Each loop
 * below ran within a 10000-unit budget when these were charged as one
 * call; it must run out of it.  Afterwards the VM finishes the line and
 * works. */
static void test_hostile__conversions_pay_fuel(void **state)
{
    (void)state;
    static const char *const body[] = {
        "300 0 do 4.9e-324 here 17 represent 2drop drop loop",
        "300 0 do 1.7e308 here 17 represent 2drop drop loop",
        "10 0 do 4.9e-324 here 800 represent 2drop drop loop",
        "300 0 do 2.2250738585072014e-308 f. loop",     /* 17 digits each */
        "300 0 do 1.7976931348623157e308 fs. loop",
        "300 0 do -2.2250738585072014e-308 fe. loop",
        "100 0 do big 806 >float drop fdrop loop",      /* 800 digits, e-1100 */
        "100 0 do zeros 8000 >float drop fdrop loop",   /* a long scan */
        "100 0 do big 806 evaluate fdrop loop",         /* the same as a literal */
    };
    ok("create big 806 allot  big 800 char 1 fill  s\" e-1100\" big 800 + swap move", "");
    ok("create zeros 8000 allot  zeros 8000 char 0 fill", "");
    for (size_t i = 0; i < sizeof body / sizeof body[0]; i++) {
        char def[128];
        snprintf(def, sizeof def, ": g %s ;", body[i]);
        ok(def, "");
        print_message("%s\n", body[i]);
        assert_pays_fuel(vm, &out, "g", 10000);
        assert_int_equal(fvm_fdepth(vm), 0);
        ok("1.5e 2e f* f.", "3. ");
    }
}

static void test_output__blocked_write_keeps_the_float(void **state)
{
    (void)state;
    out.refuse = 2;      /* every other write hook call takes nothing */
    for (int i = 0; i < 20; i++) {
        outcap_reset(&out);
        fvm_status_t st = fvm_eval(vm, "1e 3e f/ f. 2.5e fs. 12345e fe. fdepth .", 41);
        int waits = 0;
        while (st == FVM_WAIT && waits++ < 1000)
            st = fvm_run(vm, 0);
        assert_int_equal(st, FVM_DONE);
        assert_string_equal(out.buf, "0.3333333333333333 2.5E0 12.345E3 0 ");
    }
    out.refuse = 0;
}

/* ---- forks and images -------------------------------------------------------- */

static void test_fork__child_has_its_own_float_stack(void **state)
{
    (void)state;
    ok("2.5e fconstant two5 fvariable fv 1.25e fv f! 3e fvalue fval : f3 two5 fv f@ f+ fval f* ;", "");
    ok("7e fdepth .", "1 ");
    static unsigned char cm[64 * 1024] __attribute__((aligned(16)));
    fvm_config_t cc;
    memset(&cc, 0, sizeof cc);
    cc.write = outcap_write;
    cc.io = &out2;
    memset(&out2, 0, sizeof out2);
    ok("5 set-precision", "");
    fvm_t *ch = fvm_fork(vm, cm, sizeof cm, &cc);
    assert_non_null(ch);
    ok_in(ch, &out2, "fdepth . f3 f. fv f@ f. 1e 3e f/ f.", "0 11.25 1.25 0.33333 ");
    ok_in(ch, &out2, "17 set-precision 1e 3e f/ f.", "0.3333333333333333 ");
    assert_int_equal(eval(ch, &out2, "9e fv f!"), FVM_ERROR);
    assert_int_equal(fvm_error(ch)->code, -20);
    assert_int_equal(eval(ch, &out2, "9e to fval"), FVM_ERROR);
    assert_int_equal(fvm_error(ch)->code, -20);
    ok_in(ch, &out2, "fvariable mine 4e mine f! mine f@ f. 6e fvalue v2 8e to v2 v2 f.", "4. 8. ");
    ok("fdepth . f. 1e 3e f/ f. 17 set-precision", "1 7. 0.33333 ");
}

static void test_image__floats_survive(void **state)
{
    (void)state;
    ok("3.25e fconstant k 0.5e fvalue fv fvariable fx -2e fx f! : calc k fv f* fx f@ f+ ; "
       "6 set-precision 1e 2e", "");
    size_t n = fvm_image_save(vm, NULL, 0);
    assert_true(n > 0 && n < sizeof img);
    assert_int_equal(fvm_image_save(vm, img, sizeof img), n);
    memset(mem, 0x5a, sizeof mem);              /* nothing may point here */
    fvm_config_t c;
    memset(&c, 0, sizeof c);
    c.write = outcap_write;
    c.io = &out2;
    memset(&out2, 0, sizeof out2);
    fvm_t *b = fvm_image_load(mem2 + 48, sizeof mem2 - 64, &c, img, n);
    assert_null(b);                             /* another block size */
    b = fvm_image_load(mem2, sizeof mem, &c, img, n);
    assert_non_null(b);
    ok_in(b, &out2, "fdepth . f. f. calc f. 1e 3e f/ f. 2e to fv calc f.", "2 2. 1. -0.375 0.333333 4.5 ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_fstack__underflow_overflow, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fstack__catch_restores_depth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_api__host_words_take_and_leave_floats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile__addresses_and_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile__out_of_range, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile__literals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hostile__conversions_pay_fuel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_output__blocked_write_keeps_the_float, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fork__child_has_its_own_float_stack, setup, teardown),
        cmocka_unit_test_setup_teardown(test_image__floats_survive, setup, teardown),
    };
    return cmocka_run_group_tests_name("fvm_float", tests, NULL, NULL);
}
