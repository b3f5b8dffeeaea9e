/*
 * memlayout -- the QEMU `virt` machine (QEMU 7.2) as the clio image sees it:
 * every MMIO address, IRQ number and CSR bit the RISC-V host uses, in one
 * place.  Addresses from the machine's device tree
 * (qemu-system-riscv64 -machine virt,dumpdtb=x.dtb); riscv32's is the same.
 * Included from C and from assembly (through riscv.h; assembly uses none of
 * the UL constants).
 */
#ifndef MEMLAYOUT_H
#define MEMLAYOUT_H

/* ---- memory ---------------------------------------------------------------- */
#define RAM_BASE          0x80000000UL  /* OpenSBI owns 0x80000000-0x8007ffff; */
                                        /* -bios none: every hart starts here */
#define RAM_SIZE          (128UL << 20) /* QEMU's default -m */
#define IMAGE_BASE        0x80200000UL  /* where OpenSBI (fw_dynamic) jumps */
#define KHEAP_SIZE        (32UL << 20)  /* kernel heap: the RAM after the image */
#define DTB_RESERVE       (2UL << 20)   /* QEMU puts the DTB in the top 2 MiB */

/* ---- devices ---------------------------------------------------------------- */
#define SIFIVE_TEST_BASE  0x00100000UL  /* "sifive,test0": exit QEMU */
#define   FINISHER_PASS   0x5555        /* QEMU exits 0 */
#define   FINISHER_FAIL   0x3333        /* (code << 16) | FAIL: QEMU exits code */
#define CLINT_BASE        0x02000000UL  /* sifive,clint0 (M-mode timer) */
#define CLINT_MTIMECMP(h) (CLINT_BASE + 0x4000UL + 8UL * (h))  /* 64-bit */
#define CLINT_MTIME       (CLINT_BASE + 0xBFF8UL)              /* 64-bit */
#define PLIC_BASE         0x0C000000UL  /* sifive,plic-1.0.0, 53 sources */
#define UART0_BASE        0x10000000UL  /* ns16550a, byte registers */
#define UART0_IRQ         10            /* its PLIC source */
#define VIRTIO_MMIO_BASE  0x10001000UL  /* 8 virtio-mmio slots, 0x1000 apart; */
#define VIRTIO_MMIO_STRIDE 0x1000UL     /* QEMU fills them from the top: the */
#define VIRTIO_MMIO_SLOTS 8             /* first -device is at 0x10008000 */
#define VIRTIO_MMIO_IRQ0  1             /* slot i's PLIC source is 1 + i */
#define TIMEBASE_HZ       10000000UL    /* timebase-frequency: 10 MHz */
#define NS_PER_TICK       100           /* 1e9 / TIMEBASE_HZ */

/* PLIC registers; context 2h is hart h's M-mode, 2h + 1 its S-mode */
#define PLIC_PRIORITY(irq)   (PLIC_BASE + 4UL * (irq))
#define PLIC_ENABLE(ctx)     (PLIC_BASE + 0x2000UL + 0x80UL * (ctx))
#define PLIC_THRESHOLD(ctx)  (PLIC_BASE + 0x200000UL + 0x1000UL * (ctx))
#define PLIC_CLAIM(ctx)      (PLIC_BASE + 0x200004UL + 0x1000UL * (ctx))
#define PLIC_MCTX(hart)      (2 * (hart))
#define PLIC_SCTX(hart)      (2 * (hart) + 1)

/* 16550 registers (offsets) and bits */
#define UART_RBR 0   /* read: receive buffer */
#define UART_THR 0   /* write: transmit holding */
#define UART_IER 1   /* interrupt enable */
#define   IER_RDI   0x01  /* received data available */
#define   IER_THRI  0x02  /* transmit holding register empty */
#define UART_IIR 2   /* read: interrupt identification (FCR when written) */
#define   IIR_NONE  0x01  /* no interrupt pending */
#define   IIR_ID    0x0e
#define   IIR_THRI  0x02
#define   IIR_RDI   0x04
#define   IIR_RLSI  0x06  /* line status */
#define   IIR_CTI   0x0c  /* character timeout (FIFO mode) */
#define   IIR_FIFO  0xc0  /* both set: the FIFOs are on */
#define UART_LCR 3   /* line control */
#define   LCR_8N1   0x03
#define UART_LSR 5   /* line status */
#define   LSR_DR    0x01
#define   LSR_THRE  0x20
#define UART_MCR 4
#define   MCR_OUT2  0x08  /* routes the interrupt out on real 16550s */
#define UART_FIFO 16      /* transmit FIFO depth */

/* ---- CSRs (riscv.h names the set of the image's mode) ------------------------ */
#define SSTATUS_SIE   (1 << 1)
#define SIE_SSIE      (1 << 1)
#define SIE_STIE      (1 << 5)
#define SIE_SEIE      (1 << 9)
#define IRQ_S_TIMER   5
#define IRQ_S_EXT     9
#define MSTATUS_MIE   (1 << 3)
#define MIE_MTIE      (1 << 7)
#define MIE_MEIE      (1 << 11)
#define IRQ_M_TIMER   7
#define IRQ_M_EXT     11

/* ---- SBI --------------------------------------------------------------------- */
#define SBI_EXT_TIME  0x54494D45      /* "TIME", FID 0: set_timer */

#endif
