/*
 * run_stack.h -- the data and return stack words.
 *
 * Included inside run() in run.c (threaded code jumps between labels of
 * one function); it uses run()'s registers and macros.  A textual part
 * of run(), kept apart only so that no file grows past a reader's reach:
 * the compiled code is the same.
 */
    /* ---- stack ------------------------------------------------------------- */
L_DUP:
    NEED(1);
    PUSH(tos);
    NEXT;
L_DROP:
    NEED(1);
    POP();
    NEXT;
L_SWAP:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = w;
    NEXT;
L_OVER:
    NEED(2);
    PUSH(sp[0]);
    NEXT;
L_ROT:
    NEED(3);
    w = sp[1];
    sp[1] = sp[0];
    sp[0] = tos;
    tos = w;
    NEXT;
L_MROT:
    NEED(3);
    w = sp[1];
    sp[1] = tos;
    tos = sp[0];
    sp[0] = w;
    NEXT;
L_NIP:
    NEED(2);
    sp++;
    NEXT;
L_TUCK:
    NEED(2);
    ROOM(1);
    w = sp[0];
    *--sp = w;
    sp[1] = tos;
    NEXT;
L_QDUP:
    NEED(1);
    if (tos)
        PUSH(tos);
    NEXT;
L_TWODUP:
    NEED(2);
    ROOM(2);
    w = sp[0];
    *--sp = tos;
    *--sp = w;
    NEXT;
L_TWODROP:
    NEED(2);
    sp++;
    POP();
    NEXT;
L_TWOSWAP:
    NEED(4);
    w = sp[1];
    sp[1] = tos;
    tos = w;
    w = sp[2];
    sp[2] = sp[0];
    sp[0] = w;
    NEXT;
L_TWOOVER:
    NEED(4);
    ROOM(2);
    sp -= 2;
    sp[1] = tos;
    sp[0] = sp[4];
    tos = sp[3];
    NEXT;
L_PICK:
    NEED(1);
    if (unlikely((ucell)tos >= (ucell)(s0 - sp - 1)))
        goto e_under;
    tos = sp[tos];
    NEXT;
L_ROLL: {
    NEED(1);
    ucell n = (ucell)tos;
    if (unlikely(n >= (ucell)(s0 - sp - 1)))
        goto e_under;
    POP();
    if (n) {
        w = sp[n - 1];
        for (ucell k = n - 1; k > 0; k--)
            sp[k] = sp[k - 1];
        sp[0] = tos;
        tos = w;
    }
    NEXT;
}
L_DEPTH:
    PUSH((cell)(s0 - sp));
    NEXT;
L_TOR:
    NEED(1);
    RROOM(1);
    *--rp = (ucell)tos;
    POP();
    NEXT;
L_RFROM:
    RNEED(1);
    PUSH((cell)*rp);
    rp++;
    NEXT;
L_RFETCH:
    RNEED(1);
    PUSH((cell)*rp);
    NEXT;
L_TWOTOR:
    NEED(2);
    RROOM(2);
    rp -= 2;
    rp[1] = (ucell)sp[0];
    rp[0] = (ucell)tos;
    sp++;
    POP();
    NEXT;
L_TWORFROM:
    RNEED(2);
    ROOM(2);
    *--sp = tos;
    *--sp = (cell)rp[1];
    tos = (cell)rp[0];
    rp += 2;
    NEXT;
L_TWORFETCH:
    RNEED(2);
    ROOM(2);
    *--sp = tos;
    *--sp = (cell)rp[1];
    tos = (cell)rp[0];
    NEXT;
