/*
 * kalloc -- the kernel allocator (prefix kalloc_, plus kalloc()/kfree()).
 *
 * Carves one region handed over by kalloc_init() (normally the host's
 * plat_mem_region()).  Requests up to KALLOC_SMALL_MAX bytes come from
 * per-size-class free lists filled from 2 KiB slabs (a pop and a push);
 * larger ones come from a first-fit heap with boundary tags that coalesces
 * neighbours on free.  Slabs, once carved, stay with their class.
 * Payloads are KALLOC_ALIGN-aligned.  Single core, task context only: never
 * call from an interrupt handler.  Under AddressSanitizer free memory is
 * poisoned, only the kalloc_usable() bytes of a live block are not: a use of
 * a block after kfree() is an ASan report.
 *
 * Failure is always a return value: kalloc() returns NULL, kalloc_async()
 * returns KERR_NOMEM or parks the task until some memory is freed
 * (KERR_PENDING; then call again), or KERR_TIMEOUT past the task's deadline.
 *
 * Test hook: kalloc_fault_inject(n, sticky) makes the n-th allocation from
 * now fail (and every later one when sticky); kalloc_calls() counts every
 * allocation attempt, so a test can sweep n over all allocation sites.
 */
#ifndef KALLOC_H
#define KALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kerr.h"
#include "ksched.h"

#define KALLOC_ALIGN      8
#define KALLOC_SMALL_MAX  248      /* largest size served by the size classes */

typedef struct kalloc_stats {
    size_t total;        /* bytes managed */
    size_t in_use;       /* bytes handed out (block sizes, headers included) */
    size_t peak;         /* high-water mark of in_use */
    size_t free_heap;    /* bytes on the heap free list */
    uint32_t allocs;     /* successful allocations */
    uint32_t frees;
    uint32_t failures;   /* allocations that returned NULL / KERR_NOMEM */
} kalloc_stats_t;

/* Take over [base, base+len); forgets any earlier region.  KERR_INVAL if the
 * region is too small (< 4 KiB). */
kerr_t kalloc_init(void *base, size_t len);
void *kalloc(size_t n);                 /* NULL on failure (or n == 0) */
void *kalloc_zero(size_t n);
void kfree(void *p);                    /* NULL is ignored */
size_t kalloc_usable(const void *p);    /* payload bytes behind p */
/* Allocate for task t, waiting for memory if need be (see above). */
kerr_t kalloc_async(size_t n, task_t *t, void **out);

void kalloc_get_stats(kalloc_stats_t *out);
void kalloc_fault_inject(uint32_t nth, bool sticky);   /* nth == 0: off */
uint64_t kalloc_calls(void);

#endif
