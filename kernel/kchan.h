/*
 * kchan -- bounded MPSC message queues of fixed-size messages (prefix kchan_).
 *
 * Any number of tasks send, one task (normally the owning service) receives;
 * messages are copied in and out by value, in FIFO order.  Capacity is a power
 * of two.  Storage is the caller's (kchan_init) or the allocator's
 * (kchan_new / kchan_free).  Task context only; never blocks: the async calls
 * park the calling task and return KERR_PENDING, to be called again when the
 * task is woken.
 *
 * Errors: KERR_FULL / KERR_EMPTY from the try variants, KERR_CLOSED after
 * kchan_close() (a receiver still gets the queued messages first), KERR_TIMEOUT
 * past the task's deadline, KERR_INVAL / KERR_NOMEM from setup.
 * Closing wakes every waiting sender and receiver.
 */
#ifndef KCHAN_H
#define KCHAN_H

#include <stdbool.h>
#include <stdint.h>
#include "kerr.h"
#include "ksched.h"

typedef struct kchan {
    unsigned char *buf;
    uint32_t elem;          /* message size in bytes */
    uint32_t mask;          /* capacity - 1 */
    uint32_t head, tail;    /* free-running: tail - head = queued */
    bool closed;
    bool owned;             /* buf came from kalloc */
    kwaitq_t senders, receivers;
    /* Derived at kchan_init, for the hot paths: */
    int32_t send_max;       /* mask, or -1 once closed: "tail - head > send_max"
                             * is "full or closed" in one compare */
    uint32_t words;         /* elem / 8 when buf and elem are 8-byte aligned
                             * (messages copy as words), else 0 */
} kchan_t;

kerr_t kchan_init(kchan_t *c, void *buf, uint32_t elem, uint32_t cap);
kchan_t *kchan_new(uint32_t elem, uint32_t cap);       /* NULL: no memory / bad args */
void kchan_free(kchan_t *c);                           /* closes first */

kerr_t kchan_try_send(kchan_t *c, const void *msg);    /* OK, FULL, CLOSED */
kerr_t kchan_send(kchan_t *c, task_t *t, const void *msg);  /* + PENDING, TIMEOUT */
kerr_t kchan_try_recv(kchan_t *c, void *out);          /* OK, EMPTY, CLOSED */
kerr_t kchan_recv(kchan_t *c, task_t *t, void *out);   /* + PENDING, TIMEOUT */
void kchan_close(kchan_t *c);

static inline uint32_t kchan_len(const kchan_t *c) { return c->tail - c->head; }
static inline uint32_t kchan_cap(const kchan_t *c) { return c->mask + 1; }
static inline bool kchan_closed(const kchan_t *c) { return c->closed; }

#endif
