/*
 * kstring -- the few memory helpers the freestanding kernel needs.
 *
 * kernel/ may not call libc, so these replace memcpy/memset/memcmp.  They
 * never fail and never block.  (gcc may still emit memcpy/memset calls for
 * struct copies; the freestanding image link provides them.)
 */
#ifndef KSTRING_H
#define KSTRING_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

void kmem_copy(void *dst, const void *src, size_t n);   /* regions must not overlap */
void kmem_move(void *dst, const void *src, size_t n);   /* regions may overlap */
void kmem_set(void *dst, int byte, size_t n);
bool kmem_eq(const void *a, const void *b, size_t n);
size_t kstr_len(const char *s, size_t max);             /* strnlen */
/* n in decimal into b (at least 21 bytes), NUL-terminated; returns b */
char *kstr_udec(uint64_t n, char *b);

/* kmem_copy(), with the common case (both 8-aligned, n a multiple of 8)
 * inline as a word loop: for message-sized copies on hot paths. */
static inline void kmem_copy_msg(void *dst, const void *src, size_t n)
{
    if ((((uintptr_t)dst | (uintptr_t)src | n) & 7u) == 0) {
        uint64_t *d = dst;
        const uint64_t *s = src;
        for (size_t i = 0; i < n / 8; i++)
            d[i] = s[i];
    } else {
        kmem_copy(dst, src, n);
    }
}

/* A 64-bit word that may sit at any address: on targets where unaligned
 * loads and stores are cheap (KMEM_UNALIGNED_OK), hot paths copy caller
 * buffers by words without checking their alignment. */
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
#define KMEM_UNALIGNED_OK 1
typedef uint64_t kmem_word_u __attribute__((aligned(1), may_alias));
#else
#define KMEM_UNALIGNED_OK 0
typedef uint64_t kmem_word_u __attribute__((may_alias));
#endif

/* True when p (a caller's buffer) may be accessed through kmem_word_u. */
static inline bool kmem_word_ok(const void *p)
{
    return KMEM_UNALIGNED_OK || ((uintptr_t)p & 7u) == 0;
}

#endif
