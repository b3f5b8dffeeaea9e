/*
 * names.c -- walking the dictionary by name: WORDS, fvm_each_word (a
 * host's Tab completion) and the word a code address belongs to (the
 * running word an interrupt names).
 *
 * Every walk is bounded (a forged link ends it) and reads only through
 * vm_addr, so a mangled dictionary gives a short list, never a wild read.
 */
#include "fvm_int.h"

/* The header cells [info][link] of xt, or NULL. */
static const cell *header(const fvm_t *vm, cell xt)
{
    return ((ucell)xt & (CELL - 1)) ? NULL : vm_addr(vm, (ucell)xt - 2 * CELL, 2 * CELL);
}

/* A name a person would look for: not hidden, not empty, not internal. */
static bool listed(const fvm_t *vm, cell xt, const cell *h, const char **s, ucell *n)
{
    *s = fvmi_xt_name(vm, xt, n);
    return *n && !(((ucell)h[0] >> 8) & F_HIDDEN) && (*s)[0] != '(';
}

/* Is xt the word its name finds in word list wl (not one a newer word of
 * the same name shadows, as the prelude's BYE shadows the primitive)? */
static bool newest(fvm_t *vm, cell wl, cell xt, const char *s, ucell n)
{
    int fl;
    return fvmi_search_wl(vm, wl, s, n, &fl) == xt;
}

/* Call fn(ctx, name, len) for each listed word of wl, newest first, each
 * name once; stop (returning true) when fn returns nonzero. */
static bool each_in(fvm_t *vm, cell wl, int (*fn)(void *, const char *, size_t), void *ctx)
{
    const cell *head = vm_addr(vm, (ucell)wl, CELL);
    ucell steps = fvmi_span(vm) / (3 * CELL);
    for (cell xt = head ? *head : 0; xt && steps--;) {
        const cell *h = header(vm, xt);
        if (!h)
            break;
        const char *s;
        ucell n;
        if (listed(vm, xt, h, &s, &n) && newest(vm, wl, xt, s, n) && fn(ctx, s, n))
            return true;
        xt = h[1];
    }
    return false;
}

void fvm_each_word(fvm_t *vm, int (*fn)(void *ctx, const char *name, size_t len), void *ctx)
{
    for (int i = vm->norder - 1; i >= 0; i--) {
        bool again = false;              /* a word list twice in the order */
        for (int j = vm->norder - 1; j > i; j--)
            again |= vm->order[j] == vm->order[i];
        if (!again && each_in(vm, vm->order[i], fn, ctx))
            return;
    }
}

/* ---- WORDS ----------------------------------------------------------------- */

struct words_out {
    fvm_t *vm;
    ucell col;
};

static int words_one(void *ctx, const char *s, size_t n)
{
    struct words_out *w = ctx;
    if (w->col + n + 1 > w->vm->columns - 2) {
        fvmi_tputs(w->vm, "\n");
        w->col = 0;
    }
    fvmi_type(w->vm, s, n);
    fvmi_tputs(w->vm, " ");
    w->col += n + 1;
    return w->vm->list_full;          /* refused: the rest is not written */
}

/* WORDS: the first word list of the search order, each name once. */
int fc_words(fvm_t *vm)
{
    struct words_out w = { vm, 0 };
    fvmi_listing_begin(vm);
    if (vm->norder)
        each_in(vm, vm->order[vm->norder - 1], words_one, &w);
    fvmi_tputs(vm, "\n");
    return fvmi_listing_end(vm);
}

/* ---- the word that holds an address ------------------------------------------ */

/* The region (own or an ancestor's) holding virtual address a: [lo, hi). */
static bool region(const fvm_t *vm, ucell a, ucell *lo, ucell *hi)
{
    if (a - vm->lo < vm->hi - vm->lo) {
        *lo = vm->lo, *hi = vm->hi;
        return true;
    }
    for (int i = 0; i < vm->nimg; i++)
        if (a - vm->img[i].lo < vm->img[i].hi - vm->img[i].lo) {
            *lo = vm->img[i].lo, *hi = vm->img[i].hi;
            return true;
        }
    return false;
}

/* The xt of the colon definition (or DOES> code) whose body holds code
 * address a: the word with the highest xt at or below a in a's region, in
 * any word list the VM knows.  0 if none.  The lists are as long as a task
 * makes them, so the walk pays a quarter unit a header; and the lists share
 * one bound, a header a 3-cell slot of all regions (each header is in one
 * list), so 64 forged cycles walk no more than one could. */
cell fvmi_word_at(fvm_t *vm, ucell a)
{
    ucell lo, hi;
    if (!region(vm, a, &lo, &hi))
        return 0;
    cell best = 0;
    const ucell max = fvmi_span(vm) / (3 * CELL);
    ucell steps = max;
    for (int w = 0; w < vm->nwordlists && steps; w++) {
        const cell *head = vm_addr(vm, (ucell)vm->wordlists[w], CELL);
        for (cell xt = head ? *head : 0; xt && steps; steps--) {
            const cell *h = header(vm, xt);
            if (!h)
                break;
            if ((ucell)xt <= a && (ucell)xt >= lo && (ucell)xt > (ucell)best)
                best = xt;
            xt = h[1];
        }
    }
    fvmi_charge_walk(vm, max - steps);
    return best;
}
