/*
 * fvm_test.h -- helpers shared by the VM's cmocka tests (test_fvm_*.c).
 *
 * Output is captured through the write hook into a buffer; the VM is driven
 * either with fvm_eval() (unlimited fuel: only for text that must end) or
 * through its QUIT loop with a bounded fuel budget (run_line), so that a VM
 * bug that loops forever fails the test instead of hanging it.  A watchdog
 * (alarm) turns a hang inside the library into a failure too.
 */
#ifndef FVM_TEST_H
#define FVM_TEST_H

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fvm.h"

#define OUT_MAX (1u << 16)

typedef struct {
    char buf[OUT_MAX + 1];
    size_t len;        /* bytes kept in buf */
    size_t total;      /* bytes taken in all */
    size_t chunk;      /* 0: take everything; else take at most this much */
    unsigned calls;    /* write hook calls */
    unsigned refuse;   /* refuse (take 0) every refuse-th call; 0: never */
} outcap_t;

static inline size_t outcap_write(void *io, const char *s, size_t n)
{
    outcap_t *o = io;
    o->calls++;
    if (o->refuse && o->calls % o->refuse == 0)
        return 0;
    if (o->chunk && n > o->chunk)
        n = o->chunk;
    for (size_t i = 0; i < n; i++)
        if (o->len < OUT_MAX)
            o->buf[o->len++] = s[i];
    o->buf[o->len] = 0;
    o->total += n;
    return n;
}

static inline void outcap_reset(outcap_t *o)
{
    o->len = 0;
    o->buf[0] = 0;
}

/* A fresh VM in mem[0..size) writing into *o. */
static inline fvm_t *vm_new(void *mem, size_t size, outcap_t *o)
{
    fvm_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.write = outcap_write;
    cfg.io = o;
    memset(o, 0, sizeof *o);
    return fvm_create(mem, size, &cfg);
}

/* fvm_eval of a C string with the output buffer cleared first. */
static inline fvm_status_t eval(fvm_t *vm, outcap_t *o, const char *s)
{
    outcap_reset(o);
    return fvm_eval(vm, s, strlen(s));
}

/* Feed one line (a '\n' is added) to the QUIT loop and run it with at most
 * `budget` units of fuel in calls of `step`.  Returns FVM_NEED_INPUT when the
 * line is done and the loop wants the next line, FVM_OUT_OF_FUEL when the
 * budget ran out, or whatever else stopped it (ERROR, BYE, WAIT, ...). */
static inline fvm_status_t run_line_fuel(fvm_t *vm, outcap_t *o, const char *s,
                                         long budget, long step)
{
    outcap_reset(o);
    size_t n = strlen(s), off = 0;
    int fed_nl = 0;
    for (long spent = 0; spent < budget; ) {
        fvm_status_t st = fvm_run(vm, step);
        if (st == FVM_OUT_OF_FUEL) {
            spent += step;
            continue;
        }
        if (st != FVM_NEED_INPUT)
            return st;
        if (off < n) {
            off += fvm_input(vm, s + off, n - off);
        } else if (!fed_nl) {
            fed_nl = fvm_input(vm, "\n", 1) == 1;
        } else {
            return FVM_NEED_INPUT;   /* wants more: this line is done */
        }
        spent++;  /* fvm_input taking nothing must not loop forever */
    }
    return FVM_OUT_OF_FUEL;
}

#define RUN_BUDGET 20000000L
static inline fvm_status_t run_line(fvm_t *vm, outcap_t *o, const char *s)
{
    return run_line_fuel(vm, o, s, RUN_BUDGET, 100000);
}

/* The VM answers "1 2 + ." with "3 " (the standard sanity check). */
static inline void assert_vm_works(fvm_t *vm, outcap_t *o)
{
    fvm_status_t st = eval(vm, o, "1 2 + .");
    if (st != FVM_DONE)
        print_error("sanity check: status %d, error %d\n", (int)st,
                    st == FVM_ERROR ? fvm_error(vm)->code : 0);
    assert_int_equal(st, FVM_DONE);
    assert_string_equal(o->buf, "3 ");
}

static const char *const status_names[] = {
    "DONE", "NEED_INPUT", "OUT_OF_FUEL", "WAIT", "BYE", "ERROR"
};
static inline const char *status_name(fvm_status_t st)
{
    return (unsigned)st < 6 ? status_names[st] : "?";
}

/* The line must run out of `budget` units of fuel (in slices of 1000): it
 * pays for its work.  Then it is run to its end (the debt paid) and must
 * leave the data stack empty. */
static inline void assert_pays_fuel(fvm_t *vm, outcap_t *o, const char *line, long budget)
{
    fvm_status_t st = run_line_fuel(vm, o, line, budget, 1000);
    if (st != FVM_OUT_OF_FUEL)
        print_error("'%s' on %ld units: status %s, want OUT_OF_FUEL\n", line, budget,
                    status_name(st));
    assert_int_equal(st, FVM_OUT_OF_FUEL);
    while ((st = fvm_run(vm, 100000)) == FVM_OUT_OF_FUEL)
        ;
    assert_int_equal(st, FVM_NEED_INPUT);
    assert_int_equal(fvm_depth(vm), 0);
}

/* Define `defs`, then each word of the NULL-ended list must run out of
 * `budget` (assert_pays_fuel); the VM works afterwards. */
static inline void assert_words_pay_fuel(fvm_t *vm, outcap_t *o, const char *defs, long budget,
                                         const char *const *words)
{
    assert_int_equal(eval(vm, o, defs), FVM_DONE);
    for (; *words; words++)
        assert_pays_fuel(vm, o, *words, budget);
    assert_vm_works(vm, o);
}

/* A hang inside the library becomes a test failure after `secs`. */
static inline void watchdog_handler(int sig)
{
    static const char msg[] = "watchdog: the VM hung (no return from the library)\n";
    (void)sig;
    if (write(2, msg, sizeof msg - 1) < 0) { /* nothing to do */ }
    _exit(3);
}
static inline void watchdog(unsigned secs)
{
    signal(SIGALRM, watchdog_handler);
    alarm(secs);
}

/* text must run to its end in v and print want */
static inline void expect_ok(fvm_t *v, outcap_t *o, const char *text, const char *want)
{
    fvm_status_t st = eval(v, o, text);
    if (st != FVM_DONE || strcmp(o->buf, want) != 0)
        print_error("'%s': status %s code %d output '%s', want '%s'\n", text,
                    status_name(st), st == FVM_ERROR ? fvm_error(v)->code : 0, o->buf, want);
    assert_int_equal(st, FVM_DONE);
    assert_string_equal(o->buf, want);
}

/* text must throw code (uncaught) in v, and v must work afterwards */
static inline void expect_throw(fvm_t *v, outcap_t *o, const char *text, int code)
{
    fvm_status_t st = eval(v, o, text);
    if (st != FVM_ERROR || fvm_error(v)->code != code)
        print_error("'%s': status %s code %d, want error %d\n", text, status_name(st),
                    st == FVM_ERROR ? fvm_error(v)->code : 0, code);
    assert_int_equal(st, FVM_ERROR);
    assert_int_equal(fvm_error(v)->code, code);
    assert_vm_works(v, o);
}

/* The usual fixture: a fresh VM in a 1 MiB block for each test (vm),
 * its output in `out`, the watchdog armed.  Use once per test file. */
#define FVM_FIXTURE                                                   \
    static unsigned char mem[1 << 20];                                \
    static outcap_t out;                                              \
    static fvm_t *vm;                                                 \
    static int setup(void **state)                                    \
    {                                                                 \
        (void)state;                                                  \
        watchdog(30);                                                 \
        vm = vm_new(mem, sizeof mem, &out);                           \
        assert_non_null(vm);                                          \
        return 0;                                                     \
    }                                                                 \
    static int teardown(void **state)                                 \
    {                                                                 \
        (void)state;                                                  \
        alarm(0);                                                     \
        return 0;                                                     \
    }

#endif
