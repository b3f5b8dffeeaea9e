/* Unit tests: kernel/bbq.c (bipartite byte rings) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kernel.h"
#include "platform_linux.h"

static uint8_t mem[16];
static bbq_t q;

static int setup(void **state)
{
    (void)state;
    plat_linux_fake_clock(1000);
    assert_int_equal(kernel_init(), KERR_OK);
    assert_int_equal(bbq_init(&q, mem, sizeof mem), KERR_OK);
    return 0;
}

static void put(const char *s)
{
    bbq_grant_t g;
    uint32_t n = (uint32_t)strlen(s);
    assert_int_equal(bbq_grant(&q, n, &g), KERR_OK);
    memcpy(g.ptr, s, n);
    bbq_commit(&q, n);
}

static void test_bbq__grant_commit_read_release(void **state)
{
    (void)state;
    bbq_grant_t g;
    assert_int_equal(bbq_read(&q, &g), KERR_EMPTY);
    put("hello");
    assert_int_equal(bbq_used(&q), 5);
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    assert_int_equal(g.len, 5);
    assert_memory_equal(g.ptr, "hello", 5);
    bbq_release(&q, 2);
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    assert_int_equal(g.len, 3);
    assert_memory_equal(g.ptr, "llo", 3);
    bbq_release(&q, 3);
    assert_int_equal(bbq_read(&q, &g), KERR_EMPTY);
}

static void test_bbq_grant__too_big_and_zero(void **state)
{
    (void)state;
    bbq_grant_t g;
    assert_int_equal(bbq_grant(&q, 17, &g), KERR_TOO_BIG);
    assert_int_equal(bbq_grant(&q, 0, &g), KERR_INVAL);
    assert_int_equal(bbq_grant(&q, 16, &g), KERR_OK);   /* whole ring, empty */
    bbq_commit(&q, 16);
    assert_int_equal(bbq_used(&q), 16);
}

static void test_bbq_grant__busy_and_partial_commit(void **state)
{
    (void)state;
    bbq_grant_t g, g2;
    assert_int_equal(bbq_grant(&q, 8, &g), KERR_OK);
    assert_int_equal(bbq_grant(&q, 2, &g2), KERR_BUSY);
    memcpy(g.ptr, "abc", 3);
    bbq_commit(&q, 3);                                  /* used less than granted */
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    assert_int_equal(g.len, 3);
    assert_int_equal(bbq_read(&q, &g2), KERR_BUSY);
}

static void test_bbq__wraparound_skips_tail(void **state)
{
    (void)state;
    bbq_grant_t g;
    put("0123456789");                                  /* w = 10 */
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    bbq_release(&q, 10);                                /* r = 10 */
    assert_int_equal(bbq_grant(&q, 8, &g), KERR_OK);    /* 10 + 8 > 16: wraps */
    assert_ptr_equal(g.ptr, mem);
    memcpy(g.ptr, "ABCDEFGH", 8);
    bbq_commit(&q, 8);
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    assert_ptr_equal(g.ptr, mem);
    assert_int_equal(g.len, 8);
    assert_memory_equal(g.ptr, "ABCDEFGH", 8);
    bbq_release(&q, 8);
    assert_int_equal(bbq_read(&q, &g), KERR_EMPTY);
}

static void test_bbq_grant__full_while_inverted(void **state)
{
    (void)state;
    bbq_grant_t g;
    put("0123456789");
    bbq_read(&q, &g);
    bbq_release(&q, 8);                                 /* r = 8, w = 10 */
    assert_int_equal(bbq_grant(&q, 9, &g), KERR_FULL);  /* 10+9 > 16 and 9 >= 8 */
    put("ABCDEFG");                                     /* 10+7 > 16, 7 < 8: wraps */
    assert_int_equal(mem[0], 'A');
    assert_int_equal(bbq_grant(&q, 1, &g), KERR_FULL);  /* inverted: 7+1 == r */
    assert_int_equal(bbq_used(&q), 9);
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    assert_int_equal(g.len, 2);
    assert_memory_equal(g.ptr, "89", 2);
    bbq_release(&q, 2);
    assert_int_equal(bbq_read(&q, &g), KERR_OK);
    assert_int_equal(g.len, 7);
    assert_memory_equal(g.ptr, "ABCDEFG", 7);
    bbq_release(&q, 7);
    assert_int_equal(bbq_read(&q, &g), KERR_EMPTY);
}

static void test_bbq_grant_max__takes_what_fits(void **state)
{
    (void)state;
    bbq_grant_t g;
    assert_int_equal(bbq_grant_max(&q, 100, &g), KERR_OK);
    assert_int_equal(g.len, 16);
    bbq_commit(&q, 12);
    assert_int_equal(bbq_grant_max(&q, 100, &g), KERR_OK);
    assert_int_equal(g.len, 4);
    bbq_commit(&q, 4);
    assert_int_equal(bbq_grant_max(&q, 100, &g), KERR_FULL);
}

/* bbq_room: what successive bbq_grant_max calls would give, in every
 * state of the ring (empty anywhere, wrapped, inverted, full). */
static uint32_t fill_by_grants(bbq_t *r)
{
    uint32_t n = 0;
    bbq_grant_t g;
    while (bbq_grant_max(r, 1000, &g) == KERR_OK) {
        n += g.len;
        bbq_commit(r, g.len);
    }
    return n;
}

static void test_bbq_room__what_grants_would_give(void **state)
{
    (void)state;
    assert_int_equal(bbq_room(&q), 16);
    for (uint32_t w = 0; w < 16; w++)             /* empty, read and write at w */
        for (uint32_t used = 0; used <= 16; used++) {
            static uint8_t m2[16];
            bbq_t r;
            bbq_grant_t g;
            bbq_init(&r, m2, sizeof m2);
            if (w) {                                /* move both indices to w */
                assert_int_equal(bbq_grant(&r, w, &g), KERR_OK);
                bbq_commit(&r, w);
                assert_int_equal(bbq_read(&r, &g), KERR_OK);
                bbq_release(&r, g.len);
            }
            uint32_t put_n = 0;                     /* then `used` more bytes, as fit */
            while (put_n < used && bbq_grant_max(&r, used - put_n, &g) == KERR_OK) {
                put_n += g.len;
                bbq_commit(&r, g.len);
            }
            uint32_t room = bbq_room(&r);
            assert_int_equal(room, fill_by_grants(&r));
            assert_int_equal(bbq_room(&r), 0);
        }
}

/* A long pseudo-random stream through a small ring arrives intact. */
static void test_bbq__stream_integrity_random_sizes(void **state)
{
    (void)state;
    static uint8_t big[61];
    bbq_init(&q, big, sizeof big);
    uint32_t seed = 12345, wseq = 0, rseq = 0;
    for (int step = 0; step < 20000; step++) {
        seed = seed * 1103515245u + 12345u;
        uint32_t n = 1 + (seed >> 16) % 24;
        bbq_grant_t g;
        if ((seed >> 8) & 1) {
            if (bbq_grant(&q, n, &g) == KERR_OK) {
                for (uint32_t i = 0; i < n; i++)
                    g.ptr[i] = (uint8_t)(wseq++ * 7);
                bbq_commit(&q, n);
            }
        } else if (bbq_read(&q, &g) == KERR_OK) {
            uint32_t take = n < g.len ? n : g.len;
            for (uint32_t i = 0; i < take; i++)
                assert_int_equal(g.ptr[i], (uint8_t)(rseq++ * 7));
            bbq_release(&q, take);
        }
    }
    assert_true(rseq > 50000);
    assert_int_equal(bbq_used(&q), wseq - rseq);
}

typedef struct {
    task_t task;
    uint8_t tag;
    uint32_t seq, count;
    bbq_grant_t g;
    kerr_t err;
} producer_t;

static producer_t prod[2];

static task_status_t producer_poll(task_t *t)
{
    producer_t *p = kcontainer_of(t, producer_t, task);
    while (p->seq < p->count) {
        p->err = bbq_mp_grant(&q, t, 2, &p->g);
        if (p->err == KERR_PENDING)
            return TASK_PENDING;
        if (p->err != KERR_OK)
            return task_exit(t, -1);
        p->g.ptr[0] = p->tag;
        p->g.ptr[1] = (uint8_t)p->seq++;
        bbq_mp_commit(&q, 2);
        if (p->seq % 3 == 0) {               /* let the other one in */
            task_wake(t);
            return TASK_PENDING;
        }
    }
    return TASK_DONE;
}

static void test_bbq_mp__two_producers_interleave_in_order(void **state)
{
    (void)state;
    static uint8_t ring[32];
    bbq_init(&q, ring, sizeof ring);
    for (int i = 0; i < 2; i++) {
        prod[i] = (producer_t){ .tag = (uint8_t)('A' + i), .count = 200 };
        task_spawn(&prod[i].task, producer_poll, 1);
    }
    uint32_t next[2] = { 0, 0 }, got = 0;
    for (int round = 0; round < 10000 && got < 400; round++) {
        kernel_tick();
        bbq_grant_t g;
        if (bbq_read(&q, &g) == KERR_OK) {
            assert_int_equal(g.len % 2, 0);
            for (uint32_t i = 0; i < g.len; i += 2) {
                int who = g.ptr[i] - 'A';
                assert_true(who == 0 || who == 1);
                assert_int_equal(g.ptr[i + 1], (uint8_t)next[who]++);
                got++;
            }
            bbq_release(&q, g.len);
        }
    }
    assert_int_equal(got, 400);
    assert_int_equal(next[0], 200);
    assert_int_equal(next[1], 200);
    assert_true(task_done(&prod[0].task) && task_done(&prod[1].task));
}

static void test_bbq_mp_grant__busy_from_interrupt_context(void **state)
{
    (void)state;
    bbq_grant_t g, g2;
    assert_int_equal(bbq_mp_grant(&q, NULL, 4, &g), KERR_OK);
    assert_int_equal(bbq_mp_grant(&q, NULL, 4, &g2), KERR_BUSY);
    assert_int_equal(bbq_mp_grant(&q, NULL, 40, &g2), KERR_TOO_BIG);
    bbq_mp_commit(&q, 4);
    assert_int_equal(bbq_mp_grant(&q, NULL, 4, &g2), KERR_OK);
    bbq_mp_commit(&q, 4);
    assert_int_equal(bbq_mp_grant(&q, NULL, 9, &g2), KERR_FULL);
    assert_int_equal(bbq_mp_grant(&q, NULL, 8, &g2), KERR_OK);   /* lock was released */
    bbq_mp_commit(&q, 8);
}

typedef struct {
    task_t task;
    bbq_grant_t g;
    kerr_t err;
} reader_t;

static reader_t rd;

static task_status_t reader_poll(task_t *t)
{
    reader_t *r = kcontainer_of(t, reader_t, task);
    r->err = bbq_read_wait(&q, t, &r->g);
    return r->err == KERR_PENDING ? TASK_PENDING : TASK_DONE;
}

static void test_bbq_read_wait__woken_by_commit(void **state)
{
    (void)state;
    task_spawn(&rd.task, reader_poll, 1);
    kernel_tick();
    assert_int_equal(rd.err, KERR_PENDING);
    put("zz");
    kernel_tick();
    assert_int_equal(rd.err, KERR_OK);
    assert_int_equal(rd.g.len, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_bbq__grant_commit_read_release, setup),
        cmocka_unit_test_setup(test_bbq_grant__too_big_and_zero, setup),
        cmocka_unit_test_setup(test_bbq_grant__busy_and_partial_commit, setup),
        cmocka_unit_test_setup(test_bbq__wraparound_skips_tail, setup),
        cmocka_unit_test_setup(test_bbq_grant__full_while_inverted, setup),
        cmocka_unit_test_setup(test_bbq_grant_max__takes_what_fits, setup),
        cmocka_unit_test_setup(test_bbq_room__what_grants_would_give, setup),
        cmocka_unit_test_setup(test_bbq__stream_integrity_random_sizes, setup),
        cmocka_unit_test_setup(test_bbq_mp__two_producers_interleave_in_order, setup),
        cmocka_unit_test_setup(test_bbq_mp_grant__busy_from_interrupt_context, setup),
        cmocka_unit_test_setup(test_bbq_read_wait__woken_by_commit, setup),
    };
    return cmocka_run_group_tests_name("bbq", tests, NULL, NULL);
}
