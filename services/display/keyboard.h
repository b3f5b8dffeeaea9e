/*
 * keyboard -- the keyboard service and mux (prefix keyboard_): key events
 * from every source (the SDL window, sermux port 2, ...) are published to
 * every subscriber, each of which gets every key.
 *
 * UUID KEYBOARD_UUID_STR, interface KEYBOARD_IFACE.  A key event is one
 * byte: printable ASCII, '\r' or '\n' enter, 0x08 or 0x7f backspace, 0x1b
 * escape, 0x09 tab; other control bytes pass through as is.
 *
 * Requests:
 *   KEYBOARD_OP_SUBSCRIBE  -   reply: data.ext = bbq_t *, a ring of
 *                              KEYBOARD_RING key bytes owned by the service;
 *                              the subscriber is its only reader
 *                              (bbq_read_wait / bbq_release).
 *   KEYBOARD_OP_STATS      -   reply: u32 published, u32 dropped
 * Status: 0, KERR_REG_FULL (KEYBOARD_MAX_SUBS subscribers), KERR_NOMEM,
 * KERR_INVAL (unknown opcode).  A subscriber whose ring is full loses the
 * keys that do not fit (counted); publishing never waits.
 *
 * Sources: keyboard_publish() from task context (a host's event poll), and
 * the port given to keyboard_start() (e.g. sermux port 2), read by the
 * service's own task.  Init context, once after each kernel_init().
 */
#ifndef KEYBOARD_H
#define KEYBOARD_H

#include <stdint.h>
#include "bbq.h"
#include "kerr.h"
#include "common/port.h"

#define KEYBOARD_UUID_STR "c10b0a2d-6b65-7973-8a11-6b6579626f61"
#define KEYBOARD_IFACE 0x6b620001u
#define KEYBOARD_MAX_SUBS 8
#define KEYBOARD_RING 256

enum { KEYBOARD_OP_SUBSCRIBE = 1, KEYBOARD_OP_STATS = 2 };

/* Start the service; src (may be NULL) is a byte port whose rx carries
 * keys (its tx is not used). */
kerr_t keyboard_start(port_t *src);
/* Subscribe from C (task or init context). */
kerr_t keyboard_subscribe(bbq_t **out);
/* Publish n keys to every subscriber (task context). */
void keyboard_publish(const uint8_t *keys, uint32_t n);

#endif
