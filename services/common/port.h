/*
 * port -- a bidirectional byte port: the shape every byte stream in clio
 * has (a sermux virtual port, the console, the physical serial line).
 *
 * Two byte rings (kernel/bbq.h).  The port's user -- a Forth task, a daemon
 * -- reads rx and writes tx; the other side (the mux, a host driver) writes
 * rx and reads tx.  Each ring is SPSC: one task (or interrupt) per side.
 * The owner of the port_t (sermux, the console driver) owns its memory and
 * the ring buffers; users hold a pointer until they close it.
 */
#ifndef PORT_H
#define PORT_H

#include <stdint.h>
#include "bbq.h"

typedef struct port {
    uint16_t num;        /* sermux port number, or PORT_CONSOLE */
    bbq_t rx;            /* line -> user */
    bbq_t tx;            /* user -> line */
    uint32_t dropped;    /* frames or bytes for this port lost because rx was full */
    volatile uint8_t eof;  /* the line side will put nothing more into rx
                              (set before it wakes rx's readers) */
    volatile uint8_t resync;  /* a line driver sets it when a new peer comes
                              and the old one's bytes are all read out of rx:
                              a reader then drops any half-received frame
                              (clears it), so frames never merge across peers */
    /* Ctrl-C: when the port's user sets it, the line side (sermux) calls
     * on_break(port) for each break byte PORT_BREAK in the data it receives,
     * instead of putting that byte into rx (task context). */
    void (*on_break)(struct port *p);
} port_t;

#define PORT_CONSOLE 0xffff
#define PORT_BREAK 0x03                 /* the break byte: Ctrl-C */

#endif
