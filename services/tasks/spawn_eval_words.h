/*
 * spawn_eval_words -- `eval-here`, the Forth face of the spawnulator's
 * EVAL (prefix spawn_eval_).
 *
 *   eval-here ( c-addr u -- code )   EVALUATE the text (1..1024 chars) in
 *            a new task, a fork of the root VM: its output is TYPEd here
 *            once it has ended, code is 0 or its THROW code (-531 when it
 *            ran past the 10 s limit, -537 when killed).  The caller
 *            waits; the kernel does not.  Ctrl-C ends the wait at once
 *            (-28) and the eval task is killed within half a second
 *            (the spawnulator sees the call given up).  Throws -521 for an empty or
 *            longer text, -520 when 8 evals run already, and what the
 *            client layer throws (no service, quota).
 */
#ifndef SPAWN_EVAL_WORDS_H
#define SPAWN_EVAL_WORDS_H

#include <stdint.h>
#include "fvm.h"
#include "kernel.h"

/* The fclient_done_t of an EVAL reply, wherever the spawnulator that
 * answered it runs (eval-here's, eval-on's): types the output on vm's
 * output, pushes the code; a refused request (status < 0) throws status
 * with "eval: " and its text.  arg unused. */
int spawn_eval_done(fvm_t *vm, int32_t status, const uint8_t *p, uint32_t n, const void *arg);

/* Register eval-here (root words; init context, after ftask_init's own). */
kerr_t spawn_eval_words_init(void);

#endif
