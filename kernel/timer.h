/*
 * timer -- one-shot kernel timers (prefix timer_).
 *
 * A ktimer_t is embedded by its owner (every task_t has one for sleeps and
 * wait timeouts).  Armed timers sit on one list sorted by deadline (equal
 * deadlines fire in arming order); arming is O(n) in the number of armed
 * timers, firing and the next-deadline query are O(1).  Deadlines are
 * absolute plat_now() nanoseconds.  The fire callback runs from kernel_tick()
 * in task context, must not block, and may re-arm its timer.  Nothing here
 * allocates; interrupt handlers must not touch timers (wake a task instead).
 */
#ifndef TIMER_H
#define TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include "klist.h"

#define TIMER_IDLE UINT64_MAX   /* no timer armed */

typedef struct ktimer ktimer_t;
typedef void (*ktimer_fn_t)(ktimer_t *timer);

struct ktimer {
    klist_t link;        /* on the armed list when armed */
    uint64_t deadline;
    ktimer_fn_t fire;
};

void timer_init(void);                                   /* forget every timer */
void timer_setup(ktimer_t *t, ktimer_fn_t fire);         /* once, before first arm */
void timer_arm(ktimer_t *t, uint64_t deadline);          /* (re)arm */
void timer_cancel(ktimer_t *t);                          /* no-op if not armed */
static inline bool timer_armed(const ktimer_t *t) { return klist_linked(&t->link); }

/* Fire every timer whose deadline <= now; returns how many fired. */
unsigned timer_run(uint64_t now);
/* Earliest armed deadline, or TIMER_IDLE. */
uint64_t timer_next(void);

#endif
