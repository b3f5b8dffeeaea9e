/*
 * pt -- protothread-style macros: sequential async code in a poll function
 * (after Dunkels' protothreads, lc-switch flavour).
 *
 * The continuation lives in the task (task_t.lc); `t` in every macro is the
 * task_t * the poll function was called with.  A poll function written with
 * them looks like:
 *
 *     static task_status_t echo_poll(task_t *t)
 *     {
 *         echo_t *e = kcontainer_of(t, echo_t, task);   // all state lives here
 *         PT_BEGIN(t);
 *         for (;;) {
 *             PT_WAIT_OP(t, e->err, kchan_recv(e->in, t, &e->msg));
 *             if (e->err != KERR_OK)
 *                 PT_EXIT(t, e->err);
 *             PT_YIELD(t);
 *         }
 *         PT_END(t);
 *     }
 *
 * CAVEATS -- read these:
 *  1. Local variables are NOT preserved across a wait or a yield: the
 *     function returns and is called again.  Keep everything that must
 *     survive a wait in the task's state struct.  A local set in a wait's
 *     condition is valid right after the wait, within the same call.
 *  2. No wait, yield or PT_BEGIN inside a `switch` statement of your own: the
 *     macros are `case` labels of a hidden switch, and your switch would
 *     capture them.  (if/else, loops and gotos are fine.)
 *  3. Only the poll function's top level can wait: a helper function it calls
 *     cannot wait on its behalf (give the helper its own task, or make it a
 *     step function that returns KERR_PENDING).
 *  4. At most one PT_ macro per source line (the line number is the label).
 *  5. Every wait must be preceded by an operation that arranges a wake-up
 *     (an async kernel call that returned KERR_PENDING, or a deadline);
 *     otherwise the task sleeps forever.
 */
#ifndef PT_H
#define PT_H

#include "kerr.h"
#include "ksched.h"

#define PT_BEGIN(t)  switch ((t)->lc) { case 0:

/* Finish with exit code 0. */
#define PT_END(t)    } (t)->lc = 0; return task_exit((t), 0)

/* Finish now with `code`. */
#define PT_EXIT(t, code)                                                   \
    do { (t)->lc = 0; return task_exit((t), (code)); } while (0)

/* Return until `cond` holds; re-evaluated on every poll. */
#define PT_WAIT_UNTIL(t, cond)                                             \
    do {                                                                   \
        (t)->lc = __LINE__;                                                \
        __attribute__((fallthrough));                                      \
    case __LINE__:                                                         \
        if (!(cond))                                                       \
            return TASK_PENDING;                                           \
    } while (0)

#define PT_WAIT_WHILE(t, cond) PT_WAIT_UNTIL(t, !(cond))

/* Call async kernel operation `op` until it returns anything but
 * KERR_PENDING; the result is stored in lvalue `var`. */
#define PT_WAIT_OP(t, var, op) PT_WAIT_UNTIL(t, ((var) = (op)) != KERR_PENDING)

/* Let every other ready task of this priority run, then continue. */
#define PT_YIELD(t)                                                        \
    do {                                                                   \
        (t)->lc = __LINE__;                                                \
        task_wake(t);                                                      \
        return TASK_PENDING;                                               \
    case __LINE__:;                                                        \
    } while (0)

/* Sleep until absolute time `deadline` (uses the task's deadline timer). */
#define PT_SLEEP_UNTIL(t, deadline)                                        \
    PT_WAIT_UNTIL(t, task_sleep_until((t), (deadline)) == KERR_OK)

#endif
