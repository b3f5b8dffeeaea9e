/*
 * libc -- the few C library functions the image needs: gcc emits calls to
 * memcpy/memset/memmove/memcmp for struct copies and the like even with
 * -ffreestanding, and nothing else provides them here (-nostdlib).
 */
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if ((((uintptr_t)p | (uintptr_t)q) & 7) == 0) {
        for (; n >= 8; n -= 8, p += 8, q += 8)
            *(uint64_t *)(void *)p = *(const uint64_t *)(const void *)q;
    }
    while (n--)
        *p++ = *q++;
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    if (p == q || n == 0)
        return d;
    if (p < q || p >= q + n)
        return memcpy(d, s, n);
    while (n--)
        p[n] = q[n];
    return d;
}

void *memset(void *d, int c, size_t n)
{
    unsigned char *p = d;
    if (((uintptr_t)p & 7) == 0) {
        uint64_t w = (unsigned char)c * 0x0101010101010101ull;
        for (; n >= 8; n -= 8, p += 8)
            *(uint64_t *)(void *)p = w;
    }
    while (n--)
        *p++ = (unsigned char)c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q)
            return *p - *q;
    return 0;
}

/* gcc 12 does not inline sub-word atomics on RISC-V and there is no
 * libatomic here: a byte exchange as an LR/SC loop on its aligned word. */
unsigned char __atomic_exchange_1(volatile void *ptr, unsigned char val, int order);
unsigned char __atomic_exchange_1(volatile void *ptr, unsigned char val, int order)
{
    (void)order;                      /* always acquire + release */
    uintptr_t a = (uintptr_t)ptr;
    volatile uint32_t *w = (volatile uint32_t *)(a & ~(uintptr_t)3);
    unsigned sh = (unsigned)(a & 3) * 8;
    uint32_t keep = ~(0xffu << sh), nv = (uint32_t)val << sh, old, tmp;
    __asm__ volatile("1: lr.w.aqrl %0, (%2)\n"
                     "   and %1, %0, %3\n"
                     "   or %1, %1, %4\n"
                     "   sc.w.aqrl %1, %1, (%2)\n"
                     "   bnez %1, 1b"
                     : "=&r"(old), "=&r"(tmp)
                     : "r"(w), "r"(keep), "r"(nv)
                     : "memory");
    return (unsigned char)(old >> sh);
}
