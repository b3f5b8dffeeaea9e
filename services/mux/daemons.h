/*
 * daemons -- small kernel tasks that live on well-known sermux ports.
 *
 *   loopback_start()    port 0: echoes every byte it receives, byte-exact,
 *                       at full rate (rings of LOOPBACK_CAP bytes); it waits
 *                       for room in tx, so a sender that stays more than
 *                       LOOPBACK_CAP bytes ahead of the echo loses frames to
 *                       the mux's rx_full policy.
 *   hello_start()       port 1: "hello from clio N\n" once a second (N from
 *                       1); a line that finds tx full is skipped, not queued.
 *   tracedrain_start()  port 3: drains the kernel trace ring as text, one
 *                       event per line in trace_format()'s form
 *                       "T+<ns> L mod/event a b text\n"; it polls the ring
 *                       every TRACEDRAIN_PERIOD_MS and waits for room in tx
 *                       (the trace ring itself drops and counts meanwhile).
 *
 * Each opens its port with sermux_open() (so sermux_start() comes first)
 * and spawns one task with static state: call once after each
 * kernel_init(), in init or task context (a second call while the first
 * task lives is a caller bug).  Errors: those of sermux_open() and
 * task_spawn().
 */
#ifndef DAEMONS_H
#define DAEMONS_H

#include "kerr.h"

#define LOOPBACK_CAP (32u * 1024)
#define TRACEDRAIN_PERIOD_MS 50

kerr_t loopback_start(void);
kerr_t hello_start(void);
kerr_t tracedrain_start(void);

#endif
