/*
 * bbq -- byte rings: a bipartite buffer ("BipBuffer", after James Munns'
 * bbqueue) for streams (prefix bbq_).
 *
 * The producer asks for a grant of contiguous bytes, writes them in place and
 * commits how many it used; the consumer reads a contiguous region, and
 * releases how many it consumed.  Grants never wrap: when the tail end of the
 * buffer is too short, the ring wraps early and the skipped tail is not read.
 * One grant and one read may be outstanding at a time.
 *
 * SPSC: one producer and one consumer, which may be an interrupt handler on
 * one side and a task on the other (indices are atomics); the caller owns
 * the buffer.  MPSC: producers that use bbq_mp_grant()/bbq_mp_commit() take
 * turns (a producer lock taken under the platform critical section); the
 * consumer side is unchanged.
 *
 * Errors: KERR_TOO_BIG (asked for more than the ring can ever grant),
 * KERR_FULL (not enough room now), KERR_EMPTY, KERR_BUSY (a grant or read is
 * already outstanding, or another MPSC producer holds the ring), KERR_PENDING
 * / KERR_TIMEOUT from the waiting variants (task context only).
 * bbq_commit()/bbq_release() wake waiting tasks, so they are task context;
 * an interrupt producer uses bbq_commit_isr().
 */
#ifndef BBQ_H
#define BBQ_H

#include <stdbool.h>
#include <stdint.h>
#include "kerr.h"
#include "ksched.h"

typedef struct bbq {
    uint8_t *buf;
    uint32_t cap;
    uint32_t write, read, last, reserve;   /* atomics */
    uint32_t wgrant, rgrant;               /* lengths of outstanding grants */
    uint8_t writing, reading;              /* atomics */
    volatile uint8_t mp_locked;            /* MPSC producer lock */
    kwaitq_t producers, consumers;
} bbq_t;

typedef struct bbq_grant {
    uint8_t *ptr;
    uint32_t len;
} bbq_grant_t;

kerr_t bbq_init(bbq_t *q, void *buf, uint32_t cap);

/* producer */
kerr_t bbq_grant(bbq_t *q, uint32_t len, bbq_grant_t *g);        /* exactly len */
kerr_t bbq_grant_max(bbq_t *q, uint32_t max, bbq_grant_t *g);    /* 1..max */
void bbq_commit(bbq_t *q, uint32_t used);
void bbq_commit_isr(bbq_t *q, uint32_t used, task_t *consumer);
kerr_t bbq_grant_wait(bbq_t *q, task_t *t, uint32_t len, bbq_grant_t *g);

/* consumer */
kerr_t bbq_read(bbq_t *q, bbq_grant_t *g);
void bbq_release(bbq_t *q, uint32_t used);
kerr_t bbq_read_wait(bbq_t *q, task_t *t, bbq_grant_t *g);

/* MPSC producers: t may be NULL (interrupt context: KERR_BUSY/KERR_FULL
 * instead of waiting). */
kerr_t bbq_mp_grant(bbq_t *q, task_t *t, uint32_t len, bbq_grant_t *g);
void bbq_mp_commit(bbq_t *q, uint32_t used);

uint32_t bbq_used(const bbq_t *q);   /* bytes committed and not released */
/* Bytes a producer could put in now, by successive bbq_grant_max() calls
 * (a contiguous grant may be smaller); producer side. */
uint32_t bbq_room(const bbq_t *q);

#endif
