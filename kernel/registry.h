/*
 * registry -- services found by 128-bit UUID, and the request/reply envelope
 * every service speaks (prefix reg_).
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
 * replies.  Task context only; nothing blocks.
 *
 * THE BOUNDARY RULE.  Requests and replies carry values, never pointers.  A
 * message is a header and a payload of len bytes (at most REG_PAYLOAD_MAX):
 * up to REG_INLINE_MAX bytes travel inline in the envelope; a longer payload
 * lives in a buffer the kernel owns, the client's call buffer, which the
 * registry hands to the service (reg_payload) only while that client still
 * waits for that very request, and checks the length against.  A service
 * reads the payload with explicit little-endian field codecs (kwire.h),
 * validates every field, and answers a malformed request with an error
 * status; it never follows an address a client put in a payload.  The same
 * request can therefore cross a link to another machine unchanged.
 *
 * Ownership and accounting.  The call buffer is allocated by reg_reserve()
 * and charged to the handle's account (h->acct, set by the client before it
 * connects; NULL: the kernel's); it is freed at reg_disconnect().  What a
 * service allocates for a client (a port, an open file) it charges to that
 * client's account (reg_client_acct) and frees when the client goes: the
 * registry calls the service's on_gone(client) at every disconnect, which is
 * how a task that ends gives back everything it made services hold.
 *
 * Errors (kerr_t): KERR_DUPLICATE (UUID taken), KERR_REG_FULL (service or
 * client table full), KERR_NOT_FOUND (unknown UUID, when not waiting),
 * KERR_IFACE_MISMATCH (client built against another layout), KERR_GONE
 * (service unregistered, before or during a call; or, to a replying service,
 * the client gave up), KERR_TIMEOUT (the task's deadline), KERR_TOO_BIG
 * (payload over the call buffer or REG_PAYLOAD_MAX), KERR_NOMEM (the call
 * buffer: heap or quota), KERR_BUSY (reserve during a call), KERR_INVAL (bad
 * handle or state).  Every registration, connection, refusal and
 * disconnection is traced (TRACE_MOD_REG).
 */
#ifndef REGISTRY_H
#define REGISTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kacct.h"
#include "kchan.h"
#include "kerr.h"
#include "reply.h"
#include "ksched.h"

#define REG_MAX_SERVICES 192
#define REG_MAX_CLIENTS  512        /* connected handles, system-wide */
#define REG_INLINE_MAX   32
#define REG_PAYLOAD_MAX  (64u * 1024)

typedef struct reg_uuid {
    uint8_t b[16];
} reg_uuid_t;

/* The envelope: requests and replies alike. */
typedef struct reg_msg {
    uint16_t service;        /* registry index of the service */
    uint16_t client;         /* client id */
    uint32_t request;        /* request id, unique across the system */
    uint16_t opcode;         /* service-defined */
    uint16_t flags;          /* reserved: 0 */
    int32_t status;          /* replies: service-defined status (0 = ok) */
    uint32_t len;            /* payload bytes: inline if <= REG_INLINE_MAX,
                                else in the client's call buffer */
    uint32_t pad;            /* 0 */
    _Alignas(8) uint8_t data[REG_INLINE_MAX];   /* the inline payload */
} reg_msg_t;

typedef struct reg_service reg_service_t;
struct reg_service {
    reg_uuid_t uuid;
    uint32_t iface;          /* interface hash */
    const char *name;
    kchan_t inbox;           /* of reg_msg_t */
    uint16_t index;          /* set by reg_register() */
    uint16_t gen;
    bool live;
    /* optional: called when a client of this service disconnects (or its
     * task ends), from the disconnecting task's context, before the
     * client's account is released: free what the service holds for it.
     * Must not block.  Set before reg_register(). */
    void (*on_gone)(reg_service_t *s, uint16_t client);
    /* A proxy for a service of another node (services/link): node is that
     * node's number (0: a local service), and requests go to the queue
     * `via` (the link's) instead of the inbox.  Set before reg_register().
     * Lookups by UUID alone find local services only. */
    uint8_t node;
    kchan_t *via;
};

typedef struct reg_handle {
    uint16_t service;
    uint16_t service_gen;
    uint16_t client;         /* 0: not connected */
    uint8_t phase;
    uint32_t next_req;
    kreply_t reply;
    reg_msg_t resp;          /* the last reply */
    kacct_t *acct;           /* who pays for what the kernel holds for this
                                client (NULL: the kernel); set before connect */
    const void *group;       /* clients that count as one for a service's
                                per-client limits (one tree of Forth tasks;
                                NULL: this one alone); set before connect */
    uint8_t *buf;            /* the call buffer (kernel memory), or NULL */
    uint32_t cap;            /* its size */
} reg_handle_t;

void reg_init(void);                                  /* empty both tables */
uint32_t reg_hash(const void *data, size_t len);      /* FNV-1a, for interface hashes */

/* ---- services ---- */
/* Prepare s with an inbox over `buf` (cap reg_msg_t slots, a power of two);
 * on_gone is cleared. */
kerr_t reg_service_init(reg_service_t *s, const reg_uuid_t *uuid, uint32_t iface,
                        const char *name, reg_msg_t *buf, uint32_t cap);
kerr_t reg_register(reg_service_t *s);                /* OK, DUPLICATE, REG_FULL, INVAL */
/* Remove s: its inbox is closed and every call in flight ends with KERR_GONE. */
kerr_t reg_unregister(reg_service_t *s);
kerr_t reg_serve(reg_service_t *s, task_t *t, reg_msg_t *req);   /* = kchan_recv */
/* The same for a queue that proxies send to (reg_service_t.via): m->service
 * says which proxy a request is for. */
kerr_t reg_serve_chan(kchan_t *c, task_t *t, reg_msg_t *req);
/* The payload of request m (m->len bytes; NULL when len is 0, or when the
 * client has gone: then answering is pointless).  Kernel memory, valid until
 * the service's task yields or replies: copy what must outlive that. */
const uint8_t *reg_payload(const reg_msg_t *m);
/* Does m's client still wait for m's reply?  (A request held back for a
 * while -- a proxy's, queued for a link -- is dropped if not.) */
bool reg_waiting(const reg_msg_t *m);
/* The most reply payload the client of m takes (at least REG_INLINE_MAX). */
uint32_t reg_reply_max(const reg_msg_t *m);
/* Room for a reply payload of n bytes (sets m->len = n), NULL if the client
 * cannot take n bytes or has gone.  For n > REG_INLINE_MAX it is the
 * client's call buffer, which also holds the request's payload: read the
 * request first (or transform it in place).  Valid as reg_payload(). */
uint8_t *reg_reply_room(reg_msg_t *m, uint32_t n);
/* The whole reply area of m's client: *max bytes (reg_reply_max) at the
 * returned address, which is m->data or the client's call buffer; NULL if
 * the client has gone.  For a reply whose size is known only once it is
 * written: write, set m->len, then reg_reply_from(m, area). */
uint8_t *reg_reply_area(reg_msg_t *m, uint32_t *max);
kerr_t reg_reply_from(reg_msg_t *m, const uint8_t *area);
/* Answer `m` (a received request, with status, len and payload set by the
 * service).  KERR_GONE: the client gave up; KERR_TOO_BIG: len was more than
 * it takes (it gets status KERR_TOO_BIG and no payload instead). */
kerr_t reg_reply(reg_msg_t *m);
/* Set status and copy a payload (inline or into the call buffer), reply. */
kerr_t reg_reply_bytes(reg_msg_t *m, int32_t status, const void *data, uint32_t len);
/* The account of m's client (NULL: the kernel's): charge what you allocate
 * for it there.  KERR_GONE when the client has gone. */
kerr_t reg_client_acct(const reg_msg_t *m, kacct_t **out);
/* The group of m's client (reg_handle_t.group; NULL: none, or gone): a
 * service's limit per client counts every client of a group together. */
const void *reg_client_group(const reg_msg_t *m);

/* ---- clients ---- */
kerr_t reg_lookup(const reg_uuid_t *uuid, uint16_t *index);    /* local only */
/* The service with this UUID on node `node` (0: this node; else a proxy). */
kerr_t reg_lookup_node(const reg_uuid_t *uuid, uint8_t node, uint16_t *index);
reg_service_t *reg_service_at(uint16_t index);        /* NULL if empty */
/* Connect h to the service with this UUID.  waiter == NULL: fail fast with
 * KERR_NOT_FOUND; else park waiter until a service with this UUID
 * registers (KERR_TIMEOUT at the waiter's deadline). */
kerr_t reg_connect(reg_handle_t *h, const reg_uuid_t *uuid, uint32_t iface, task_t *waiter);
kerr_t reg_connect_index(reg_handle_t *h, uint16_t index, uint32_t iface);
/* Wait for a service with this UUID: KERR_OK and its index once it is
 * registered; else waiter parks (KERR_PENDING: call again when woken), or
 * KERR_TIMEOUT at its deadline. */
kerr_t reg_wait_for(const reg_uuid_t *uuid, task_t *waiter, uint16_t *index);
/* Leave: the service's on_gone runs, the call buffer is freed.  A call in
 * flight is abandoned (its late reply is refused). */
void reg_disconnect(reg_handle_t *h);
/* Handles that may still connect (REG_MAX_CLIENTS less those connected):
 * a layer whose clients are many (Forth tasks) leaves some for the rest. */
unsigned reg_clients_free(void);
/* Connected, to a service that is still registered? */
bool reg_connected(const reg_handle_t *h);
/* Give up the call in flight (its late reply is refused); the handle can
 * call again.  For a client that stops waiting for another reason. */
void reg_abandon(reg_handle_t *h);
/* Make the call buffer hold at least cap bytes (<= REG_PAYLOAD_MAX),
 * charged to h->acct; cap <= REG_INLINE_MAX needs none.  Not during a call. */
kerr_t reg_reserve(reg_handle_t *h, uint32_t cap);
/* Where to put a request payload of n bytes (sets req->len = n): req->data
 * or the call buffer; NULL if n is more than reserved. */
uint8_t *reg_request_room(reg_handle_t *h, reg_msg_t *req, uint32_t n);
/* Send `req` (opcode, len and payload set; the service, client and request
 * fields are stamped into it) and wait for the reply, which is then at
 * reg_response(h) with its payload at reg_response_data(h).  Poll until not
 * KERR_PENDING. */
kerr_t reg_call(reg_handle_t *h, task_t *t, reg_msg_t *req);
static inline const reg_msg_t *reg_response(const reg_handle_t *h) { return &h->resp; }
static inline const uint8_t *reg_response_data(const reg_handle_t *h)
{
    return h->resp.len <= REG_INLINE_MAX ? h->resp.data : h->buf;
}

#endif
