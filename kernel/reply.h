/*
 * reply -- a reusable one-shot reply slot (prefix kreply_).
 *
 * One requester arms the slot with a request id and waits; one responder
 * fills it once with a status and up to `cap` bytes, copied into the
 * requester's buffer.  A fill whose request id does not match the armed one
 * (a late answer to a request that timed out or was cancelled) is refused
 * with KERR_GONE, so a slot can be reused safely.  The requester owns the
 * slot and its buffer.  Task context only; nothing blocks or allocates.
 *
 *   kreply_arm(r, id)           IDLE -> ARMED (KERR_BUSY if already armed)
 *   kreply_fill(r, id, st, d, n) ARMED -> FULL, wakes the waiter
 *                               (KERR_GONE: not armed for id; KERR_TOO_BIG: n > cap)
 *   kreply_wait(r, t, &st, &n)  FULL -> IDLE: KERR_OK; else KERR_PENDING /
 *                               KERR_TIMEOUT (the slot stays armed)
 *   kreply_cancel(r)            any -> IDLE; a later fill is refused
 */
#ifndef REPLY_H
#define REPLY_H

#include <stdint.h>
#include "kerr.h"
#include "ksched.h"

enum { KREPLY_IDLE = 0, KREPLY_ARMED, KREPLY_FULL };

typedef struct kreply {
    void *buf;
    uint32_t cap;
    uint32_t len;
    uint32_t id;
    int32_t status;
    uint8_t state;
    kwaitq_t waiter;
} kreply_t;

void kreply_init(kreply_t *r, void *buf, uint32_t cap);
kerr_t kreply_arm(kreply_t *r, uint32_t id);
kerr_t kreply_fill(kreply_t *r, uint32_t id, int32_t status, const void *data, uint32_t len);
kerr_t kreply_wait(kreply_t *r, task_t *t, int32_t *status, uint32_t *len);
void kreply_cancel(kreply_t *r);

#endif
