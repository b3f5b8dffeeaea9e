/*
 * spawnulator -- the service that spawns Forth VM tasks (prefix spawnulator_).
 *
 * Registered under SPAWNULATOR_UUID; any task -- a C service or a Forth task
 * through the client layer -- asks it to start, list, kill or query Forth
 * tasks.  The Forth words spawn, spawn-on, kill, wait and tasks
 * (ftask_words.c) are the same engine without the message round trip.
 *
 * Requests and replies by value (little-endian, kwire.h):
 *   SPAWNULATOR_OP_SHELL  u16 port         a shell (fork of the root VM) on
 *                                          sermux port `port` (0xffff: the
 *                                          next free shell port 10..13)
 *                         reply: u32 tid; CERR_NOPORT (the port is
 *                                          in use), CERR_BUSY (FTASK_OP_SHELLS
 *                                          such shells live), CERR_NOMEM
 *   SPAWNULATOR_OP_KILL   u32 tid          reply: -
 *   SPAWNULATOR_OP_STATUS u32 tid          reply: u8 live, i32 exit code
 *   SPAWNULATOR_OP_LIST   -                reply: u32 count, u32 tids[count]
 *                                          (every live task, newest first, as
 *                                          many as the client's buffer holds;
 *                                          count says how many there are)
 *   SPAWNULATOR_OP_EVAL   text (1..SPAWNULATOR_EVAL_MAX bytes: the whole
 *                         payload)
 *                         reply: i32 code, then the output (the rest of
 *                         the payload)
 *       A new Forth task, a fork of the root VM, EVALUATEs the text once
 *       and ends; the request is answered then.  code: 0, or the THROW
 *       code that ended it (as `wait` reports it), CERR_TIMEOUT when it
 *       ran past the time limit (SPAWNULATOR_EVAL_MS; then it is killed),
 *       CERR_KILLED when someone killed it.  The output is what it
 *       printed -- TYPE, ., EMIT, and the report of an uncaught error --
 *       to no port: it is kept in a buffer of SPAWNULATOR_EVAL_OUT bytes
 *       charged to the client's account; output beyond that (or beyond
 *       the client's reply buffer) is dropped and the kept part then ends
 *       with "...\n" (within those bytes).  The task gets no input (KEY
 *       and ACCEPT see end of input).  At most SPAWNULATOR_EVALS run at
 *       once: one more is refused with CERR_BUSY.  A client that goes
 *       away (disconnects, ends, gives up the call) has its eval task
 *       killed and the buffer freed.
 * Reply status: 0, or a cerr.h code (CERR_NOTASK, CERR_NOPORT, CERR_NOMEM,
 * CERR_QUOTA, CERR_BUSY, CERR_INVAL: malformed).  Never blocks: an EVAL
 * is answered later, from the service's task, while others are served.
 * The service owns no memory beyond its static state and the EVAL
 * buffers.  Needs ftask_init() first.
 */
#ifndef SPAWNULATOR_H
#define SPAWNULATOR_H

#include <stdint.h>
#include "kerr.h"

#define SPAWNULATOR_UUID_STR "c10f0b5e-5a3a-4e4d-9f6b-7370616e7772"
#define SPAWNULATOR_UUID_INIT { { 0xc1, 0x0f, 0x0b, 0x5e, 0x5a, 0x3a, 0x4e, 0x4d, \
                                  0x9f, 0x6b, 0x73, 0x70, 0x61, 0x6e, 0x77, 0x72 } }
#define SPAWNULATOR_IFACE 0x59a00002u

enum {
    SPAWNULATOR_OP_SHELL = 1,
    SPAWNULATOR_OP_KILL = 2,
    SPAWNULATOR_OP_STATUS = 3,
    SPAWNULATOR_OP_LIST = 4,
    SPAWNULATOR_OP_EVAL = 5
};

#define SPAWNULATOR_EVAL_MAX 1024     /* bytes of text */
#define SPAWNULATOR_EVAL_OUT 2048     /* bytes of output kept */
#define SPAWNULATOR_EVALS 8           /* running at once */
#define SPAWNULATOR_EVAL_MS 10000     /* the time limit */
/* The reply an EVAL needs room for: code and output. */
#define SPAWNULATOR_EVAL_REPLY (4 + SPAWNULATOR_EVAL_OUT)

/* Register the service and start its task (init context, once after each
 * kernel_init()). */
kerr_t spawnulator_start(void);
/* Test hook: EVAL's time limit in ms from the next EVAL on (0: the
 * default, SPAWNULATOR_EVAL_MS). */
void spawnulator_test_eval_ms(uint32_t ms);

#endif
