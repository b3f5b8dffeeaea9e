/*
 * kacct -- memory accounts (prefix kacct_): what the kernel holds on behalf
 * of a client is charged to that client.
 *
 * An account has a limit.  kacct_alloc() takes memory from the kernel heap
 * and charges its usable size to the account, or fails (NULL, the refusal
 * counted) when that would pass the limit or the heap is out of memory;
 * kacct_free() gives it back and credits the account.  Memory must be freed
 * to the account that paid for it (or handed to the kernel first with
 * kacct_disown()).  A NULL account is the kernel's own: no
 * limit, nothing counted.  The account is the caller's memory and must
 * outlive every block charged to it (its owner frees them all when it ends:
 * `used` is back to 0 then).  Task context only; never blocks.
 *
 * The heap's reserve: no account may take the heap's free bytes below it
 * (kacct_set_reserve; 0 after kernel_init), so what clients make the kernel
 * hold, however many of them there are, leaves the kernel room of its own
 * (to start shells and evals); the kernel's own allocations may use it.
 */
#ifndef KACCT_H
#define KACCT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct kacct {
    size_t limit;          /* bytes the owner may make the kernel hold */
    size_t used;           /* bytes held now */
    size_t peak;
    uint32_t refused;      /* allocations refused (limit or heap) */
} kacct_t;

void kacct_init(kacct_t *a, size_t limit);
void *kacct_alloc(kacct_t *a, size_t n);        /* NULL: over the limit, no memory, n == 0 */
void *kacct_alloc_zero(kacct_t *a, size_t n);
void kacct_free(kacct_t *a, void *p);           /* NULL p is ignored */
void kacct_set_reserve(size_t bytes);
size_t kacct_reserve(void);
/* Would n more bytes from the heap leave it its reserve?  (For kernel
 * allocations that stand in for a client's, e.g. a spawnulator shell.) */
bool kacct_leaves_reserve(size_t n);

/* The kernel takes over p's charge: a's used falls by p's usable size now,
 * and p stays allocated, from then on the kernel's (free it with
 * kacct_free(NULL, p)).  For what must outlive the account's owner (a
 * port's last output still going out after its client ended): the caller
 * drops its pointer to a and bounds what the kernel comes to hold this way.
 * NULL a or p: nothing. */
void kacct_disown(kacct_t *a, void *p);

#endif
