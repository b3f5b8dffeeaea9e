/* plic -- the platform-level interrupt controller, hart 0's context for
 * the image's mode (PLIC_CTX, riscv.h). */
#include "riscv.h"

void plic_init(void)
{
    mmio_w32(PLIC_THRESHOLD(PLIC_CTX), 0);   /* every priority > 0 gets through */
    csr_set(CSR_IE, IE_EXT);
}

void plic_enable(unsigned irq, unsigned prio)
{
    mmio_w32(PLIC_PRIORITY(irq), prio);
    unsigned long en = PLIC_ENABLE(PLIC_CTX) + 4UL * (irq / 32);
    mmio_w32(en, mmio_r32(en) | (1u << (irq % 32)));
}

unsigned plic_claim(void)
{
    return mmio_r32(PLIC_CLAIM(PLIC_CTX));
}

void plic_complete(unsigned irq)
{
    mmio_w32(PLIC_CLAIM(PLIC_CTX), irq);
}
