/*
 * dict.c -- the dictionary: data space, headers, word lists, lookup, and
 * the defining words (CREATE, VARIABLE, VALUE, DEFER, MARKER ...).
 *
 * Every read of a header goes through vm_addr(), and every walk of a word
 * list is bounded, so a program that scribbles over its own dictionary
 * gets wrong answers or an exception, never a crash or a hang.
 */
#include "fvm_int.h"

#define ALIGN_UP(n) (((ucell)(n) + CELL - 1) & ~(ucell)(CELL - 1))
static cell *cellp(fvm_t *vm, ucell a)
{
    return (a & (CELL - 1)) ? NULL : vm_addr(vm, a, CELL);
}

static cell *cellw(fvm_t *vm, ucell a)
{
    return (a & (CELL - 1)) ? NULL : vm_waddr(vm, a, CELL);
}

/* ---- data space ----------------------------------------------------------- */

int fvmi_allot(fvm_t *vm, cell n)
{
    ucell floor = vm->wlo;
    if (n >= 0 ? (ucell)n > vm->limit - vm->here : (ucell)(-(n + 1)) >= vm->here - floor)
        return n >= 0 ? FVM_E_DICT_FULL : FVM_E_INVALID_ADDRESS;
    vm->here += (ucell)n;
    return 0;
}

int fvmi_comma(fvm_t *vm, cell v)
{
    if (vm->limit - vm->here < (ucell)CELL)
        return FVM_E_DICT_FULL;
    cell *p = vm_waddr(vm, vm->here, CELL);
    if (!p || (vm->here & (CELL - 1)))
        return FVM_E_ALIGNMENT;
    *p = v;
    vm->here += CELL;
    return 0;
}

int fvmi_ccomma(fvm_t *vm, int c)
{
    if (vm->limit == vm->here)
        return FVM_E_DICT_FULL;
    *(unsigned char *)(vm->bias + vm->here++) = (unsigned char)c;
    return 0;
}

void fvmi_align(fvm_t *vm)
{
    ucell a = ALIGN_UP(vm->here);
    vm->here = a <= vm->limit ? a : vm->limit & ~(ucell)(CELL - 1);
}

/* ---- headers -------------------------------------------------------------- */

/* Name of xt (its header's name, "" for :NONAME). */
const char *fvmi_xt_name(const fvm_t *vm, cell xt, ucell *len)
{
    *len = 0;
    if ((ucell)xt & (CELL - 1))
        return "";
    const cell *h = vm_addr(vm, (ucell)xt - 2 * CELL, 2 * CELL);
    if (!h)
        return "";
    ucell n = (ucell)h[0] & 0xff;
    const char *s = vm_addr(vm, (ucell)xt - 2 * CELL - ALIGN_UP(n), n);
    if (!s)
        return "";
    *len = n;
    return s;
}

bool fvmi_xt_ok(const fvm_t *vm, cell xt)
{
    return !((ucell)xt & (CELL - 1)) && vm_addr(vm, (ucell)xt, 2 * CELL);
}

/* The find cache's key for a name: a hash of its lowercased bytes and its
 * length, never 0 (0 marks an empty entry). */
static uint32_t name_key(const char *name, ucell len)
{
    uint32_t h = 2166136261u ^ (uint32_t)len;
    for (ucell i = 0; i < len; i++)
        h = (h ^ (uint32_t)lc((unsigned char)name[i])) * 16777619u;
    return h | 1;
}

/* names_seen: the two bits of a key. */
static inline bool seen(const fvm_t *vm, uint32_t key)
{
    uint32_t a = (key >> 1) & (FB_BYTES * 8 - 1), b = (key >> 17) & (FB_BYTES * 8 - 1);
    return (vm->names_seen[a >> 3] >> (a & 7) & 1) && (vm->names_seen[b >> 3] >> (b & 7) & 1);
}

static inline void mark_seen(fvm_t *vm, uint32_t key)
{
    uint32_t a = (key >> 1) & (FB_BYTES * 8 - 1), b = (key >> 17) & (FB_BYTES * 8 - 1);
    vm->names_seen[a >> 3] |= (uint8_t)(1u << (a & 7));
    vm->names_seen[b >> 3] |= (uint8_t)(1u << (b & 7));
}

/* The find cache's set for a key (bit 0 of a key is always 1). */
static struct fcache *fcache_set(fvm_t *vm, uint32_t key)
{
    return &vm->fcache[((key >> 1) & (FC_SIZE / FC_WAYS - 1)) * FC_WAYS];
}

/* Drop the cached answers for this name (in any word list), if any. */
static void fcache_forget(fvm_t *vm, const char *name, ucell len)
{
    uint32_t key = name_key(name, len);
    struct fcache *set = fcache_set(vm, key);
    for (int w = 0; w < FC_WAYS; w++)
        if (set[w].key == key)
            set[w].key = 0;
}

/* Lay down a header for name with code field `kind`; it joins the current
 * word list unless len is 0 (:NONAME).  The new word is vm->latest. */
int fvmi_header(fvm_t *vm, const char *name, ucell len, cell kind, cell *xt)
{
    if (len > MAX_NAME)
        return -19;
    fvmi_align(vm);
    ucell need = ALIGN_UP(len) + 3 * CELL;
    if (vm->limit - vm->here < need)
        return FVM_E_DICT_FULL;
    cell *head = len ? cellw(vm, (ucell)vm->current) : NULL;
    if (len && !head)
        return -20;   /* the compilation word list is not ours to change */
    unsigned char *p = (unsigned char *)(vm->bias + vm->here);
    for (ucell i = 0; i < ALIGN_UP(len); i++)
        p[i] = i < len ? (unsigned char)name[i] : 0;
    cell *h = (cell *)(p + ALIGN_UP(len));
    h[0] = (cell)len;
    h[1] = head ? *head : 0;
    h[2] = kind;
    *xt = (cell)(vm->here + ALIGN_UP(len) + 2 * CELL);
    if (head) {
        *head = *xt;
        fcache_forget(vm, name, len);
        mark_seen(vm, name_key(name, len));
    }
    vm->here += need;
    vm->latest = *xt;
    return 0;
}

FVM_NO_COVERAGE
static bool name_eq(const char *a, const char *b, ucell n)
{
    for (ucell i = 0; i < n; i++)
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
            return false;
    return true;
}

/* The region (own, or an ancestor's image) holding [a, a+n): its bias and
 * bounds; false if none does. */
static bool region_of(const fvm_t *vm, ucell a, ucell n, uintptr_t *bias, ucell *lo, ucell *hi)
{
    if (a - vm->lo <= vm->hi - vm->lo && n <= vm->hi - a) {
        *bias = vm->bias, *lo = vm->lo, *hi = vm->hi;
        return true;
    }
    for (int i = 0; i < vm->nimg; i++) {
        const struct vregion *r = &vm->img[i];
        if (a - r->lo <= r->hi - r->lo && n <= r->hi - a) {
            *bias = r->bias, *lo = r->lo, *hi = r->hi;
            return true;
        }
    }
    return false;
}

/* Walk one word list for name.  The walk stays in one region (a list
 * mostly does) until a link leaves it, so a step costs two compares, not a
 * region lookup.  A task sets how long its lists are, so the VM pays fuel
 * for the steps at what they cost, two units each (a lookup of an old word
 * behind 2000 new ones, past the find cache: 2.5-3.7 ns a step against
 * 1.1-1.4 ns a unit of code run; a quarter unit a step paid a tenth).  And
 * the names of its length it compares pay a unit per 16 bytes (a compare
 * counted as the whole length, the sum rounded down, so a lookup of a
 * short name pays as before): names that differ only at their ends cost
 * ~8 times the steps (review finding: WORDS over 3000 31-character names
 * took 135 ms, the steps paying about a fifth of it). */
FVM_NO_COVERAGE __attribute__((noinline))
static cell walk(fvm_t *vm, cell wl, const char *name, ucell len, int *flags)
{
    cell *head = cellp(vm, (ucell)wl);
    const ucell max = fvmi_span(vm) / (3 * CELL);
    ucell steps = max;
    cell xt = head ? *head : 0, found = 0;
    uintptr_t bias = 0;
    ucell lo = 0, hi = 0;            /* no region yet */
    ucell skip = ALIGN_UP(len), compares = 0;
    while (xt && steps--) {
        ucell a = (ucell)xt - 2 * CELL;
        if ((ucell)xt & (CELL - 1))
            break;
        if (!(a - lo <= hi - lo && 2 * CELL <= hi - a) && !region_of(vm, a, 2 * CELL, &bias, &lo, &hi))
            break;
        const cell *h = (const cell *)(bias + a);
        ucell n = (ucell)h[0] & 0xff;
        int fl = (int)((ucell)h[0] >> 8) & 0xff;
        if (n == len && !(fl & F_HIDDEN)) {
            /* the name lies just below the header, in the same region */
            const char *s = a - lo >= skip ? (const char *)(bias + a - skip) : NULL;
            compares++;
            if (s && name_eq(s, name, n)) {
                *flags = fl;
                found = xt;
                break;
            }
        }
        xt = h[1];
    }
    vm->charge += (long)(2 * (max - steps) + compares * len / 16);
    return found;
}

/* Put e first in its set (the others move down one; the last drops). */
static void fcache_front(struct fcache *set, int w, struct fcache e)
{
    for (; w > 0; w--)
        set[w] = set[w - 1];
    set[0] = e;
}

static cell search(fvm_t *vm, cell wl, const char *name, ucell len, uint32_t key, int *flags)
{
    struct fcache *set = fcache_set(vm, key);
    for (int w = 0; w < FC_WAYS; w++) {
        struct fcache e = set[w];
        if (e.key != key || e.wl != (ucell)wl || !e.xt)
            continue;
        const cell *h = vm_addr(vm, (ucell)e.xt - 2 * CELL, 2 * CELL);
        if (h && ((ucell)h[0] & 0xff) == len && !(((ucell)h[0] >> 8) & F_HIDDEN)) {
            const char *s = vm_addr(vm, (ucell)e.xt - 2 * CELL - ALIGN_UP(len), len);
            if (s && name_eq(s, name, len)) {
                *flags = (int)((ucell)h[0] >> 8) & 0xff;
                fcache_front(set, w, e);
                return (cell)e.xt;
            }
        }
        set[w].key = 0;                       /* stale (the header changed) */
    }
    cell xt = walk(vm, wl, name, len, flags);
    if (xt && (ucell)xt == (uint32_t)xt && (ucell)wl == (uint32_t)wl)   /* fits the entry */
        fcache_front(set, FC_WAYS - 1, (struct fcache){ key, (uint32_t)wl, (uint32_t)xt });
    return xt;
}

/* Search one word list; flags gets the header's flags. */
cell fvmi_search_wl(fvm_t *vm, cell wl, const char *name, ucell len, int *flags)
{
    *flags = 0;
    if (len == 0 || len > MAX_NAME)     /* no header holds it: hash nothing */
        return 0;
    uint32_t key = name_key(name, len);
    return seen(vm, key) ? search(vm, wl, name, len, key, flags) : 0;
}

cell fvmi_find(fvm_t *vm, const char *name, ucell len, int *flags)
{
    *flags = 0;
    if (len == 0 || len > MAX_NAME)
        return 0;
    uint32_t key = name_key(name, len);
    if (!seen(vm, key))
        return 0;                       /* no such name anywhere */
    for (int i = vm->norder - 1; i >= 0; i--) {
        cell xt = search(vm, vm->order[i], name, len, key, flags);
        if (xt)
            return xt;
    }
    return 0;
}

cell fvmi_find_v(fvm_t *vm, ucell addr, ucell len, int *flags)
{
    const char *s = vm_addr(vm, addr, len);
    *flags = 0;
    return s ? fvmi_find(vm, s, len, flags) : 0;
}

static int set_flag(fvm_t *vm, cell xt, int flag, bool on)
{
    cell *h = cellw(vm, (ucell)xt - 2 * CELL);
    if (!h)
        return -20;
    if (on)
        *h |= (cell)flag << 8;
    else
        *h &= ~((cell)flag << 8);
    return 0;
}

int fvmi_reveal(fvm_t *vm)
{
    if (!vm->latest)
        return 0;
    ucell len;
    const char *name = fvmi_xt_name(vm, vm->latest, &len);
    fcache_forget(vm, name, len);
    return set_flag(vm, vm->latest, F_HIDDEN, false);
}

/* Compile a call to xt: a primitive's own xt compiles as its token, a
 * constant or a variable (a CREATEd word that DOES> can no longer reach)
 * as a literal. */
int fvmi_compile_xt(fvm_t *vm, cell xt)
{
    cell *cfa = fvmi_xt_ok(vm, xt) ? cellp(vm, (ucell)xt) : NULL;
    cell lit;
    if (cfa && (ucell)*cfa < NPRIM && vm->prim_xt[*cfa] == xt)
        return fvmi_op(vm, *cfa);
    if (cfa && *cfa == K_DOFCON)   /* an FCONSTANT compiles as its literal */
        return fvmi_compile_fliteral(vm, cfa + 1);
    if (cfa && *cfa == K_DOCON)
        lit = cfa[1];
    else if (cfa && *cfa == K_DOCREATE && cfa[1] == 0 && xt != vm->latest)
        lit = (cell)((ucell)xt + 2 * CELL);
    else
        return fvmi_op(vm, xt);
    int rc = fvmi_op(vm, T_LIT);
    return rc ? rc : fvmi_comma(vm, lit);
}

/* Parse a name from the input and look it up: xt or -13. */
int fvmi_tick(fvm_t *vm, cell *xt, int *flags)
{
    ucell a, n;
    fvmi_parse_name(vm, &a, &n);
    if (n == 0)
        return -16;
    vm->last_word = a;
    vm->last_word_len = n;
    *xt = fvmi_find_v(vm, a, n, flags);
    return *xt ? 0 : FVM_E_UNDEFINED;
}

/* Parse a name and make a header for it. */
int fvmi_create(fvm_t *vm, cell kind, cell *xt)
{
    ucell a, n;
    fvmi_parse_name(vm, &a, &n);
    if (n == 0)
        return -16;
    const char *s = vm_addr(vm, a, n);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    char name[MAX_NAME + 1];
    if (n > MAX_NAME)
        return -19;
    for (ucell i = 0; i < n; i++)
        name[i] = s[i];
    return fvmi_header(vm, name, n, kind, xt);
}

/* ---- defining words ----------------------------------------------------- */

int fc_create(fvm_t *vm)
{
    cell xt;
    int rc = fvmi_create(vm, K_DOCREATE, &xt);
    return rc ? rc : fvmi_comma(vm, 0);
}

int fc_variable(fvm_t *vm)
{
    int rc = fc_create(vm);
    return rc ? rc : fvmi_comma(vm, 0);
}

int fc_2variable(fvm_t *vm)
{
    int rc = fc_variable(vm);
    return rc ? rc : fvmi_comma(vm, 0);
}

static int constant(fvm_t *vm, cell kind, int ncells)
{
    NEEDS(ncells);
    cell xt, x2 = ncells == 2 ? pop(vm) : 0, x1 = pop(vm);
    int rc = fvmi_create(vm, kind, &xt);
    if (!rc)
        rc = fvmi_comma(vm, x1);
    if (!rc && ncells == 2)
        rc = fvmi_comma(vm, x2);
    return rc;
}

int fc_constant(fvm_t *vm) { return constant(vm, K_DOCON, 1); }
int fc_value(fvm_t *vm) { return constant(vm, K_DOVALUE, 1); }
int fc_2constant(fvm_t *vm) { return constant(vm, K_DO2CON, 2); }

int fc_defer(fvm_t *vm)
{
    cell xt;
    int rc = fvmi_create(vm, K_DODEFER, &xt);
    return rc ? rc : fvmi_comma(vm, 0);
}

int fc_buffer_colon(fvm_t *vm)
{
    NEEDS(1);
    cell n = pop(vm);
    int rc = fc_create(vm);
    return rc ? rc : fvmi_allot(vm, n);
}

/* The code field of xt if it is of one of the kinds k1, k2; else NULL. */
static cell *cfa_of(fvm_t *vm, cell xt, cell k1, cell k2)
{
    cell *cfa = fvmi_xt_ok(vm, xt) ? cellp(vm, (ucell)xt) : NULL;
    return cfa && (*cfa == k1 || *cfa == k2) ? cfa : NULL;
}

/* ... and writable (TO, IS): a VALUE or DEFER of an ancestor is not. */
static int cfa_w(fvm_t *vm, cell xt, cell k1, cell k2, cell **cfa)
{
    *cfa = cfa_of(vm, xt, k1, k2);
    if (!*cfa)
        return -32;
    return vm_waddr(vm, (ucell)xt, 3 * CELL) ? 0 : -20;
}

/* (to) ( x xt -- ) or ( x1 x2 xt -- ) for 2VALUE, ( xt -- ) ( F: r -- )
 * for FVALUE */
int fc_setto(fvm_t *vm)
{
    NEEDS(1);
    cell xt = pop(vm), *cfa;
    int rc = cfa_w(vm, xt, K_DOVALUE, K_DO2VALUE, &cfa);
    if (rc == -32 && cfa_of(vm, xt, K_DOFVALUE, K_DOFVALUE))
        return (rc = cfa_w(vm, xt, K_DOFVALUE, K_DOFVALUE, &cfa)) ? rc : fvmi_fvalue_store(vm, cfa);
    if (rc)
        return rc;
    NEEDS(1);
    if (*cfa == K_DO2VALUE) {
        NEEDS(2);
        cfa[2] = pop(vm);
    }
    cfa[1] = pop(vm);
    return 0;
}

/* TO / IS / ACTION-OF: parse a name; interpret or compile its action. */
static int name_action(fvm_t *vm, cell k1, cell k2, int runtime)
{
    cell xt;
    int fl, rc;
    if (runtime == T_SETTO && vm->nloc && fvmi_compiles(vm)) {   /* TO local */
        cell *toin = fvmi_sysvar(vm, V_TOIN), in = *toin;
        ucell a, n;
        fvmi_parse_name(vm, &a, &n);
        const char *s = n ? vm_addr(vm, a, n) : NULL;
        int k = s ? fvmi_local_find(vm, s, n) : -1;
        if (k >= 0) {
            rc = fvmi_op(vm, T_LOCSTORE);
            return rc ? rc : fvmi_comma(vm, k);
        }
        *toin = in;
    }
    rc = fvmi_tick(vm, &xt, &fl);
    if (rc)
        return rc;
    if (!cfa_of(vm, xt, k1, k2) && !(runtime == T_SETTO && cfa_of(vm, xt, K_DOFVALUE, K_DOFVALUE)))
        return -32;
    if (fvmi_compiles(vm)) {
        rc = fvmi_op(vm, T_LIT);
        if (!rc)
            rc = fvmi_comma(vm, xt);
        return rc ? rc : fvmi_op(vm, runtime);
    }
    if ((rc = fvm_push(vm, xt)))
        return rc;
    return runtime == T_SETTO ? fc_setto(vm)
         : runtime == T_DEFERSTORE ? fc_defer_store(vm) : fc_defer_fetch(vm);
}

int fc_to(fvm_t *vm) { return name_action(vm, K_DOVALUE, K_DO2VALUE, T_SETTO); }
int fc_is(fvm_t *vm) { return name_action(vm, K_DODEFER, K_DODEFER, T_DEFERSTORE); }
int fc_action_of(fvm_t *vm) { return name_action(vm, K_DODEFER, K_DODEFER, T_DEFERFETCH); }

int fc_defer_store(fvm_t *vm)
{
    NEEDS(2);
    cell xt = pop(vm), *cfa;
    int rc = cfa_w(vm, xt, K_DODEFER, K_DODEFER, &cfa);
    if (rc)
        return rc;
    cfa[1] = pop(vm);
    return 0;
}

int fc_defer_fetch(fvm_t *vm)
{
    NEEDS(1);
    cell xt = pop(vm), *cfa = cfa_of(vm, xt, K_DODEFER, K_DODEFER);
    return cfa ? fvm_push(vm, cfa[1]) : -32;
}

int fc_tobody(fvm_t *vm)
{
    NEEDS(1);
    return fvm_push(vm, (cell)((ucell)pop(vm) + 2 * CELL));
}

/* Cut each known word list, and the included-files list, back to the
 * entries below here0.  Links a task can forge, so the walks are bounded
 * and pay a unit a step: the word lists share one bound, a header
 * a 3-cell slot (a header is in one list, so true lists never reach it;
 * a list the bound ends keeps its head where it stopped), the included
 * list its own, an entry two cells (a list it ends is dropped, as one
 * with a bad link is). */
static void marker_cut(fvm_t *vm, ucell here0)
{
    const ucell max = (vm->hi - vm->lo) / (3 * CELL);
    ucell steps = max;
    for (int i = 0; i < vm->nwordlists && steps; i++) {
        cell *head = cellw(vm, (ucell)vm->wordlists[i]);
        while (head && *head && (ucell)*head >= here0 && (ucell)*head < vm->hi && steps) {
            cell *h = cellp(vm, (ucell)*head - CELL);
            *head = h ? *h : 0;
            steps--;
        }
    }
    fvmi_charge_walk(vm, max - steps);
    const ucell imax = (vm->hi - vm->lo) / (2 * CELL);
    ucell isteps = imax;
    for (; vm->included && (ucell)vm->included >= here0 && isteps; isteps--) {
        cell *h = cellp(vm, (ucell)vm->included);
        vm->included = h ? *h : 0;
    }
    if ((ucell)vm->included >= here0)
        vm->included = 0;               /* the bound ended it: a cycle */
    fvmi_charge_walk(vm, imax - isteps);
}

/* MARKER name: body = here before the header, then the saved search state.
 * Executing it (marker_xt set by the inner interpreter) cuts everything
 * defined after it. */
int fc_marker(fvm_t *vm)
{
    cell xt = vm->marker_xt;
    vm->marker_xt = 0;
    if (xt) {
        cell *b = cfa_of(vm, xt, K_DOMARKER, K_DOMARKER);
        if (!b || !vm_addr(vm, (ucell)xt, (3 + MAX_ORDER) * CELL))
            return FVM_E_INVALID_ADDRESS;
        ucell here0 = (ucell)b[1];
        if (here0 < vm->wlo || here0 > vm->here)
            return FVM_E_INVALID_ADDRESS;
        ucell old_here = vm->here;
        vm->here = here0;
        vm->current = b[2];
        vm->norder = (int)(b[3] & 0xff) <= MAX_ORDER ? (int)(b[3] & 0xff) : 1;
        for (int i = 0; i < vm->norder; i++)
            vm->order[i] = b[4 + i];
        int k = 0;
        for (int i = 0; i < vm->nwordlists; i++)
            if ((ucell)vm->wordlists[i] < here0 || (ucell)vm->wordlists[i] >= old_here)
                vm->wordlists[k++] = vm->wordlists[i];
        vm->nwordlists = k;
        marker_cut(vm, here0);
        vm->latest = 0;
        __builtin_memset(vm->fcache, 0, sizeof vm->fcache);
        return 0;
    }
    ucell here0;
    fvmi_align(vm);
    here0 = vm->here;
    int rc = fvmi_create(vm, K_DOMARKER, &xt);
    if (!rc)
        rc = fvmi_comma(vm, (cell)here0);
    if (!rc)
        rc = fvmi_comma(vm, vm->current);
    if (!rc)
        rc = fvmi_comma(vm, vm->norder);
    for (int i = 0; i < MAX_ORDER && !rc; i++)
        rc = fvmi_comma(vm, i < vm->norder ? vm->order[i] : 0);
    return rc;
}

int fc_immediate(fvm_t *vm)
{
    return vm->latest ? set_flag(vm, vm->latest, F_IMMEDIATE, true) : 0;
}

int fc_find(fvm_t *vm)
{
    NEEDS(1);
    cell ca = pop(vm);
    const unsigned char *s = vm_addr(vm, (ucell)ca, 1);
    if (!s || !vm_addr(vm, (ucell)ca + 1, *s))
        return FVM_E_INVALID_ADDRESS;
    int fl;
    cell xt = fvmi_find_v(vm, (ucell)ca + 1, *s, &fl);
    if (!xt) {
        fvm_push(vm, ca);
        return fvm_push(vm, 0);
    }
    fvm_push(vm, xt);
    return fvm_push(vm, (fl & F_IMMEDIATE) ? 1 : -1);
}

int fc_latestxt(fvm_t *vm) { return fvm_push(vm, vm->latest); }

int fc_allot(fvm_t *vm)
{
    NEEDS(1);
    return fvmi_allot(vm, pop(vm));
}

int fc_comma(fvm_t *vm)
{
    NEEDS(1);
    return fvmi_comma(vm, pop(vm));
}

int fc_ccomma(fvm_t *vm)
{
    NEEDS(1);
    return fvmi_ccomma(vm, (int)pop(vm));
}

int fc_align(fvm_t *vm)
{
    fvmi_align(vm);
    return 0;
}

int fc_unused(fvm_t *vm) { return fvm_push(vm, (cell)(vm->limit - vm->here)); }
int fc_pad(fvm_t *vm) { return fvm_push(vm, (cell)vm->pad); }

/* Is name s[0..n) in the included-files list?  The list is as long as a
 * task makes it, so the walk pays a unit a step and a unit per 16
 * bytes of the names of its length it compares (REQUIRED, INCLUDED and a
 * loop of (included?) all walk it: 200 lookups behind 2000 255-byte names
 * took 256 ms in one fvm_run(vm, 20000), free). */
static bool included(fvm_t *vm, const char *s, ucell n)
{
    const ucell max = (vm->hi - vm->lo) / (2 * CELL);
    ucell steps = max, compared = 0;
    bool found = false;
    for (cell e = vm->included; e && steps--;) {
        const cell *h = cellp(vm, (ucell)e);
        const unsigned char *name = vm_addr(vm, (ucell)e + CELL, 1);
        if (!h || !name)
            break;
        if (*name == n && vm_addr(vm, (ucell)e + CELL + 1, *name)) {
            compared += n;
            if (name_eq((const char *)name + 1, s, n)) {
                found = true;
                break;
            }
        }
        e = h[0];
    }
    fvmi_charge_walk(vm, max - steps);
    if (compared)
        fvmi_charge(vm, compared, 16);
    return found;
}

/* (included?) ( c-addr u -- flag ): was this file included before?  If not,
 * remember it (REQUIRED). */
int fc_includedq(fvm_t *vm)
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    const char *s = vm_addr(vm, (ucell)a, (ucell)n);
    if (!s || n > 255)
        return FVM_E_INVALID_ADDRESS;
    if (included(vm, s, (ucell)n))
        return fvm_push(vm, -1);
    fvmi_align(vm);
    cell e = (cell)vm->here;
    int rc = fvmi_comma(vm, vm->included);
    if (!rc)
        rc = fvmi_ccomma(vm, (int)n);
    for (cell i = 0; i < n && !rc; i++)
        rc = fvmi_ccomma(vm, s[i]);
    fvmi_align(vm);
    if (rc)
        return rc;
    vm->included = e;
    return fvm_push(vm, 0);
}
