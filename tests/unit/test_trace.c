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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_trace_emit__fields_recorded, setup),
        cmocka_unit_test_setup(test_trace_emit__level_filter, setup),
        cmocka_unit_test_setup(test_trace_emit__full_ring_drops_and_counts, setup),
        cmocka_unit_test_setup(test_trace_drain__to_sink_in_order, setup),
        cmocka_unit_test_setup(test_trace_emit__long_text_truncated, setup),
        cmocka_unit_test_setup(test_trace_format__one_line, setup),
    };
    return cmocka_run_group_tests_name("trace", tests, NULL, NULL);
}
