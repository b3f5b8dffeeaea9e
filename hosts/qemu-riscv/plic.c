/* plic -- the platform-level interrupt controller, hart 0's S-mode context. */
#include "riscv.h"

#define CTX PLIC_SCTX(0)

void plic_init(void)
{
    mmio_w32(PLIC_THRESHOLD(CTX), 0);        /* every priority > 0 gets through */
    csr_set(sie, SIE_SEIE);
}

void plic_enable(unsigned irq, unsigned prio)
{
    mmio_w32(PLIC_PRIORITY(irq), prio);
    unsigned long en = PLIC_ENABLE(CTX) + 4UL * (irq / 32);
    mmio_w32(en, mmio_r32(en) | (1u << (irq % 32)));
}

unsigned plic_claim(void)
{
    return mmio_r32(PLIC_CLAIM(CTX));
}

void plic_complete(unsigned irq)
{
    mmio_w32(PLIC_CLAIM(CTX), irq);
}
