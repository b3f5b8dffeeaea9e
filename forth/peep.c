/*
 * peep.c -- the peephole optimizer: every instruction the compiler lays
 * down goes through fvmi_op(), which fuses it with the one before into a
 * superinstruction when that is safe:
 *
 *   LIT x  op         ->  (lit-op) x             op in + - * AND = <> < >
 *   cmp    0BRANCH    ->  (cmp0branch) off       cmp in = <> < > U< 0= 0< 0>
 *   (lit-cmp) x 0BRANCH -> (lit-cmp0branch) x off
 *   and a few pairs frequent in loops: I C@, I C!, I @, I +, DUP +LOOP,
 *   LIT @, LIT !, LIT +!, OVER +, CELLS +, R> DROP; in float code LIT F@,
 *   LIT F!, FDUP F*, FOVER FOVER, F< 0BRANCH, F> 0BRANCH, LIT F@ F+ (F-
 *   F*), F* F+, and FSWAP F< / FSWAP F> become F> / F<
 *
 * Fused instructions fuse again with what follows (chains such as
 * `2DUP > 0BRANCH`, `R> + >R`, `SWAP CELL+ SWAP`, `CELLS LIT + @`), and
 * `< 0=` / `= 0=` / ... become the opposite compare.  A literal followed
 * by a pure one-operand word (CELLS 1+ CELL+ ...) is folded into the
 * literal.  A few pairs with a literal ((dup-lit), (cells-lit), (lit-i)
 * ...) are fused in the hope of a longer chain; when the next instruction
 * does not continue it, they are split back into `op LIT x` / `LIT x op`.
 *
 * An instruction is never fused with one before a branch target
 * (fvmi_label marks them), and only the compiler's own last instruction
 * is ever rewritten -- it must end exactly at HERE.  Every superinstruction
 * checks the stack depths the sequence needs, and one with a taken branch
 * charges fuel like the branch it replaces.
 */
#include "fvm_int.h"

static const struct {
    cell first, second, fused;
    int first_cells;   /* size of `first` with its operands */
} rules[] = {
    { T_LIT, T_PLUS, T_LITPLUS, 2 }, { T_LIT, T_MINUS, T_LITMINUS, 2 },
    { T_LIT, T_STAR, T_LITSTAR, 2 }, { T_LIT, T_AND, T_LITAND, 2 },
    { T_LIT, T_EQ, T_LITEQ, 2 }, { T_LIT, T_NE, T_LITNE, 2 },
    { T_LIT, T_LT, T_LITLT, 2 }, { T_LIT, T_GT, T_LITGT, 2 },
    { T_EQ, T_ZBRANCH, T_EQ0BR, 1 }, { T_NE, T_ZBRANCH, T_NE0BR, 1 },
    { T_LT, T_ZBRANCH, T_LT0BR, 1 }, { T_GT, T_ZBRANCH, T_GT0BR, 1 },
    { T_ULT, T_ZBRANCH, T_ULT0BR, 1 }, { T_ZEQ, T_ZBRANCH, T_ZEQ0BR, 1 },
    { T_ZLT, T_ZBRANCH, T_ZLT0BR, 1 }, { T_ZGT, T_ZBRANCH, T_ZGT0BR, 1 },
    { T_LITEQ, T_ZBRANCH, T_LITEQ0BR, 2 }, { T_LITNE, T_ZBRANCH, T_LITNE0BR, 2 },
    { T_LITLT, T_ZBRANCH, T_LITLT0BR, 2 }, { T_LITGT, T_ZBRANCH, T_LITGT0BR, 2 },
    { T_I, T_CFETCH, T_ICFETCH, 1 }, { T_I, T_CSTORE, T_ICSTORE, 1 },
    { T_I, T_FETCH, T_IFETCH, 1 }, { T_I, T_PLUS, T_IPLUS, 1 },
    { T_DUP, T_PLOOP, T_DUPPLOOP, 1 }, { T_LIT, T_FETCH, T_LITFETCH, 2 },
    { T_LIT, T_STORE, T_LITSTORE, 2 }, { T_LIT, T_PSTORE, T_LITPSTORE, 2 },
    { T_OVER, T_PLUS, T_OVERPLUS, 1 }, { T_CELLS, T_PLUS, T_CELLSPLUS, 1 },
    { T_RFROM, T_DROP, T_RFROMDROP, 1 },
    /* compare 0= -> the opposite compare; 0<> 0BRANCH is 0BRANCH */
    { T_LT, T_ZEQ, T_GE, 1 }, { T_GT, T_ZEQ, T_LE, 1 }, { T_EQ, T_ZEQ, T_NE, 1 },
    { T_NE, T_ZEQ, T_EQ, 1 }, { T_ZEQ, T_ZEQ, T_ZNE, 1 }, { T_ZNE, T_ZBRANCH, T_ZBRANCH, 1 },
    { T_GE, T_ZBRANCH, T_GE0BR, 1 }, { T_LE, T_ZBRANCH, T_LE0BR, 1 },
    { T_ICFETCH, T_ZBRANCH, T_ICFETCH0BR, 1 },
    { T_TWODUP, T_LT, T_TWODUPLT, 1 }, { T_TWODUP, T_GT, T_TWODUPGT, 1 },
    { T_TWODUPLT, T_ZBRANCH, T_TWODUPLT0BR, 1 }, { T_TWODUPGT, T_ZBRANCH, T_TWODUPGT0BR, 1 },
    { T_LIT, T_PLOOP, T_LITPLOOP, 2 }, { T_LIT, T_PICK, T_LITPICK, 2 },
    { T_OVER, T_FETCH, T_OVERFETCH, 1 }, { T_NIP, T_NIP, T_NIPNIP, 1 },
    { T_RFROM, T_PLUS, T_RFROMPLUS, 1 }, { T_RFROMPLUS, T_TOR, T_RFROMPLUSTOR, 1 },
    { T_SWAP, T_CELLPLUS, T_SWAPCELLPLUS, 1 }, { T_SWAPCELLPLUS, T_SWAP, T_UNDERCELLPLUS, 1 },
    { T_I, T_STORE, T_ISTORE, 1 }, { T_I, T_CELLPLUS, T_ICELLPLUS, 1 },
    { T_ICELLPLUS, T_FETCH, T_ICELLFETCH, 1 }, { T_ICELLPLUS, T_STORE, T_ICELLSTORE, 1 },
    { T_DUP, T_ZEQ, T_DUPZEQ, 1 }, { T_DUP, T_ZLT, T_DUPZLT, 1 }, { T_DUP, T_ZGT, T_DUPZGT, 1 },
    { T_DUPZEQ, T_ZBRANCH, T_DUPZEQ0BR, 1 }, { T_DUPZLT, T_ZBRANCH, T_DUPZLT0BR, 1 },
    { T_DUPZGT, T_ZBRANCH, T_DUPZGT0BR, 1 },
    /* op LIT x (split again below when no chain follows) */
    { T_DUP, T_LIT, T_DUPLIT, 1 }, { T_CELLS, T_LIT, T_CELLSLIT, 1 },
    { T_DUPLIT, T_LT, T_DUPLITLT, 2 }, { T_DUPLIT, T_GT, T_DUPLITGT, 2 },
    { T_DUPLIT, T_EQ, T_DUPLITEQ, 2 },
    { T_DUPLITLT, T_ZBRANCH, T_DUPLITLT0BR, 2 }, { T_DUPLITGT, T_ZBRANCH, T_DUPLITGT0BR, 2 },
    { T_DUPLITEQ, T_ZBRANCH, T_DUPLITEQ0BR, 2 },
    { T_CELLSLIT, T_PLUS, T_CELLSLITPLUS, 2 },
    { T_CELLSLITPLUS, T_FETCH, T_ACELLFETCH, 2 }, { T_CELLSLITPLUS, T_STORE, T_ACELLSTORE, 2 },
    { T_SWAP, T_LIT, T_SWAPLIT, 1 }, { T_SWAPLIT, T_MINUS, T_SWAPLITMINUS, 2 },
    { T_SWAPLIT, T_PLUS, T_SWAPLITPLUS, 2 },
    { T_OVER, T_LIT, T_OVERLIT, 1 }, { T_OVERLIT, T_EQ, T_OVERLITEQ, 2 },
    { T_OVERLITEQ, T_OR, T_OVERLITEQOR, 2 },
    { T_LIT, T_I, T_LITI, 2 }, { T_LITI, T_CSTORE, T_LITICSTORE, 2 },
    { T_LITI, T_STORE, T_LITISTORE, 2 },
    { T_NIPNIP, T_NIP, T_NIP3, 1 }, { T_LITPICK, T_ONEMINUS, T_LITPICKONEMINUS, 2 },
    { T_OVERFETCH, T_STAR, T_OVERFETCHSTAR, 1 }, { T_DUP, T_ONEMINUS, T_DUPONEMINUS, 1 },
    { T_LIT, T_FFETCH, T_LITFFETCH, 2 }, { T_LIT, T_FSTORE, T_LITFSTORE, 2 },
    { T_FDUP, T_FSTAR, T_FDUPFSTAR, 1 }, { T_FOVER, T_FOVER, T_FOVERFOVER, 1 },
    { T_FSWAP, T_FLT, T_FGT, 1 }, { T_FSWAP, T_FGT, T_FLT, 1 },
    { T_FLT, T_ZBRANCH, T_FLT0BR, 1 }, { T_FGT, T_ZBRANCH, T_FGT0BR, 1 },
    { T_LITFFETCH, T_FPLUS, T_LITFFETCHFPLUS, 2 }, { T_LITFFETCH, T_FMINUS, T_LITFFETCHFMINUS, 2 },
    { T_LITFFETCH, T_FSTAR, T_LITFFETCHFSTAR, 2 }, { T_FSTAR, T_FPLUS, T_FSTARFPLUS, 1 },
};

/* (op-lit) x == op LIT x;  (lit-op) x == LIT x op */
static const struct { cell fused, op; bool lit_first; } splits[] = {
    { T_DUPLIT, T_DUP, false }, { T_CELLSLIT, T_CELLS, false },
    { T_SWAPLIT, T_SWAP, false }, { T_OVERLIT, T_OVER, false }, { T_LITI, T_I, true },
};

/* LIT x op -> LIT op(x) for a pure one-operand op */
static bool fold(cell tok, cell *x)
{
    ucell u = (ucell)*x;
    switch (tok) {
    case T_CELLS:    u *= CELL; break;
    case T_CELLPLUS: u += CELL; break;
    case T_ONEPLUS: case T_CHARPLUS: u += 1; break;
    case T_ONEMINUS: u -= 1; break;
    case T_TWOSTAR:  u <<= 1; break;
    case T_NEGATE:   u = 0 - u; break;
    case T_INVERT:   u = ~u; break;
    case T_CHARS:    break;
    default:         return false;
    }
    *x = (cell)u;
    return true;
}

/* SEE's view of a superinstruction: the two instructions it was made of
 * (first may itself be fused, or T_LIT for a literal operand).  false for
 * a token the compiler lays down as is. */
bool fvmi_unfuse(cell tok, cell *first, cell *second)
{
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
        if (rules[i].fused == tok && rules[i].second != tok) {
            *first = rules[i].first;
            *second = rules[i].second;
            return true;
        }
    return false;
}

void fvmi_label(fvm_t *vm)
{
    vm->label = vm->here;
}

static int op(fvm_t *vm, cell tok)
{
    if (vm->label != vm->here && vm->last_op) {
        cell *prev = vm_waddr(vm, vm->last_op, CELL);   /* written: never an image's */
        ucell size = vm->here - vm->last_op;
        for (size_t i = 0; prev && i < sizeof rules / sizeof rules[0]; i++)
            if (rules[i].second == tok && rules[i].first == *prev
                && (ucell)rules[i].first_cells * CELL == size) {
                *prev = rules[i].fused;
                return 0;
            }
        if (prev && size == 2 * CELL && (prev = vm_waddr(vm, vm->last_op, 2 * CELL))) {
            if (prev[0] == T_LIT && fold(tok, &prev[1]))
                return 0;
            for (size_t i = 0; i < sizeof splits / sizeof splits[0]; i++)
                if (prev[0] == splits[i].fused) {
                    int rc = fvmi_comma(vm, splits[i].lit_first ? splits[i].op : prev[1]);
                    if (rc)
                        return rc;
                    if (splits[i].lit_first) {
                        prev[0] = T_LIT;
                        vm->last_op += 2 * CELL;
                    } else {
                        prev[0] = splits[i].op;
                        prev[1] = T_LIT;
                        vm->last_op += CELL;
                    }
                    return op(vm, tok);
                }
        }
    }
    ucell at = vm->here;
    int rc = fvmi_comma(vm, tok);
    if (!rc)
        vm->last_op = at;
    return rc;
}

int fvmi_op(fvm_t *vm, cell tok)
{
    if ((tok == T_EXIT || tok == T_DOES_RT) && vm->loc_frame) {
        int rc = fvmi_op(vm, T_UNLOCALS);     /* leaving a definition with locals */
        if (!rc)
            rc = fvmi_comma(vm, vm->nloc);
        if (rc)
            return rc;
    }
    return op(vm, tok);
}
