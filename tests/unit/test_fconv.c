/*
 * test_fconv.c -- forth/fconv.c against glibc, whose strtod rounds
 * correctly and whose printf prints exact digits: random doubles of every
 * kind (normal, subnormal, integral), random decimal strings (short, long,
 * runs of 0s and 9s near halfway points), and the exact midpoints between
 * neighbouring doubles.  Input must equal strtod bit for bit; shortest
 * output must be the shortest %.*e that reads back, digit for digit;
 * fixed output must equal %.*e.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "fconv.h"
#include "fbits.h"

static uint64_t rs = 88172645463325252u;

static uint64_t rnd(void)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return rs;
}

/* a positive finite double: any bits, a subnormal, or a small ratio */
static double sample(long i)
{
    double v;
    switch (i % 4) {
    case 1: v = (double)(rnd() % 100000) / (double)(1 + rnd() % 1000); break;
    case 2: v = f64_from(rnd() % 0x0010000000000000u); break;
    case 3: v = (double)(rnd() >> (rnd() % 64)); break;
    default: v = fabs(f64_from(rnd())); break;
    }
    return isfinite(v) && v > 0 ? v : 1.0;
}

/* %.*e's digits and exponent as fconv gives them (0.d1d2.. x 10^e) */
static int ref_digits(double v, int n, char *d, int *e)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%.*e", n - 1, v);
    int k = 0;
    for (char *c = buf; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9')
            d[k++] = *c;
    *e = atoi(strchr(buf, 'e') + 1) + 1;
    return k;
}

static void test_fconv__shortest_and_fixed(void **state)
{
    (void)state;
    long bad = 0;
    for (long i = 0; i < 100000; i++) {
        double v = sample(i);
        char got[17], want[40];
        int e, we, n = fconv_shortest(v, got, &e), p, wn = 0;
        for (p = 1; p <= 17; p++) {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*e", p - 1, v);
            if (strtod(buf, NULL) == v)
                break;
        }
        wn = ref_digits(v, p, want, &we);
        while (wn > 1 && want[wn - 1] == '0')
            wn--;
        if (n != wn || memcmp(got, want, (size_t)n) || e != we) {
            if (bad++ < 5)
                print_error("shortest %a: %.*s e%d, want %.*s e%d\n", v, n, got, e, wn, want, we);
        }
        int fn = 1 + (int)(rnd() % 30);
        char fd[40];
        fconv_fixed(v, fd, (size_t)fn, &e);
        ref_digits(v, fn, want, &we);
        if (memcmp(fd, want, (size_t)fn) || e != we) {
            if (bad++ < 5)
                print_error("fixed %a %d: %.*s e%d, want %.*s e%d\n", v, fn, fn, fd, e, fn, want, we);
        }
    }
    assert_int_equal(bad, 0);
}

static void test_fconv__parse_random_decimals(void **state)
{
    (void)state;
    static char s[2000];
    long bad = 0;
    for (long i = 0; i < 100000; i++) {
        int len = 0, nd = 1 + (int)(rnd() % (i % 10 == 0 ? 900 : 25));
        if (rnd() % 2)
            s[len++] = '-';
        int point = (int)(rnd() % (unsigned)(nd + 1));
        for (int j = 0; j < nd; j++) {
            if (j == point)
                s[len++] = '.';
            s[len++] = (char)('0' + rnd() % 10);
            if (i % 3 == 0 && j > 3 && rnd() % 3)
                s[len - 1] = rnd() % 2 ? '0' : '9';
        }
        len += sprintf(s + len, "e%d", (int)(rnd() % 700) - 350);
        double want = strtod(s, NULL), got = 0;
        int ok = fconv_parse(s, (size_t)len, FCONV_LITERAL, &got);
        if (!ok || memcmp(&want, &got, sizeof got)) {
            if (bad++ < 5)
                print_error("parse %.60s: %a, want %a\n", s, got, want);
        }
    }
    assert_int_equal(bad, 0);
}

/* halfway between two neighbours, written out exactly (long double holds
 * the 54-bit midpoint): ties go to even, a hair either way decides */
static void test_fconv__parse_midpoints(void **state)
{
    (void)state;
    static char s[1300];
    long bad = 0;
    for (long i = 0; i < 5000; i++) {
        double v = sample(i), w = nextafter(v, INFINITY);
        if (!isfinite(w))
            continue;
        long double m = ((long double)v + (long double)w) / 2;
        snprintf(s, sizeof s, "%.1100Le", m);
        double want = strtod(s, NULL), got = 0;
        assert_true(fconv_parse(s, strlen(s), FCONV_LITERAL, &got));
        if (memcmp(&want, &got, sizeof got) && bad++ < 5)
            print_error("midpoint %.40s: %a, want %a\n", s, got, want);
    }
    assert_int_equal(bad, 0);
}

static void test_fconv__syntax(void **state)
{
    (void)state;
    static const struct { const char *s; int lit, tof; double v; } cases[] = {
        { "1e", 1, 1, 1 }, { "1E5", 1, 1, 1e5 }, { "-0e", 1, 1, -0.0 }, { "1.5E-3", 1, 1, 1.5e-3 },
        { ".5e", 1, 1, 0.5 }, { "+2e+2", 1, 1, 200 }, { "1.e0", 1, 1, 1 },
        { "1.5", 0, 1, 1.5 }, { "1+5", 0, 1, 1e5 }, { "1-1", 0, 1, 0.1 }, { "5d2", 0, 1, 500 },
        { "9.", 0, 1, 9 }, { ".9", 0, 1, 0.9 }, { "", 0, 1, 0 }, { "   ", 0, 1, 0 },
        { ".", 0, 0, 0 }, { "e", 0, 0, 0 }, { ".e", 0, 0, 0 }, { "+", 0, 0, 0 }, { "-e5", 0, 0, 0 },
        { " 9", 0, 0, 0 }, { "9 ", 0, 0, 0 }, { "1e1e", 0, 0, 0 }, { "1..2", 0, 0, 0 },
        { "1e+-5", 0, 0, 0 }, { "inf", 0, 0, 0 }, { "nan", 0, 0, 0 }, { "0x1p3", 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double r = 42;
        int lit = fconv_parse(cases[i].s, strlen(cases[i].s), FCONV_LITERAL, &r);
        if (lit != cases[i].lit)
            print_error("literal '%s': %d\n", cases[i].s, lit);
        assert_int_equal(lit, cases[i].lit);
        int tof = fconv_parse(cases[i].s, strlen(cases[i].s), FCONV_TOFLOAT, &r);
        if (tof != cases[i].tof)
            print_error(">float '%s': %d\n", cases[i].s, tof);
        assert_int_equal(tof, cases[i].tof);
        if (tof)
            assert_memory_equal(&r, &cases[i].v, sizeof r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fconv__shortest_and_fixed),
        cmocka_unit_test(test_fconv__parse_random_decimals),
        cmocka_unit_test(test_fconv__parse_midpoints),
        cmocka_unit_test(test_fconv__syntax),
    };
    return cmocka_run_group_tests_name("fconv", tests, NULL, NULL);
}
