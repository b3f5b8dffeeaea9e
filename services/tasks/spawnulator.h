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
 *                         reply: u32 tid
 *   SPAWNULATOR_OP_KILL   u32 tid          reply: -
 *   SPAWNULATOR_OP_STATUS u32 tid          reply: u8 live, i32 exit code
 *   SPAWNULATOR_OP_LIST   -                reply: u32 count, u32 tids[count]
 *                                          (every live task, newest first, as
 *                                          many as the client's buffer holds;
 *                                          count says how many there are)
 * Reply status: 0, or a cerr.h code (CERR_NOTASK, CERR_NOPORT, CERR_NOMEM,
 * CERR_INVAL: malformed).  Never blocks; the service owns no memory beyond
 * its static state.  Needs ftask_init() first.
 */
#ifndef SPAWNULATOR_H
#define SPAWNULATOR_H

#include "kerr.h"

#define SPAWNULATOR_UUID_STR "c10f0b5e-5a3a-4e4d-9f6b-7370616e7772"
#define SPAWNULATOR_IFACE 0x59a00002u

enum {
    SPAWNULATOR_OP_SHELL = 1,
    SPAWNULATOR_OP_KILL = 2,
    SPAWNULATOR_OP_STATUS = 3,
    SPAWNULATOR_OP_LIST = 4
};

/* Register the service and start its task (init context, once after each
 * kernel_init()). */
kerr_t spawnulator_start(void);

#endif
