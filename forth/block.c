/*
 * block.c -- the BLOCK word set's buffer bookkeeping: BLK SCR UPDATE
 * EMPTY-BUFFERS and the internal (blk-...) primitives that prelude.fs's
 * BLOCK BUFFER SAVE-BUFFERS FLUSH LOAD THRU LIST use.
 *
 * Block u (1 <= u <= FVM_BLOCK_MAX) is the 1024 bytes at (u-1)*1024 of the
 * block file ("blocks.fb" unless OPEN-BLOCKS named another), read and
 * written through the FILE-ACCESS hooks.  Those hooks may be asynchronous,
 * so the I/O is Forth (prelude.fs); this file only decides what to do.
 * (blk-find) answers with a buffer holding the block, or with the one I/O
 * step that gets closer to it: write a dirty victim back, or read the block
 * in.  The Forth side does the step, reports it with (blk-done) and asks
 * again.  A step that throws leaves the bookkeeping as it was: a dirty
 * buffer stays dirty, a buffer whose read failed is read again next time.
 *
 * The buffers (BLK_SLOTS of 1024 bytes, then the file name) are one heap
 * block, allocated on first use; their state is in the VM struct, where a
 * program cannot scribble on it.
 */
#include "fvm_int.h"

#define BLK_BYTES   1024u
#define BLK_NAME_AT (BLK_SLOTS * BLK_BYTES)           /* name: count, chars */
#define BLK_AREA    (BLK_NAME_AT + 1 + BLK_NAME_MAX)

enum { SL_FREE, SL_VALID, SL_DIRTY, SL_LOADING };
enum { OP_WRITE = 1, OP_READ = 2 };                   /* (blk-find) steps */

static const char default_name[] = "blocks.fb";

static ucell slot_addr(const fvm_t *vm, int i) { return vm->blk.area + (ucell)i * BLK_BYTES; }

static int area(fvm_t *vm)
{
    if (vm->blk.area)
        return 0;
    cell a;
    if (fvmi_allocate(vm, BLK_AREA, &a))
        return -59;                                   /* ALLOCATE's ior */
    unsigned char *p = (unsigned char *)(vm->bias + (ucell)a);
    p[BLK_NAME_AT] = (unsigned char)(sizeof default_name - 1);
    for (unsigned i = 0; i < sizeof default_name - 1; i++)
        p[BLK_NAME_AT + 1 + i] = (unsigned char)default_name[i];
    vm->blk.area = (ucell)a;
    for (int i = 0; i < BLK_SLOTS; i++)
        vm->blk.slot[i].state = SL_FREE;
    vm->blk.cur = -1;
    return 0;
}

static int slot_of(const fvm_t *vm, ucell a)
{
    for (int i = 0; i < BLK_SLOTS; i++)
        if (slot_addr(vm, i) == a)
            return i;
    return -1;
}

static int valid_block(cell u) { return u >= 1 && u <= FVM_BLOCK_MAX; }

static void use(fvm_t *vm, int i)
{
    vm->blk.cur = i;
    vm->blk.slot[i].used = ++vm->blk.clock;
}

/* The least recently used buffer, sparing the block being interpreted
 * (BLK) while another will do. */
static int victim(const fvm_t *vm)
{
    cell loading = *fvmi_sysvar(vm, V_BLK);
    int best = -1;
    for (int i = 0; i < BLK_SLOTS; i++) {
        const struct blk_slot *s = &vm->blk.slot[i];
        if (s->state == SL_FREE)
            return i;
        if (s->blk == loading && loading)
            continue;
        if (best < 0 || (int32_t)(s->used - vm->blk.slot[best].used) < 0)
            best = i;
    }
    return best >= 0 ? best : 0;
}

static int push2(fvm_t *vm, cell a, cell b)
{
    TRY(fvm_push(vm, a));
    return fvm_push(vm, b);
}

/* (blk-find) ( u read? -- a-addr 0 | a-addr u' op ): the buffer holding
 * block u (made current), or one step: op 1 write buffer a-addr back as
 * block u', op 2 read block u' into a-addr; then (blk-done) and ask again.
 * With read? false a block not in a buffer is not read (BUFFER). */
int fc_blk_find(fvm_t *vm)
{
    NEEDS(2);
    cell rd = pop(vm), u = pop(vm);
    if (!valid_block(u))
        return -35;
    TRY(area(vm));
    for (int i = 0; i < BLK_SLOTS; i++) {
        struct blk_slot *s = &vm->blk.slot[i];
        if (s->state == SL_FREE || s->blk != u)
            continue;
        if (s->state == SL_LOADING && rd) {
            TRY(push2(vm, (cell)slot_addr(vm, i), u));
            return fvm_push(vm, OP_READ);
        }
        if (s->state == SL_LOADING)
            s->state = SL_VALID;
        use(vm, i);
        return push2(vm, (cell)slot_addr(vm, i), 0);
    }
    int v = victim(vm);
    struct blk_slot *s = &vm->blk.slot[v];
    if (s->state == SL_DIRTY) {
        TRY(push2(vm, (cell)slot_addr(vm, v), s->blk));
        return fvm_push(vm, OP_WRITE);
    }
    s->blk = u;
    if (vm->blk.cur == v)
        vm->blk.cur = -1;
    if (rd) {
        s->state = SL_LOADING;
        TRY(push2(vm, (cell)slot_addr(vm, v), u));
        return fvm_push(vm, OP_READ);
    }
    s->state = SL_VALID;
    use(vm, v);
    return push2(vm, (cell)slot_addr(vm, v), 0);
}

/* (blk-done) ( a-addr op -- ): the step (blk-find) asked for is done. */
int fc_blk_done(fvm_t *vm)
{
    NEEDS(2);
    cell op = pop(vm), a = pop(vm);
    int i = vm->blk.area ? slot_of(vm, (ucell)a) : -1;
    if (i < 0)
        return -35;
    struct blk_slot *s = &vm->blk.slot[i];
    if (op == OP_WRITE && s->state == SL_DIRTY)
        s->state = SL_VALID;
    else if (op == OP_READ && s->state == SL_LOADING)
        s->state = SL_VALID;
    return 0;
}

/* (blk-dirty) ( -- a-addr u 1 | 0 ): a buffer to write back (SAVE-BUFFERS) */
int fc_blk_dirty(fvm_t *vm)
{
    for (int i = 0; vm->blk.area && i < BLK_SLOTS; i++)
        if (vm->blk.slot[i].state == SL_DIRTY) {
            TRY(push2(vm, (cell)slot_addr(vm, i), vm->blk.slot[i].blk));
            return fvm_push(vm, OP_WRITE);
        }
    return fvm_push(vm, 0);
}

int fc_update(fvm_t *vm)
{
    if (vm->blk.area && vm->blk.cur >= 0 && vm->blk.slot[vm->blk.cur].state == SL_VALID)
        vm->blk.slot[vm->blk.cur].state = SL_DIRTY;
    return 0;
}

int fc_empty_buffers(fvm_t *vm)
{
    for (int i = 0; i < BLK_SLOTS; i++)
        vm->blk.slot[i].state = SL_FREE;
    vm->blk.cur = -1;
    return 0;
}

/* (blk-fid) ( -- fileid true | false ): the block file, if open */
int fc_blk_fid(fvm_t *vm)
{
    if (!vm->blk.open)
        return fvm_push(vm, 0);
    return push2(vm, vm->blk.fid, -1);
}

/* (blk-fid!) ( fileid true | false -- ): the block file is open / closed */
int fc_blk_set_fid(fvm_t *vm)
{
    NEEDS(1);
    cell open = pop(vm);
    if (open) {
        NEEDS(1);
        vm->blk.fid = pop(vm);
    }
    vm->blk.open = open != 0;
    return 0;
}

/* (blk-name) ( -- c-addr u ): the block file's name */
int fc_blk_name(fvm_t *vm)
{
    TRY(area(vm));
    ucell at = vm->blk.area + BLK_NAME_AT;
    return push2(vm, (cell)(at + 1), *(unsigned char *)(vm->bias + at));
}

/* (blk-name!) ( c-addr u -- ): name the block file (OPEN-BLOCKS) */
int fc_blk_set_name(fvm_t *vm)
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    const char *s = n > 0 ? vm_addr(vm, (ucell)a, (ucell)n) : NULL;
    if (!s || n > BLK_NAME_MAX)
        return -38;
    TRY(area(vm));
    unsigned char *p = (unsigned char *)(vm->bias + vm->blk.area + BLK_NAME_AT);
    for (cell i = 0; i < n; i++)
        p[1 + i] = (unsigned char)s[i];
    p[0] = (unsigned char)n;
    return 0;
}

int fc_blk(fvm_t *vm) { return fvm_push(vm, (cell)(vm->sysv + V_BLK * CELL)); }
int fc_scr(fvm_t *vm) { return fvm_push(vm, (cell)(vm->sysv + V_SCR * CELL)); }

/* (push-block) ( a-addr u -- ): interpret the buffer a-addr as block u */
int fc_push_block(fvm_t *vm)
{
    NEEDS(2);
    cell u = pop(vm), a = pop(vm);
    if (!valid_block(u))
        return -35;
    if (!vm_addr(vm, (ucell)a, BLK_BYTES))
        return FVM_E_INVALID_ADDRESS;
    return fvmi_push_source(vm, SRC_BLOCK, (ucell)a, BLK_BYTES, u);
}

/* (set-block) ( a-addr u -- ): the block source now reads block u from
 * a-addr (REFILL's next block; the buffer again after a nested LOAD); >IN
 * is left as it is */
int fc_set_block(fvm_t *vm)
{
    NEEDS(2);
    cell u = pop(vm), a = pop(vm);
    src_t *s = &vm->src[vm->nsrc - 1];
    if (s->kind != SRC_BLOCK || !valid_block(u))
        return -35;
    if (!vm_addr(vm, (ucell)a, BLK_BYTES))
        return FVM_E_INVALID_ADDRESS;
    s->buf = (ucell)a;
    s->len = BLK_BYTES;
    s->fileid = u;
    *fvmi_sysvar(vm, V_BLK) = u;
    return 0;
}
