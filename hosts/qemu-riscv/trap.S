/* The trap vector: save the caller-saved registers, call
 * trap_handler(cause, epc, tval), restore them, return from the trap.
 * Interrupts stay off (the trap clears the status register's IE bit) until
 * the return. */
#include "riscv.h"

    .section .text
    .align  2                      /* the vector's low 2 bits are the mode */
    .globl  trap_vector
trap_vector:
    addi    sp, sp, -16*REGBYTES
    REG_S   ra,   0*REGBYTES(sp)
    REG_S   t0,   1*REGBYTES(sp)
    REG_S   t1,   2*REGBYTES(sp)
    REG_S   t2,   3*REGBYTES(sp)
    REG_S   a0,   4*REGBYTES(sp)
    REG_S   a1,   5*REGBYTES(sp)
    REG_S   a2,   6*REGBYTES(sp)
    REG_S   a3,   7*REGBYTES(sp)
    REG_S   a4,   8*REGBYTES(sp)
    REG_S   a5,   9*REGBYTES(sp)
    REG_S   a6,  10*REGBYTES(sp)
    REG_S   a7,  11*REGBYTES(sp)
    REG_S   t3,  12*REGBYTES(sp)
    REG_S   t4,  13*REGBYTES(sp)
    REG_S   t5,  14*REGBYTES(sp)
    REG_S   t6,  15*REGBYTES(sp)
    csrr    a0, CSR_CAUSE
    csrr    a1, CSR_EPC
    csrr    a2, CSR_TVAL
    call    trap_handler
    REG_L   ra,   0*REGBYTES(sp)
    REG_L   t0,   1*REGBYTES(sp)
    REG_L   t1,   2*REGBYTES(sp)
    REG_L   t2,   3*REGBYTES(sp)
    REG_L   a0,   4*REGBYTES(sp)
    REG_L   a1,   5*REGBYTES(sp)
    REG_L   a2,   6*REGBYTES(sp)
    REG_L   a3,   7*REGBYTES(sp)
    REG_L   a4,   8*REGBYTES(sp)
    REG_L   a5,   9*REGBYTES(sp)
    REG_L   a6,  10*REGBYTES(sp)
    REG_L   a7,  11*REGBYTES(sp)
    REG_L   t3,  12*REGBYTES(sp)
    REG_L   t4,  13*REGBYTES(sp)
    REG_L   t5,  14*REGBYTES(sp)
    REG_L   t6,  15*REGBYTES(sp)
    addi    sp, sp, 16*REGBYTES
    XRET
