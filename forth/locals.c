/*
 * locals.c -- the LOCALS word set: {: args | vals -- outs :} and (LOCAL),
 * and gforth's { args | vals -- outs }.
 *
 * Run time.  A definition with locals starts with (locals) nargs ntotal,
 * which pushes a frame on the return stack:
 *
 *     rp -> [local 0][local 1] ... [local ntotal-1][saved fpd]
 *
 * local k (k < nargs) takes the k-th data stack item (0 = the top), the
 * rest start at 0; vm->fpd = r0 - frame (0: no frame).  (local@) k and
 * (local!) k reach a local through fpd, so DO loops, >R and nested calls
 * in between do not disturb them, and each call (recursion) has its own
 * frame.  Every EXIT of the definition -- ';', EXIT, DOES> -- is preceded by
 * (unlocals) ntotal, which pops the frame and restores the caller's fpd.
 * CATCH saves fpd in its frame and THROW restores it.  All four are hot
 * primitives in run.c, and they check the frame lies inside the return
 * stack, so forged code can only throw (-25).
 *
 * Compile time.  The names live in vm->loc[] (not in the dictionary) and
 * the text interpreter looks them up before the search order while
 * compiling (parse.c); TO looks them up too (dict.c).
 */
#include "fvm_int.h"

#define E_TOO_MANY (-260)

static bool name_eq(const char *a, const char *b, ucell n)
{
    for (ucell i = 0; i < n; i++)
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
            return false;
    return true;
}

int fvmi_local_find(fvm_t *vm, const char *s, ucell n)
{
    for (int i = vm->nloc; i-- > 0;)
        if (vm->loc[i].len == n && name_eq(vm->loc[i].name, s, n))
            return vm->loc[i].idx;
    return -1;
}

void fvmi_locals_end(fvm_t *vm)
{
    vm->nloc = vm->nloc_decl = 0;
    vm->loc_frame = vm->loc_locked = false;
}

/* Locals may start only where the return stack holds nothing of this
 * definition's own: not inside DO ... LOOP or another control structure,
 * and only once per definition. */
static int can_start(fvm_t *vm)
{
    if (!fvm_compiling(vm))
        return FVM_E_COMPILE_ONLY;
    if (vm->loc_frame || vm->loc_locked || vm->leave_chain != 1 || fvm_depth(vm) != vm->colon_depth)
        return -22;
    return 0;
}

static int add_name(fvm_t *vm, const char *s, ucell n, int idx)
{
    if (n > MAX_NAME)
        return -19;
    if (vm->nloc_decl == MAX_LOCALS)
        return E_TOO_MANY;
    local_t *l = &vm->loc[vm->nloc_decl++];
    l->len = (unsigned char)n;
    l->idx = (unsigned char)idx;
    for (ucell i = 0; i < n; i++)
        l->name[i] = s[i];
    return 0;
}

static int emit_frame(fvm_t *vm, int nargs, int ntotal)
{
    TRY(fvmi_op(vm, T_LOCALS));
    TRY(fvmi_comma(vm, nargs));
    TRY(fvmi_comma(vm, ntotal));
    vm->nloc = ntotal;
    vm->loc_frame = true;
    return 0;
}

static bool is(const char *s, ucell n, const char *w)
{
    ucell k = 0;
    while (w[k])
        k++;
    return k == n && name_eq(s, w, n);
}

/* {: a b | c d -- e :} (close ":}"), gforth's { a b | c -- e } ("}") */
static int declare(fvm_t *vm, const char *close)
{
    TRY(can_start(vm));
    if (vm->nloc_decl)
        return -22;
    int nargs = 0, part = 0;   /* 0 args, 1 vals, 2 outputs */
    for (;;) {
        ucell a, n;
        fvmi_parse_name(vm, &a, &n);
        const char *s = n ? vm_addr(vm, a, n) : NULL;
        if (!s) {
            fvmi_locals_end(vm);
            return -22;                  /* no :} on this line */
        }
        if (is(s, n, close))
            break;
        if (part == 2)
            continue;
        if (is(s, n, "--")) {
            part = 2;
            continue;
        }
        if (is(s, n, "|") && part == 0) {
            part = 1;
            continue;
        }
        if (is(s, n, "|") || is(s, n, "{:") || is(s, n, "{")) {
            fvmi_locals_end(vm);
            return -22;
        }
        int rc = add_name(vm, s, n, part == 0 ? nargs++ : 0);
        if (rc) {
            fvmi_locals_end(vm);
            return rc;
        }
    }
    /* args: the last declared is the top of the stack (index 0) */
    for (int i = 0; i < vm->nloc_decl; i++)
        vm->loc[i].idx = i < nargs ? (unsigned char)(nargs - 1 - i) : (unsigned char)i;
    int total = vm->nloc_decl;
    vm->nloc_decl = 0;
    if (total == 0)
        return 0;
    return emit_frame(vm, nargs, total);
}

int fc_brace_colon(fvm_t *vm) { return declare(vm, ":}"); }
int fc_brace(fvm_t *vm) { return declare(vm, "}"); }

/* (LOCAL) ( c-addr u -- ): declare a local; 0 0 ends the declarations.
 * The first declared takes the top of the stack. */
int fc_paren_local(fvm_t *vm)
{
    NEEDS(2);
    cell n, a;
    fvm_pop(vm, &n);
    fvm_pop(vm, &a);
    if (!fvm_compiling(vm))
        return FVM_E_COMPILE_ONLY;
    if (n == 0) {
        int total = vm->nloc_decl;
        vm->nloc_decl = 0;
        return total ? emit_frame(vm, total, total) : 0;
    }
    if (vm->nloc_decl == 0)
        TRY(can_start(vm));
    const char *s = n > 0 ? vm_addr(vm, (ucell)a, (ucell)n) : NULL;
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    return add_name(vm, s, (ucell)n, vm->nloc_decl);
}
