/*
 * serial_tcp -- serial lines over TCP, for the sermux, links between nodes
 * and the host tools (prefix serial_tcp_).  Linux only.
 *
 * A line is a port_t whose rx is filled from a TCP connection and whose tx
 * goes to it; while the line has no connection, tx bytes are discarded (a
 * UART with nothing plugged in).  tx is written by producers with
 * bbq_mp_grant / bbq_mp_commit (the sermux) or bbq_grant / bbq_commit (a
 * single producer).  A process has at most one listening line and
 * SERIAL_TCP_OUT_MAX outbound lines.
 *
 * serial_tcp_open(spec, &line) listens on 127.0.0.1 ("PORT") or on the
 * given address ("HOST:PORT"; HOST a numeric IPv4 address, normally
 * 127.0.0.1); PORT 0 picks a free one (serial_tcp_bound_port()).  One client
 * at a time: a second one is told so ("clio: the serial line is in use by
 * another client", a text line) and closed; when the first disconnects the
 * next is accepted.  When accept() fails (out of descriptors), the line
 * stops listening for SERIAL_TCP_REDIAL_NS instead of spinning on it (said
 * once on stderr).
 *
 * serial_tcp_connect(spec, &line) makes an outbound line to "HOST:PORT"
 * (numeric IPv4, PORT > 0).  It returns at once: the line connects in the
 * background and, while not connected (refused, or the peer closed), tries
 * again every SERIAL_TCP_REDIAL_NS, forever.
 *
 * Either kind: a new connection starts clean -- the line's bytes from the
 * one before are all read out of rx first, then port_t.resync tells the
 * reader (the mux) to drop a frame left half received, so frames never merge
 * across peers.  serial_tcp_up(line) says whether the line is connected now
 * (and past that clean start); serial_tcp_sessions(line) counts the
 * connections made on it so far, so a protocol above can tell that its peer
 * changed.  Connections coming, going and refused are traced (TRACE_MOD_MUX,
 * a = the TCP port: the bound one, or the peer's).
 *
 * No threads: the sockets are non-blocking and watched by the platform
 * (plat_linux_watch); their callbacks receive into rx (bbq_commit, which
 * wakes rx's readers) in the kernel thread.  A kernel task per line drains
 * tx with send(); when the socket is full it waits for POLLOUT.  When rx is
 * full the line stops reading (TCP pushes back on the sender) until its
 * reader releases bytes.  A host loop that runs the scheduler without
 * reaching plat_wait() must call plat_linux_io_poll() (platform_linux.h).
 *
 * Call from init or task context, after kernel_init().  The line and its
 * rings are the driver's until serial_tcp_close(line), which closes its
 * sockets, stops its tasks and frees it (its users must be gone: the
 * port_t is invalid afterwards); close every line before kernel_init()
 * runs again.  Errors: KERR_INVAL (bad spec, cannot bind/listen -- the
 * reason goes to stderr -- or a second listening line), KERR_FULL (every
 * outbound line in use), KERR_NOMEM.
 */
#ifndef SERIAL_TCP_H
#define SERIAL_TCP_H

#include <stdbool.h>
#include <stdint.h>
#include "kerr.h"
#include "common/port.h"

#define SERIAL_TCP_CAP (64u * 1024)       /* bytes per ring */
#define SERIAL_TCP_OUT_MAX 8              /* outbound lines per process */
#define SERIAL_TCP_REDIAL_NS 250000000ull /* an outbound line's retry period */

kerr_t serial_tcp_open(const char *spec, port_t **line);
kerr_t serial_tcp_connect(const char *spec, port_t **line);
void serial_tcp_close(port_t *line);
int serial_tcp_bound_port(void);          /* the listening TCP port, or -1 */
bool serial_tcp_up(const port_t *line);   /* connected now */
uint32_t serial_tcp_sessions(const port_t *line);

#endif
