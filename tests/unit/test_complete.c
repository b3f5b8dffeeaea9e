/*
 * test_complete -- Tab completion for ledit lines (services/shell/complete):
 * one candidate inserted with a space, in the case typed; several, their
 * common prefix, then the list; nothing typed or nothing found changes
 * nothing; a small list buffer is not overrun.
 */
#include "fvm_test.h"
#include "shell/complete.h"

FVM_FIXTURE

static ledit_t ed;
static char list[512];

static complete_res_t tab(const char *typed, bool again, uint32_t *len)
{
    ledit_init(&ed, NULL, NULL);
    for (const char *p = typed; *p; p++)
        ledit_key(&ed, (uint8_t)*p);
    return complete_tab(&ed, vm, again, list, sizeof list - 1, len);
}

static void test_complete__one_candidate_in_the_case_typed(void **state)
{
    (void)state;
    uint32_t n;
    assert_int_equal(tab("1 dept", false, &n), COMPLETE_ONE);
    assert_string_equal(ed.buf, "1 depth ");
    assert_int_equal(ed.pos, 8);
    assert_int_equal(tab("DEPT", false, &n), COMPLETE_ONE);
    assert_string_equal(ed.buf, "DEPTH ");
    assert_int_equal(tab("DePt", false, &n), COMPLETE_ONE);
    assert_string_equal(ed.buf, "DePtH ");
}

static void test_complete__several_prefix_then_list(void **state)
{
    (void)state;
    assert_int_equal(run_line(vm, &out, ": my-word-one ; : my-word-two ;"), FVM_NEED_INPUT);
    uint32_t n;
    assert_int_equal(tab("my-w", false, &n), COMPLETE_SOME);
    assert_string_equal(ed.buf, "my-word-");
    assert_int_equal(n, 0);
    /* the next Tab lists them, in the case typed */
    assert_int_equal(complete_tab(&ed, vm, true, list, sizeof list - 1, &n), COMPLETE_LIST);
    list[n] = 0;
    assert_string_equal(list, "my-word-two my-word-one ");
    assert_string_equal(ed.buf, "my-word-");
    /* a first Tab that can add nothing lists at once */
    assert_int_equal(tab("SPACE", false, &n), COMPLETE_LIST);
    list[n] = 0;
    assert_non_null(strstr(list, "SPACES "));
    assert_non_null(strstr(list, "SPACE "));
}

static void test_complete__nothing_to_do(void **state)
{
    (void)state;
    uint32_t n;
    assert_int_equal(tab("", false, &n), COMPLETE_NONE);
    assert_int_equal(tab("1 ", false, &n), COMPLETE_NONE);
    assert_string_equal(ed.buf, "1 ");
    assert_int_equal(tab("zzqx", false, &n), COMPLETE_NONE);
    assert_string_equal(ed.buf, "zzqx");
    ledit_init(&ed, NULL, NULL);
    assert_int_equal(complete_tab(&ed, NULL, false, list, 10, &n), COMPLETE_NONE);
}

static void test_complete__small_list_buffer(void **state)
{
    (void)state;
    uint32_t n;
    ledit_init(&ed, NULL, NULL);
    ledit_key(&ed, 'f');
    memset(list, 'x', sizeof list);
    assert_int_equal(complete_tab(&ed, vm, true, list, 10, &n), COMPLETE_LIST);
    assert_true(n <= 10);
    assert_int_equal(list[10], 'x');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_complete__one_candidate_in_the_case_typed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete__several_prefix_then_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete__nothing_to_do, setup, teardown),
        cmocka_unit_test_setup_teardown(test_complete__small_list_buffer, setup, teardown),
    };
    return cmocka_run_group_tests_name("complete", tests, NULL, NULL);
}
