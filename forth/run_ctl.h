/*
 * run_ctl.h -- the inline machinery: literals, branches, DO loops,
 * strings, CATCH and THROW, the text interpreter's and BYE's exits.
 *
 * Included inside run() in run.c (threaded code jumps between labels of
 * one function); it uses run()'s registers and macros.  A textual part
 * of run(), kept apart only so that no file grows past a reader's reach:
 * the compiled code is the same.
 */
    /* ---- inline machinery -------------------------------------------------- */
L_LIT:
    PUSH(*ip++);
    NEXT;
L_BRANCH:
    JUMP((cell *)((char *)ip + *ip));
    CHARGE;
    NEXT;
L_ZBRANCH:
    NEED(1);
    w = tos;
    POP();
    if (w) {
        ip++;
        NEXT;
    }
    JUMP((cell *)((char *)ip + *ip));
    CHARGE;
    NEXT;
L_DO:
    NEED(2);
    RROOM(2);
    rp -= 2;
    rp[1] = (ucell)sp[0];
    rp[0] = (ucell)tos;
    sp++;
    POP();
    NEXT;
L_QDO: /* (?do) offset-to-loop-exit */
    NEED(2);
    if (sp[0] == tos) {
        sp++;
        POP();
        JUMP((cell *)((char *)ip + *ip));
        NEXT;
    }
    ip++;
    goto L_DO;
L_LOOP:
    RNEED(2);
    w = ADD(rp[0], 1);
    if (w != (cell)rp[1]) {
        rp[0] = (ucell)w;
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
L_PLOOP: {
    NEED(1);
    RNEED(2);
    ucell x = rp[0] - rp[1], x2 = x + (ucell)tos;
    bool done = tos >= 0 ? x2 < x : x2 > x;
    rp[0] += (ucell)tos;
    POP();
    if (!done) {
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
}
L_UNLOOP:
    RNEED(2);
    rp += 2;
    NEXT;
L_I:
    RNEED(1);
    PUSH((cell)rp[0]);
    NEXT;
L_J:
    RNEED(3);
    PUSH((cell)rp[2]);
    NEXT;
L_HALT:
    PAYSEG();
    ip = seg = vm->quit_ip;
    st = FVM_DONE;
    goto leave;
L_GUARD:
    THROW(FVM_E_INVALID_ADDRESS);
L_SLIT: /* (s") len chars...  /  (c") len count chars... */
L_CLIT: {
    ucell n = (ucell)*ip, skip = (n + CELL - 1) & ~(ucell)(CELL - 1);
    cell a = (cell)((uintptr_t)(ip + 1) - bias);
    if (n > span)
        THROW(FVM_E_INVALID_ADDRESS);
    if ((uintptr_t)(ip + 1) - mbase >= span)   /* in an ancestor's image */
        a = (cell)fvmi_virt(vm, ip + 1);
    JUMP((cell *)((char *)(ip + 1) + skip));
    if (c == T_SLIT) {
        ROOM(2);
        *--sp = tos;
        *--sp = a;
        tos = (cell)n;
    } else {
        PUSH(a);
    }
    NEXT;
}
L_DOES_RT: /* in a defining word: the latest word runs the code after this */
    if (!vm->latest || !fvmi_xt_ok(vm, vm->latest))
        THROW(-31);
    cfa = CELLW(vm->latest);
    (void)CELLW(vm->latest + CELL);
    if (*cfa != K_DOCREATE)
        THROW(-31);
    cfa[1] = (cell)fvmi_virt(vm, ip);
    goto L_EXIT;
L_CATCH:
    NEED(1);
    RROOM(CF_SIZE);
    w = tos;
    POP();
    rp -= CF_SIZE;
    rp[CF_IP] = (ucell)ip;
    rp[CF_PREV] = vm->handler;
    rp[CF_DEPTH] = (ucell)(s0 - sp);
    sp[-1] = tos;     /* THROW takes the top item back from this slot */
    rp[CF_NSRC] = (ucell)vm->nsrc;
    rp[CF_FP] = vm->fpd;
    rp[CF_FDEPTH] = (ucell)(vm->f0 - fsp);
    fsp[-1] = ft;     /* as for the data stack (flim[-1] is a spare slot) */
    vm->handler = (ucell)(r0 - rp);
    PAYSEG();
    ip = seg = fvmi_sysvar(vm, V_UNCATCH);
    goto exec_w;
L_UNCATCH:
    if (vm->handler != (ucell)(r0 - rp))
        THROW(-25);
    vm->handler = rp[CF_PREV];
    JUMP((cell *)rp[CF_IP]);
    vm->fpd = rp[CF_FP];
    rp += CF_SIZE;
    PUSH(0);
    NEXT;
L_THROW:
    NEED(1);
    code = (int)tos;
    if (tos != code)
        code = -24;
    POP();
    if (!code)
        NEXT;
    goto do_throw;
L_RETHROW:
    NEED(1);
    code = (int)tos;
    POP();
    if (!code)
        NEXT;
    PAYSEG();         /* do_rethrow starts a segment: the cells run to here pay */
    seg = ip;
    goto do_rethrow;
L_INTERP:
    NEED(2);
    SAVE();
    rc = fvmi_interpret(vm);
    LOAD();
    if (rc == RC_EXEC) {
        w = vm->exec_xt;
        goto exec_w;
    }
    if (rc)
        THROW(rc);
    NEXT;
L_BYE:
    st = FVM_BYE;
    goto leave;
