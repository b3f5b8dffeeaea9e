/*
 * riscv -- CSR access, MMIO and the privilege mode for the clio RISC-V host.
 *
 * Two builds of the same sources (hosts/qemu-riscv/qemu.mk):
 *   rv64, S-mode under OpenSBI        (default)
 *   rv32, M-mode without firmware     (-DMMODE)
 * The mode picks the CSR names and bits below (CSR_STATUS, IE_TIMER, ...);
 * the XLEN picks the register size for assembly (REG_S, REG_L, REGBYTES).
 * Included from C and from assembly.
 */
#ifndef RISCV_H
#define RISCV_H

#include "memlayout.h"

#ifdef MMODE
#define CSR_STATUS  mstatus
#define CSR_IE      mie
#define CSR_TVEC    mtvec
#define CSR_CAUSE   mcause
#define CSR_EPC     mepc
#define CSR_TVAL    mtval
#define XRET        mret
#define STATUS_IE   MSTATUS_MIE
#define IE_TIMER    MIE_MTIE
#define IE_EXT      MIE_MEIE
#define IRQ_TIMER   IRQ_M_TIMER
#define IRQ_EXT     IRQ_M_EXT
#define PLIC_CTX    PLIC_MCTX(0)
#define RV_MODE_NAME "M-mode"
#else
#define CSR_STATUS  sstatus
#define CSR_IE      sie
#define CSR_TVEC    stvec
#define CSR_CAUSE   scause
#define CSR_EPC     sepc
#define CSR_TVAL    stval
#define XRET        sret
#define STATUS_IE   SSTATUS_SIE
#define IE_TIMER    SIE_STIE
#define IE_EXT      SIE_SEIE
#define IRQ_TIMER   IRQ_S_TIMER
#define IRQ_EXT     IRQ_S_EXT
#define PLIC_CTX    PLIC_SCTX(0)
#define RV_MODE_NAME "S-mode"
#endif

#if __riscv_xlen == 64
#define REG_S    sd
#define REG_L    ld
#define REGBYTES 8
#else
#define REG_S    sw
#define REG_L    lw
#define REGBYTES 4
#endif

#ifndef __ASSEMBLER__
#include <stdint.h>

#define RV_STR_(x) #x
#define RV_STR(x) RV_STR_(x)
#define RV_NAME "riscv" RV_STR(__riscv_xlen)     /* "riscv64", "riscv32" */

/* two levels, so that a name like CSR_STATUS is expanded before # */
#define csr_read_(c) ({ unsigned long v_; __asm__ volatile("csrr %0, " #c : "=r"(v_)); v_; })
#define csr_write_(c, v) __asm__ volatile("csrw " #c ", %0" :: "rK"(v) : "memory")
#define csr_set_(c, v)   __asm__ volatile("csrs " #c ", %0" :: "rK"(v) : "memory")
#define csr_clear_(c, v) __asm__ volatile("csrc " #c ", %0" :: "rK"(v) : "memory")
#define csr_read_clear_(c, v) ({ unsigned long v_; \
    __asm__ volatile("csrrc %0, " #c ", %1" : "=r"(v_) : "rK"(v) : "memory"); v_; })
#define csr_read(c)          csr_read_(c)
#define csr_write(c, v)      csr_write_(c, v)
#define csr_set(c, v)        csr_set_(c, v)
#define csr_clear(c, v)      csr_clear_(c, v)
#define csr_read_clear(c, v) csr_read_clear_(c, v)

#define CAUSE_INTERRUPT (1UL << (__riscv_xlen - 1))

static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

static inline uint8_t mmio_r8(unsigned long a) { return *(volatile uint8_t *)a; }
static inline void mmio_w8(unsigned long a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint32_t mmio_r32(unsigned long a) { return *(volatile uint32_t *)a; }
static inline void mmio_w32(unsigned long a, uint32_t v) { *(volatile uint32_t *)a = v; }

/* plic.c */
void plic_init(void);
void plic_enable(unsigned irq, unsigned prio);
unsigned plic_claim(void);
void plic_complete(unsigned irq);
/* timer_sbi.c (S-mode) or timer_clint.c (M-mode): the 10 MHz machine
 * timer.  timer_set(): the timer interrupt is pending from `ticks` on, not
 * before (a pending one is withdrawn); IE_TIMER enables it. */
uint64_t timer_now(void);
void timer_set(uint64_t ticks);
/* platform_rv.c */
void plat_rv_timer_isr(void);
_Noreturn void qemu_exit(unsigned code);
/* uart.c */
void uart_isr(void);

#endif /* __ASSEMBLER__ */
#endif
