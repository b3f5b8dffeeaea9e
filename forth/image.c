/*
 * image.c -- a VM saved as a position-independent image and made again from
 * one (fvm_image_save, fvm_image_load; contracts in fvm.h).
 *
 * A VM's whole state lives in its block: the struct, the host table, the
 * stacks, then the addressable region [lo, hi) whose dictionary, heap,
 * buffers and sysvars hold only virtual addresses.  The image is
 *
 *   header | block bytes from the struct up to `here` | bytes [limit, hi)
 *
 * with the struct's host pointers stored relative to the struct, and the
 * host table without functions: each registered slot's context holds the
 * xt of its header instead, for fvm_register to check names against.  The free space between
 * here and limit is not stored.  Loading lays the block out as fvm_create
 * would, checks that the layout is the image's, copies the two parts back
 * and turns the relative pointers into this block's.
 */
#include "fvm_int.h"

#define IMG_MAGIC   0x494d5646u   /* "FVMI" */
#define IMG_VERSION 4u   /* 4: (compile-sem) renumbered the tokens after it */

typedef struct {
    uint32_t magic, version;
    uint32_t cell_size, fvm_size;  /* sizeof(cell), sizeof(fvm_t) */
    uint64_t sig;                  /* the struct's shape (layout_sig) */
    uint64_t lo, hi, here, limit;  /* the addressable region's layout */
    uint64_t a_len, b_len;         /* the two stored parts */
} img_hdr_t;

/* Offsets of fields a build may move; with the size they catch a VM from
 * another build (or ABI) whose struct differs. */
static uint64_t layout_sig(void)
{
    return (uint64_t)offsetof(fvm_t, bias) ^ (uint64_t)offsetof(fvm_t, here) << 12 ^
           (uint64_t)offsetof(fvm_t, host) << 24 ^ (uint64_t)offsetof(fvm_t, cfg) << 36 ^
           (uint64_t)offsetof(fvm_t, src) << 48 ^ (uint64_t)sizeof(hostword_t) << 56;
}

/* memcpy: the freestanding targets provide it (gcc may call it anyway) */
static void copy(void *dst, const void *src, size_t n)
{
    __builtin_memcpy(dst, src, n);
}

/* Host pointers inside the block, as a list of their fields. */
#define IMG_PTRS(X) X(ip) X(sp) X(rp) X(s0) X(slim) X(r0) X(rlim) X(fsp) X(f0) X(flim) \
    X(mem) X(host) X(quit_ip)

/* Find each host word's header (walking every word list; the oldest
 * header of a slot is its registration, newer ones are synonyms) and note
 * its xt in ht[slot].ctx.  false if a registered slot has none. */
static bool slot_headers(const fvm_t *vm, hostword_t *ht)
{
    for (int w = 0; w < vm->nwordlists; w++) {
        const cell *head = vm_addr(vm, (ucell)vm->wordlists[w], CELL);
        cell xt = head ? *head : 0;
        ucell steps = (vm->hi - vm->lo) / (3 * CELL);
        while (xt && steps--) {
            const cell *h = vm_addr(vm, (ucell)xt - 2 * CELL, 4 * CELL);
            if (!h)
                return false;
            if (h[2] == K_DOHOST && (ucell)h[3] >= HS_NFILE && (ucell)h[3] < vm->nhost)
                ht[h[3]].ctx = (void *)(uintptr_t)xt;
            xt = h[1];
        }
    }
    for (unsigned i = HS_NFILE; i < vm->nhost; i++)
        if (!ht[i].ctx)
            return false;
    return true;
}

size_t fvm_image_save(const fvm_t *vm, void *buf, size_t cap)
{
    /* idle: nothing on the return stack (it holds host addresses), no
     * text, output, file or catch frame under way, not a fork */
    if (vm->nimg || vm->eval_active || vm->nout || vm->nsrc != 1 || vm->nfiles ||
        vm->rp != vm->r0 || vm->handler || vm->fpd ||
        vm->nbound != vm->nhost || vm->here > vm->limit)
        return 0;
    uintptr_t base = (uintptr_t)vm;
    img_hdr_t h = {
        .magic = IMG_MAGIC, .version = IMG_VERSION,
        .cell_size = CELL, .fvm_size = sizeof(fvm_t), .sig = layout_sig(),
        .lo = vm->lo, .hi = vm->hi, .here = vm->here, .limit = vm->limit,
        .a_len = vm->bias + vm->here - base, .b_len = vm->hi - vm->limit,
    };
    size_t need = sizeof h + h.a_len + h.b_len;
    if (!buf)
        return need;
    if (cap < need)
        return 0;
    unsigned char *p = buf;
    copy(p, &h, sizeof h);
    p += sizeof h;
    copy(p, vm, h.a_len);

    /* the struct: relative pointers, no host hooks or pending text */
    fvm_t *s = (fvm_t *)p;
#define REL(f) s->f = (void *)((uintptr_t)vm->f - base);
    IMG_PTRS(REL)
#undef REL
    s->bias = vm->bias - base;
    for (size_t i = 0; i < sizeof s->cfg; i++)
        ((unsigned char *)&s->cfg)[i] = 0;
    s->err.message = s->err.word = s->err.source = s->err.context = NULL;
    s->eval_text = NULL;
    s->eval_len = 0;
    /* the host table: no functions; each registered slot's ctx holds its
     * header's xt, for fvm_register to check the names against */
    hostword_t *ht = (hostword_t *)(p + ((uintptr_t)vm->host - base));
    for (unsigned i = 0; i < vm->max_host; i++)
        ht[i].fn = NULL, ht[i].ctx = NULL;
    if (!slot_headers(vm, ht))
        return 0;
    p += h.a_len;
    copy(p, (const void *)(vm->bias + vm->limit), h.b_len);
    return need;
}

fvm_t *fvm_image_load(void *mem, size_t size, const fvm_config_t *cfg,
                      const void *image, size_t len)
{
    static const fvm_config_t none;
    img_hdr_t h;
    if (!image || len < sizeof h)
        return NULL;
    copy(&h, image, sizeof h);
    if (h.magic != IMG_MAGIC || h.version != IMG_VERSION || h.cell_size != CELL ||
        h.fvm_size != sizeof(fvm_t) || h.sig != layout_sig() ||
        h.a_len > len || h.b_len > len - h.a_len || sizeof h + h.a_len + h.b_len != len)
        return NULL;
    if (!cfg)
        cfg = &none;
    fvm_t *vm = fvmi_layout(mem, size, cfg, FVM_VBASE, 16 * 1024);
    if (!vm || vm->lo != h.lo || vm->hi != h.hi || h.here > h.limit || h.limit > h.hi ||
        h.here < h.lo || h.hi - h.limit != h.b_len)
        return NULL;
    uintptr_t base = (uintptr_t)vm;
    if (vm->bias + h.here - base != h.a_len)
        return NULL;

    /* this block's layout, to check the image's against */
    struct {
        uintptr_t bias;
        void *s0, *slim, *r0, *rlim, *f0, *flim, *mem, *host;
        unsigned max_host;
        fvm_config_t cfg;
        fvm_error_t err;
    } fresh = { vm->bias, vm->s0, vm->slim, vm->r0, vm->rlim, vm->f0, vm->flim, vm->mem,
                vm->host, vm->max_host, vm->cfg, vm->err };
    const unsigned char *p = (const unsigned char *)image + sizeof h;
    copy(vm, p, h.a_len);
    bool same = vm->bias == fresh.bias - base && vm->max_host == fresh.max_host;
#define SAME(f) same = same && (uintptr_t)vm->f == (uintptr_t)fresh.f - base;
    SAME(s0) SAME(slim) SAME(r0) SAME(rlim) SAME(f0) SAME(flim) SAME(mem) SAME(host)
#undef SAME
    if (!same || vm->nhost > vm->max_host || vm->nhost < HS_NFILE)
        return NULL;   /* the block is garbage now; the caller may fvm_create in it */
#define ABS(f) vm->f = (void *)((uintptr_t)vm->f + base);
    IMG_PTRS(ABS)
#undef ABS
    vm->bias = fresh.bias;
    vm->cfg = fresh.cfg;
    vm->err = fresh.err;
    copy((void *)(vm->bias + (uintptr_t)h.limit), p + h.a_len, h.b_len);

    /* the reserved slots from cfg; the rest wait for fvm_register (their
     * ctx holds their header's xt until then) */
    fvmi_set_hooks(vm, &vm->cfg);
    vm->nbound = HS_NFILE;
    vm->blk.open = false;   /* another host's file: the next BLOCK opens it again */
    fvmi_bounds(vm);
    return vm;
}

unsigned fvm_unbound(const fvm_t *vm)
{
    return vm->nhost - vm->nbound;
}
