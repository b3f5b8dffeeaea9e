/*
 * riscv -- CSR access, MMIO and SBI calls for the clio RISC-V host.
 * Everything here is S-mode under OpenSBI, rv64.
 */
#ifndef RISCV_H
#define RISCV_H

#include <stdint.h>
#include "memlayout.h"

#define csr_read(c) ({ unsigned long v_; __asm__ volatile("csrr %0, " #c : "=r"(v_)); v_; })
#define csr_write(c, v) __asm__ volatile("csrw " #c ", %0" :: "rK"(v) : "memory")
#define csr_set(c, v)   __asm__ volatile("csrs " #c ", %0" :: "rK"(v) : "memory")
#define csr_clear(c, v) __asm__ volatile("csrc " #c ", %0" :: "rK"(v) : "memory")
#define csr_read_clear(c, v) ({ unsigned long v_; \
    __asm__ volatile("csrrc %0, " #c ", %1" : "=r"(v_) : "rK"(v) : "memory"); v_; })

#define CAUSE_INTERRUPT (1UL << 63)

static inline void wfi(void) { __asm__ volatile("wfi" ::: "memory"); }

static inline uint8_t mmio_r8(unsigned long a) { return *(volatile uint8_t *)a; }
static inline void mmio_w8(unsigned long a, uint8_t v) { *(volatile uint8_t *)a = v; }
static inline uint32_t mmio_r32(unsigned long a) { return *(volatile uint32_t *)a; }
static inline void mmio_w32(unsigned long a, uint32_t v) { *(volatile uint32_t *)a = v; }

struct sbiret { long error; long value; };
struct sbiret sbi_call(unsigned long eid, unsigned long fid, unsigned long a0);

/* trap.c */
void trap_init(void);
/* plic.c */
void plic_init(void);
void plic_enable(unsigned irq, unsigned prio);
unsigned plic_claim(void);
void plic_complete(unsigned irq);
/* platform_rv.c */
void plat_rv_timer_isr(void);
_Noreturn void qemu_exit(unsigned code);
/* uart.c */
void uart_isr(void);

#endif
