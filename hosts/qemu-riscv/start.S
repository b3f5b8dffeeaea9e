/* Entry from OpenSBI (fw_dynamic) at 0x80200000 in S-mode, with a0 = boot
 * hart id and a1 = the DTB; only the boot hart comes here.  Set gp and sp,
 * zero .bss, point stvec at the trap vector, call main(hartid, dtb). */
    .section .text.boot, "ax", @progbits
    .globl _start
_start:
    csrw    sie, zero              /* no interrupts until we ask for them */
    csrci   sstatus, 2             /* sstatus.SIE = 0 */

    .option push
    .option norelax                /* or `la gp` relaxes to `mv gp, gp` */
    la      gp, __global_pointer$
    .option pop
    la      sp, __stack_top

    /* zero .bss, 8 bytes at a time (the linker script aligns both ends) */
    la      t0, __bss_start
    la      t1, __bss_end
1:  bgeu    t0, t1, 2f
    sd      zero, 0(t0)
    addi    t0, t0, 8
    j       1b
2:
    la      t0, trap_vector        /* 4-byte aligned: direct mode */
    csrw    stvec, t0
    call    main
    call    qemu_exit              /* main's return value is the exit status */
3:  wfi
    j       3b
