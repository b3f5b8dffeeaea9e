/*
 * sermux -- virtual ports multiplexed over one serial line (prefix sermux_).
 *
 * Wire format (that of the mnemOS sermux, so its tools interoperate): each
 * frame is COBS(port as u16 little-endian, then payload) followed by one
 * 0x00 byte.  Payloads are at most SERMUX_MTU bytes; a longer write is cut
 * into several frames.
 *
 * Well-known ports: 0 loopback (a daemon echoes every frame back), 1 hello
 * (a line every second), 2 keyboard input, 3 tracing (the kernel trace ring,
 * drained), 10..13 Forth shells.
 *
 * A port whose user set port_t.on_break gets the break byte (0x03,
 * PORT_BREAK) of its frames as on_break calls, not as data: the shell
 * ports' Ctrl-C (tasks/shellports.c).
 *
 * Bad input is never fatal: a malformed frame (bad COBS, shorter than the
 * port header, longer than the MTU), a frame for a port nobody opened, and
 * a frame whose port's rx ring is full are dropped and counted
 * (sermux_stats).
 *
 * The mux runs as kernel tasks (one reading the line, one writing it) that
 * start with sermux_start().  From C (task or init context) a port is opened
 * with sermux_open() and its user reads and writes its rings directly; each
 * open counts a reference and sermux_close() gives one back: the port and
 * its memory go with the last.
 *
 * Through the registry (SERMUX_UUID), by value, any task may use ports of
 * its own:
 *   SERMUX_OP_OPEN   u16 port, u32 ring bytes (0: SERMUX_CLIENT_CAP;
 *                    at most SERMUX_CLIENT_CAP)         -
 *                    a port nobody has open; the client owns it: it is
 *                    charged to the client's account and closed when the
 *                    client goes.  Output still going out when it is
 *                    closed stays charged to the client until it has gone
 *                    out or the client goes; after that the kernel holds
 *                    it.  CERR_BUSY: open already; CERR_NOPORT: the port
 *                    table is full.
 *   SERMUX_OP_READ   u16 port, u32 max                  the bytes received
 *                    (at most max; none when nothing waits)
 *   SERMUX_OP_WRITE  u16 port, the bytes                u32 bytes taken (as
 *                    many as tx has room for now)
 *   SERMUX_OP_CLOSE  u16 port                           -
 *   SERMUX_OP_STATS  -                                  7 x u32: sermux_stats_t
 * The status is 0 or a cerr.h code (CERR_INVAL: malformed; CERR_NOPORT:
 * not a port of this client's); nothing a client sends can reach a port it
 * does not own.
 */
#ifndef SERMUX_H
#define SERMUX_H

#include <stddef.h>
#include <stdint.h>
#include "kerr.h"
#include "common/port.h"

#define SERMUX_UUID_STR "54c983fa-736f-4223-b90d-c4360a308647"
#define SERMUX_MTU 256
#define SERMUX_MAX_PORTS 128
#define SERMUX_IFACE 0x5e3a0002u      /* registry interface hash; bump on change */
#define SERMUX_DEFAULT_CAP 4096       /* port ring bytes when sermux_open(cap 0) */
#define SERMUX_CLIENT_CAP 4096        /* and the most a registry client gets */
/* A frame on the wire: COBS of 2 + SERMUX_MTU bytes, plus the 0x00.  A
 * line's rings must hold at least this (the mux asks for it in one piece). */
#define SERMUX_FRAME_MAX (2 + SERMUX_MTU + (2 + SERMUX_MTU) / 254 + 1 + 1)

enum {
    SERMUX_PORT_LOOPBACK = 0,
    SERMUX_PORT_HELLO = 1,
    SERMUX_PORT_KEYBOARD = 2,
    SERMUX_PORT_TRACE = 3,
    SERMUX_PORT_SHELL0 = 10,      /* 10..13 */
    SERMUX_NSHELLS = 4
};

enum { SERMUX_OP_OPEN = 1, SERMUX_OP_STATS = 2, SERMUX_OP_READ = 3, SERMUX_OP_WRITE = 4,
       SERMUX_OP_CLOSE = 5 };

typedef struct sermux_stats {
    uint32_t frames_in, frames_out;   /* good frames each way */
    uint32_t bytes_in, bytes_out;     /* line bytes */
    uint32_t malformed;               /* bad COBS, too short, too long */
    uint32_t unknown_port;            /* no such open port */
    uint32_t rx_full;                 /* the port's rx ring had no room */
} sermux_stats_t;

/* Start the mux over a line (its user side: read line->rx, write line->tx)
 * and register the service.  Init context, once after each kernel_init();
 * before any sermux_open().  The mux writes line->tx with bbq_mp_grant /
 * bbq_mp_commit (one writer task per open port), so the line's tx ring must
 * hold at least SERMUX_FRAME_MAX bytes.  KERR_INVAL (bad line),
 * KERR_DUPLICATE (already started since kernel_init), KERR_NOMEM. */
kerr_t sermux_start(port_t *line);

/* Open virtual port num with rx/tx rings of cap bytes each (0: default);
 * an already open port is returned as is, with one more reference.
 * KERR_NOMEM, KERR_INVAL (mux not started, cap < 2 or over 16 MiB),
 * KERR_REG_FULL (SERMUX_MAX_PORTS open).
 * Using a port: read rx with bbq_read/bbq_release (or the _wait variant),
 * write tx with bbq_grant/bbq_commit: bbq_commit wakes the port's own
 * writer task, nothing else is needed.  A frame whose payload does not fit
 * in rx in one piece is dropped, so cap below SERMUX_MTU drops big frames.
 * sermux_close() gives a reference back; after the last the port is freed
 * and no user may touch it.  sermux_refs: the references now (0: not
 * open). */
kerr_t sermux_open(uint16_t num, uint32_t cap, port_t **out);
void sermux_close(port_t *p);
unsigned sermux_refs(uint16_t num);
void sermux_stats(sermux_stats_t *out);

/* COBS, exposed for tests and host tools (freestanding, no allocation).
 * cobs_encode: dst must hold n + n/254 + 1 bytes; returns the length
 * (without the 0x00 terminator).  cobs_decode: returns the decoded length,
 * or -1 for malformed input (a zero byte, a code past the end). */
size_t cobs_encode(const uint8_t *src, size_t n, uint8_t *dst);
long cobs_decode(const uint8_t *src, size_t n, uint8_t *dst, size_t cap);

#endif
