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

void kmem_copy(void *dst, const void *src, size_t n);   /* regions must not overlap */
void kmem_set(void *dst, int byte, size_t n);
bool kmem_eq(const void *a, const void *b, size_t n);
size_t kstr_len(const char *s, size_t max);             /* strnlen */

#endif
