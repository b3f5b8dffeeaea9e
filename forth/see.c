/*
 * see.c -- SEE: decompile a word from its code field and threaded code.
 *
 * Colon definitions are walked cell by cell until the EXIT past the last
 * forward branch target; the walk is bounded and every read is checked,
 * so SEE of a mangled word prints nonsense at worst.
 */
#include "fvm_int.h"
#include "fvm_flt.h"


static void name_of(fvm_t *vm, cell xt)
{
    ucell n;
    const char *s = fvmi_xt_name(vm, xt, &n);
    if (n)
        fvmi_type(vm, s, n);
    else {
        fvmi_tputs(vm, "<noname ");
        fvmi_tnum(vm, xt);
        fvmi_tputs(vm, ">");
    }
    fvmi_tputs(vm, " ");
}

static void token(fvm_t *vm, cell t)
{
    if ((ucell)t < NPRIM)
        name_of(vm, vm->prim_xt[t]);
    else if (fvmi_xt_ok(vm, t))
        name_of(vm, t);
    else {
        fvmi_tputs(vm, "<bad ");
        fvmi_tnum(vm, t);
        fvmi_tputs(vm, "> ");
    }
}

static void see_code(fvm_t *vm, ucell a)
{
    ucell far = a, limit = 4096;
    while (limit--) {
        /* no code lies past the dictionary's end (free space, the heap) */
        const cell *p = (a & (CELL - 1)) || (a >= vm->here && a < vm->hi) ? NULL
                      : vm_addr(vm, a, CELL);
        if (!p) {
            fvmi_tputs(vm, "\n");
            return;
        }
        cell t = *p;
        a += CELL;
        switch (t) {
        case T_LIT: case T_LITPLUS: case T_LITMINUS: case T_LITSTAR: case T_LITAND:
        case T_LITEQ: case T_LITNE: case T_LITLT: case T_LITGT:
        case T_LITFETCH: case T_LITSTORE: case T_LITPSTORE: case T_LITPICK:
        case T_DUPLIT: case T_DUPLITLT: case T_DUPLITGT: case T_DUPLITEQ:
        case T_CELLSLIT: case T_CELLSLITPLUS: case T_ACELLFETCH: case T_ACELLSTORE:
        case T_LITI: case T_LITICSTORE: case T_LITISTORE: case T_LITPICKONEMINUS:
        case T_SWAPLIT: case T_SWAPLITMINUS: case T_SWAPLITPLUS:
        case T_LITFFETCH: case T_LITFSTORE:
        case T_OVERLIT: case T_OVERLITEQ: case T_OVERLITEQOR: {
            const cell *v = vm_addr(vm, a, CELL);
            if (!v)
                return;
            fvmi_tnum(vm, *v);
            if (t != T_LIT)
                token(vm, t);
            a += CELL;
            break;
        }
        case T_LITEQ0BR: case T_LITNE0BR: case T_LITLT0BR: case T_LITGT0BR:
        case T_DUPLITLT0BR: case T_DUPLITGT0BR: case T_DUPLITEQ0BR: case T_LITPLOOP: {
            const cell *v = vm_addr(vm, a, 2 * CELL);
            if (!v)
                return;
            fvmi_tnum(vm, v[0]);
            token(vm, t);
            fvmi_tputs(vm, "[");
            fvmi_tnum(vm, v[1] / CELL);
            fvmi_tputs(vm, "] ");
            if (v[1] > 0 && a + CELL + (ucell)v[1] > far)
                far = a + CELL + (ucell)v[1];
            a += 2 * CELL;
            break;
        }
        case T_BRANCH: case T_ZBRANCH: case T_QDO: case T_LOOP: case T_PLOOP: case T_DUPPLOOP:
        case T_EQ0BR: case T_NE0BR: case T_LT0BR: case T_GT0BR: case T_ULT0BR:
        case T_ZEQ0BR: case T_ZLT0BR: case T_ZGT0BR: case T_GE0BR: case T_LE0BR:
        case T_ICFETCH0BR: case T_TWODUPLT0BR: case T_TWODUPGT0BR:
        case T_DUPZEQ0BR: case T_DUPZLT0BR: case T_DUPZGT0BR: {
            const cell *v = vm_addr(vm, a, CELL);
            if (!v)
                return;
            token(vm, t);
            fvmi_tputs(vm, "[");
            fvmi_tnum(vm, *v / CELL);
            fvmi_tputs(vm, "] ");
            if (*v > 0 && a + (ucell)*v > far)
                far = a + (ucell)*v;
            a += CELL;
            break;
        }
        case T_LOCALS: case T_UNLOCALS: case T_LOCFETCH: case T_LOCSTORE: {
            int k = t == T_LOCALS ? 2 : 1;
            const cell *v = vm_addr(vm, a, (ucell)k * CELL);
            if (!v)
                return;
            token(vm, t);
            for (int i = 0; i < k; i++)
                fvmi_tnum(vm, v[i]);
            a += (ucell)k * CELL;
            break;
        }
        case T_FLIT: {
            const cell *v = vm_addr(vm, a, FCELLS * CELL);
            if (!v)
                return;
            fvmi_tfloat(vm, fvmi_fload(v));
            a += FCELLS * CELL;
            break;
        }
        case T_SLIT: case T_CLIT: {
            const cell *v = vm_addr(vm, a, CELL);
            const char *s = v ? vm_addr(vm, a + CELL, (ucell)*v) : NULL;
            if (!s)
                return;
            fvmi_tputs(vm, t == T_SLIT ? "S\" " : "C\" ");
            fvmi_type(vm, t == T_SLIT ? s : s + 1, t == T_SLIT ? (ucell)*v : (ucell)*v - 1);
            fvmi_tputs(vm, "\" ");
            a += CELL + (((ucell)*v + CELL - 1) & ~(ucell)(CELL - 1));
            break;
        }
        case T_EXIT:
            if (a > far) {
                fvmi_tputs(vm, ";\n");
                return;
            }
            token(vm, t);
            break;
        case T_DOES_RT:
            fvmi_tputs(vm, "DOES> ");
            far = a;
            break;
        default:
            token(vm, t);
        }
    }
}

int fc_see(fvm_t *vm)
{
    cell xt;
    int fl;
    int rc = fvmi_tick(vm, &xt, &fl);
    if (rc)
        return rc;
    const cell *cfa = vm_addr(vm, (ucell)xt, 3 * CELL);
    if (!cfa)
        return FVM_E_INVALID_ADDRESS;
    switch (cfa[0]) {
    case K_DOCOL:
        fvmi_tputs(vm, ": ");
        name_of(vm, xt);
        fvmi_tputs(vm, "\n  ");
        see_code(vm, (ucell)xt + CELL);
        break;
    case K_DOCREATE:
        fvmi_tputs(vm, "CREATE ");
        name_of(vm, xt);
        if (cfa[1]) {
            fvmi_tputs(vm, "\n  DOES> ");
            see_code(vm, (ucell)cfa[1]);
        } else
            fvmi_tputs(vm, "\n");
        break;
    case K_DOCON: case K_DOVALUE:
        fvmi_tnum(vm, cfa[1]);
        fvmi_tputs(vm, cfa[0] == K_DOCON ? "CONSTANT " : "VALUE ");
        name_of(vm, xt);
        fvmi_tputs(vm, "\n");
        break;
    case K_DOFCON: case K_DOFVALUE:
        fvmi_tfloat(vm, fvmi_fload(cfa + 1));
        fvmi_tputs(vm, cfa[0] == K_DOFCON ? "FCONSTANT " : "FVALUE ");
        name_of(vm, xt);
        fvmi_tputs(vm, "\n");
        break;
    case K_DO2CON: case K_DO2VALUE:
        fvmi_tnum(vm, cfa[1]);
        fvmi_tnum(vm, cfa[2]);
        fvmi_tputs(vm, cfa[0] == K_DO2CON ? "2CONSTANT " : "2VALUE ");
        name_of(vm, xt);
        fvmi_tputs(vm, "\n");
        break;
    case K_DODEFER:
        fvmi_tputs(vm, "DEFER ");
        name_of(vm, xt);
        fvmi_tputs(vm, "IS ");
        token(vm, cfa[1]);
        fvmi_tputs(vm, "\n");
        break;
    case K_DOHOST:
        name_of(vm, xt);
        fvmi_tputs(vm, "is a host word\n");
        break;
    case K_DOMARKER:
        fvmi_tputs(vm, "MARKER ");
        name_of(vm, xt);
        fvmi_tputs(vm, "\n");
        break;
    default:
        name_of(vm, xt);
        fvmi_tputs(vm, (ucell)cfa[0] < NPRIM ? "is a primitive" : "has a bad code field");
        if (fl & F_IMMEDIATE)
            fvmi_tputs(vm, " (immediate)");
        fvmi_tputs(vm, "\n");
    }
    return 0;
}
