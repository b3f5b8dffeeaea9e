/*
 * platform_rv -- kernel/platform.h on QEMU virt: rv64 in S-mode under
 * OpenSBI, or rv32 in M-mode without firmware (riscv.h names the CSRs and
 * bits of the image's mode; the timer is timer_sbi.c or timer_clint.c).
 *
 * Time is the machine timer (10 MHz).  plat_arm_wakeup() sets its deadline
 * (timer interrupt enabled); its interrupt only switches itself off and
 * signals.  plat_wait() sleeps in `wfi` with the status register's IE bit
 * clear, so an interrupt that lands between the check and the wfi still
 * ends the wfi (a pending enabled interrupt wakes wfi even with IE clear);
 * it is taken when IE is set again.  The critical section is that IE bit,
 * saved and restored (nestable).
 */
#include <stdbool.h>
#include <stdint.h>
#include "platform.h"
#include "riscv.h"

extern char __image_end[];

static volatile bool signalled;
static uint64_t armed = UINT64_MAX;   /* the timer's deadline, in ticks */

uint64_t plat_now(void)
{
    return timer_now() * NS_PER_TICK;
}

void plat_arm_wakeup(uint64_t deadline)
{
    uint64_t ticks = deadline == PLAT_NEVER ? UINT64_MAX
                                            : (deadline + NS_PER_TICK - 1) / NS_PER_TICK;
    plat_irqstate_t s = plat_crit_enter();
    if (ticks == UINT64_MAX) {
        csr_clear(CSR_IE, IE_TIMER);
    } else if (ticks != armed || !(csr_read(CSR_IE) & IE_TIMER)) {
        timer_set(ticks);                   /* also withdraws a pending one */
        csr_set(CSR_IE, IE_TIMER);
    }
    armed = ticks;
    plat_crit_leave(s);
}

/* The timer fired: stop it (a level interrupt) and end the wait. */
void plat_rv_timer_isr(void)
{
    csr_clear(CSR_IE, IE_TIMER);
    armed = UINT64_MAX;
    signalled = true;
}

void plat_wait(uint64_t deadline)
{
    csr_clear(CSR_STATUS, STATUS_IE);
    if (!signalled && (deadline == PLAT_NEVER || plat_now() < deadline))
        wfi();
    signalled = false;
    csr_set(CSR_STATUS, STATUS_IE);       /* the pending interrupt runs here */
}

void plat_signal(void)
{
    signalled = true;
}

plat_irqstate_t plat_crit_enter(void)
{
    return csr_read_clear(CSR_STATUS, STATUS_IE) & STATUS_IE;
}

void plat_crit_leave(plat_irqstate_t state)
{
    if (state)
        csr_set(CSR_STATUS, STATUS_IE);
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
