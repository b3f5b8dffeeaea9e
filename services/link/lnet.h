/*
 * lnet -- the link module's shared state (internal to services/link/).
 *
 *   link.c    the links: stream in, handshake, keepalive, sending requests
 *   lnodes.c  the node table, advertisements, routes, proxies
 *   ljobs.c   requests from peers: served here by local services, or relayed
 *   lline.c   an outbound link's own framing over a raw serial line
 *
 * One module-wide state `lnet` (static memory).  Task context only.
 */
#ifndef LNET_H
#define LNET_H

#include "link.h"
#include "lwire.h"
#include "kernel.h"
#include "kwire.h"

#define LNET_OUT 32               /* requests this node has in flight on a link */
#define LNET_REQS 16              /* proxy requests queued per link */
#define LNET_NODE_SVCS 24         /* services per node */
#define LNET_PROXIES (LINK_PROXY_SHARE * LINK_MAX)
#define LNET_NOBODY 0xff

#define LNET_PING_NS      1000000000ull   /* idle this long: PING */
#define LNET_DEAD_NS      3000000000ull   /* silent this long: down */
#define LNET_HELLO_NS     1000000000ull
#define LNET_REFRESH_NS   5000000000ull
#define LNET_ADVERT_GAP_NS 500000000ull    /* between two advert rounds on a link */
#define LNET_CALL_NS     15000000000ull   /* a REQ without its REP */
#define LNET_SERVE_NS    14000000000ull   /* a job's local call */
#define LNET_CTL_RATE     8192u           /* control bytes per second ... */
#define LNET_CTL_BURST    16384u          /* ... beyond a burst of this */

/* a request this node sent on a link and waits for */
typedef struct lnet_out {
    uint8_t kind;                 /* 0 free, OUT_PROXY, OUT_RELAY */
    uint8_t job;                  /* OUT_RELAY */
    uint16_t gen;
    uint64_t deadline;
    reg_msg_t env;                /* OUT_PROXY: the caller's envelope */
} lnet_out_t;
enum { OUT_FREE = 0, OUT_PROXY, OUT_RELAY };

typedef struct lnet_link {
    bool used;
    uint8_t idx;
    uint8_t state;                /* LINK_DOWN / UP / REFUSED */
    char label[24];
    port_t *port;                 /* the stream */
    char peer[LWIRE_NAME_MAX + 1];
    uint32_t peer_session, my_session;
    uint32_t epoch;               /* counts resets: a job for an older epoch is dropped */
    uint64_t last_rx, last_tx, next_hello, next_refresh;
    bool advert_due, reset_due, pong_due;
    uint16_t grant_due;           /* CREDIT to send */
    uint32_t pong_nonce;
    uint16_t credit;              /* REQs we may send */
    uint16_t in_flight;           /* REQs the peer sent us not yet answered */
    uint16_t jobs_held;           /* job slots its REQs hold, of any epoch */
    uint64_t next_advert;         /* the earliest time for the next advert round */
    uint32_t ctl_tokens;
    uint64_t ctl_time;
    lwire_dec_t dec;
    kchan_t reqs;                 /* proxy calls to send (reg_serve_chan) */
    reg_msg_t reqs_buf[LNET_REQS];
    reg_msg_t pending;            /* taken from reqs, waiting for credit/room */
    bool has_pending;
    uint64_t stalled_since;       /* calls wait for credit since (0: none wait) */
    uint8_t relay_q[LINK_JOBS];   /* jobs waiting to be sent on this link */
    uint8_t relay_head, relay_n;
    lnet_out_t out[LNET_OUT];
    link_stats_t st;
    task_t rx_task, tx_task;
    kerr_t rx_err;
    bbq_grant_t in;
} lnet_link_t;

typedef struct lnet_svc {
    reg_uuid_t uuid;
    uint32_t iface;
    char name[LWIRE_NAME_MAX + 1];
    uint8_t proxy;                /* proxy pool index or LNET_NOBODY */
} lnet_svc_t;

/* A node's number, as tasks see it: its slot in the low 4 bits and the
 * slot's generation above, so that a number held from before a slot was
 * given to another name matches nothing (0 is always this node). */
typedef struct lnet_node {
    char name[LWIRE_NAME_MAX + 1];
    uint8_t gen;
    bool reachable;
    uint8_t hops, via;
    uint8_t nsvc;
    lnet_svc_t svc[LNET_NODE_SVCS];
} lnet_node_t;

typedef struct lnet_proxy {
    bool used;
    uint8_t node;
    reg_service_t svc;
    reg_msg_t inbox[1];
    char name[40];
} lnet_proxy_t;

typedef struct lnet {
    lnet_link_t links[LINK_MAX];
    lnet_node_t nodes[LINK_MAX_NODES];   /* [0]: this node */
    lnet_proxy_t proxies[LNET_PROXIES];
    kwaitq_t changed;                     /* woken when the node table changes */
    uint32_t seed;
    uint32_t refused_nodes;                /* adverts refused: names in use, shares full */
} lnet_t;

extern lnet_t lnet;

/* link.c */
uint32_t lnet_random(void);
/* Room for a message of up to `max` body bytes on l's stream: the body
 * goes at the returned address; then lnet_commit with the type and the
 * real length.  NULL when the stream is full now. */
uint8_t *lnet_room(lnet_link_t *l, uint32_t max);
void lnet_commit(lnet_link_t *l, uint8_t type, uint32_t len);
void lnet_kick(lnet_link_t *l);                 /* wake its sender */
bool lnet_up(const lnet_link_t *l);
/* A free slot for a request sent on l (tag = index | gen << 8), or -1. */
int lnet_out_alloc(lnet_link_t *l, uint8_t kind);
static inline uint32_t lnet_tag(const lnet_link_t *l, int slot)
{
    return (uint32_t)slot | (uint32_t)l->out[slot].gen << 8;
}

/* lnodes.c */
void lnodes_init(const char *name);
int lnodes_find(const uint8_t *name, size_t n);      /* reachable node's slot (0: self), or -1 */
int lnodes_number(const char *name, size_t n);       /* any known node's slot, or -1 */
static inline uint8_t lnodes_num(int slot)           /* the number tasks see */
{
    return (uint8_t)(slot | lnet.nodes[slot].gen << 4);
}
void lnodes_link_down(lnet_link_t *l);              /* drop the nodes reached through l */
void lnodes_advert(lnet_link_t *l, const uint8_t *body, uint32_t n);
void lnodes_routes(lnet_link_t *l, const uint8_t *body, uint32_t n);
/* Send l everything it should know (split horizon); false if the stream
 * had no room (try again later). */
bool lnodes_send_all(lnet_link_t *l);
void lnodes_changed(void);                          /* tell every link and waiter */
lnet_proxy_t *lnodes_proxy_of(uint16_t reg_index);
bool lnodes_name_in_use_elsewhere(const uint8_t *name, size_t n, const lnet_link_t *l);

/* ljobs.c */
void ljobs_init(void);
/* Queued relays on l past their deadline end with -531; *next gets the
 * earliest deadline of the rest. */
void ljobs_expire(lnet_link_t *l, uint64_t now, uint64_t *next);
/* A REQ arrived on l (body decoded by the caller up to the payload). */
void ljobs_request(lnet_link_t *l, const uint8_t *body, uint32_t n);
/* A REP for a relayed job, or its failure (status set, no payload). */
void ljobs_relay_answer(uint8_t job, int32_t status, const uint8_t *p, uint32_t n);
/* Send l's first queued relay job now (credit and room checked by the
 * caller); false if it could not. */
bool ljobs_send_relay(lnet_link_t *l);
void ljobs_link_down(lnet_link_t *l);

/* lline.c: an outbound line's framing; stream is the link's byte stream */
kerr_t lline_start(port_t *line, port_t **stream);
void lline_forget(void);                            /* at link_init */

#endif
