/*
 * platform_rv -- kernel/platform.h on QEMU virt, rv64 S-mode under OpenSBI.
 *
 * Time is the `time` CSR (10 MHz).  plat_arm_wakeup() programs the SBI timer
 * (sie.STIE on); its interrupt only switches itself off and signals.
 * plat_wait() sleeps in `wfi` with sstatus.SIE clear, so an interrupt that
 * lands between the check and the wfi still ends the wfi (a pending enabled
 * interrupt wakes wfi even with SIE clear); it is taken when SIE is set again.
 * The critical section is sstatus.SIE, saved and restored (nestable).
 */
#include <stdbool.h>
#include <stdint.h>
#include "platform.h"
#include "riscv.h"

extern char __image_end[];

static volatile bool signalled;
static uint64_t armed = UINT64_MAX;   /* the SBI timer's deadline, in ticks */

struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0)
{
    register unsigned long r_a0 __asm__("a0") = a0;
    register unsigned long r_a1 __asm__("a1") = 0;
    register unsigned long r_a6 __asm__("a6") = fid;
    register unsigned long r_a7 __asm__("a7") = eid;
    __asm__ volatile("ecall" : "+r"(r_a0), "+r"(r_a1) : "r"(r_a6), "r"(r_a7) : "memory");
    return (struct sbiret){ (long)r_a0, (long)r_a1 };
}

uint64_t plat_now(void)
{
    return (uint64_t)csr_read(time) * NS_PER_TICK;
}

void plat_arm_wakeup(uint64_t deadline)
{
    uint64_t ticks = deadline == PLAT_NEVER ? UINT64_MAX
                                            : (deadline + NS_PER_TICK - 1) / NS_PER_TICK;
    plat_irqstate_t s = plat_crit_enter();
    if (ticks == UINT64_MAX) {
        csr_clear(sie, SIE_STIE);
    } else if (ticks != armed || !(csr_read(sie) & SIE_STIE)) {
        sbi_call(SBI_EXT_TIME, 0, ticks);   /* also clears a pending STIP */
        csr_set(sie, SIE_STIE);
    }
    armed = ticks;
    plat_crit_leave(s);
}

/* The timer fired: stop it (a level interrupt) and end the wait. */
void plat_rv_timer_isr(void)
{
    csr_clear(sie, SIE_STIE);
    armed = UINT64_MAX;
    signalled = true;
}

void plat_wait(uint64_t deadline)
{
    csr_clear(sstatus, SSTATUS_SIE);
    if (!signalled && (deadline == PLAT_NEVER || plat_now() < deadline))
        wfi();
    signalled = false;
    csr_set(sstatus, SSTATUS_SIE);        /* the pending interrupt runs here */
}

void plat_signal(void)
{
    signalled = true;
}

plat_irqstate_t plat_crit_enter(void)
{
    return csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE;
}

void plat_crit_leave(plat_irqstate_t state)
{
    if (state)
        csr_set(sstatus, SSTATUS_SIE);
}

void plat_mem_region(void **base, size_t *len)
{
    *base = __image_end;
    *len = KHEAP_SIZE;
}

_Noreturn void qemu_exit(unsigned code)
{
    mmio_w32(SIFIVE_TEST_BASE, code == 0 ? FINISHER_PASS : (code << 16) | FINISHER_FAIL);
    for (;;)
        wfi();
}
