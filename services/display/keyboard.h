/*
 * keyboard -- the keyboard service and mux (prefix keyboard_): key events
 * from every source (the SDL window, sermux port 2, ...) are published to
 * every subscriber, each of which gets every key.
 *
 * UUID KEYBOARD_UUID_STR, interface KEYBOARD_IFACE.  A key event is one
 * byte: printable ASCII, '\r' or '\n' enter, 0x08 or 0x7f backspace, 0x1b
 * escape, 0x09 tab; other control bytes pass through as is.
 *
 * From C, keyboard_subscribe() gives a ring of KEYBOARD_RING key bytes the
 * subscriber alone reads (bbq_read_wait / bbq_release).  Through the
 * registry, by value (little-endian, kwire.h):
 *   KEYBOARD_OP_SUBSCRIBE  -          -   the client's own queue of
 *                                         KEYBOARD_RING keys from now on,
 *                                         charged to its account, freed
 *                                         when it goes (again: no-op)
 *   KEYBOARD_OP_READ       u32 max    the keys queued for the client (at
 *                                     most max; none when none wait)
 *   KEYBOARD_OP_STATS      -          u32 published, u32 dropped
 * Status: 0, or a cerr.h code: CERR_BUSY (KEYBOARD_MAX_SUBS subscribers),
 * CERR_QUOTA / CERR_NOMEM, CERR_NOPORT (READ before SUBSCRIBE), CERR_INVAL
 * (malformed).
 *
 * Sources: keyboard_publish() from task context (a host's event poll), and
 * the port given to keyboard_start() (e.g. sermux port 2), read by the
 * service's own task.  Keys from the port wait for C subscribers: the task
 * takes out of the port's ring only what every C subscriber's ring has room
 * for, and waits for room (a C subscriber must keep reading its ring), so
 * a burst loses nothing while the port's own ring holds it (the mux drops
 * what does not fit there, counted as that port's).  A registry client's
 * ring that is full loses the keys that do not fit, and so does every ring
 * that is full when keyboard_publish() is called (publishing never waits):
 * STATS counts those, once per ring, as dropped.  Init context, once after
 * each kernel_init().
 */
#ifndef KEYBOARD_H
#define KEYBOARD_H

#include <stdint.h>
#include "bbq.h"
#include "kerr.h"
#include "common/port.h"

#define KEYBOARD_UUID_STR "c10b0a2d-6b65-7973-8a11-6b6579626f61"
#define KEYBOARD_IFACE 0x6b620002u
#define KEYBOARD_MAX_SUBS 8
#define KEYBOARD_RING 256

enum { KEYBOARD_OP_SUBSCRIBE = 1, KEYBOARD_OP_STATS = 2, KEYBOARD_OP_READ = 3 };

/* Start the service; src (may be NULL) is a byte port whose rx carries
 * keys (its tx is not used). */
kerr_t keyboard_start(port_t *src);
/* Subscribe from C (task or init context). */
kerr_t keyboard_subscribe(bbq_t **out);
/* Publish n keys to every subscriber (task context). */
void keyboard_publish(const uint8_t *keys, uint32_t n);

#endif
