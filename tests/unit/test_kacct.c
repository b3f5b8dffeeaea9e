/* Unit tests: kernel/kacct.c (memory accounts) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    return 0;
}

/* Charged by usable size, refused past the limit (counted, nothing taken
 * from the heap), credited back in full. */
static void test_kacct__charge_limit_credit(void **state)
{
    (void)state;
    kalloc_stats_t before, after;
    kalloc_get_stats(&before);
    kacct_t a;
    kacct_init(&a, 1000);
    void *p = kacct_alloc(&a, 300);
    assert_non_null(p);
    assert_int_equal(a.used, kalloc_usable(p));
    void *q = kacct_alloc_zero(&a, 300);
    assert_non_null(q);
    assert_int_equal(((uint8_t *)q)[299], 0);
    assert_null(kacct_alloc(&a, 600));
    assert_null(kacct_alloc(&a, SIZE_MAX));               /* no overflow */
    assert_int_equal(a.refused, 2);
    size_t peak = a.used;
    kacct_free(&a, p);
    kacct_free(&a, q);
    kacct_free(&a, NULL);
    assert_int_equal(a.used, 0);
    assert_int_equal(a.peak, peak);
    kalloc_get_stats(&after);
    assert_int_equal(after.in_use, before.in_use);
}

/* The kernel's own account (NULL) is plain kalloc. */
static void test_kacct__null_is_the_kernel(void **state)
{
    (void)state;
    void *p = kacct_alloc(NULL, 100000);
    assert_non_null(p);
    kacct_free(NULL, p);
    assert_null(kacct_alloc(NULL, 0));
}

/* A heap failure is a refusal too, and is not charged. */
static void test_kacct__heap_failure_not_charged(void **state)
{
    (void)state;
    kacct_t a;
    kacct_init(&a, 1u << 20);
    kalloc_fault_inject(1, false);
    assert_null(kacct_alloc(&a, 64));
    assert_int_equal(a.used, 0);
    assert_int_equal(a.refused, 1);
}

/* Disowned memory stays allocated but is no longer charged: the account
 * can take its full limit again, and the kernel frees the block later. */
static void test_kacct__disown_credits_now_kernel_frees_later(void **state)
{
    (void)state;
    kalloc_stats_t before, now;
    kalloc_get_stats(&before);
    kacct_t a;
    kacct_init(&a, 1000);
    uint8_t *p = kacct_alloc(&a, 600);
    assert_non_null(p);
    size_t peak = a.used;
    assert_null(kacct_alloc(&a, 600));           /* the limit counts p */
    kacct_disown(&a, p);
    assert_int_equal(a.used, 0);
    assert_int_equal(a.peak, peak);
    kacct_disown(&a, NULL);
    kacct_disown(NULL, p);
    assert_int_equal(a.used, 0);
    p[599] = 7;                                  /* still p's memory */
    void *q = kacct_alloc(&a, 600);              /* p no longer counts */
    assert_non_null(q);
    kacct_free(&a, q);
    assert_int_equal(a.used, 0);
    kalloc_get_stats(&now);
    assert_true(now.in_use > before.in_use);     /* p is still held */
    kacct_free(NULL, p);                         /* by the kernel */
    kalloc_get_stats(&now);
    assert_int_equal(now.in_use, before.in_use);
}

/* Many accounts, each within its limit, cannot take the heap below the
 * reserve together; the kernel's own allocations may use it.  (Tasks' ports
 * and call buffers, each within its quota, emptied it: no shell or eval
 * could start.) */
static void test_kacct__accounts_leave_the_reserve(void **state)
{
    (void)state;
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    const size_t reserve = st.total / 8, blk = 8192;
    kacct_set_reserve(reserve);
    static kacct_t a[4096];
    static void *p[4096];
    unsigned n = 0;
    for (; n < 4096; n++) {
        kacct_init(&a[n], 64 * 1024);
        if (!(p[n] = kacct_alloc(&a[n], blk)))
            break;
    }
    assert_true(n > 0 && n < 4096);
    assert_int_equal(a[n].refused, 1);
    kalloc_get_stats(&st);
    assert_true(st.free_heap >= reserve);
    void *k = kacct_alloc(NULL, blk);                /* the kernel's */
    assert_non_null(k);
    kfree(k);
    for (unsigned i = 0; i < n; i++)
        kacct_free(&a[i], p[i]);
    kacct_set_reserve(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_kacct__charge_limit_credit, setup),
        cmocka_unit_test_setup(test_kacct__null_is_the_kernel, setup),
        cmocka_unit_test_setup(test_kacct__heap_failure_not_charged, setup),
        cmocka_unit_test_setup(test_kacct__disown_credits_now_kernel_frees_later, setup),
        cmocka_unit_test_setup(test_kacct__accounts_leave_the_reserve, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
