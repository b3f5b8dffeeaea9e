/*
 * memalloc.c -- the MEMORY-ALLOCATION word set: ALLOCATE FREE RESIZE.
 *
 * The heap lives inside the VM's own memory, carved from the top of the
 * free data space downward: the blocks fill [limit, heap_top), where
 * heap_top is where the data space ended when the VM was made.  A new
 * block that fits no free one moves `limit` down (so UNUSED shrinks);
 * freeing the lowest block moves it back up.  HERE can never grow into the
 * heap, and the heap never below HERE.
 *
 * Block: [size | used][payload ...], size in bytes including the header
 * cell, a multiple of the cell size, at least two cells.  Blocks tile the
 * heap.  The headers sit in memory a program can write, so every walk
 * checks each header and is bounded; a broken heap makes ALLOCATE, FREE
 * and RESIZE fail with their ior, never read outside it.
 *
 * A task sets how many blocks there are, so a walk pays fuel for the
 * blocks it visits (a unit each), and
 * RESIZE pays for the bytes it copies.
 */
#include "fvm_int.h"

#define ALIGN_UP(n) (((ucell)(n) + CELL - 1) & ~(ucell)(CELL - 1))
#define USED ((ucell)1)
#define MIN_BLOCK (2 * (ucell)CELL)
#define RESERVE 256u            /* data space ALLOCATE leaves to the dictionary */
#define E_ALLOCATE (-59)
#define E_FREE (-60)
#define E_RESIZE (-61)

static ucell *hdr(fvm_t *vm, ucell p) { return (ucell *)(vm->bias + p); }

/* Size of the block at p if its header is sane, else 0. */
static ucell block_size(fvm_t *vm, ucell p)
{
    ucell s = *hdr(vm, p) & ~USED;
    if (s < MIN_BLOCK || (s & (CELL - 1)) || s > vm->heap_top - p)
        return 0;
    return s;
}

static bool is_used(fvm_t *vm, ucell p) { return *hdr(vm, p) & USED; }

/* Bytes a block for u payload bytes takes; 0 if impossible. */
static ucell need_for(ucell u)
{
    if (u > ((ucell)-1 >> 2))
        return 0;
    ucell n = ALIGN_UP(u) + CELL;
    return n < MIN_BLOCK ? MIN_BLOCK : n;
}

/* Find the block whose payload is at a: *blk its start, *prev the block
 * before it (0: none).  Returns false if a is not a block of the heap. */
static bool find_block(fvm_t *vm, ucell a, ucell *blk, ucell *prev)
{
    ucell p = vm->limit, pv = 0, steps = 0;
    bool found = false;
    if (a & (CELL - 1) || a < p + CELL || a >= vm->heap_top)
        return false;
    for (; p < vm->heap_top; steps++) {
        ucell s = block_size(vm, p);
        if (!s || p + CELL > a)
            break;
        if (p + CELL == a) {
            *blk = p;
            *prev = pv;
            found = true;
            break;
        }
        pv = p;
        p += s;
    }
    fvmi_charge_walk(vm, steps);
    return found;
}

/* Split the block at p (size s) to n bytes if the rest makes a block. */
static void split(fvm_t *vm, ucell p, ucell s, ucell n, ucell used)
{
    if (s - n >= MIN_BLOCK) {
        *hdr(vm, p) = n | used;
        *hdr(vm, p + n) = s - n;     /* free; merging it on is FREE's job */
    } else {
        *hdr(vm, p) = s | used;
    }
}

int fvmi_allocate(fvm_t *vm, ucell u, cell *addr)
{
    ucell n = need_for(u);
    *addr = 0;
    if (!n)
        return E_ALLOCATE;
    if (vm->heap_top < vm->limit || vm->heap_top > vm->hi)
        return E_ALLOCATE;
    ucell steps = 0;
    for (ucell p = vm->limit; p < vm->heap_top; steps++) {   /* first fit */
        ucell s = block_size(vm, p);
        if (!s) {
            fvmi_charge_walk(vm, steps);
            return E_ALLOCATE;
        }
        if (!is_used(vm, p) && s >= n) {
            fvmi_charge_walk(vm, steps);
            split(vm, p, s, n, USED);
            *addr = (cell)(p + CELL);
            return 0;
        }
        p += s;
    }
    fvmi_charge_walk(vm, steps);
    if (vm->limit - vm->here < n + RESERVE)
        return E_ALLOCATE;
    vm->limit -= n;
    *hdr(vm, vm->limit) = n | USED;
    *addr = (cell)(vm->limit + CELL);
    return 0;
}

/* Mark the block at p free, merge it with free neighbours, and give the
 * lowest block back to the data space if it is free. */
static void release(fvm_t *vm, ucell p, ucell prev)
{
    ucell s = block_size(vm, p);
    ucell q = p + s;
    if (q < vm->heap_top && !is_used(vm, q)) {
        ucell t = block_size(vm, q);
        if (t)
            s += t;
    }
    *hdr(vm, p) = s;
    if (prev && !is_used(vm, prev)) {
        *hdr(vm, prev) = block_size(vm, prev) + s;
        p = prev;
    }
    if (p == vm->limit)
        vm->limit += block_size(vm, p);
}

/* The heap blocks the VM itself holds (the block buffers, block.c): the
 * program may read and write them through BLOCK, but not FREE or RESIZE
 * them (BLOCK would go on handing out bytes ALLOCATE gave away). */
static bool vm_owned(const fvm_t *vm, cell a)
{
    return vm->blk.area && (ucell)a == vm->blk.area;
}

int fvmi_free(fvm_t *vm, cell a)
{
    ucell p, prev;
    if (vm_owned(vm, a) || !find_block(vm, (ucell)a, &p, &prev) || !is_used(vm, p))
        return E_FREE;
    release(vm, p, prev);
    return 0;
}

int fc_allocate(fvm_t *vm)  /* ( u -- a-addr ior ) */
{
    NEEDS(1);
    cell a;
    int ior = fvmi_allocate(vm, (ucell)pop(vm), &a);
    TRY(fvm_push(vm, a));
    return fvm_push(vm, ior);
}

int fc_free(fvm_t *vm)  /* ( a-addr -- ior ) */
{
    NEEDS(1);
    return fvm_push(vm, fvmi_free(vm, pop(vm)));
}

/* RESIZE ( a-addr1 u -- a-addr2 ior ): on failure a-addr1 is unchanged */
int fc_resize(fvm_t *vm)
{
    NEEDS(2);
    ucell u = (ucell)pop(vm);
    cell a = pop(vm);
    ucell p, prev, n = need_for(u);
    if (vm_owned(vm, a) || !find_block(vm, (ucell)a, &p, &prev) || !is_used(vm, p) || !n) {
        TRY(fvm_push(vm, a));
        return fvm_push(vm, E_RESIZE);
    }
    ucell s = block_size(vm, p), q = p + s;
    if (s < n && q < vm->heap_top && !is_used(vm, q)) {   /* grow in place */
        ucell t = block_size(vm, q);
        if (t && s + t >= n) {
            s += t;
            *hdr(vm, p) = s | USED;
        }
    }
    if (s >= n) {
        split(vm, p, s, n, USED);
        q = p + (block_size(vm, p));
        if (q < vm->heap_top && !is_used(vm, q)) {         /* merge the rest on */
            ucell r = q + block_size(vm, q);
            if (r < vm->heap_top && !is_used(vm, r) && block_size(vm, r))
                *hdr(vm, q) = block_size(vm, q) + block_size(vm, r);
        }
        TRY(fvm_push(vm, a));
        return fvm_push(vm, 0);
    }
    cell b;
    if (fvmi_allocate(vm, u, &b)) {
        TRY(fvm_push(vm, a));
        return fvm_push(vm, E_RESIZE);
    }
    /* blocks never move, so a (and s) still name the old block */
    fvmi_charge(vm, s - CELL, 32);
    unsigned char *d = (unsigned char *)(vm->bias + (ucell)b);
    const unsigned char *src = (const unsigned char *)(vm->bias + (ucell)a);
    for (ucell i = 0; i < s - CELL; i++)
        d[i] = src[i];
    if (find_block(vm, (ucell)a, &p, &prev))
        release(vm, p, prev);
    TRY(fvm_push(vm, b));
    return fvm_push(vm, 0);
}
