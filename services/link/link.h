/*
 * link -- clio nodes calling each other's services over serial lines
 * (prefix link_).  The protocol and its fault behaviour: docs/links.md.
 *
 * A node has a name (link_init).  Each link runs over a byte stream: the
 * inbound link is port LINK_PORT of this node's own sermux
 * (link_attach_mux); an outbound link is a raw serial line to a peer's
 * mux, whose port-LINK_PORT frames the link encodes and decodes itself
 * (link_attach_line).  Nodes and services learned over links appear in the
 * registry as proxies (reg_service_t.node = the node's number), so any
 * task calls a remote service with the same reg_call / Forth `call` as a
 * local one.  Everything runs as kernel tasks; nothing blocks; a link's
 * memory is static (LINK_MAX links, LINK_JOBS requests in service at once
 * for all of them).  Init context for the calls below, after
 * kernel_init().
 */
#ifndef LINK_H
#define LINK_H

#include <stdbool.h>
#include <stdint.h>
#include "kerr.h"
#include "common/port.h"

#define LINK_PORT 5              /* the sermux port that carries a link */
#define LINK_MAX 4               /* links per node */
#define LINK_MAX_NODES 16        /* node slots, this node's (0) included */
#define LINK_JOBS 32             /* requests from peers in service at once */
/* What one peer can take of this node's tables, so that it can never starve
 * the other links: job slots (its credit too), nodes it introduces,
 * proxies for their services. */
#define LINK_CREDITS (LINK_JOBS / LINK_MAX)
#define LINK_NODE_SHARE 8
#define LINK_PROXY_SHARE 40
#define LINK_MAX_HOPS 8
#define LINK_RING (64u * 1024)   /* bytes per direction of a link's stream */

/* Name this node (1..15 of A-Z a-z 0-9 - _; invalid or NULL: "clio"),
 * reset every link table and register the link service.  Errors: the
 * registry's (KERR_DUPLICATE, KERR_REG_FULL).  None of these calls blocks;
 * the link's memory is static, except an outbound link's two rings
 * (2 x LINK_RING from the kernel heap, never freed: links live as long as
 * the system). */
kerr_t link_init(const char *name);
const char *link_node_name(void);

/* The inbound link: port LINK_PORT of the running sermux. */
kerr_t link_attach_mux(void);
/* An outbound link over `line`, a serial line to a peer's mux (its rx and
 * tx are this link's alone; the line sets port_t.resync when its peer
 * changes).  label names it in `links` (copied, cut to 23).  Both attach
 * calls: KERR_REG_FULL (LINK_MAX links already), KERR_NOMEM, or sermux_open's
 * errors for the inbound one (KERR_INVAL without a running mux). */
kerr_t link_attach_line(port_t *line, const char *label);

/* The link service (lsvc.c): node numbers and the tables as text, for
 * the Forth words of forth-lib/links.fs. */
#define LINK_UUID_STR "636c696f-6c69-6e6b-8000-000000000001"
#define LINK_IFACE 0x6c6e0001u
enum { LINK_OP_NODE = 1, LINK_OP_NODES = 2, LINK_OP_LINKS = 3 };
kerr_t link_service_start(void);

/* Counters of link i (for tests and `links`); false if there is none. */
typedef struct link_stats {
    uint8_t state;               /* LINK_DOWN, LINK_UP, LINK_REFUSED */
    char peer[16];
    uint32_t msgs_in, msgs_out, bad, skipped, calls_out, calls_in, busy, throttled, resets;
    uint16_t credit;
} link_stats_t;
enum { LINK_DOWN = 0, LINK_UP = 1, LINK_REFUSED = 2 };
bool link_stats(unsigned i, link_stats_t *out);

#endif
