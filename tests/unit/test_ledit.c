/*
 * test_ledit.c -- the line editor: typing, editing keys and escape
 * sequences, history, Ctrl-C/Ctrl-D, CR LF, long lines, and the VT100
 * echo reproducing the line on a model terminal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "shell/ledit.h"

static ledit_t ed;

/* A one-line model terminal: the echo's bytes, with \b, ESC [nC, ESC [nD. */
static struct { char row[LEDIT_MAX + 64]; int col, width; } term;

static void echo(void *ctx, const char *s, uint32_t n)
{
    (void)ctx;
    for (uint32_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\b') {
            if (term.col > 0)
                term.col--;
        } else if (c == 0x1b) {
            int v = 0;
            i += 2;                              /* ESC [ */
            while (i < n && s[i] >= '0' && s[i] <= '9')
                v = v * 10 + (s[i++] - '0');
            term.col += s[i] == 'C' ? v : -v;
        } else if (c == '\r') {
            term.col = 0;
        } else if (c == '\n' || c == '\a') {
        } else if (c == '^') {
            term.row[term.col++] = c;
        } else {
            term.row[term.col++] = c;
            if (term.col > term.width)
                term.width = term.col;
        }
    }
}

static int setup(void **state)
{
    (void)state;
    memset(&term, 0, sizeof term);
    ledit_init(&ed, echo, NULL);
    return 0;
}

static ledit_ev_t type(const char *s)
{
    ledit_ev_t ev = LEDIT_NONE;
    for (; *s; s++)
        ev = ledit_key(&ed, (uint8_t)*s);
    return ev;
}

static void assert_line(const char *want)
{
    uint32_t n;
    const char *s = ledit_line(&ed, &n);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(s, want, n);
}

/* what the terminal shows, trailing blanks cut */
static void assert_screen(const char *want)
{
    char b[sizeof term.row + 1];
    int n = term.width;
    memcpy(b, term.row, (size_t)n);
    while (n > 0 && (b[n - 1] == ' ' || b[n - 1] == 0))
        n--;
    b[n] = 0;
    assert_string_equal(b, want);
}

static void test_ledit__typing_and_enter(void **state)
{
    (void)state;
    assert_int_equal(type("1 2 + ."), LEDIT_NONE);
    assert_int_equal(type("\r"), LEDIT_LINE);
    assert_line("1 2 + .");
    assert_screen("1 2 + .");
    assert_int_equal(type("\n"), LEDIT_NONE);           /* the LF of CR LF */
    assert_int_equal(type("x\n"), LEDIT_LINE);
    assert_line("x");
}

static void test_ledit__editing_in_the_middle(void **state)
{
    (void)state;
    type("hllo wrld");
    type("\x1b[D\x1b[D\x1b[D");                          /* three left */
    type("o");
    type("\x01\x1b[C");                                  /* home, right */
    type("e");
    assert_screen("hello world");
    type("\x05 !");                                      /* end */
    type("\x1b[H\x1b[3~");                               /* home, delete */
    assert_int_equal(type("\r"), LEDIT_LINE);
    assert_line("ello world !");
    assert_screen("ello world !");
}

static void test_ledit__kill_keys(void **state)
{
    (void)state;
    type("one two three\x17");                           /* Ctrl-W */
    assert_screen("one two");
    type("\x01\x1b[C\x1b[C\x1b[C\x0b");                  /* Ctrl-K after "one" */
    assert_screen("one");
    type("\x15");                                        /* Ctrl-U */
    assert_screen("");
    assert_int_equal(type("\r"), LEDIT_LINE);
    assert_line("");
}

static void test_ledit__history(void **state)
{
    (void)state;
    type("first\r");
    type("second\r");
    type("second\r");                                    /* kept once */
    type("new");
    type("\x1b[A");
    assert_screen("second");
    type("\x1b[A");
    assert_screen("first");
    type("\x1b[A");                                      /* no older: stays */
    assert_screen("first");
    type("\x1b[B\x1b[B");                                /* back to the new line */
    assert_screen("new");
    type("\x10!");                                       /* Ctrl-P, edit */
    assert_int_equal(type("\r"), LEDIT_LINE);
    assert_line("second!");
}

static void test_ledit__ctrl_c_and_ctrl_d(void **state)
{
    (void)state;
    type("abc");
    assert_int_equal(ledit_key(&ed, 0x03), LEDIT_INTR);
    assert_int_equal(type("\r"), LEDIT_LINE);
    assert_line("");
    assert_int_equal(ledit_key(&ed, 0x04), LEDIT_EOF);
    type("ab\x01");
    assert_int_equal(ledit_key(&ed, 0x04), LEDIT_NONE);  /* deletes instead */
    type("\r");
    assert_line("b");
}

static void test_ledit__4097_characters_and_no_more(void **state)
{
    (void)state;
    ledit_init(&ed, NULL, NULL);
    for (int i = 0; i < LEDIT_MAX + 10; i++)
        ledit_key(&ed, (uint8_t)('a' + i % 26));
    assert_int_equal(type("\r"), LEDIT_LINE);
    uint32_t n;
    ledit_line(&ed, &n);
    assert_int_equal(n, LEDIT_MAX);
    /* the history drops old lines to make room */
    for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 3000; i++)
            ledit_key(&ed, 'x');
        type("\r");
    }
    type("\x1b[A");
    assert_int_equal(ed.len, 3000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_ledit__typing_and_enter, setup),
        cmocka_unit_test_setup(test_ledit__editing_in_the_middle, setup),
        cmocka_unit_test_setup(test_ledit__kill_keys, setup),
        cmocka_unit_test_setup(test_ledit__history, setup),
        cmocka_unit_test_setup(test_ledit__ctrl_c_and_ctrl_d, setup),
        cmocka_unit_test_setup(test_ledit__4097_characters_and_no_more, setup),
    };
    return cmocka_run_group_tests_name("ledit", tests, NULL, NULL);
}
