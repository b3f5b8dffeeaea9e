/* Unit tests: kernel/trace.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

static trace_event_t seen[8];
static int nseen;

static void sink_write(void *ctx, const trace_event_t *ev)
{
    (*(int *)ctx)++;
    if (nseen < 8)
        seen[nseen++] = *ev;
}

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(5000);
    assert_int_equal(kernel_init(), KERR_OK);
    nseen = 0;
    return 0;
}

static void test_trace_emit__fields_recorded(void **state)
{
    (void)state;
    trace_emit(TRACE_WARN, TRACE_MOD_REG, 12, -3, 40, "hello");
    assert_int_equal(trace_pending(), 1);
    trace_event_t ev;
    assert_int_equal(trace_pop(&ev), 1);
    assert_int_equal(ev.ts, 5000);
    assert_int_equal(ev.level, TRACE_WARN);
    assert_int_equal(ev.module, TRACE_MOD_REG);
    assert_int_equal(ev.event, 12);
    assert_int_equal(ev.a, -3);
    assert_int_equal(ev.b, 40);
    assert_string_equal(ev.text, "hello");
    assert_int_equal(trace_pop(&ev), 0);
}

static void test_trace_emit__level_filter(void **state)
{
    (void)state;
    trace_emit(TRACE_DEBUG, 1, 1, 0, 0, NULL);       /* default filter: INFO */
    assert_int_equal(trace_pending(), 0);
    trace_set_level(TRACE_DEBUG);
    trace_emit(TRACE_DEBUG, 1, 1, 0, 0, NULL);
    assert_int_equal(trace_pending(), 1);
    trace_set_level(TRACE_OFF);
    trace_emit(TRACE_ERROR, 1, 1, 0, 0, NULL);
    assert_int_equal(trace_pending(), 1);
    assert_int_equal(trace_level(), TRACE_OFF);
    assert_int_equal(trace_dropped(), 0);           /* filtered is not dropped */
}

static void test_trace_emit__full_ring_drops_and_counts(void **state)
{
    (void)state;
    for (int i = 0; i < TRACE_RING_SIZE + 10; i++)
        trace_emit(TRACE_INFO, 2, (uint16_t)i, i, 0, NULL);
    assert_int_equal(trace_pending(), TRACE_RING_SIZE);
    assert_int_equal(trace_dropped(), 10);
    trace_event_t ev;
    trace_pop(&ev);
    assert_int_equal(ev.event, 0);                  /* oldest kept, newest dropped */
    trace_emit(TRACE_INFO, 2, 999, 0, 0, NULL);     /* room again */
    assert_int_equal(trace_dropped(), 10);
}

static void test_trace_drain__to_sink_in_order(void **state)
{
    (void)state;
    int count = 0;
    trace_sink_t s = { sink_write, &count };
    trace_set_sink(&s);
    for (int i = 0; i < 5; i++)
        trace_emit(TRACE_INFO, 3, (uint16_t)(100 + i), 0, 0, NULL);
    assert_int_equal(trace_drain(3), 3);
    assert_int_equal(trace_drain(100), 2);
    assert_int_equal(count, 5);
    for (int i = 0; i < 5; i++)
        assert_int_equal(seen[i].event, 100 + i);
    trace_set_sink(NULL);
    trace_emit(TRACE_INFO, 3, 1, 0, 0, NULL);
    assert_int_equal(trace_drain(10), 1);            /* discarded without a sink */
    assert_int_equal(count, 5);
}

static void test_trace_emit__long_text_truncated(void **state)
{
    (void)state;
    trace_emit(TRACE_ERROR, 1, 1, 0, 0, "0123456789abcdefghijklmnopqrstuvwxyz");
    trace_event_t ev;
    trace_pop(&ev);
    assert_int_equal(strlen(ev.text), TRACE_TEXT_MAX - 1);
    assert_memory_equal(ev.text, "0123456789abcdefghijkl", TRACE_TEXT_MAX - 1);
}

static void test_trace_format__one_line(void **state)
{
    (void)state;
    trace_event_t ev = { .ts = 123, .a = -5, .b = 7, .module = 4, .event = 9,
                         .level = TRACE_WARN, .text = "boom" };
    char buf[64];
    size_t n = trace_format(&ev, buf, sizeof buf);
    assert_string_equal(buf, "T+123 W 4/9 -5 7 boom");
    assert_int_equal(n, strlen(buf));
    char small[6];
    trace_format(&ev, small, sizeof small);
    assert_string_equal(small, "T+123");
}

/* The wire form parses back to the same event; the readable form names
 * the module, the event and its arguments from the catalogue; garbage is
 * refused, not half-read. */
static void test_trace_parse_describe__round_trip(void **state)
{
    (void)state;
    trace_event_t ev = { .ts = 12345678901ull, .a = 7, .b = -3, .module = TRACE_MOD_TASKS,
                         .event = TRACE_EV_TASK_END, .level = TRACE_INFO, .text = "shell 10" };
    char line[96], text[128];
    size_t n = trace_format(&ev, line, sizeof line);
    trace_event_t back;
    memset(&back, 0x55, sizeof back);
    assert_int_equal(trace_parse(line, n, &back), 0);
    assert_true(back.ts == ev.ts);
    assert_int_equal(back.a, 7);
    assert_int_equal(back.b, -3);
    assert_int_equal(back.module, TRACE_MOD_TASKS);
    assert_int_equal(back.event, TRACE_EV_TASK_END);
    assert_int_equal(back.level, TRACE_INFO);
    assert_string_equal(back.text, "shell 10");
    trace_describe(&back, text, sizeof text);
    assert_string_equal(text, "    12.345678 INFO  tasks   ended         task=7 code=-3 shell 10");
    trace_event_t unknown = { .ts = 5000, .module = 99, .event = 999, .level = TRACE_ERROR };
    trace_describe(&unknown, text, sizeof text);
    assert_string_equal(text, "     0.000005 ERROR 99 #999 a=0 b=0");
    static const char *const bad[] = {
        "", "T+", "T+1 X 1/1 0 0", "T+1 W 1/1 0", "T+1 W 70000/1 0 0", "T+1 W 1/1 0 99999999999",
        "T+99999999999999999999 W 1/1 0 0", "hello", "T+1 W 1/1 0 0x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(trace_parse(bad[i], strlen(bad[i]), &back), -1);
    assert_int_equal(trace_parse("T+1 W 1/1 -2147483648 2147483647\r\n", 34, &back), 0);
    assert_int_equal(back.a, INT32_MIN);
    assert_true(trace_nth(1) && trace_nth(2) && !trace_nth(3) && trace_nth(1024) && !trace_nth(0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_trace_emit__fields_recorded, setup),
        cmocka_unit_test_setup(test_trace_emit__level_filter, setup),
        cmocka_unit_test_setup(test_trace_emit__full_ring_drops_and_counts, setup),
        cmocka_unit_test_setup(test_trace_drain__to_sink_in_order, setup),
        cmocka_unit_test_setup(test_trace_emit__long_text_truncated, setup),
        cmocka_unit_test_setup(test_trace_format__one_line, setup),
        cmocka_unit_test_setup(test_trace_parse_describe__round_trip, setup),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
