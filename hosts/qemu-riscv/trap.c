/*
 * trap -- the trap handler: the timer and external interrupts (PLIC ->
 * UART).  An exception is a kernel bug: report it on the UART, polled, and
 * end QEMU with status 99 so a test never hangs on it.
 */
#include <stdint.h>
#include "riscv.h"

void trap_handler(unsigned long cause, unsigned long epc, unsigned long tval);

static void raw_puts(const char *s)
{
    for (; *s; s++) {
        while (!(mmio_r8(UART0_BASE + UART_LSR) & LSR_THRE))
            ;
        mmio_w8(UART0_BASE + UART_THR, (uint8_t)*s);
    }
}

static void raw_hex(unsigned long v)
{
    char b[2 + 2 * sizeof v + 1] = "0x";
    for (unsigned i = 0; i < 2 * sizeof v; i++)
        b[2 + i] = "0123456789abcdef"[(v >> (4 * (2 * sizeof v - 1 - i))) & 15];
    b[sizeof b - 1] = 0;
    raw_puts(b);
}

void trap_handler(unsigned long cause, unsigned long epc, unsigned long tval)
{
    if (cause & CAUSE_INTERRUPT) {
        switch (cause & ~CAUSE_INTERRUPT) {
        case IRQ_TIMER:
            plat_rv_timer_isr();
            return;
        case IRQ_EXT: {
            unsigned irq;
            while ((irq = plic_claim()) != 0) {
                if (irq == UART0_IRQ)
                    uart_isr();
                plic_complete(irq);
            }
            return;
        }
        default:
            break;
        }
    }
    raw_puts("\r\nclio: unexpected trap, cause ");
    raw_hex(cause);
    raw_puts(" epc ");
    raw_hex(epc);
    raw_puts(" tval ");
    raw_hex(tval);
    raw_puts("\r\n");
    qemu_exit(99);
}
