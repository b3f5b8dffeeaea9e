/*
 * timer_clint -- the machine timer in M-mode (see riscv.h): the CLINT's
 * 64-bit mtime and hart 0's mtimecmp, which on rv32 are two 32-bit halves
 * each: mtime is read high, low, high until the two highs agree (the low
 * half did not wrap in between), and mtimecmp is written so that no mix of
 * old and new halves lies below the new deadline (which would fire early).
 */
#include "riscv.h"

uint64_t timer_now(void)
{
#if __riscv_xlen == 64
    return *(volatile uint64_t *)CLINT_MTIME;
#else
    uint32_t hi, lo;
    do {
        hi = mmio_r32(CLINT_MTIME + 4);
        lo = mmio_r32(CLINT_MTIME);
    } while (mmio_r32(CLINT_MTIME + 4) != hi);
    return (uint64_t)hi << 32 | lo;
#endif
}

/* Writing mtimecmp withdraws a pending MTIP until mtime reaches it. */
void timer_set(uint64_t ticks)
{
#if __riscv_xlen == 64
    *(volatile uint64_t *)CLINT_MTIMECMP(0) = ticks;
#else
    mmio_w32(CLINT_MTIMECMP(0) + 4, UINT32_MAX);     /* far off meanwhile */
    mmio_w32(CLINT_MTIMECMP(0), (uint32_t)ticks);
    mmio_w32(CLINT_MTIMECMP(0) + 4, (uint32_t)(ticks >> 32));
#endif
}
