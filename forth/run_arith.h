/*
 * run_arith.h -- arithmetic, comparison and memory: single and double
 * cells, @ ! and the system variables.
 *
 * Included inside run() in run.c (threaded code jumps between labels of
 * one function); it uses run()'s registers and macros.  A textual part
 * of run(), kept apart only so that no file grows past a reader's reach:
 * the compiled code is the same.
 */
    /* ---- arithmetic --------------------------------------------------------- */
/* the second item in a local of its own: w, which other words carry
 * across labels, would be stored to its stack slot at every use */
#define BINOP(expr) NEED(2); { cell nos = *sp++; tos = (expr); } NEXT
L_PLUS:  BINOP(ADD(nos, tos));
L_MINUS: BINOP(SUB(nos, tos));
L_STAR:  BINOP((cell)((ucell)nos * (ucell)tos));
L_AND:   BINOP(nos & tos);
L_OR:    BINOP(nos | tos);
L_XOR:   BINOP(nos ^ tos);
L_EQ:    BINOP(FLAG(nos == tos));
L_NE:    BINOP(FLAG(nos != tos));
L_LT:    BINOP(FLAG(nos < tos));
L_GT:    BINOP(FLAG(nos > tos));
L_ULT:   BINOP(FLAG((ucell)nos < (ucell)tos));
L_UGT:   BINOP(FLAG((ucell)nos > (ucell)tos));
L_MIN:   BINOP(nos < tos ? nos : tos);
L_MAX:   BINOP(nos > tos ? nos : tos);
L_LSHIFT: BINOP((ucell)tos >= (ucell)CELL_BITS ? 0 : (cell)((ucell)nos << tos));
L_RSHIFT: BINOP((ucell)tos >= (ucell)CELL_BITS ? 0 : (cell)((ucell)nos >> tos));
#define DIVCHK do { NEED(2); if (unlikely(tos == 0)) THROW(FVM_E_DIV_ZERO); } while (0)
L_SLASH:
    DIVCHK;
    w = *sp++;
    tos = tos == -1 ? SUB(0, w) : w / tos;
    NEXT;
L_MOD:
    DIVCHK;
    w = *sp++;
    tos = tos == -1 ? 0 : w % tos;
    NEXT;
L_SLMOD:
    DIVCHK;
    w = sp[0];
    if (tos == -1) {
        sp[0] = 0;
        tos = SUB(0, w);
    } else {
        sp[0] = w % tos;
        tos = w / tos;
    }
    NEXT;
L_STARSLASH:
L_STARSLMOD: {
    NEED(3);
    if (tos == 0)
        THROW(FVM_E_DIV_ZERO);
    dcell p = (dcell)sp[1] * sp[0], q = tos == -1 ? -p : p / tos, r = tos == -1 ? 0 : p % tos;
    if (q != (cell)q)
        THROW(-11);
    sp += 1;
    if (c == T_STARSLASH) {
        sp++;
        tos = (cell)q;
    } else {
        sp[0] = (cell)r;
        tos = (cell)q;
    }
    NEXT;
}
L_UMSTAR: {
    NEED(2);
    udcell p = (udcell)(ucell)sp[0] * (ucell)tos;
    sp[0] = (cell)(ucell)p;
    tos = (cell)(ucell)(p >> CELL_BITS);
    NEXT;
}
L_MSTAR: {
    NEED(2);
    dcell p = (dcell)sp[0] * tos;
    sp[0] = (cell)(ucell)p;
    tos = (cell)(ucell)((udcell)p >> CELL_BITS);
    NEXT;
}
L_UMSLMOD: {
    NEED(3);
    if (tos == 0)
        THROW(FVM_E_DIV_ZERO);
    udcell n = ((udcell)(ucell)sp[0] << CELL_BITS) | (ucell)sp[1];
    if ((ucell)sp[0] >= (ucell)tos)
        THROW(-11);
    sp++;
    sp[0] = (cell)(ucell)(n % (ucell)tos);
    tos = (cell)(ucell)(n / (ucell)tos);
    NEXT;
}
L_SMREM:
L_FMMOD: {
    NEED(3);
    if (tos == 0)
        THROW(FVM_E_DIV_ZERO);
    dcell n = dmake(sp[1], sp[0]), q, r;
    if (tos == -1) {
        if (n == (dcell)((udcell)1 << (2 * CELL_BITS - 1)))
            THROW(-11);
        q = -n;
        r = 0;
    } else {
        q = n / tos;
        r = n % tos;
        if (c == T_FMMOD && r != 0 && ((r < 0) != (tos < 0))) {
            q -= 1;
            r += tos;
        }
    }
    if (q != (cell)q)
        THROW(-11);
    sp++;
    sp[0] = (cell)r;
    tos = (cell)q;
    NEXT;
}
L_NEGATE:   NEED(1); tos = SUB(0, tos); NEXT;
L_ABS:      NEED(1); if (tos < 0) tos = SUB(0, tos); NEXT;
L_ONEPLUS:  NEED(1); tos = ADD(tos, 1); NEXT;
L_ONEMINUS: NEED(1); tos = SUB(tos, 1); NEXT;
L_TWOSTAR:  NEED(1); tos = (cell)((ucell)tos << 1); NEXT;
L_TWOSLASH: NEED(1); tos >>= 1; NEXT;
L_INVERT:   NEED(1); tos = ~tos; NEXT;
L_CELLS:    NEED(1); tos = (cell)((ucell)tos * CELL); NEXT;
L_CELLPLUS: NEED(1); tos = ADD(tos, CELL); NEXT;
L_CHARPLUS: NEED(1); tos = ADD(tos, 1); NEXT;
L_CHARS:    NEED(1); NEXT;
L_ALIGNED:  NEED(1); tos = (cell)(((ucell)tos + CELL - 1) & ~(ucell)(CELL - 1)); NEXT;
L_STOD:     NEED(1); PUSH(tos < 0 ? -1 : 0); NEXT;
L_DPLUS: {
    NEED(4);
    udcell a = ((udcell)(ucell)sp[1] << CELL_BITS) | (ucell)sp[2];
    udcell b = ((udcell)(ucell)tos << CELL_BITS) | (ucell)sp[0];
    a += b;
    sp += 2;
    sp[0] = (cell)(ucell)a;
    tos = (cell)(ucell)(a >> CELL_BITS);
    NEXT;
}
L_DNEGATE: {
    NEED(2);
    udcell a = ((udcell)(ucell)tos << CELL_BITS) | (ucell)sp[0];
    a = 0 - a;
    sp[0] = (cell)(ucell)a;
    tos = (cell)(ucell)(a >> CELL_BITS);
    NEXT;
}
L_ZEQ:  NEED(1); tos = FLAG(tos == 0); NEXT;
L_ZLT:  NEED(1); tos = FLAG(tos < 0); NEXT;
L_ZNE:  NEED(1); tos = FLAG(tos != 0); NEXT;
L_ZGT:  NEED(1); tos = FLAG(tos > 0); NEXT;
L_WITHIN:
    NEED(3);
    w = sp[1];
    tos = FLAG((ucell)SUB(w, sp[0]) < (ucell)SUB(tos, sp[0]));
    sp += 2;
    NEXT;
L_TRUE:  PUSH(-1); NEXT;
L_FALSE: PUSH(0); NEXT;

    /* ---- memory ------------------------------------------------------------- */
L_FETCH:
    NEED(1);
    tos = *CELLP(tos);
    NEXT;
L_STORE:
    NEED(2);
    *CELLW(tos) = sp[0];
    sp++;
    POP();
    NEXT;
L_CFETCH:
    NEED(1);
    tos = *BYTEP(tos);
    NEXT;
L_CSTORE:
    NEED(2);
    *BYTEW(tos) = (unsigned char)sp[0];
    sp++;
    POP();
    NEXT;
L_PSTORE: {
    NEED(2);
    cell *p = CELLW(tos);
    *p = ADD(*p, sp[0]);
    sp++;
    POP();
    NEXT;
}
L_TWOFETCH: {
    NEED(1);
    ROOM(1);
    cell *p = CELLP(tos), *q = CELLP(ADD(tos, CELL));
    *--sp = *q;
    tos = *p;
    NEXT;
}
L_TWOSTORE: {
    NEED(3);
    cell *p = CELLW(tos), *q = CELLW(ADD(tos, CELL));
    *p = sp[0];
    *q = sp[1];
    sp += 2;
    POP();
    NEXT;
}
L_COUNT:
    NEED(1);
    ROOM(1);
    w = *BYTEP(tos);
    *--sp = ADD(tos, 1);
    tos = w;
    NEXT;
L_BASE:  PUSH((cell)(vm->sysv + V_BASE * CELL)); NEXT;
L_STATE: PUSH((cell)(vm->sysv + V_STATE * CELL)); NEXT;
L_TOIN:  PUSH((cell)(vm->sysv + V_TOIN * CELL)); NEXT;
L_HERE:  PUSH((cell)vm->here); NEXT;
