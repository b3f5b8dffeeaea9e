/*
 * peep.c -- the peephole optimizer: every instruction the compiler lays
 * down goes through fvmi_op(), which fuses it with the one before into a
 * superinstruction when that is safe:
 *
 *   LIT x  op         ->  (lit-op) x             op in + - * AND = <> < >
 *   cmp    0BRANCH    ->  (cmp0branch) off       cmp in = <> < > U< 0= 0< 0>
 *   (lit-cmp) x 0BRANCH -> (lit-cmp0branch) x off
 *   and a few pairs frequent in loops: I C@, I C!, I @, I +, DUP +LOOP,
 *   LIT @, LIT !, LIT +!, OVER +, CELLS +, R> DROP
 *
 * An instruction is never fused with one before a branch target
 * (fvmi_label marks them), and only the compiler's own last instruction
 * is ever rewritten -- it must end exactly at HERE.
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
};

void fvmi_label(fvm_t *vm)
{
    vm->label = vm->here;
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
    if (vm->label != vm->here && vm->last_op) {
        cell *prev = vm_addr(vm, vm->last_op, CELL);
        for (size_t i = 0; prev && i < sizeof rules / sizeof rules[0]; i++)
            if (rules[i].second == tok && rules[i].first == *prev
                && vm->last_op + (ucell)rules[i].first_cells * CELL == vm->here) {
                *prev = rules[i].fused;
                return 0;
            }
    }
    ucell at = vm->here;
    int rc = fvmi_comma(vm, tok);
    if (!rc)
        vm->last_op = at;
    return rc;
}
