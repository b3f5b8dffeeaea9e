/* kernel -- bring-up order and the tick. */
#include "kernel.h"

kerr_t kernel_init(void)
{
    void *base;
    size_t len;
    plat_mem_region(&base, &len);
    kerr_t e = kalloc_init(base, len);
    if (e != KERR_OK)
        return e;
    kacct_set_reserve(0);
    sched_init();          /* also resets the timers */
    reg_init();
    trace_init();
    return KERR_OK;
}

uint64_t kernel_tick(void)
{
    uint64_t next = timer_next();
    if (next != TIMER_IDLE && next <= plat_now())
        timer_run(plat_now());
    sched_run(SCHED_TICK_BUDGET);
    if (sched_has_ready())
        return 0;
    return timer_next();
}

void kernel_wait(uint64_t next)
{
    if (next == 0 || sched_has_ready())
        return;
    if (next != KERNEL_IDLE)
        plat_arm_wakeup(next);
    plat_wait(next);
}
