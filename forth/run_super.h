/*
 * run_super.h -- the superinstructions peep.c fuses from common sequences
 * (a literal and an operator, a comparison and a branch, I and a memory
 * access...).
 *
 * Included inside run() in run.c (threaded code jumps between labels of
 * one function); it uses run()'s registers and macros.  A textual part
 * of run(), kept apart only so that no file grows past a reader's reach:
 * the compiled code is the same.
 */
    /* ---- superinstructions (peep.c) ----------------------------------------- */
#define LITOP(expr) NEED(1); { cell lit = *ip++; tos = (expr); } NEXT
L_LITPLUS:  LITOP(ADD(tos, lit));
L_LITMINUS: LITOP(SUB(tos, lit));
L_LITSTAR:  LITOP((cell)((ucell)tos * (ucell)lit));
L_LITAND:   LITOP(tos & lit);
L_LITEQ:    LITOP(FLAG(tos == lit));
L_LITNE:    LITOP(FLAG(tos != lit));
L_LITLT:    LITOP(FLAG(tos < lit));
L_LITGT:    LITOP(FLAG(tos > lit));
    /* branch unless cond(second, top) */
#define CMP0BR(cond) NEED(2); { cell nos = *sp++; c = (cond); } POP(); \
    if (c) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT
L_EQ0BR:  CMP0BR(nos == tos);
L_NE0BR:  CMP0BR(nos != tos);
L_LT0BR:  CMP0BR(nos < tos);
L_GT0BR:  CMP0BR(nos > tos);
L_ULT0BR: CMP0BR((ucell)nos < (ucell)tos);
#define TEST0BR(cond) NEED(1); c = (cond); POP(); \
    if (c) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT
L_ZEQ0BR: TEST0BR(tos == 0);
L_ZLT0BR: TEST0BR(tos < 0);
L_ZGT0BR: TEST0BR(tos > 0);
    /* (lit-cmp0branch) x off */
#define LITCMP0BR(cond) NEED(1); { cell lit = ip[0]; c = (cond); } POP(); \
    if (c) { ip += 2; NEXT; } JUMP((cell *)((char *)(ip + 1) + ip[1])); CHARGE; NEXT
L_LITEQ0BR: LITCMP0BR(tos == lit);
L_LITNE0BR: LITCMP0BR(tos != lit);
L_LITLT0BR: LITCMP0BR(tos < lit);
L_LITGT0BR: LITCMP0BR(tos > lit);

L_ICFETCH:
    RNEED(1);
    PUSH(*BYTEP(rp[0]));
    NEXT;
L_ICSTORE:
    NEED(1);
    RNEED(1);
    *BYTEW(rp[0]) = (unsigned char)tos;
    POP();
    NEXT;
L_IFETCH:
    RNEED(1);
    PUSH(*CELLP(rp[0]));
    NEXT;
L_IPLUS:
    NEED(1);
    RNEED(1);
    tos = ADD(tos, rp[0]);
    NEXT;
L_DUPPLOOP: { /* DUP +LOOP: the step stays on the stack */
    NEED(1);
    RNEED(2);
    ucell x = rp[0] - rp[1], x2 = x + (ucell)tos;
    bool done = tos >= 0 ? x2 < x : x2 > x;
    rp[0] += (ucell)tos;
    if (!done) {
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
}
L_LITFETCH:
    PUSH(*CELLP(*ip));
    ip++;
    NEXT;
L_LITSTORE:
    NEED(1);
    *CELLW(*ip) = tos;
    ip++;
    POP();
    NEXT;
L_LITPSTORE: {
    NEED(1);
    cell *p = CELLW(*ip);
    *p = ADD(*p, tos);
    ip++;
    POP();
    NEXT;
}
L_OVERPLUS:
    NEED(2);
    tos = ADD(tos, sp[0]);
    NEXT;
L_CELLSPLUS:
    NEED(2);
    w = *sp++;
    tos = (cell)((ucell)w + (ucell)tos * CELL);
    NEXT;
L_RFROMDROP:
L_RDROP:
    RNEED(1);
    rp++;
    NEXT;
L_GE: BINOP(FLAG(nos >= tos));
L_LE: BINOP(FLAG(nos <= tos));
L_GE0BR: CMP0BR(nos >= tos);
L_LE0BR: CMP0BR(nos <= tos);
L_ICFETCH0BR:
    RNEED(1);
    if (*BYTEP(rp[0])) {
        ip++;
        NEXT;
    }
    JUMP((cell *)((char *)ip + *ip));
    CHARGE;
    NEXT;
L_TWODUPLT: NEED(2); PUSH(FLAG(sp[0] < tos)); NEXT;
L_TWODUPGT: NEED(2); PUSH(FLAG(sp[0] > tos)); NEXT;
    /* branch unless cond, without popping */
#define KEEP0BR(cond) if (cond) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT
L_TWODUPLT0BR: NEED(2); KEEP0BR(sp[0] < tos);
L_TWODUPGT0BR: NEED(2); KEEP0BR(sp[0] > tos);
L_DUPZEQ: NEED(1); PUSH(FLAG(tos == 0)); NEXT;
L_DUPZLT: NEED(1); PUSH(FLAG(tos < 0)); NEXT;
L_DUPZGT: NEED(1); PUSH(FLAG(tos > 0)); NEXT;
L_DUPZEQ0BR: NEED(1); KEEP0BR(tos == 0);
L_DUPZLT0BR: NEED(1); KEEP0BR(tos < 0);
L_DUPZGT0BR: NEED(1); KEEP0BR(tos > 0);
L_DUPLIT: /* two PUSHes: one double store of tos would be vectorized, to the cost of all */
    NEED(1);
    PUSH(tos);
    PUSH(*ip++);
    NEXT;
L_DUPLITLT: NEED(1); w = *ip++; PUSH(FLAG(tos < w)); NEXT;
L_DUPLITGT: NEED(1); w = *ip++; PUSH(FLAG(tos > w)); NEXT;
L_DUPLITEQ: NEED(1); w = *ip++; PUSH(FLAG(tos == w)); NEXT;
    /* (dup-lit-cmp0branch) x off: branch unless cond(top, x), keep top */
#define DUPLITCMP0BR(cond) NEED(1); { cell lit = ip[0]; c = (cond); } \
    if (c) { ip += 2; NEXT; } JUMP((cell *)((char *)(ip + 1) + ip[1])); CHARGE; NEXT
L_DUPLITLT0BR: DUPLITCMP0BR(tos < lit);
L_DUPLITGT0BR: DUPLITCMP0BR(tos > lit);
L_DUPLITEQ0BR: DUPLITCMP0BR(tos == lit);
L_LITPLOOP: { /* (lit-+loop) n off */
    RNEED(2);
    w = *ip++;
    ucell x = rp[0] - rp[1], x2 = x + (ucell)w;
    bool done = w >= 0 ? x2 < x : x2 > x;
    rp[0] += (ucell)w;
    if (!done) {
        JUMP((cell *)((char *)ip + *ip));
        CHARGE;
        NEXT;
    }
    rp += 2;
    ip++;
    NEXT;
}
L_OVERFETCH:
    NEED(2);
    PUSH(*CELLP(sp[0]));
    NEXT;
L_RFROMPLUS:
    RNEED(1);
    NEED(1);
    tos = ADD(tos, *rp);
    rp++;
    NEXT;
L_RFROMPLUSTOR: /* R> + >R */
    RNEED(1);
    NEED(1);
    rp[0] = (ucell)ADD(rp[0], tos);
    POP();
    NEXT;
L_SWAPCELLPLUS:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = ADD(w, CELL);
    NEXT;
L_UNDERCELLPLUS:
    NEED(2);
    sp[0] = ADD(sp[0], CELL);
    NEXT;
L_LITPICK: /* (lit-pick) n: n PICK, n < depth */
    w = *ip++;
    if (unlikely((ucell)w >= (ucell)(s0 - sp)))
        goto e_under;
    ROOM(1);
    *--sp = tos;
    tos = sp[w];
    NEXT;
L_NIPNIP:
    NEED(3);
    sp += 2;
    NEXT;
L_ISTORE:
    NEED(1);
    RNEED(1);
    *CELLW(rp[0]) = tos;
    POP();
    NEXT;
L_ICELLPLUS:
    RNEED(1);
    PUSH(ADD(rp[0], CELL));
    NEXT;
L_ICELLFETCH:
    RNEED(1);
    PUSH(*CELLP(ADD(rp[0], CELL)));
    NEXT;
L_ICELLSTORE:
    NEED(1);
    RNEED(1);
    *CELLW(ADD(rp[0], CELL)) = tos;
    POP();
    NEXT;
L_CELLSLIT:
    NEED(1);
    ROOM(1);
    *--sp = (cell)((ucell)tos * CELL);
    tos = *ip++;
    NEXT;
L_CELLSLITPLUS:
    NEED(1);
    tos = (cell)((ucell)tos * CELL + (ucell)*ip++);
    NEXT;
L_ACELLFETCH: /* CELLS x + @ */
    NEED(1);
    tos = *CELLP((ucell)tos * CELL + (ucell)*ip);
    ip++;
    NEXT;
L_ACELLSTORE: /* CELLS x + ! */
    NEED(2);
    *CELLW((ucell)tos * CELL + (ucell)*ip) = sp[0];
    ip++;
    sp++;
    POP();
    NEXT;

L_LITI:
    RNEED(1);
    ROOM(2);
    *--sp = tos;
    *--sp = *ip++;
    tos = (cell)rp[0];
    NEXT;
L_LITICSTORE: /* x I C! */
    RNEED(1);
    *BYTEW(rp[0]) = (unsigned char)*ip;
    ip++;
    NEXT;
L_LITISTORE: /* x I ! */
    RNEED(1);
    *CELLW(rp[0]) = *ip;
    ip++;
    NEXT;
L_NIP3:
    NEED(4);
    sp += 3;
    NEXT;
L_LITPICKONEMINUS: /* n PICK 1- */
    w = *ip++;
    if (unlikely((ucell)w >= (ucell)(s0 - sp)))
        goto e_under;
    ROOM(1);
    *--sp = tos;
    tos = SUB(sp[w], 1);
    NEXT;
L_OVERFETCHSTAR: /* OVER @ * */
    NEED(2);
    tos = (cell)((ucell)tos * (ucell)*CELLP(sp[0]));
    NEXT;
L_DUPONEMINUS:
    NEED(1);
    PUSH(SUB(tos, 1));
    NEXT;
L_SWAPLIT:
    NEED(2);
    ROOM(1);
    w = sp[0];
    sp[0] = tos;
    *--sp = w;
    tos = *ip++;
    NEXT;
L_SWAPLITMINUS:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = SUB(w, *ip);
    ip++;
    NEXT;
L_SWAPLITPLUS:
    NEED(2);
    w = sp[0];
    sp[0] = tos;
    tos = ADD(w, *ip);
    ip++;
    NEXT;
L_OVERLIT:
    NEED(2);
    ROOM(2);
    w = sp[0];
    *--sp = tos;
    *--sp = w;
    tos = *ip++;
    NEXT;
L_OVERLITEQ:
    NEED(2);
    PUSH(FLAG(sp[0] == *ip));
    ip++;
    NEXT;
L_OVERLITEQOR: /* OVER x = OR */
    NEED(2);
    tos |= FLAG(sp[0] == *ip);
    ip++;
    NEXT;
