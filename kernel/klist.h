/*
 * klist -- intrusive circular doubly-linked lists.
 *
 * The caller embeds a klist_t in its own struct and owns all memory; nothing
 * here allocates or blocks.  A list head is a klist_t initialised with
 * klist_init(); an unlinked node points at itself, so klist_linked() tells
 * whether a node is on some list and klist_remove() is safe to repeat.
 */
#ifndef KLIST_H
#define KLIST_H

#include <stddef.h>
#include <stdbool.h>

typedef struct klist {
    struct klist *next, *prev;
} klist_t;

/* The struct that embeds `member` at address `ptr`. */
#define kcontainer_of(ptr, type, member) \
    ((type *)(void *)((char *)(ptr) - offsetof(type, member)))

static inline void klist_init(klist_t *n) { n->next = n->prev = n; }
static inline bool klist_empty(const klist_t *h) { return h->next == h; }
static inline bool klist_linked(const klist_t *n) { return n->next != n; }

/* Insert n before `at` (at the tail when `at` is the head). */
static inline void klist_insert_before(klist_t *at, klist_t *n)
{
    n->prev = at->prev;
    n->next = at;
    at->prev->next = n;
    at->prev = n;
}

static inline void klist_push_back(klist_t *h, klist_t *n) { klist_insert_before(h, n); }
static inline void klist_push_front(klist_t *h, klist_t *n) { klist_insert_before(h->next, n); }

/* Unlink n (no-op when n is not linked) and leave it self-linked. */
static inline void klist_remove(klist_t *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n->prev = n;
}

/* Remove and return the first node, or NULL when the list is empty. */
static inline klist_t *klist_pop_front(klist_t *h)
{
    klist_t *n = h->next;
    if (n == h)
        return NULL;
    klist_remove(n);
    return n;
}

#endif
