/* The entry point, _start, at the image's first byte.
 * S-mode: OpenSBI (fw_dynamic) jumps here, at 0x80200000, with a0 = boot
 * hart id and a1 = the DTB; only the boot hart comes.
 * M-mode (-bios none): QEMU's reset code jumps here, at 0x80000000, on
 * every hart with a0 = mhartid and a1 = the DTB; all but hart 0 park.
 * Set gp and sp, zero .bss, point the trap vector at trap_vector, call
 * main(hartid, dtb); its return value is QEMU's exit status. */
#include "riscv.h"

    .section .text.boot, "ax", @progbits
    .globl _start
_start:
#ifdef MMODE
    csrr    t0, mhartid
    bnez    t0, 3f
#endif
    csrw    CSR_IE, zero           /* no interrupts until we ask for them */
    csrci   CSR_STATUS, STATUS_IE  /* and the global enable off */

    .option push
    .option norelax                /* or `la gp` relaxes to `mv gp, gp` */
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    /* zero .bss a register at a time (the linker script aligns both ends) */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    REG_S   zero, 0(t0)
    addi    t0, t0, REGBYTES
    j       1b
2:
    la      t0, trap_vector        /* 4-byte aligned: direct mode */
    csrw    CSR_TVEC, t0
    call    main
    call    qemu_exit              /* main's return value is the exit status */
3:  wfi
    j       3b
