/*
 * decomp.c -- decompiling threaded code back into the structure it was
 * compiled from (see decomp.h): each instruction, a superinstruction of the
 * peephole optimizer (peep.c) split back into its words; each branch
 * matched into IF ELSE THEN, BEGIN WHILE REPEAT, BEGIN UNTIL, BEGIN AGAIN,
 * DO ?DO LOOP +LOOP LEAVE, CASE OF ENDOF ENDCASE, [: ;] (and AHEAD for a
 * forward branch that is none of these).  Both passes are bounded.
 */
#include "decomp.h"
#include "fvm_flt.h"

#define MAX_CELLS 4096    /* length of a definition */


static bool internal(const fvm_t *vm, cell tok)
{
    ucell n;
    const char *s = fvmi_xt_name(vm, vm->prim_xt[tok], &n);
    return n && s[0] == '(';
}

/* tok as the tokens it was fused from */
static void expand(const fvm_t *vm, cell tok, insn_t *in, int depth)
{
    cell a, b;
    if (depth < MAX_PARTS && (ucell)tok < NPRIM && internal(vm, tok) && fvmi_unfuse(tok, &a, &b)) {
        expand(vm, a, in, depth + 1);
        if (in->nparts < MAX_PARTS)
            in->part[in->nparts++] = b;
        return;
    }
    if (in->nparts < MAX_PARTS)
        in->part[in->nparts++] = tok;
}

bool fvmi_is_branch(cell t)
{
    return t == T_ZBRANCH || t == T_BRANCH || t == T_QDO || t == T_LOOP || t == T_PLOOP;
}

/* Decode the instruction at a into *in.  false at the end of readable
 * code.  Each call pays a unit: SEE decodes an instruction a few times
 * (the scan, the printing, the look-arounds of OF, LEAVE and CASE), about
 * 6-20 ns each. */
bool fvmi_decode(fvm_t *vm, ucell a, insn_t *in)
{
    vm->charge++;
    const cell *p = (a & (CELL - 1)) || (a >= vm->here && a < vm->hi) ? NULL : vm_addr(vm, a, CELL);
    in->at = a;
    in->nparts = 0;
    in->target = 0;
    in->bad = false;
    if (!p)                          /* no code lies past the dictionary's end */
        return false;
    cell t = *p;
    a += CELL;
    if (t == T_SLIT || t == T_CLIT) {
        const cell *v = vm_addr(vm, a, CELL);
        const char *s = v ? vm_addr(vm, a + CELL, (ucell)*v) : NULL;
        in->part[in->nparts++] = t;
        in->bad = !s || (t == T_CLIT && *v < 1);
        in->str = s ? (t == T_CLIT ? s + 1 : s) : "";
        in->slen = s ? (t == T_CLIT ? (ucell)*v - 1 : (ucell)*v) : 0;
        in->next = s ? a + CELL + (((ucell)*v + CELL - 1) & ~(ucell)(CELL - 1)) : a;
        return true;
    }
    if (t == T_FLIT) {                       /* a float in FCELLS cells */
        const cell *v = vm_addr(vm, a, FCELLS * CELL);
        in->part[in->nparts++] = t;
        in->bad = !v;
        in->flit = v ? fvmi_fload(v) : 0;
        in->next = a + FCELLS * CELL;
        return true;
    }
    if (t == T_LOCALS || t == T_UNLOCALS || t == T_LOCFETCH || t == T_LOCSTORE) {
        int k = t == T_LOCALS ? 2 : 1;
        const cell *v = vm_addr(vm, a, (ucell)k * CELL);
        in->part[in->nparts++] = t;
        in->bad = !v;
        for (int i = 0; v && i < k; i++)
            in->arg[i] = v[i];
        in->next = a + (ucell)k * CELL;
        return true;
    }
    expand(vm, t, in, 0);
    for (int i = 0; i < in->nparts; i++) {
        cell q = in->part[i];
        if (q != T_LIT && !fvmi_is_branch(q))
            continue;
        const cell *v = vm_addr(vm, a, CELL);
        if (!v) {
            in->bad = true;
            break;
        }
        if (q == T_LIT)
            in->lit[i] = *v;
        else
            in->target = a + (ucell)*v;
        a += CELL;
    }
    in->next = a;
    return true;
}





br_t *fvmi_br_at(see_t *s, ucell at)
{
    for (int i = 0; i < s->nbr; i++)
        if (s->br[i].at == at)
            return &s->br[i];
    return NULL;
}

/* The branch instruction that ends right where `a` starts. */
br_t *fvmi_br_ending_at(see_t *s, ucell a)
{
    for (int i = 0; i < s->nbr; i++)
        if (s->br[i].next == a)
            return &s->br[i];
    return NULL;
}

static bool single(fvm_t *vm, ucell a, cell tok)
{
    insn_t in;
    return fvmi_decode(vm, a, &in) && in.nparts == 1 && in.part[0] == tok;
}

/* The instruction before a: the one whose next is a, searching back. */
static bool insn_before(fvm_t *vm, ucell start, ucell a, insn_t *out)
{
    for (ucell p = start; p < a;) {
        if (!fvmi_decode(vm, p, out))
            return false;
        if (out->next == a)
            return true;
        if (out->next <= p)
            return false;
        p = out->next;
    }
    return false;
}

/* OF is OVER (=0branch) DROP: br is its (=0branch). */
static bool is_of(see_t *s, ucell start, const br_t *b)
{
    insn_t in;
    return b->tok == T_ZBRANCH && insn_before(s->vm, start, b->at, &in) && in.nparts == 1 &&
           in.part[0] == T_OVER && fvmi_decode(s->vm, b->at, &in) && in.nparts == 2 &&
           in.part[0] == T_EQ && single(s->vm, b->next, T_DROP);
}

/* A quotation: a branch over a nameless header and its code, to the
 * literal of its xt ([: ... ;], compile.c). */
static bool is_quot(fvm_t *vm, const insn_t *in)
{
    const cell *h = in->nparts == 1 && in->part[0] == T_BRANCH && in->target > in->next + 3 * CELL
                  ? vm_addr(vm, in->next, 3 * CELL) : NULL;
    insn_t lit;
    return h && h[0] == 0 && h[1] == 0 && h[2] == K_DOCOL && fvmi_decode(vm, in->target, &lit) &&
           lit.nparts == 1 && lit.part[0] == T_LIT && (ucell)lit.lit[0] == in->next + 2 * CELL;
}

/* Pass one: find the end and every branch.  false if there is no code. */
bool fvmi_scan_code(see_t *s, ucell start)
{
    ucell far = start;
    insn_t in;
    ucell a = start;
    for (int n = 0; n < MAX_CELLS && fvmi_decode(s->vm, a, &in); n++) {
        if (in.bad)
            break;
        if (is_quot(s->vm, &in)) {                /* its code is printed apart */
            if (s->nbr < MAX_BR)
                s->br[s->nbr++] = (br_t){ in.at, in.next, in.target, T_BRANCH, R_QUOT };
            if (in.target > far)
                far = in.target;
            a = in.target;
            continue;
        }
        for (int i = 0; i < in.nparts; i++) {
            cell t = in.part[i];
            if (t == T_DOES_RT)
                far = in.next;
            if (fvmi_is_branch(t) || t == T_DO) {
                if (s->nbr == MAX_BR) {
                    s->full = true;
                } else {
                    s->br[s->nbr++] = (br_t){ in.at, in.next, in.target, (uint16_t)t, R_RAW };
                }
                if (in.target > far)
                    far = in.target;
            }
        }
        if (in.nparts == 1 && in.part[0] == T_EXIT && in.at >= far) {
            s->end = in.at;
            return true;
        }
        if (in.next <= a)
            break;
        a = in.next;
    }
    s->end = a;
    return a != start;
}

/* LEAVE is UNLOOP and a branch to right after a LOOP or +LOOP. */
static bool is_leave(see_t *s, ucell start, const br_t *b)
{
    br_t *l = fvmi_br_ending_at(s, b->target);
    insn_t in;
    return b->tok == T_BRANCH && b->target > b->at && l && (l->tok == T_LOOP || l->tok == T_PLOOP) &&
           insn_before(s->vm, start, b->at, &in) && in.nparts == 1 && in.part[0] == T_UNLOOP;
}

/* Match the branches into structures (roles). */
void fvmi_match_code(see_t *s, ucell start)
{
    for (int i = 0; i < s->nbr; i++)
        if (is_leave(s, start, &s->br[i]))
            s->br[i].role = R_LEAVE;
    for (int i = 0; i < s->nbr; i++) {
        br_t *b = &s->br[i];
        bool fwd = b->target > b->at;
        switch (b->tok) {
        case T_DO:    b->role = R_DO; break;
        case T_QDO:   b->role = R_QDO; break;
        case T_LOOP:  b->role = R_LOOP; break;
        case T_PLOOP: b->role = R_PLOOP; break;
        case T_ZBRANCH:
            if (!fwd) {
                b->role = R_UNTIL;
                break;
            }
            {
                br_t *q = fvmi_br_ending_at(s, b->target);
                if (q && q->tok == T_BRANCH && q->role == R_RAW && q->target <= b->at && q != b) {
                    b->role = R_WHILE;
                    q->role = R_REPEAT;
                } else if (q && q->tok == T_BRANCH && q->role == R_RAW && q->target > q->next) {
                    bool of = is_of(s, start, b);
                    b->role = of ? R_OF : R_IF;
                    q->role = of ? R_ENDOF : R_ELSE;
                } else {
                    b->role = is_of(s, start, b) ? R_OF : R_IF;
                }
            }
            break;
        default:
            break;
        }
    }
    /* unconditional branches nothing claimed */
    for (int i = 0; i < s->nbr; i++) {
        br_t *b = &s->br[i];
        if (b->tok != T_BRANCH || b->role != R_RAW)
            continue;
        b->role = b->target <= b->at ? R_AGAIN : R_AHEAD;
    }
}

/* How many THENs land at a (ends of IF, ELSE, AHEAD, OF without ENDOF). */
int fvmi_thens_at(see_t *s, ucell a)
{
    int n = 0;
    for (int i = 0; i < s->nbr; i++) {
        const br_t *b = &s->br[i];
        if (b->target != a || b->target <= b->at)
            continue;
        if (b->role == R_ELSE || b->role == R_AHEAD)
            n++;
        else if (b->role == R_IF || b->role == R_OF) {
            br_t *q = fvmi_br_ending_at(s, b->target);
            if (!(q && q != b && (q->role == R_ELSE || q->role == R_ENDOF)))
                n++;
        }
    }
    return n;
}

bool fvmi_begin_at(see_t *s, ucell a)
{
    for (int i = 0; i < s->nbr; i++) {
        const br_t *b = &s->br[i];
        if (b->target == a && (b->role == R_UNTIL || b->role == R_AGAIN || b->role == R_REPEAT))
            return true;
    }
    return false;
}

/* An ENDOF's target: the instruction before it is ENDCASE's DROP. */
bool fvmi_endof_to(see_t *s, ucell a)
{
    for (int i = 0; i < s->nbr; i++)
        if (s->br[i].role == R_ENDOF && s->br[i].target == a)
            return true;
    return false;
}

/* CASE goes before the selector of a CASE's first OF: the instruction
 * before the OVER of an OF that no ENDOF of the same CASE precedes. */
bool fvmi_case_at(see_t *s, ucell a)
{
    insn_t sel, over;
    if (!fvmi_decode(s->vm, a, &sel) || !fvmi_decode(s->vm, sel.next, &over) || over.nparts != 1 ||
        over.part[0] != T_OVER)
        return false;
    br_t *of = fvmi_br_at(s, over.next);
    if (!of || of->role != R_OF)
        return false;
    br_t *prev = fvmi_br_ending_at(s, a);        /* the ENDOF before this selector */
    return !(prev && prev->role == R_ENDOF);
}

