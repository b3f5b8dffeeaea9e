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

/* The header after xt's in its list, or 0.  Links go down: an older word
 * lies lower, and a forked child's region lies above its ancestors' (the
 * rule TRAVERSE-WORDLIST keeps), so a link that does not ends the list --
 * a forged cycle ends after one lap. */
static cell next(const cell *h, cell xt)
{
    return (ucell)h[1] < (ucell)xt ? h[1] : 0;
}

/* The head of word list wl, or 0. */
static cell head_of(const fvm_t *vm, cell wl)
{
    const cell *hp = vm_addr(vm, (ucell)wl, CELL);
    return hp ? *hp : 0;
}

/* Are a[0..n) and b[0..n) one name (case aside)? */
static bool same_name(const char *a, const char *b, ucell n)
{
    for (ucell i = 0; i < n; i++)
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
            return false;
    return true;
}

/* ---- listing a word list, each name once ---------------------------------------
 *
 * A name is listed at its newest word only (the prelude's BYE shadows the
 * primitive).  Looking each name up again to see that costs a walk per
 * name, quadratic in the list's length, so each list is walked three times
 * instead.  The first pass puts each name's hash into a Bloom filter and
 * the hashes already there into a second one (names that may occur twice,
 * with a few that do not); the second pass does the same over those names
 * only and keeps the hashes that come twice (now almost only the names
 * that do occur twice); the third lists a name whose hash was not kept at
 * once, and of a kept one the first (newest) word, comparing later ones'
 * names with it.  Only what that cannot settle (a kept hash shared by two
 * names, or more kept hashes than the table holds: a list with hundreds of
 * names defined again) is looked up again, from the head down to the word.
 *
 * A task forges its lists (and the host's Tab completion runs this in the
 * kernel thread, where fuel cannot stop it), so one call has one budget,
 * shared by all its lists, whatever their links: a header (its name, info,
 * link and code field: 4 cells at least) a 4-cell slot of the VM's regions
 * (own and ancestors'), walked three times, and a step a slot for all the
 * lookups -- each true header is in one list, so true lists fit in it.  A
 * list the walk budget ends is cut short; a name the lookup budget cannot
 * settle is listed unchecked (shown twice, if a newer word has its name).
 * Lists that share a head are walked once. */

#define BLOOM_BITS 8192u       /* 1 KiB: of 1000 names ~1% look twice, of 2000 ~6% */
#define DUP_SLOTS  256u        /* the kept hashes' table */
#define DUP_MAX    224u        /* ... kept at most (then: lookups) */
#define FIRST_FAR  1u          /* first[]: listed, its xt past 32 bits */

struct listing {
    fvm_t *vm;
    int (*fn)(void *, const char *, size_t);
    void *ctx;
    ucell walks, looks;        /* steps left: the passes', the lookups' */
    ucell steps, bytes;        /* work done: headers visited, name bytes read */
    /* the list being listed */
    uint8_t seen[BLOOM_BITS / 8], twice[BLOOM_BITS / 8];  /* Bloom filters */
    uint32_t dup[DUP_SLOTS];   /* kept hashes, 0 free */
    uint32_t first[DUP_SLOTS]; /* the newest listed word of each, 0 none yet */
    unsigned ndup;
    bool lost;                 /* a hash was not kept: the table was full */
};

/* A name's hash: its lowercased bytes and its length; never 0. */
static uint32_t name_hash(struct listing *l, const char *s, ucell n)
{
    uint32_t h = 2166136261u ^ (uint32_t)n;
    for (ucell i = 0; i < n; i++)
        h = (h ^ (uint32_t)lc((unsigned char)s[i])) * 16777619u;
    l->bytes += n;
    return h | 1;
}

/* Is h in filter f (maybe: yes for some that are not)? */
static bool bloom_has(const uint8_t *f, uint32_t h)
{
    uint32_t a = (h >> 19) % BLOOM_BITS, b = (h >> 3) % BLOOM_BITS;
    return (f[a >> 3] >> (a & 7) & 1) && (f[b >> 3] >> (b & 7) & 1);
}

/* Add h to filter f; true if it may have been there already. */
static bool bloom_add(uint8_t *f, uint32_t h)
{
    uint32_t a = (h >> 19) % BLOOM_BITS, b = (h >> 3) % BLOOM_BITS;
    bool was = bloom_has(f, h);
    f[a >> 3] |= (uint8_t)(1u << (a & 7));
    f[b >> 3] |= (uint8_t)(1u << (b & 7));
    return was;
}

/* The slot of kept hash h, or of the free slot where it would go. */
static unsigned dup_slot(const struct listing *l, uint32_t h)
{
    unsigned i = (h >> 1) % DUP_SLOTS;
    while (l->dup[i] && l->dup[i] != h)     /* never full: DUP_MAX < DUP_SLOTS */
        i = (i + 1) % DUP_SLOTS;
    return i;
}

static void dup_keep(struct listing *l, uint32_t h)
{
    unsigned i = dup_slot(l, h);
    if (l->dup[i])
        return;
    if (l->ndup == DUP_MAX) {
        l->lost = true;
        return;
    }
    l->dup[i] = h;
    l->first[i] = 0;
    l->ndup++;
}

/* The header of xt in a list, or NULL (the list ends); *n is its name's
 * length if it is listed (*s the name), else 0. */
static const cell *visit(const fvm_t *vm, cell xt, const char **s, ucell *n)
{
    const cell *h = header(vm, xt);
    if (!h || !listed(vm, xt, h, s, n))
        *n = 0;
    return h;
}

/* Does no word between head and xt (newer, in xt's list) have xt's name
 * s[0..n)?  An answer the lookup budget cannot pay for is yes. */
static bool none_newer(struct listing *l, cell head, cell xt, const char *s, ucell n)
{
    const cell *h;
    const char *t;
    ucell m;
    for (cell x = head; x && x != xt && l->looks && (h = visit(l->vm, x, &t, &m)); x = next(h, x)) {
        l->looks--;
        l->steps++;
        if (m == n) {
            l->bytes += n;
            if (same_name(t, s, n))
                return false;
        }
    }
    return true;
}

/* Is xt (named s[0..n), hash h) the newest word of its name in the list
 * from head?  Called newest word first, as the third pass meets them. */
static bool newest(struct listing *l, cell head, cell xt, const char *s, ucell n, uint32_t h)
{
    unsigned i = dup_slot(l, h);
    if (!l->dup[i])      /* once, unless its hash was one the table lost */
        return !(l->lost && bloom_has(l->twice, h)) || none_newer(l, head, xt, s, n);
    if (!l->first[i]) {
        l->first[i] = (ucell)xt == (uint32_t)xt ? (uint32_t)xt : FIRST_FAR;
        return true;
    }
    if (l->first[i] == FIRST_FAR)
        return none_newer(l, head, xt, s, n);
    ucell m;
    const char *t = fvmi_xt_name(l->vm, (cell)l->first[i], &m);
    l->bytes += n;
    if (m == n && same_name(t, s, n))
        return false;
    return none_newer(l, head, xt, s, n);   /* two names, one hash */
}

/* Call fn for each listed word of word list wl, newest first, each name
 * once; true if fn stopped the listing (returned nonzero). */
static bool each_in(struct listing *l, cell wl)
{
    fvm_t *vm = l->vm;
    const cell head = head_of(vm, wl);
    const cell *h;
    const char *s;
    ucell n, k = 0;
    __builtin_memset(l->seen, 0, sizeof l->seen);
    __builtin_memset(l->twice, 0, sizeof l->twice);
    __builtin_memset(l->dup, 0, sizeof l->dup);
    l->ndup = 0;
    l->lost = false;
    /* first pass, k headers: the names that may occur twice */
    for (cell xt = head; xt && k < l->walks / 3 && (h = visit(vm, xt, &s, &n)); xt = next(h, xt)) {
        k++;
        if (n) {
            uint32_t hash = name_hash(l, s, n);
            if (bloom_add(l->seen, hash))
                bloom_add(l->twice, hash);
        }
    }
    l->walks -= 3 * k;
    l->steps += 3 * k;
    /* second pass: of those, the ones that do (most likely) */
    __builtin_memset(l->seen, 0, sizeof l->seen);
    cell xt = head;
    for (ucell i = 0; i < k && xt && (h = visit(vm, xt, &s, &n)); i++, xt = next(h, xt))
        if (n) {
            uint32_t hash = name_hash(l, s, n);
            /* other bits than the first pass's (mixed: a bijection) */
            if (bloom_has(l->twice, hash) && bloom_add(l->seen, hash * 0x9e3779b1u))
                dup_keep(l, hash);
        }
    /* third pass: each name at its newest word */
    xt = head;
    for (ucell i = 0; i < k && xt && (h = visit(vm, xt, &s, &n)); i++, xt = next(h, xt))
        if (n && newest(l, head, xt, s, n, name_hash(l, s, n)) && l->fn(l->ctx, s, n))
            return true;
    return false;
}

/* A listing's budget (see above), fn and ctx. */
static void listing_init(struct listing *l, fvm_t *vm, int (*fn)(void *, const char *, size_t),
                         void *ctx)
{
    const ucell slots = fvmi_span(vm) / (4 * CELL);
    l->vm = vm, l->fn = fn, l->ctx = ctx;
    l->walks = 3 * slots, l->looks = slots;
    l->steps = l->bytes = 0;
}

/* The work is the task's too (it made the lists), paid at what it costs
 * against code run (a unit a cell of code, about 1.3 ns here): a step -- a
 * header visited, checked, its name hashed into the filters -- costs ~17
 * ns, so LIST_STEP_UNITS a step, and a unit per 2 name bytes read.  (At a
 * quarter unit a step, WORDS over the prelude's words cost ~1000 units
 * and took 42 us: a task in `begin words again` made each of its polls
 * ~40 times its budget; fuzz_services spent half its time there.) */
#define LIST_STEP_UNITS 8
static void listing_charge(const struct listing *l)
{
    l->vm->charge += (long)(l->steps * LIST_STEP_UNITS + l->bytes / 2);
}

size_t fvm_each_word(fvm_t *vm, int (*fn)(void *ctx, const char *name, size_t len), void *ctx)
{
    struct listing l;
    listing_init(&l, vm, fn, ctx);
    for (int i = vm->norder - 1; i >= 0; i--) {
        bool again = false;    /* a word list twice in the order, or two with one head */
        cell hd = head_of(vm, vm->order[i]);
        for (int j = vm->norder - 1; j > i && !again; j--)
            again = vm->order[j] == vm->order[i] || (hd && head_of(vm, vm->order[j]) == hd);
        if (!again && each_in(&l, vm->order[i]))
            break;
    }
    listing_charge(&l);
    return (size_t)l.steps;
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
    struct listing l;
    listing_init(&l, vm, words_one, &w);
    fvmi_listing_begin(vm);
    if (vm->norder)
        each_in(&l, vm->order[vm->norder - 1]);
    listing_charge(&l);
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
 * makes them, so the walk pays a unit a header; and the lists share
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
