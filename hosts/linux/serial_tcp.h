/*
 * serial_tcp -- a serial line over TCP, for the sermux and host tools
 * (prefix serial_tcp_).  Linux only.
 *
 * serial_tcp_open(spec, &line) listens on 127.0.0.1 ("PORT") or on the
 * given address ("HOST:PORT"; HOST must be a numeric IPv4 address, normally
 * 127.0.0.1), PORT 0 picks a free one (serial_tcp_bound_port()).  One
 * client at a time: a second one is told so ("clio: the serial line is in
 * use by another client", a text line) and closed; when the first
 * disconnects the next is accepted.  A new client starts with an empty
 * frame decoder: the line's bytes from the one before are all read out of
 * rx first, then port_t.resync tells the mux to drop a frame left half
 * received, so frames never merge across clients.  Clients coming, going
 * and refused are traced (TRACE_MOD_MUX).  The line is
 * a port_t whose rx is filled from the socket and whose tx goes to the
 * socket; with no client connected, tx bytes are discarded (a UART with
 * nothing plugged in).  tx is written by producers with bbq_mp_grant /
 * bbq_mp_commit (the sermux) or bbq_grant/bbq_commit (a single producer).
 *
 * "Interrupts": a reader thread receives into rx with bbq_grant_max +
 * bbq_commit_isr and wakes a small kernel task (the bottom half) with
 * task_wake_isr; that task wakes rx's waiting consumers in task context.
 * A kernel task drains tx with non-blocking send(); when the socket is full
 * it sleeps SERIAL_TCP_RETRY_US on a kernel timer and retries.  When rx is
 * full the reader thread stops reading (TCP pushes back on the sender).
 *
 * Call after kernel_init(), from init context, once per process (the
 * threads outlive kernel re-inits).  The line and its rings are the
 * driver's.  Errors: KERR_INVAL (bad spec, cannot bind/listen: the reason
 * goes to stderr), KERR_NOMEM.
 */
#ifndef SERIAL_TCP_H
#define SERIAL_TCP_H

#include <stdbool.h>
#include "kerr.h"
#include "common/port.h"

#define SERIAL_TCP_CAP (64u * 1024)   /* bytes per ring */
#define SERIAL_TCP_RETRY_US 200

kerr_t serial_tcp_open(const char *spec, port_t **line);
int serial_tcp_bound_port(void);      /* the listening TCP port, or -1 */
bool serial_tcp_connected(void);      /* a client is connected now */

#endif
