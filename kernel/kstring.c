/* kstring -- freestanding memory helpers (word-at-a-time when aligned). */
#include <stdint.h>
#include "kstring.h"

/* Keep gcc from turning these loops back into memcpy/memset calls.  clang
 * has no such attribute (and warns about it): for wasm32 with bulk memory
 * it makes such loops memory.copy/memory.fill instructions, not calls. */
#if defined(__GNUC__) && !defined(__clang__)
#define NO_LIBCALL __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define NO_LIBCALL
#endif

NO_LIBCALL void kmem_copy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(uintptr_t) - 1)) == 0) {
        uintptr_t *dw = (uintptr_t *)(void *)d;
        const uintptr_t *sw = (const uintptr_t *)(const void *)s;
        size_t words = n / sizeof(uintptr_t);
        for (size_t i = 0; i < words; i++)
            dw[i] = sw[i];
        d += words * sizeof(uintptr_t);
        s += words * sizeof(uintptr_t);
        n -= words * sizeof(uintptr_t);
    }
    while (n--)
        *d++ = *s++;
}

NO_LIBCALL void kmem_move(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n) {
        kmem_copy(d, s, n);
        return;
    }
    while (n--)
        d[n] = s[n];
}

NO_LIBCALL void kmem_set(void *dst, int byte, size_t n)
{
    unsigned char *d = dst;
    while (n && ((uintptr_t)d & (sizeof(uintptr_t) - 1))) {
        *d++ = (unsigned char)byte;
        n--;
    }
    uintptr_t w = (uintptr_t)-1 / 0xff * (unsigned char)byte;   /* the byte in every lane */
    uintptr_t *dw = (uintptr_t *)(void *)d;
    size_t words = n / sizeof(uintptr_t);
    for (size_t i = 0; i < words; i++)
        dw[i] = w;
    d += words * sizeof(uintptr_t);
    n -= words * sizeof(uintptr_t);
    while (n--)
        *d++ = (unsigned char)byte;
}

bool kmem_eq(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;
    for (size_t i = 0; i < n; i++)
        if (x[i] != y[i])
            return false;
    return true;
}

size_t kstr_len(const char *s, size_t max)
{
    size_t n = 0;
    while (n < max && s[n])
        n++;
    return n;
}

char *kstr_udec(uint64_t n, char *b)
{
    char t[20];
    int i = 0, j = 0;
    do
        t[i++] = (char)('0' + n % 10);
    while ((n /= 10) != 0);
    while (i)
        b[j++] = t[--i];
    b[j] = 0;
    return b;
}
