/* kstring -- freestanding memory helpers (word-at-a-time when aligned). */
#include <stdint.h>
#include "kstring.h"

void kmem_copy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & (sizeof(uintptr_t) - 1)) == 0) {
        for (; n >= sizeof(uintptr_t); n -= sizeof(uintptr_t)) {
            *(uintptr_t *)(void *)d = *(const uintptr_t *)(const void *)s;
            d += sizeof(uintptr_t);
            s += sizeof(uintptr_t);
        }
    }
    while (n--)
        *d++ = *s++;
}

void kmem_set(void *dst, int byte, size_t n)
{
    volatile unsigned char *d = dst;   /* volatile: keep gcc from calling memset */
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
