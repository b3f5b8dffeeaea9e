/*
 * timer_sbi -- the machine timer in S-mode under OpenSBI (see riscv.h):
 * the time is the `time` CSR, the deadline goes to the firmware with the
 * SBI TIME extension (set_timer, which also withdraws a pending STIP).
 * rv64 only: there is no rv32 OpenSBI to run under here (the rv32 image is
 * M-mode, timer_clint.c).
 */
#include "riscv.h"

_Static_assert(__riscv_xlen == 64, "timer_sbi: rv64 (time and set_timer in one register)");

#define SBI_TIME_SET_TIMER 0

uint64_t timer_now(void)
{
    return csr_read(time);
}

void timer_set(uint64_t ticks)
{
    register unsigned long a0 __asm__("a0") = ticks;
    register unsigned long a1 __asm__("a1") = 0;
    register unsigned long a6 __asm__("a6") = SBI_TIME_SET_TIMER;
    register unsigned long a7 __asm__("a7") = SBI_EXT_TIME;
    __asm__ volatile("ecall" : "+r"(a0), "+r"(a1) : "r"(a6), "r"(a7) : "memory");
}
