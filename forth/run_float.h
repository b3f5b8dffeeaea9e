/*
 * run_float.h -- the hot float primitives of the inner interpreter.
 *
 * Included inside run() in run.c (threaded code jumps between labels of
 * one function); it uses run()'s registers and macros.  ft is the top of
 * the float stack, fsp points at the second item: FPUSH stores ft below
 * and replaces it, as PUSH does with tos.  Every primitive checks the
 * float depth it needs (-45) and the room it takes (-44); memory access
 * is checked like @ and ! but needs no alignment.
 */
#define FNEED(n) do { if (unlikely(fsp > BOUND(vm->fneed, n, vm->f0 - (n)))) goto e_funder; } while (0)
#define FROOM(n) do { if (unlikely(fsp < BOUND(vm->froom, n, vm->flim + (n)))) goto e_fover; } while (0)
#define FPUSH(x) do { double x_ = (x); FROOM(1); *--fsp = ft; ft = x_; } while (0)
#define FPOP() (ft = *fsp++)
/* readable / writable float-sized (n-byte) memory at a */
#define MEMP(a, n) ({ ucell _a = (ucell)(a); unsigned char *_p; \
        if (likely(_a - lo <= span - (n))) { _p = (unsigned char *)(bias + _a); } \
        else { _p = slow_addr(vm, _a, (n), false, &code); if (!_p) goto do_throw; } _p; })
#define MEMW(a, n) ({ ucell _a = (ucell)(a); unsigned char *_p; \
        if (likely(_a - vm->wlo <= vm->wspan - (n))) { _p = (unsigned char *)(bias + _a); } \
        else { _p = slow_waddr(vm, _a, (n), false, &code); goto do_throw; } _p; })
#define FBINOP(op) do { FNEED(2); double a_ = *fsp++; ft = fvmi_fnan2(a_ op ft, a_, ft); NEXT; } while (0)
#define FCMP(cond) do { FNEED(2); ROOM(1); cell f_ = FLAG(cond); fsp++; FPOP(); *--sp = tos; tos = f_; NEXT; } while (0)
#define FTEST(cond) do { FNEED(1); ROOM(1); cell f_ = FLAG(cond); FPOP(); *--sp = tos; tos = f_; NEXT; } while (0)

L_FLIT:
    FPUSH(fvmi_fload(ip));
    ip += FCELLS;
    NEXT;
L_FDUP:    FNEED(1); FPUSH(ft); NEXT;
L_FDROP:   FNEED(1); FPOP(); NEXT;
L_FSWAP: {
    FNEED(2);
    double t = fsp[0];
    fsp[0] = ft;
    ft = t;
    NEXT;
}
L_FOVER:   FNEED(2); FPUSH(fsp[0]); NEXT;
L_FROT: {
    FNEED(3);
    double t = fsp[1];
    fsp[1] = fsp[0];
    fsp[0] = ft;
    ft = t;
    NEXT;
}
L_FNIP:    FNEED(2); fsp++; NEXT;
L_FTUCK:
    FNEED(2);
    FROOM(1);
    fsp--;
    fsp[0] = fsp[1];
    fsp[1] = ft;
    NEXT;
L_FPICK: /* ( u -- ) ( F: ru .. r0 -- ru .. r0 ru ) */
    NEED(1);
    if (unlikely((ucell)tos >= (ucell)(vm->f0 - fsp)))
        goto e_funder;
    FPUSH(tos == 0 ? ft : fsp[tos - 1]);
    POP();
    NEXT;
L_FDEPTH:  PUSH((cell)(vm->f0 - fsp)); NEXT;
L_FPLUS:   FBINOP(+);
L_FMINUS:  FBINOP(-);
L_FSTAR:   FBINOP(*);
L_FSLASH:  FBINOP(/);
L_FNEGATE: FNEED(1); ft = fvmi_fneg(ft); NEXT;
L_FABS:    FNEED(1); ft = fvmi_fabs(ft); NEXT;
L_FSQRT:   FNEED(1); ft = fmath_sqrt(ft); NEXT;
L_FMIN: /* a NaN wins; of two zeros -0 is the lesser */
L_FMAX: {
    FNEED(2);
    double a = *fsp++;
    bool pick_a = c == T_FMIN ? (a < ft || (a == ft && (fvmi_fbits(a) >> 63)))
                              : (a > ft || (a == ft && !(fvmi_fbits(a) >> 63)));
    if (pick_a || fvmi_isnan(a))
        ft = a;
    NEXT;
}
L_FLT:  FCMP(fsp[0] < ft);
L_FGT:  FCMP(fsp[0] > ft);
L_FEQ:  FCMP(fsp[0] == ft);
L_FNE:  FCMP(!(fsp[0] == ft));
L_FLE:  FCMP(fsp[0] <= ft);
L_FGE:  FCMP(fsp[0] >= ft);
L_FZLT: FTEST(ft < 0);
L_FZEQ: FTEST(ft == 0);
L_FZGT: FTEST(ft > 0);
L_FZNE: FTEST(!(ft == 0));
L_FZLE: FTEST(ft <= 0);
L_FZGE: FTEST(ft >= 0);
L_FFETCH:
L_DFFETCH: {
    NEED(1);
    FROOM(1);
    double d = fvmi_fload(MEMP(tos, sizeof(double)));
    *--fsp = ft;
    ft = d;
    POP();
    NEXT;
}
L_FSTORE:
L_DFSTORE:
    NEED(1);
    FNEED(1);
    fvmi_fstore(MEMW(tos, sizeof(double)), ft);
    POP();
    FPOP();
    NEXT;
L_SFFETCH: {
    NEED(1);
    FROOM(1);
    float f;
    __builtin_memcpy(&f, MEMP(tos, sizeof f), sizeof f);
    *--fsp = ft;
    ft = (double)f;
    POP();
    NEXT;
}
L_SFSTORE: {
    NEED(1);
    FNEED(1);
    float f = (float)ft;
    __builtin_memcpy(MEMW(tos, sizeof f), &f, sizeof f);
    POP();
    FPOP();
    NEXT;
}
L_STOF:
    NEED(1);
    FPUSH((double)tos);
    POP();
    NEXT;
L_FTOS: /* truncated; -11 unless it fits a cell */
    FNEED(1);
    ROOM(1);
    if (!(ft + CELL_FLIMIT > -1.0 && ft < CELL_FLIMIT))
        THROW(-11);
    *--sp = tos;
    tos = (cell)ft;
    FPOP();
    NEXT;
L_DTOF:
    NEED(2);
    FPUSH(fvmi_d_to_f((ucell)sp[0], (ucell)tos));
    sp++;
    POP();
    NEXT;
L_FTOD: {
    FNEED(1);
    ROOM(2);
    ucell dl, dh;
    if (!fvmi_f_to_d(ft, &dl, &dh))
        THROW(-11);
    FPOP();
    *--sp = tos;
    *--sp = (cell)dl;
    tos = (cell)dh;
    NEXT;
}
L_FLOATS:
L_DFLOATS:     NEED(1); tos = (cell)((ucell)tos * sizeof(double)); NEXT;
L_FLOATPLUS:
L_DFLOATPLUS:  NEED(1); tos = ADD(tos, sizeof(double)); NEXT;
L_SFLOATS:     NEED(1); tos = (cell)((ucell)tos * sizeof(float)); NEXT;
L_SFLOATPLUS:  NEED(1); tos = ADD(tos, sizeof(float)); NEXT;
L_FALIGNED:
L_DFALIGNED:   NEED(1); tos = (cell)(((ucell)tos + 7) & ~(ucell)7); NEXT;
L_SFALIGNED:   NEED(1); tos = (cell)(((ucell)tos + 3) & ~(ucell)3); NEXT;
L_LITFFETCH: { /* x F@ */
    FROOM(1);
    double d = fvmi_fload(MEMP(*ip, sizeof(double)));
    ip++;
    *--fsp = ft;
    ft = d;
    NEXT;
}
L_LITFSTORE: /* x F! */
    FNEED(1);
    fvmi_fstore(MEMW(*ip, sizeof(double)), ft);
    ip++;
    FPOP();
    NEXT;
L_FDUPFSTAR: FNEED(1); ft = ft * ft; NEXT;    /* a NaN is its own square */
L_FOVERFOVER:
    FNEED(2);
    FROOM(2);
    fsp -= 2;
    fsp[1] = ft;
    fsp[0] = fsp[2];
    NEXT;
#define FCMP0BR(cond) do { FNEED(2); c = (cond); fsp++; FPOP(); \
        if (c) { ip++; NEXT; } JUMP((cell *)((char *)ip + *ip)); CHARGE; NEXT; } while (0)
L_FLT0BR: FCMP0BR(fsp[0] < ft);
L_FGT0BR: FCMP0BR(fsp[0] > ft);
#define LITFOP(op) do { FNEED(1); double d_ = fvmi_fload(MEMP(*ip, sizeof(double))); ip++; \
        ft = fvmi_fnan2(ft op d_, ft, d_); NEXT; } while (0)
L_LITFFETCHFPLUS:  LITFOP(+);
L_LITFFETCHFMINUS: LITFOP(-);
L_LITFFETCHFSTAR:  LITFOP(*);
L_FSTARFPLUS: {
    FNEED(3);
    double b = *fsp++;
    double p = fvmi_fnan2(b * ft, b, ft), a = *fsp++;
    ft = fvmi_fnan2(a + p, a, p);
    NEXT;
}
L_DOFCON:
    FPUSH(fvmi_fload(cfa + 1));
    NEXT;

#undef FBINOP
#undef FCMP0BR
#undef LITFOP
#undef FCMP
#undef FTEST
