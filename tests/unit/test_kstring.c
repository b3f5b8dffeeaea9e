/* test_kstring -- the freestanding memory helpers against byte-at-a-time
 * references, at every alignment and length around a word. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "kstring.h"

#define AREA 96

static void test_kmem_set__every_alignment_and_length(void **state)
{
    (void)state;
    unsigned char buf[AREA], want[AREA];
    for (size_t off = 0; off < 2 * sizeof(uintptr_t); off++)
        for (size_t n = 0; off + n + 8 <= AREA; n++)
            for (int byte = 0; byte < 0x200; byte += 0xa5) {
                memset(buf, 0x5a, sizeof buf);
                memset(want, 0x5a, sizeof want);
                for (size_t i = 0; i < n; i++)
                    want[off + i] = (unsigned char)byte;
                kmem_set(buf + off, byte, n);
                assert_memory_equal(buf, want, sizeof buf);   /* nothing outside */
            }
}

static void test_kmem_copy__every_alignment_and_length(void **state)
{
    (void)state;
    unsigned char src[AREA], buf[AREA], want[AREA];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(i * 7 + 1);
    for (size_t so = 0; so < sizeof(uintptr_t); so++)
        for (size_t dof = 0; dof < sizeof(uintptr_t); dof++)
            for (size_t n = 0; dof + n + 8 <= AREA && so + n <= AREA; n++) {
                memset(buf, 0, sizeof buf);
                memset(want, 0, sizeof want);
                memcpy(want + dof, src + so, n);
                kmem_copy(buf + dof, src + so, n);
                assert_memory_equal(buf, want, sizeof buf);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kmem_set__every_alignment_and_length),
        cmocka_unit_test(test_kmem_copy__every_alignment_and_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
