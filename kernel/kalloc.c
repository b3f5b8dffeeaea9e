/*
 * kalloc -- size-class free lists over slabs, and a boundary-tag heap.
 *
 * Every block starts with an 8-byte header.  Heap blocks: size | USED |
 * PREV_USED; free heap blocks also hold a free-list link and end with a
 * footer (their size), so free() finds both neighbours in O(1).  The heap
 * ends with a zero-size USED epilogue header.  Small objects: their header is
 * SMALL | class << 3, written once when the slab is carved, so alloc and free
 * of a small object are a list pop and push.
 *
 * Under AddressSanitizer every free byte the allocator does not use itself
 * is poisoned: a free small object past its free-list pointer, a free heap
 * block between its link and its footer, a slab's tail that holds no object.
 * What kalloc() hands out is unpoisoned, exactly kalloc_usable() bytes; the
 * tags (headers, links, footers, the epilogue) always stay addressable.  So
 * a use-after-free of a kernel block is an ASan report.  Any write of a tag
 * into a free region unpoisons the tag first.  Without ASan the poison
 * macros are empty.
 */
#include "kalloc.h"
#include "klist.h"
#include "kstring.h"
#include "trace.h"

#define HDR        8u
#define F_USED     1u
#define F_PREV     2u
#define F_SMALL    4u
#define MIN_BLOCK  32u
#define SLAB_BYTES 2048u
#define NCLASSES   5               /* objects of 16, 32, 64, 128, 256 bytes */

typedef uint64_t hdr_t;

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KALLOC_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define KALLOC_ASAN 1
#endif

/* POISON(p, n): ASan reports any access to [p, p+n) until UNPOISON covers it
 * again.  Declared here: kernel/ includes no host header. */
#ifdef KALLOC_ASAN
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);
#define POISON(p, n)   __asan_poison_memory_region((p), (n))
#define UNPOISON(p, n) __asan_unpoison_memory_region((p), (n))
#else
#define POISON(p, n)   ((void)sizeof(p), (void)sizeof(n))
#define UNPOISON(p, n) ((void)sizeof(p), (void)sizeof(n))
#endif

typedef struct small {
    struct small *next;
} small_t;

static unsigned char *heap_lo, *heap_hi;   /* heap_hi: the epilogue header */
static klist_t free_list;
static small_t *classes[NCLASSES];
static kalloc_stats_t st;
static kwaitq_t mem_waiters;
static uint64_t calls, fail_at = UINT64_MAX;   /* 64-bit: never wraps */
static bool fail_sticky;

static inline hdr_t *hdr(unsigned char *b) { return (hdr_t *)(void *)b; }
static inline size_t bsize(unsigned char *b) { return (size_t)(*hdr(b) & ~(hdr_t)7); }
static inline klist_t *link_of(unsigned char *b) { return (klist_t *)(void *)(b + HDR); }
static inline unsigned char *block_of(klist_t *l) { return (unsigned char *)l - HDR; }
static inline void set_footer(unsigned char *b, size_t sz) { *hdr(b + sz - HDR) = sz; }

/* Make [b, b+sz) one free heap block (header sz | prev, footer sz; not yet on
 * the free list).  Its header, link and footer are unpoisoned before they are
 * written; the bytes between them are the caller's to poison (they already
 * are when b lies in a free block).  sz >= MIN_BLOCK. */
static void set_free_tags(unsigned char *b, size_t sz, hdr_t prev)
{
    UNPOISON(b, HDR + sizeof(klist_t));
    UNPOISON(b + sz - HDR, HDR);
    *hdr(b) = sz | prev;
    set_footer(b, sz);
}

/* The payload p of a block being handed out (usable bytes) becomes
 * addressable; returns p. */
static inline void *hand_out(void *p, size_t usable)
{
    UNPOISON(p, usable);
    return p;
}

/* A freed small object p of osz bytes (header included) keeps its free-list
 * pointer addressable, the rest of its payload is poisoned. */
static inline void poison_small(small_t *p, size_t osz)
{
    POISON((unsigned char *)p + sizeof(small_t), osz - HDR - sizeof(small_t));
}

kerr_t kalloc_init(void *base, size_t len)
{
    uintptr_t lo = ((uintptr_t)base + 7u) & ~(uintptr_t)7u;
    uintptr_t hi = ((uintptr_t)base + len) & ~(uintptr_t)7u;
    if (!base || hi < lo + 4096u)
        return KERR_INVAL;
    heap_lo = (unsigned char *)lo;
    heap_hi = (unsigned char *)hi - HDR;
    size_t sz = (size_t)(heap_hi - heap_lo);
    klist_init(&free_list);
    POISON(heap_lo, sz);                           /* all free, but the tags */
    set_free_tags(heap_lo, sz, F_PREV);
    klist_push_back(&free_list, link_of(heap_lo));
    UNPOISON(heap_hi, HDR);                        /* a former heap's poison */
    *hdr(heap_hi) = F_USED;                        /* epilogue */
    for (unsigned i = 0; i < NCLASSES; i++)
        classes[i] = NULL;
    kmem_set(&st, 0, sizeof st);
    st.total = sz;
    st.free_heap = sz;
    kwaitq_init(&mem_waiters);
    calls = 0;
    fail_at = UINT64_MAX;
    fail_sticky = false;
    return KERR_OK;
}

static unsigned char *heap_alloc(size_t need)
{
    klist_t *l;
    for (l = free_list.next; l != &free_list; l = l->next)
        if (bsize(block_of(l)) >= need)
            break;
    if (l == &free_list)
        return NULL;
    unsigned char *b = block_of(l);
    size_t sz = bsize(b);
    klist_remove(l);
    if (sz - need >= MIN_BLOCK) {
        unsigned char *rest = b + need;
        set_free_tags(rest, sz - need, F_PREV);    /* inside b: rest poisoned */
        klist_push_front(&free_list, link_of(rest));
        sz = need;
    } else {
        *hdr(b + sz) |= F_PREV;
    }
    *hdr(b) = sz | F_USED | (*hdr(b) & F_PREV);
    st.free_heap -= sz;
    UNPOISON(b + HDR, sz - HDR);                   /* the caller's now */
    return b;
}

static void heap_free(unsigned char *b)
{
    size_t sz = bsize(b);
    st.free_heap += sz;
    POISON(b + HDR, sz - HDR);                     /* the payload */
    unsigned char *next = b + sz;
    if (!(*hdr(next) & F_USED)) {
        klist_remove(link_of(next));
        sz += bsize(next);
        POISON(next, HDR + sizeof(klist_t));       /* inside the merged block */
    }
    if (!(*hdr(b) & F_PREV)) {
        size_t psz = (size_t)*hdr(b - HDR);
        POISON(b - HDR, 2 * HDR);                  /* prev's footer, b's header */
        b -= psz;
        klist_remove(link_of(b));
        sz += psz;
    }
    set_free_tags(b, sz, *hdr(b) & F_PREV);
    *hdr(b + sz) &= ~(hdr_t)F_PREV;
    klist_push_front(&free_list, link_of(b));
}

static bool refill(unsigned cls)
{
    size_t osz = (size_t)16u << cls;
    unsigned char *slab = heap_alloc(SLAB_BYTES);
    if (!slab)
        return false;
    /* The slab's own header stays; objects follow it. */
    unsigned char *p = slab + HDR;
    size_t n = (SLAB_BYTES - HDR) / osz;
    small_t *head = classes[cls];
    for (size_t i = n; i-- > 0;) {
        unsigned char *o = p + i * osz;
        *hdr(o) = F_SMALL | ((hdr_t)cls << 3);
        small_t *s = (small_t *)(void *)(o + HDR);
        s->next = head;
        head = s;
        poison_small(s, osz);
    }
    classes[cls] = head;
    POISON(p + n * osz, bsize(slab) - HDR - n * osz);   /* no object there */
    return true;
}

static inline void account(size_t sz)
{
    st.in_use += sz;
    if (st.in_use > st.peak)
        st.peak = st.in_use;
}

static void *fail(size_t n)
{
    st.failures++;
    if (trace_nth(st.failures))
        trace_emit(TRACE_WARN, TRACE_MOD_KALLOC, TRACE_EV_ALLOC_FAIL, (int32_t)(n > INT32_MAX ? INT32_MAX : n),
                   (int32_t)(st.in_use > INT32_MAX ? INT32_MAX : st.in_use), NULL);
    return NULL;
}

/* Size class by ceil(n / 8) for n in 1..KALLOC_SMALL_MAX (header included,
 * objects are 16, 32, 64, 128, 256 bytes). */
static const uint8_t class_of[32] = {
    0, 0, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,
};

static __attribute__((noinline)) void *alloc_slow(size_t n)
{
    if (calls >= fail_at) {
        if (!fail_sticky)
            fail_at = UINT64_MAX;
        return fail(n);
    }
    if (n == 0 || n > st.total)
        return fail(n);
    size_t total = (n + HDR + 7u) & ~(size_t)7u;
    if (n <= KALLOC_SMALL_MAX) {
        unsigned cls = class_of[(n + 7) >> 3];
        small_t *s = classes[cls];
        if (s || (refill(cls) && (s = classes[cls]))) {
            classes[cls] = s->next;
            account((size_t)16u << cls);
            return hand_out(s, ((size_t)16u << cls) - HDR);
        }
    }
    if (total < MIN_BLOCK)
        total = MIN_BLOCK;
    unsigned char *b = heap_alloc(total);
    if (!b)
        return fail(n);
    account(bsize(b));
    return b + HDR;                                /* heap_alloc unpoisoned it */
}

void *kalloc(size_t n)
{
    if (++calls < fail_at && n - 1 < KALLOC_SMALL_MAX) {
        unsigned cls = class_of[(n + 7) >> 3];
        small_t *s = classes[cls];
        if (s) {
            classes[cls] = s->next;
            account((size_t)16u << cls);
            return hand_out(s, ((size_t)16u << cls) - HDR);
        }
    }
    return alloc_slow(n);
}

void *kalloc_zero(size_t n)
{
    void *p = kalloc(n);
    if (p)
        kmem_set(p, 0, n);
    return p;
}

size_t kalloc_usable(const void *p)
{
    hdr_t h = ((const hdr_t *)p)[-1];
    if (h & F_SMALL)
        return ((size_t)16u << (h >> 3)) - HDR;
    return (size_t)(h & ~(hdr_t)7) - HDR;
}

void kfree(void *p)
{
    if (!p)
        return;
    hdr_t h = ((hdr_t *)p)[-1];
    st.frees++;
    if (h & F_SMALL) {
        unsigned cls = (unsigned)(h >> 3);
        small_t *s = p;
        s->next = classes[cls];
        classes[cls] = s;
        poison_small(s, (size_t)16u << cls);
        st.in_use -= (size_t)16u << cls;
    } else {
        unsigned char *b = (unsigned char *)p - HDR;
        st.in_use -= bsize(b);
        heap_free(b);
    }
    if (!kwaitq_empty(&mem_waiters))
        kwaitq_wake_all(&mem_waiters);
}

kerr_t kalloc_async(size_t n, task_t *t, void **out)
{
    uint64_t before = fail_at;
    void *p = kalloc(n);
    if (p) {
        *out = p;
        return KERR_OK;
    }
    /* Injected failures and impossible sizes fail at once; real shortage waits. */
    if (before != fail_at || n == 0 || n > st.total || (fail_sticky && calls >= fail_at))
        return KERR_NOMEM;
    return task_park(t, &mem_waiters);
}

void kalloc_get_stats(kalloc_stats_t *out)
{
    *out = st;
    out->allocs = (uint32_t)(calls - st.failures);
}

void kalloc_fault_inject(uint32_t nth, bool sticky)
{
    fail_at = nth ? calls + nth : UINT64_MAX;
    fail_sticky = sticky;
}

uint64_t kalloc_calls(void) { return calls; }
