/*
 * platform -- what a host must provide to the kernel (prefix plat_).
 *
 * Implemented once per host (hosts/linux/platform_linux.c,
 * hosts/qemu-riscv/...).  The kernel calls nothing else outside kernel/.
 *
 *   plat_now()          monotonic time in nanoseconds; never goes backwards.
 *   plat_arm_wakeup(d)  make the next plat_wait() return no later than d
 *                       (on hardware: program the timer interrupt).
 *   plat_wait(d)        sleep (or wfi) until d, an interrupt, or plat_signal();
 *                       may return early, spuriously.  Never called from an ISR.
 *   plat_signal()       interrupt-safe: make a current or the next plat_wait()
 *                       return at once (used by task_wake_isr()).
 *   plat_crit_enter()   enter a critical section against interrupt context;
 *                       nestable; returns a state to hand to plat_crit_leave().
 *   plat_mem_region()   the memory handed to the kernel allocator.
 */
#ifndef PLATFORM_H
#define PLATFORM_H

#include <stdint.h>
#include <stddef.h>

#define PLAT_NEVER UINT64_MAX   /* "no deadline" */

typedef uintptr_t plat_irqstate_t;

uint64_t plat_now(void);
void plat_arm_wakeup(uint64_t deadline);
void plat_wait(uint64_t deadline);
void plat_signal(void);
plat_irqstate_t plat_crit_enter(void);
void plat_crit_leave(plat_irqstate_t state);
void plat_mem_region(void **base, size_t *len);

#endif
