/*
 * libc -- the memory functions clang emits calls to even with
 * -ffreestanding (struct copies, loops it recognises), for wasm32 with the
 * bulk-memory feature: each is one wasm instruction (memory.copy, which
 * handles overlap, and memory.fill).  Nothing else of a C library is used.
 */
#include <stddef.h>

void *memcpy(void *restrict d, const void *restrict s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

void *memcpy(void *restrict d, const void *restrict s, size_t n)
{
    __builtin_memcpy(d, s, n);
    return d;
}

void *memmove(void *d, const void *s, size_t n)
{
    __builtin_memmove(d, s, n);
    return d;
}

void *memset(void *d, int c, size_t n)
{
    __builtin_memset(d, c, n);
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
