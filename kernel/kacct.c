/* kacct -- memory accounts (see kacct.h). */
#include "kacct.h"
#include "kalloc.h"
#include "kstring.h"
#include "trace.h"

static size_t reserve;               /* heap bytes accounts leave free */

void kacct_set_reserve(size_t bytes)
{
    reserve = bytes;
}

size_t kacct_reserve(void)
{
    return reserve;
}

bool kacct_leaves_reserve(size_t n)
{
    if (!reserve)
        return true;
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    return st.free_heap >= n && st.free_heap - n >= reserve;
}

void kacct_init(kacct_t *a, size_t limit)
{
    kmem_set(a, 0, sizeof *a);
    a->limit = limit;
}

void *kacct_alloc(kacct_t *a, size_t n)
{
    if (!a)
        return kalloc(n);
    /* checked before asking the heap (the usable size may round up, so the
     * check after it is the one that counts) */
    if (n > a->limit || a->used > a->limit - n) {
        a->refused++;
        trace_emit(TRACE_WARN, TRACE_MOD_KALLOC, TRACE_EV_QUOTA, (int32_t)n, (int32_t)a->used, "over quota");
        return NULL;
    }
    void *p = kacct_leaves_reserve(n) ? kalloc(n) : NULL;
    if (!p) {
        a->refused++;
        return NULL;
    }
    size_t u = kalloc_usable(p);
    if (u > a->limit - a->used) {
        kfree(p);
        a->refused++;
        trace_emit(TRACE_WARN, TRACE_MOD_KALLOC, TRACE_EV_QUOTA, (int32_t)n, (int32_t)a->used, "over quota");
        return NULL;
    }
    a->used += u;
    if (a->used > a->peak)
        a->peak = a->used;
    return p;
}

void *kacct_alloc_zero(kacct_t *a, size_t n)
{
    void *p = kacct_alloc(a, n);
    if (p)
        kmem_set(p, 0, n);
    return p;
}

void kacct_free(kacct_t *a, void *p)
{
    if (!p)
        return;
    if (a)
        a->used -= kalloc_usable(p);
    kfree(p);
}

void kacct_disown(kacct_t *a, void *p)
{
    if (a && p)
        a->used -= kalloc_usable(p);
}
