/*
 * spawn_eval -- the spawnulator's EVAL (see spawnulator.h): the evals
 * running, their output buffers, their time limits and their clients
 * (prefix spawn_eval_).  Called only by spawnulator.c, from the service's
 * task (and spawn_eval_gone from the registry's on_gone); never blocks.
 */
#ifndef SPAWN_EVAL_H
#define SPAWN_EVAL_H

#include <stdint.h>
#include "kernel.h"

/* spawn_eval_begin's answer when the request is kept, to be answered
 * later by spawn_eval_poll. */
#define SPAWN_EVAL_KEPT 1

/* Forget every eval (after kernel_init); server: the service's task, woken
 * when an eval ends. */
void spawn_eval_reset(task_t *server);
/* Start the eval request m asks for (its envelope is copied): SPAWN_EVAL_KEPT,
 * or the status to answer now (CERR_INVAL, CERR_BUSY, CERR_QUOTA,
 * CERR_NOMEM), or CERR_GONE when the client has gone (no answer). */
int spawn_eval_begin(const reg_msg_t *m);
/* Answer the evals that have ended, kill those past their time limit or
 * whose client gave up the call.  Returns when the service must look
 * again (an absolute time; 0: no eval runs). */
uint64_t spawn_eval_poll(void);
/* The registry's on_gone for the service: the client has disconnected --
 * kill its evals, free their buffers (its account is still valid). */
void spawn_eval_gone(uint16_t client);
/* The time limit of the evals started from now on (0: SPAWNULATOR_EVAL_MS). */
void spawn_eval_set_limit_ms(uint32_t ms);

#endif
