/*
 * decomp.h -- decompiling threaded code (decomp.c), for SEE (see.c);
 * shared by these two forth/ sources only.
 *
 * fvmi_scan_code() reads a definition's code once: it finds the end (the
 * EXIT past the last forward branch target) and notes every branch;
 * fvmi_match_code() then matches the branches into the control structures
 * the compiler makes, giving each its role.  fvmi_decode() reads one
 * instruction, a superinstruction split back into the words it was made of.
 * Every read is checked: forged code decodes as nonsense, never a wild read.
 * Every decode pays a unit of fuel (vm->charge), so SEE pays for the cells
 * it decompiles; its output pays as a listing's (format.c).
 */
#ifndef DECOMP_H
#define DECOMP_H

#include "fvm_int.h"

#define MAX_BR    128     /* branches of one definition */
#define MAX_PARTS 8       /* words one superinstruction stands for */
#define MAX_NEST  3       /* quotations inside quotations */

/* One instruction: the tokens it stands for (T_LIT for each literal, in
 * order with their operand cells), its operands, where it branches. */
typedef struct {
    ucell at, next;
    cell part[MAX_PARTS];
    int nparts;
    cell lit[MAX_PARTS];   /* operand of each T_LIT part */
    ucell target;          /* of its branch part, or 0 */
    const char *str;       /* (s") (c"): the text */
    ucell slen;
    cell arg[2];           /* (locals) nargs ntotal, (local@) k ... */
    double flit;           /* (flit): the float literal */
    bool bad;              /* an operand could not be read */
} insn_t;

enum {   /* what a branch (or a word) turned out to be */
    R_RAW, R_IF, R_ELSE, R_WHILE, R_REPEAT, R_UNTIL, R_AGAIN, R_AHEAD,
    R_DO, R_QDO, R_LOOP, R_PLOOP, R_LEAVE, R_OF, R_ENDOF, R_QUOT
};

typedef struct {
    ucell at, next, target;
    uint16_t tok;         /* its branch token */
    uint8_t role;
} br_t;

typedef struct {
    fvm_t *vm;
    br_t br[MAX_BR];
    int nbr;
    bool full;            /* more branches than MAX_BR */
    ucell end;            /* the final EXIT */
    /* printing */
    int depth, col;
    bool nl;              /* a new line is due before the next word */
    int nest;             /* quotations inside quotations */
} see_t;

bool fvmi_decode(fvm_t *vm, ucell a, insn_t *in);
bool fvmi_is_branch(cell t);
bool fvmi_scan_code(see_t *s, ucell start);     /* false: no code */
void fvmi_match_code(see_t *s, ucell start);
br_t *fvmi_br_at(see_t *s, ucell at);
br_t *fvmi_br_ending_at(see_t *s, ucell a);
int fvmi_thens_at(see_t *s, ucell a);           /* THENs that land at a */
bool fvmi_begin_at(see_t *s, ucell a);          /* a BEGIN is at a */
bool fvmi_case_at(see_t *s, ucell a);           /* a CASE starts at a */
bool fvmi_endof_to(see_t *s, ucell a);          /* an ENDOF jumps to a */

#endif
