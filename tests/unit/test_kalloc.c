/* Unit tests: kernel/kalloc.c */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "kernel.h"
#include "kstring.h"
#include "platform_linux.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KALLOC_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KALLOC_TEST_ASAN 1
#endif
#ifdef KALLOC_TEST_ASAN
int __asan_address_is_poisoned(void const volatile *addr);
#endif

static kalloc_stats_t base;

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    kalloc_get_stats(&base);
    return 0;
}

static kalloc_stats_t stats(void)
{
    kalloc_stats_t s;
    kalloc_get_stats(&s);
    return s;
}

static void test_kalloc_init__rejects_tiny_region(void **state)
{
    (void)state;
    static unsigned char tiny[1024];
    assert_int_equal(kalloc_init(tiny, sizeof tiny), KERR_INVAL);
    assert_int_equal(kalloc_init(NULL, 1 << 20), KERR_INVAL);
}

static void test_kalloc__small_sizes_aligned_distinct(void **state)
{
    (void)state;
    static const size_t sizes[] = { 1, 7, 8, 9, 24, 25, 56, 100, 120, 200, 248 };
    void *p[11];
    for (unsigned i = 0; i < 11; i++) {
        p[i] = kalloc(sizes[i]);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % KALLOC_ALIGN, 0);
        assert_true(kalloc_usable(p[i]) >= sizes[i]);
        kmem_set(p[i], 0xA0 + (int)i, sizes[i]);
    }
    for (unsigned i = 0; i < 11; i++)
        for (size_t j = 0; j < sizes[i]; j++)
            assert_int_equal(((unsigned char *)p[i])[j], 0xA0 + i);
    assert_true(stats().in_use > 0);
    for (unsigned i = 0; i < 11; i++)
        kfree(p[i]);
    assert_int_equal(stats().in_use, 0);
    assert_int_equal(stats().allocs, 11);
    assert_int_equal(stats().frees, 11);
}

static void test_kalloc__small_free_reuses_slot(void **state)
{
    (void)state;
    void *a = kalloc(32);
    kfree(a);
    void *b = kalloc(30);
    assert_ptr_equal(a, b);
    kfree(b);
}

static void test_kalloc__large_blocks_coalesce(void **state)
{
    (void)state;
    void *a = kalloc(10000), *b = kalloc(20000), *c = kalloc(30000);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(kalloc_usable(b) >= 20000);
    kfree(a);
    kfree(c);
    kfree(b);
    kalloc_stats_t s = stats();
    assert_int_equal(s.in_use, 0);
    assert_int_equal(s.free_heap, base.free_heap);
    /* Everything merged back: one block nearly the whole region fits. */
    void *big = kalloc(base.free_heap - 64);
    assert_non_null(big);
    kfree(big);
}

static void test_kalloc__exhaustion_is_a_return_value(void **state)
{
    (void)state;
    static void *blocks[4096];
    unsigned n = 0;
    while (n < 4096 && (blocks[n] = kalloc(64 * 1024)))
        n++;
    assert_true(n > 10 && n < 4096);
    uint32_t fails = stats().failures;
    assert_null(kalloc(64 * 1024));
    assert_int_equal(stats().failures, fails + 1);
    assert_true(stats().peak >= stats().in_use);
    while (n)
        kfree(blocks[--n]);
    assert_int_equal(stats().in_use, 0);
    assert_null(kalloc(0));
    assert_null(kalloc(SIZE_MAX / 2));
}

static void test_kalloc_fault_inject__nth_fails_once(void **state)
{
    (void)state;
    kalloc_fault_inject(3, false);
    void *a = kalloc(16), *b = kalloc(5000), *c = kalloc(16), *d = kalloc(16);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(c);
    assert_non_null(d);
    kfree(a);
    kfree(b);
    kfree(d);
    assert_int_equal(stats().in_use, 0);
}

static void test_kalloc_fault_inject__sticky_fails_all(void **state)
{
    (void)state;
    kalloc_fault_inject(2, true);
    void *a = kalloc(16);
    assert_non_null(a);
    assert_null(kalloc(16));
    assert_null(kalloc(16000));
    kalloc_fault_inject(0, false);
    void *b = kalloc(16);
    assert_non_null(b);
    kfree(a);
    kfree(b);
}

/* Every allocation site of kchan_new() fails in turn: the caller sees NULL
 * and nothing leaks. */
static void test_kalloc_fault_inject__sweep_kchan_new(void **state)
{
    (void)state;
    unsigned failed = 0;
    for (uint32_t n = 1; n < 10; n++) {
        uint64_t before = kalloc_calls();
        kalloc_fault_inject(n, false);
        kchan_t *c = kchan_new(16, 8);
        bool hit = kalloc_calls() - before >= n;
        kalloc_fault_inject(0, false);
        if (hit) {
            assert_null(c);
            failed++;
        } else {
            assert_non_null(c);
            kchan_free(c);
            assert_int_equal(stats().in_use, 0);
            break;
        }
        assert_int_equal(stats().in_use, 0);
    }
    assert_int_equal(failed, 2);     /* two allocation sites */
}

typedef struct {
    task_t task;
    size_t want;
    void *got;
    kerr_t err;
} waiter_t;

static waiter_t w;

static task_status_t waiter_poll(task_t *t)
{
    waiter_t *x = kcontainer_of(t, waiter_t, task);
    x->err = kalloc_async(x->want, t, &x->got);
    return x->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static void test_kalloc_async__waits_until_free(void **state)
{
    (void)state;
    void *hog = kalloc(base.free_heap - 4096);
    assert_non_null(hog);
    w = (waiter_t){ .want = 100000 };
    assert_int_equal(task_spawn(&w.task, waiter_poll, 1), KERR_OK);
    kernel_tick();
    assert_int_equal(w.err, KERR_PENDING);
    assert_false(task_done(&w.task));
    kernel_tick();
    assert_int_equal(w.err, KERR_PENDING);   /* not polled again: not woken */
    kfree(hog);
    kernel_tick();
    assert_true(task_done(&w.task));
    assert_int_equal(w.err, KERR_OK);
    assert_non_null(w.got);
    kfree(w.got);
    assert_int_equal(stats().in_use, 0);
}

static void test_kalloc_async__timeout_and_injected(void **state)
{
    (void)state;
    void *hog = kalloc(base.free_heap - 4096);
    w = (waiter_t){ .want = 100000 };
    task_spawn(&w.task, waiter_poll, 1);
    task_set_timeout(&w.task, 500);
    assert_int_equal(kernel_tick(), 1500);
    plat_linux_advance(500);
    kernel_tick();
    assert_true(task_done(&w.task));
    assert_int_equal(w.err, KERR_TIMEOUT);
    kfree(hog);

    void *out = NULL;
    kalloc_fault_inject(1, false);
    assert_int_equal(kalloc_async(16, &w.task, &out), KERR_NOMEM);
    assert_int_equal(kalloc_async(16, &w.task, &out), KERR_OK);
    kfree(out);
}


/* ASan build only: a freed block's payload is poisoned past the allocator's
 * own words (a small object's free-list pointer; a heap block's header, link
 * and footer), a live block's payload is not at all, and the heap not yet
 * carved is poisoned.  A use-after-free of a kernel block is then an ASan
 * report. */
#ifdef KALLOC_TEST_ASAN
static bool poisoned(const void *p, size_t off)
{
    return __asan_address_is_poisoned((const unsigned char *)p + off) != 0;
}

static void assert_all_unpoisoned(const void *p)
{
    for (size_t i = 0; i < kalloc_usable(p); i++)
        assert_false(poisoned(p, i));
}
#endif

static void test_kalloc__asan_poisons_freed_payload(void **state)
{
    (void)state;
#ifndef KALLOC_TEST_ASAN
    skip();
#else
    /* small objects: one of each class, live then freed */
    static const size_t sizes[] = { 8, 24, 56, 120, 248 };
    void *p[5];
    for (unsigned i = 0; i < 5; i++) {
        p[i] = kalloc(sizes[i]);
        assert_non_null(p[i]);
        assert_all_unpoisoned(p[i]);
    }
    void *live = kalloc(24);
    size_t usable[5];
    for (unsigned i = 0; i < 5; i++) {
        usable[i] = kalloc_usable(p[i]);
        kfree(p[i]);
    }
    for (unsigned i = 0; i < 5; i++)
        for (size_t off = sizeof(void *); off < usable[i]; off++)
            assert_true(poisoned(p[i], off));
    assert_all_unpoisoned(live);
    /* reused: unpoisoned again */
    void *again = kalloc(24);
    assert_ptr_equal(again, p[1]);
    assert_all_unpoisoned(again);
    kfree(again);
    kfree(live);

    /* heap blocks: freed one poisoned past header, link (two pointers) and
     * footer; a neighbour that stays live is untouched */
    unsigned char *a = kalloc(10000), *b = kalloc(20000), *c = kalloc(3000);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_all_unpoisoned(a);
    assert_all_unpoisoned(b);
    size_t ua = kalloc_usable(a);
    kfree(a);
    for (size_t off = 2 * sizeof(void *); off + 8 < ua; off++)
        assert_true(poisoned(a, off));
    assert_all_unpoisoned(b);
    /* coalesced with a free neighbour: b's old payload poisoned too */
    size_t ub = kalloc_usable(b);
    kfree(b);
    for (size_t off = 0; off + 8 < ub; off++)
        assert_true(poisoned(b, off));
    assert_all_unpoisoned(c);
    /* split again: what is handed out is unpoisoned, exactly */
    unsigned char *d = kalloc(100);
    assert_all_unpoisoned(d);
    unsigned char *e = kalloc(5000);
    assert_all_unpoisoned(e);
    kfree(d);
    kfree(e);
    kfree(c);
    assert_int_equal(stats().in_use, 0);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_kalloc_init__rejects_tiny_region, setup),
        cmocka_unit_test_setup(test_kalloc__small_sizes_aligned_distinct, setup),
        cmocka_unit_test_setup(test_kalloc__small_free_reuses_slot, setup),
        cmocka_unit_test_setup(test_kalloc__large_blocks_coalesce, setup),
        cmocka_unit_test_setup(test_kalloc__exhaustion_is_a_return_value, setup),
        cmocka_unit_test_setup(test_kalloc_fault_inject__nth_fails_once, setup),
        cmocka_unit_test_setup(test_kalloc_fault_inject__sticky_fails_all, setup),
        cmocka_unit_test_setup(test_kalloc_fault_inject__sweep_kchan_new, setup),
        cmocka_unit_test_setup(test_kalloc_async__waits_until_free, setup),
        cmocka_unit_test_setup(test_kalloc_async__timeout_and_injected, setup),
        cmocka_unit_test_setup(test_kalloc__asan_poisons_freed_payload, setup),
    };
    return cmocka_run_group_tests_name("kalloc", tests, NULL, NULL);
}
