/*
 * kernel -- the whole kernel in one include, plus bring-up and the tick.
 *
 * A host calls kernel_init() once, registers its services, then loops:
 *
 *     for (;;) kernel_wait(kernel_tick());
 *
 * kernel_tick() fires due timers and polls ready tasks (at most
 * SCHED_TICK_BUDGET, so a task that keeps waking itself cannot starve the
 * timers), then returns when it next has work: 0 if tasks are still ready,
 * the earliest timer deadline, or KERNEL_IDLE when only an interrupt
 * (task_wake_isr) can create work.  kernel_wait() sleeps (or wfi) until then.
 */
#ifndef KERNEL_H
#define KERNEL_H

#include <stdint.h>
#include "bbq.h"
#include "kacct.h"
#include "kalloc.h"
#include "kchan.h"
#include "kerr.h"
#include "kwire.h"
#include "platform.h"
#include "registry.h"
#include "reply.h"
#include "ksched.h"
#include "timer.h"
#include "trace.h"

#define KERNEL_IDLE UINT64_MAX

/* Allocator over plat_mem_region(), executor, timers, registry, trace. */
kerr_t kernel_init(void);
uint64_t kernel_tick(void);
void kernel_wait(uint64_t next);

#endif
