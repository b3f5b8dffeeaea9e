/*
 * registry -- services found by 128-bit UUID, and the generic request/reply
 * envelope every service speaks (prefix reg_).
 *
 * A service is a task that owns a reg_service_t (memory is the service's):
 * an inbox kchan of reg_msg_t, its UUID, and an interface hash naming the
 * message layout it was compiled against (reg_hash() of a layout string or
 * version).  It registers, loops on reg_serve() and answers each request with
 * reg_reply().  A client connects once (by UUID, or by the index a lookup
 * returned) into a reg_handle_t it owns, then calls reg_call() repeatedly:
 * each call sends one request and waits for its reply, the async way
 * (KERR_PENDING: poll again when woken).  Every request and reply carries the
 * service index, client id and request id, for tracing and to refuse stale
 * replies.  Task context only; nothing blocks; nothing here allocates.
 *
 * Errors (kerr_t): KERR_DUPLICATE (UUID taken), KERR_REG_FULL (service or
 * client table full), KERR_NOT_FOUND (unknown UUID, when not waiting),
 * KERR_IFACE_MISMATCH (client built against another layout), KERR_GONE
 * (service unregistered, before or during a call; or, to a replying service,
 * the client gave up), KERR_TIMEOUT (the task's deadline), KERR_TOO_BIG
 * (payload over REG_INLINE_MAX), KERR_INVAL (bad handle or state).
 *
 * Payloads: up to REG_INLINE_MAX bytes travel inline in the envelope; with
 * REG_MSG_EXT set, data.ext points at caller-owned memory that must stay valid
 * until the reply (or the handle's disconnect).
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kchan.h"
#include "kerr.h"
#include "reply.h"
#include "ksched.h"

#define REG_MAX_SERVICES 32
#define REG_MAX_CLIENTS  64
#define REG_INLINE_MAX   32
#define REG_MSG_EXT      1u      /* reg_msg_t.flags: payload at data.ext */

typedef struct reg_uuid {
    uint8_t b[16];
} reg_uuid_t;

/* The generic envelope: requests and replies alike. */
typedef struct reg_msg {
    uint16_t service;        /* registry index of the service */
    uint16_t client;         /* client id */
    uint32_t request;        /* request id, per client */
    uint16_t opcode;         /* service-defined */
    uint16_t flags;          /* REG_MSG_EXT */
    int32_t status;          /* replies: service-defined status (0 = ok) */
    uint32_t len;            /* payload bytes */
    /* at 24 with 32-bit pointers too: registry.c copies in 64-bit words */
    _Alignas(8) union {
        uint8_t bytes[REG_INLINE_MAX];
        struct { void *ptr; } ext;
    } data;
} reg_msg_t;

typedef struct reg_service {
    reg_uuid_t uuid;
    uint32_t iface;          /* interface hash */
    const char *name;
    kchan_t inbox;           /* of reg_msg_t */
    uint16_t index;          /* set by reg_register() */
    uint16_t gen;
    bool live;
} reg_service_t;

typedef struct reg_handle {
    uint16_t service;
    uint16_t service_gen;
    uint16_t client;         /* 0: not connected */
    uint8_t phase;
    uint32_t next_req;
    kreply_t reply;
    reg_msg_t resp;          /* the last reply */
} reg_handle_t;

void reg_init(void);                                  /* empty both tables */
uint32_t reg_hash(const void *data, size_t len);      /* FNV-1a, for interface hashes */

/* ---- services ---- */
/* Prepare s with an inbox over `buf` (cap reg_msg_t slots, a power of two). */
kerr_t reg_service_init(reg_service_t *s, const reg_uuid_t *uuid, uint32_t iface,
                        const char *name, reg_msg_t *buf, uint32_t cap);
kerr_t reg_register(reg_service_t *s);                /* OK, DUPLICATE, REG_FULL, INVAL */
/* Remove s: its inbox is closed and every call in flight ends with KERR_GONE. */
kerr_t reg_unregister(reg_service_t *s);
kerr_t reg_serve(reg_service_t *s, task_t *t, reg_msg_t *req);   /* = kchan_recv */
/* Answer `m` (a received request, with status/len/data set by the service). */
kerr_t reg_reply(const reg_msg_t *m);
/* Helper: set status and an inline payload, then reg_reply(). */
kerr_t reg_reply_bytes(reg_msg_t *m, int32_t status, const void *data, uint32_t len);

/* ---- clients ---- */
kerr_t reg_lookup(const reg_uuid_t *uuid, uint16_t *index);
reg_service_t *reg_service_at(uint16_t index);        /* NULL if empty */
/* Connect h to the service with this UUID.  waiter == NULL: fail fast with
 * KERR_NOT_FOUND; else park waiter until some service registers. */
kerr_t reg_connect(reg_handle_t *h, const reg_uuid_t *uuid, uint32_t iface, task_t *waiter);
kerr_t reg_connect_index(reg_handle_t *h, uint16_t index, uint32_t iface);
void reg_disconnect(reg_handle_t *h);
/* Send `req` (opcode, flags, len, data set; the service, client and request
 * fields are stamped into it) and wait for the reply, which is
 * then at reg_response(h).  Poll until not KERR_PENDING. */
kerr_t reg_call(reg_handle_t *h, task_t *t, reg_msg_t *req);
static inline const reg_msg_t *reg_response(const reg_handle_t *h) { return &h->resp; }

#endif
