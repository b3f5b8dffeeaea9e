/*
 * uart -- the QEMU virt 16550 (UART0) as a port_t, driven by interrupts.
 *
 * RX: the UART interrupt (PLIC source 10) moves received bytes into the
 * port's rx ring with bbq_commit_isr() and wakes a bottom-half task, which
 * wakes rx's readers.  When rx is full the driver stops taking bytes (RX
 * interrupt masked: QEMU keeps the rest in its FIFO and the chardev) and the
 * bottom half retries every UART_RETRY_MS.
 * TX: a task drains the tx ring into the transmit FIFO, waiting on the
 * "transmitter empty" interrupt when the UART is busy.
 *
 * cooked (console mode): a line discipline for a terminal in raw mode --
 * input is echoed and edited (services/shell/ledit: cursor keys, history,
 * Ctrl-U ...) and reaches rx a line at a time (up to 4097 characters), CR
 * or CRLF ending a line as LF; output LF goes out as CR LF.  Ctrl-C drops
 * the line and calls on_break (uart_on_break) from the bottom half, task
 * context: the host interrupts the console's task there.  Ctrl-D on an
 * empty line is the end of input (port eof).
 * raw (the sermux line): bytes as they are, both ways.
 *
 * Open once, after kernel_init() and plic_init(), in init context; the
 * driver owns the port and its rings (static).
 */
#ifndef UART_H
#define UART_H

#include <stdbool.h>
#include "kernel.h"
#include "common/port.h"
#include "shell/ledit.h"

#define UART_RX_CAP 16384
#define UART_TX_CAP 8192
#define UART_RETRY_MS 2
#define UART_LINE_MAX (LEDIT_MAX + 1)   /* a line and its '\n' */
/* A cooked line goes into rx in one grant, and an emptied ring keeps its
 * indices: an empty ring of less than two lines may refuse a long line
 * for good (then nothing typed was seen again). */
_Static_assert(UART_RX_CAP >= 2 * UART_LINE_MAX, "an empty rx ring must take any line");

/* First thing at boot: 8N1.  OpenSBI leaves the UART so, with its FIFOs
 * on; without firmware (M-mode) it is as reset, 5 bits and no FIFOs, and
 * the FIFOs stay off (turning them on empties the receiver: what was typed
 * during boot would be lost): the driver then sends a byte at a time. */
void uart_init(void);
kerr_t uart_open(bool cooked, port_t **out);

/* Ctrl-C on the console (cooked): on_break(ctx) in task context. */
void uart_on_break(void (*on_break)(void *ctx), void *ctx);
/* Nothing left to send: tx empty and the UART's transmitter idle. */
bool uart_tx_idle(void);
/* Polled output straight to the UART (boot messages, before any task). */
void uart_write_polled(const char *s);
#endif
