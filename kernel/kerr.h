/*
 * kerr -- the kernel's error codes.
 *
 * Every kernel call that can fail returns a kerr_t; KERR_OK is zero and every
 * failure is a distinct positive value.  KERR_PENDING is not a failure: an
 * async call returns it after parking the calling task, which will be woken
 * and should call again.  kerr_str() never returns NULL.
 */
#ifndef KERR_H
#define KERR_H

typedef enum kerr {
    KERR_OK = 0,
    KERR_PENDING,         /* not yet: the task is parked and will be woken */
    KERR_NOMEM,           /* out of memory */
    KERR_DUPLICATE,       /* a service with this UUID is already registered */
    KERR_REG_FULL,        /* registry (service or client table) is full */
    KERR_NOT_FOUND,       /* no service with this UUID */
    KERR_IFACE_MISMATCH,  /* service found, but its interface hash differs */
    KERR_GONE,            /* the service (or the client) went away */
    KERR_CLOSED,          /* the queue or ring was closed */
    KERR_FULL,            /* the queue or ring has no room */
    KERR_EMPTY,           /* nothing to receive */
    KERR_TIMEOUT,         /* the task's deadline passed */
    KERR_INVAL,           /* bad argument (size, state, power of two...) */
    KERR_CANCELLED,       /* the task was cancelled (exit code of a cancelled task) */
    KERR_TOO_BIG,         /* request larger than the object can ever hold */
    KERR_BUSY,            /* resource held by someone else */
    KERR_COUNT
} kerr_t;

const char *kerr_str(kerr_t err);

#endif
