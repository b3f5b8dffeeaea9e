/*
 * platform_web -- kernel/platform.h in a browser page (wasm32).
 *
 * Time is performance.now() (web_now_ms, milliseconds as a double, whole
 * nanoseconds kept).  There is nothing to sleep in and no interrupt: the
 * page's JavaScript calls clio_run() when a timer it set for the kernel's
 * next deadline fires or when input arrives (web_main.c), so
 * plat_arm_wakeup() and plat_wait() do nothing and plat_signal() only
 * records that work was queued, for clio_run() to look at.  The module is
 * single-threaded and never interrupted: the critical section is empty.
 * The memory region is a static array (wasm's zero-filled linear memory,
 * not stored in the .wasm file).
 */
#include <stdbool.h>
#include <stdint.h>
#include "platform.h"
#include "web.h"

#define REGION_BYTES (6u << 20)

static _Alignas(64) unsigned char region[REGION_BYTES];
static bool signalled;
static uint64_t last;

uint64_t plat_now(void)
{
    double ms = web_now_ms();
    uint64_t ns = ms > 0 ? (uint64_t)(ms * 1e6) : 0;
    if (ns < last)              /* never backwards, whatever the clock does */
        ns = last;
    last = ns;
    return ns;
}

void plat_arm_wakeup(uint64_t deadline)
{
    (void)deadline;             /* clio_run() hands the deadline to the page */
}

void plat_wait(uint64_t deadline)
{
    (void)deadline;             /* never blocks: the page's event loop waits */
}

void plat_signal(void)
{
    signalled = true;
}

bool web_take_signal(void)
{
    bool s = signalled;
    signalled = false;
    return s;
}

plat_irqstate_t plat_crit_enter(void)
{
    return 0;
}

void plat_crit_leave(plat_irqstate_t state)
{
    (void)state;
}

void plat_mem_region(void **base, size_t *len)
{
    *base = region;
    *len = sizeof region;
}
