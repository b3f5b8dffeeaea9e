/*
 * string.c -- the STRING word set (the part not in memory.c or the
 * prelude): -TRAILING SEARCH SLITERAL REPLACES SUBSTITUTE UNESCAPE.
 *
 * REPLACES keeps its substitutions in the VM's heap (memalloc.c) as a list
 * from vm->subst:  [next][name length][text length][name][text].  The list
 * lives in memory a program can scribble on, so every walk is bounded and
 * every entry is checked before it is read.  A task sets how long the list
 * is, so a walk pays fuel for it: a unit an entry, and a unit per
 * 16 bytes of names compared.  The words here pay for the bytes they scan
 * or copy too.
 */
#include "fvm_int.h"

#define DELIM '%'

/* A readable string (u = 0: any address). */
static const char *rstr(fvm_t *vm, cell a, cell u)
{
    if (u == 0)
        return "";
    return u < 0 ? NULL : vm_addr(vm, (ucell)a, (ucell)u);
}

int fc_dtrailing(fvm_t *vm)  /* ( c-addr u1 -- c-addr u2 ) */
{
    NEEDS(2);
    cell u = pop(vm), a = pop(vm);
    const char *s = rstr(vm, a, u);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    cell u0 = u;
    while (u > 0 && s[u - 1] == ' ')
        u--;
    fvmi_charge(vm, (ucell)(u0 - u), 16);
    TRY(fvm_push(vm, a));
    return fvm_push(vm, u);
}

/* The maximal suffix of x[0..m) (its start - 1) and its period, under
 * the byte order (rev: the reverse order). */
static cell max_suffix(const unsigned char *x, cell m, bool rev, cell *period)
{
    cell ms = -1, j = 0, k = 1, p = 1;
    while (j + k < m) {
        unsigned a = x[j + k], b = x[ms + k];
        if (rev ? a > b : a < b) {
            j += k;
            k = 1;
            p = j - ms;
        } else if (a == b) {
            if (k != p) {
                k++;
            } else {
                j += p;
                k = 1;
            }
        } else {
            ms = j;
            j = ms + 1;
            k = p = 1;
        }
    }
    *period = p;
    return ms;
}

/* The first occurrence of x[0..m) in y[0..n) (1 <= m <= n), or -1: the
 * two-way algorithm of Crochemore and Perrin, linear in n + m, with no
 * table -- so SEARCH costs in proportion to its input, whatever it is. */
static cell two_way(const unsigned char *y, cell n, const unsigned char *x, cell m)
{
    cell p, q, ell, per;
    cell i = max_suffix(x, m, false, &p), k = max_suffix(x, m, true, &q);
    if (i > k) {
        ell = i;
        per = p;
    } else {
        ell = k;
        per = q;
    }
    bool periodic = per <= m - ell - 1 || ell < 0;
    for (cell t = 0; periodic && t <= ell; t++)
        periodic = x[t] == x[t + per];
    if (periodic) {
        cell mem = -1;
        for (cell j = 0; j <= n - m;) {
            i = (ell > mem ? ell : mem) + 1;
            while (i < m && x[i] == y[i + j])
                i++;
            if (i >= m) {
                i = ell;
                while (i > mem && x[i] == y[i + j])
                    i--;
                if (i <= mem)
                    return j;
                j += per;
                mem = m - per - 1;
            } else {
                j += i - ell;
                mem = -1;
            }
        }
        return -1;
    }
    per = (ell + 1 > m - ell - 1 ? ell + 1 : m - ell - 1) + 1;
    for (cell j = 0; j <= n - m;) {
        i = ell + 1;
        while (i < m && x[i] == y[i + j])
            i++;
        if (i >= m) {
            i = ell;
            while (i >= 0 && x[i] == y[i + j])
                i--;
            if (i < 0)
                return j;
            j += per;
        } else {
            j += i - ell;
        }
    }
    return -1;
}

/* SEARCH ( c-addr1 u1 c-addr2 u2 -- c-addr3 u3 flag ) */
int fc_search(fvm_t *vm)
{
    NEEDS(4);
    cell u2 = pop(vm), a2 = pop(vm), u1 = pop(vm), a1 = pop(vm);
    const char *s1 = rstr(vm, a1, u1), *s2 = rstr(vm, a2, u2);
    if (!s1 || !s2)
        return FVM_E_INVALID_ADDRESS;
    cell at = u2 == 0 ? 0 : u2 > u1 ? -1
            : two_way((const unsigned char *)s1, u1, (const unsigned char *)s2, u2);
    fvmi_charge(vm, (ucell)u1 + (ucell)u2, 4);
    if (at >= 0) {
        TRY(fvm_push(vm, a1 + at));
        TRY(fvm_push(vm, u1 - at));
        return fvm_push(vm, -1);
    }
    TRY(fvm_push(vm, a1));
    TRY(fvm_push(vm, u1));
    return fvm_push(vm, 0);
}

/* SLITERAL ( c-addr u -- ) compile: ( -- c-addr u ) */
int fc_sliteral(fvm_t *vm)
{
    NEEDS(2);
    cell u = pop(vm), a = pop(vm);
    const char *s = rstr(vm, a, u);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    if ((ucell)u > vm->limit - vm->here)
        return FVM_E_DICT_FULL;
    fvmi_charge(vm, (ucell)u, 32);
    char tmp[256];
    if (u > (cell)sizeof tmp) {      /* the source could move under HERE */
        ucell lo = (ucell)a, hi = (ucell)a + (ucell)u;
        if (hi > vm->here && lo < vm->here + (ucell)u + 2 * CELL)
            return -18;
    } else {
        for (cell i = 0; i < u; i++)
            tmp[i] = s[i];
        s = tmp;
    }
    TRY(fvmi_op(vm, T_SLIT));
    TRY(fvmi_comma(vm, u));
    for (cell i = 0; i < u; i++)
        TRY(fvmi_ccomma(vm, (unsigned char)s[i]));
    fvmi_align(vm);
    return 0;
}

/* UNESCAPE ( c-addr1 u1 c-addr2 -- c-addr2 u2 ): double every '%' */
int fc_unescape(fvm_t *vm)
{
    NEEDS(3);
    cell d = pop(vm), u = pop(vm), a = pop(vm);
    const char *s = rstr(vm, a, u);
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    cell n = 0;
    for (cell i = 0; i < u; i++)
        n += s[i] == DELIM ? 2 : 1;
    char *out = n ? vm_waddr(vm, (ucell)d, (ucell)n) : NULL;
    if (n && !out)
        return vm_addr(vm, (ucell)d, (ucell)n) ? -20 : FVM_E_INVALID_ADDRESS;
    fvmi_charge(vm, (ucell)n, 32);
    /* back to front, so that c-addr2 = c-addr1 works too */
    cell o = n;
    for (cell i = u; i-- > 0;) {
        out[--o] = s[i];
        if (s[i] == DELIM)
            out[--o] = DELIM;
    }
    TRY(fvm_push(vm, d));
    return fvm_push(vm, n);
}

/* ---- substitutions ----------------------------------------------------------- */

typedef struct {
    cell *hdr;            /* [next][nlen][tlen] */
    const char *name, *text;
    ucell nlen, tlen;     /* as checked: the header is the program's to
                             rewrite (SUBSTITUTE's output may overlap it) */
} subst_t;

/* Entry at heap address e, checked; false if it is not readable. */
static bool entry(fvm_t *vm, cell e, subst_t *out)
{
    if ((ucell)e & (CELL - 1))
        return false;
    cell *h = vm_waddr(vm, (ucell)e, 3 * CELL);
    if (!h || h[1] < 0 || h[1] > 255 || h[2] < 0 || (ucell)h[2] > vm->hi - vm->lo)
        return false;
    const char *p = vm_addr(vm, (ucell)e + 3 * CELL, (ucell)(h[1] + h[2]));
    if (!p)
        return false;
    out->hdr = h;
    out->name = p;
    out->text = p + h[1];
    out->nlen = (ucell)h[1];
    out->tlen = (ucell)h[2];
    return true;
}

static bool name_eq(const char *a, const char *b, ucell n)
{
    for (ucell i = 0; i < n; i++)
        if (lc((unsigned char)a[i]) != lc((unsigned char)b[i]))
            return false;
    return true;
}

/* SUBSTITUTE's lookups visit at most this many entries in one call (about
 * 10 ms), else it gives up with -78: a charge is paid after the call, so
 * the call itself must be short -- a text of 13000 names over a list of
 * 10000 held the host 1.6 s.  A list walk has no index to bound it. */
#define SUBST_WALK_MAX ((ucell)1 << 22)

/* Find name, visiting at most *room entries (NULL: the list's bound);
 * *link gets the cell that points at the entry.  Pays for the entries
 * visited and the name bytes compared.  1 found, 0 not, -1 out of room. */
static int find_subst(fvm_t *vm, const char *name, ucell n, subst_t *found, cell **link,
                      ucell *room)
{
    cell *l = &vm->subst;
    ucell max = (vm->hi - vm->lo) / (3 * CELL);
    if (room && *room < max)
        max = *room;
    ucell steps = max, compared = 0;
    int hit = 0;
    while (*l && steps--) {
        subst_t e;
        if (!entry(vm, *l, &e)) {
            *l = 0;              /* a scribbled list ends here */
            break;
        }
        if (e.nlen == n) {
            compared += n;
            if (name_eq(e.name, name, n)) {
                *found = e;
                if (link)
                    *link = l;
                hit = 1;
                break;
            }
        }
        l = &e.hdr[0];
    }
    if (steps == (ucell)-1 && *l && room)
        hit = -1;             /* the room ran out, not the list */
    fvmi_charge_walk(vm, max - steps);
    vm->charge += (long)(compared / 16);
    if (room)
        *room -= steps == (ucell)-1 ? max : max - steps;
    return hit;
}

/* REPLACES ( c-addr1 u1 c-addr2 u2 -- ): text c-addr1 u1 for name c-addr2 u2 */
int fc_replaces(fvm_t *vm)
{
    NEEDS(4);
    cell nu = pop(vm), na = pop(vm), tu = pop(vm), ta = pop(vm);
    const char *name = rstr(vm, na, nu), *text = rstr(vm, ta, tu);
    if (!name || !text)
        return FVM_E_INVALID_ADDRESS;
    if (nu == 0 || nu > 255)
        return -79;
    cell e;
    if (fvmi_allocate(vm, 3 * CELL + (ucell)nu + (ucell)tu, &e))
        return -79;
    /* the strings may have been in the old entry, so copy before freeing */
    char *p = (char *)(vm->bias + (ucell)e);
    cell *h = (cell *)p;
    fvmi_charge(vm, (ucell)nu + (ucell)tu, 32);
    for (cell i = 0; i < nu; i++)
        p[3 * CELL + i] = name[i];
    for (cell i = 0; i < tu; i++)
        p[3 * CELL + nu + i] = text[i];
    h[1] = nu;
    h[2] = tu;
    subst_t old;
    cell *link;
    if (find_subst(vm, p + 3 * CELL, (ucell)nu, &old, &link, NULL) == 1) {
        cell olde = *link;
        *link = old.hdr[0];
        fvmi_free(vm, olde);
    }
    h[0] = vm->subst;
    vm->subst = e;
    return 0;
}

/* SUBSTITUTE ( c-addr1 u1 c-addr2 u2 -- c-addr2 u3 n ): pays for its scan
 * of c-addr1 u1 (a unit per 4 bytes), the output it writes (a unit per 32)
 * and its lookups (find_subst); n is -78 when the output does not fit, or
 * the lookups would visit more than SUBST_WALK_MAX entries */
int fc_substitute(fvm_t *vm)
{
    NEEDS(4);
    cell u2 = pop(vm), a2 = pop(vm), u1 = pop(vm), a1 = pop(vm);
    const char *s = rstr(vm, a1, u1);
    if (!s || u2 < 0)
        return FVM_E_INVALID_ADDRESS;
    char *out = u2 ? vm_waddr(vm, (ucell)a2, (ucell)u2) : NULL;
    if (u2 && !out)
        return vm_addr(vm, (ucell)a2, (ucell)u2) ? -20 : FVM_E_INVALID_ADDRESS;
    cell o = 0, count = 0;
    ucell room = SUBST_WALK_MAX;
    int hit;
    bool overlap = u1 && u2 && (ucell)a1 < (ucell)a2 + (ucell)u2 && (ucell)a2 < (ucell)a1 + (ucell)u1;
    if (overlap)
        count = -78;
#define PUT(ch) do { if (o >= u2) { count = -78; goto done; } out[o++] = (ch); } while (0)
    for (cell i = 0; i < u1 && count >= 0;) {
        if (s[i] != DELIM) {
            PUT(s[i]);
            i++;
            continue;
        }
        cell j = i + 1;
        while (j < u1 && s[j] != DELIM)
            j++;
        subst_t e;
        if (j == u1) {                    /* a lone delimiter: the rest as is */
            for (; i < u1; i++)
                PUT(s[i]);
        } else if (j == i + 1) {          /* %% */
            PUT(DELIM);
            i = j + 1;
        } else if ((hit = find_subst(vm, s + i + 1, (ucell)(j - i - 1), &e, NULL, &room)) < 0) {
            count = -78;
        } else if (hit) {
            for (ucell k = 0; k < e.tlen; k++)
                PUT(e.text[k]);
            count++;
            i = j + 1;
        } else {                          /* not a name: the delimiter as is */
            PUT(DELIM);
            i++;
        }
    }
#undef PUT
done:
    fvmi_charge(vm, (ucell)u1, 4);
    fvmi_charge(vm, (ucell)o, 32);
    TRY(fvm_push(vm, a2));
    TRY(fvm_push(vm, count < 0 ? 0 : o));
    return fvm_push(vm, count);
}
