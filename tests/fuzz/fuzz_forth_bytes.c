/*
 * fuzz_forth_bytes -- the embedding API with raw bytes: the input is a
 * sequence of operations on one VM (fresh per input, see fuzz_fvm.h):
 *
 *   0  input   n bytes (any: NULs, control characters) through fvm_input,
 *              then fvm_run until the VM wants more input
 *   1  eval    n bytes through fvm_eval (kept valid until the input ends)
 *   2  execute fvm_execute of a random cell, or of a real xt plus a small
 *              offset, then fvm_run
 *   3  push    random cells (fvm_push: 0 or -3, nothing else)
 *   4  pop     cells (fvm_pop: 0 or -4; depth drops by one each time)
 *   5  mem     fvm_mem / fvm_mem_w of a random range: NULL, or a pointer
 *              whose whole range lies inside the VM's block (touched)
 *   6  find    fvm_find of random bytes as a name
 *   7  misc    fvm_input_eof, the queries (fvm_wants, fvm_unused, ...)
 *
 * fvm_run is bounded (fuel and calls); every status is handled and checked.
 * At the end, if no operation could legitimately ruin the VM (execute, a
 * storing or defining word in the text), it must answer "1 2 + ." with "3 ".
 */
#include "fuzz_fvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char arena[1 << 16];     /* eval texts: valid until the input ends */
static size_t arena_len;

typedef struct { const uint8_t *p; size_t n; } rd_t;

static unsigned rd_byte(rd_t *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static uint64_t rd_u64(rd_t *r, int bytes)
{
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++)
        v |= (uint64_t)rd_byte(r) << (8 * i);
    return v;
}

static int runs, tainted, eof_sent;

/* Run until the VM wants input or stops; bounded. */
static void run_some(void)
{
    for (int i = 0; i < 8 && runs < FZ_RUNS; i++, runs++) {
        fvm_status_t s = fvm_run(fz_vm, FZ_FUEL);
        fz_check_status(s);
        if (s == FVM_OUT_OF_FUEL || s == FVM_WAIT)
            continue;
        if (s == FVM_BYE)
            tainted = 1;
        if (s == FVM_NEED_INPUT && fvm_wants(fz_vm) != FVM_WANT_LINE)
            return;             /* KEY/ACCEPT: the next input op answers */
        return;
    }
    tainted = 1;                /* still running: a runaway, fine */
}

static const char *const known[] = {
    "dup", "+", ".", "execute", "quit", ":", "does>", "abort", "catch", "throw",
    "evaluate", "bye", "see", "words", "base", "here", "cmove", "type", "emit", "'",
    "f.", "fdup", "f!", "fsqrt", "f**", "fconstant", ">float", "fsincos",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd_t r = { data, size };
    fz_fresh();
    arena_len = 0;
    runs = 0;
    tainted = 0;
    eof_sent = 0;
    while (r.n && runs < FZ_RUNS) {
        unsigned op = rd_byte(&r);
        switch (op & 7) {
        case 0: {                                   /* input */
            size_t n = rd_byte(&r) + (op & 0x80 ? 256u * rd_byte(&r) : 0);
            if (n > r.n)
                n = r.n;
            if (fz_tainted((const char *)r.p, n))
                tainted = 1;
            size_t took = fvm_input(fz_vm, (const char *)r.p, n);
            FZ_CHECK(took <= n, "fvm_input took %zu of %zu", took, n);
            r.p += n;
            r.n -= n;
            run_some();
            break;
        }
        case 1: {                                   /* eval */
            size_t n = rd_byte(&r);
            if (n > r.n)
                n = r.n;
            if (arena_len + n > sizeof arena)
                return 0;
            memcpy(arena + arena_len, r.p, n);
            if (fz_tainted(arena + arena_len, n))
                tainted = 1;
            r.p += n;
            r.n -= n;
            fvm_status_t s = fvm_eval(fz_vm, arena + arena_len, n);
            arena_len += n;
            fz_check_status(s);
            if (s == FVM_BYE)
                tainted = 1;
            if (s == FVM_OUT_OF_FUEL || s == FVM_WAIT || s == FVM_NEED_INPUT)
                run_some();
            break;
        }
        case 2: {                                   /* execute */
            fvm_cell_t xt;
            if (op & 0x10) {
                xt = fvm_find(fz_vm, known[rd_byte(&r) % (sizeof known / sizeof known[0])]);
                xt += (int8_t)rd_byte(&r);
            } else {
                xt = (fvm_cell_t)rd_u64(&r, 8);
            }
            tainted = 1;
            if (fvm_execute(fz_vm, xt) == 0)
                run_some();
            break;
        }
        case 3: {                                   /* push */
            unsigned k = (op >> 3) + 1;
            for (unsigned i = 0; i < k; i++) {
                int d = fvm_depth(fz_vm);
                int rc = fvm_push(fz_vm, (fvm_cell_t)rd_u64(&r, 1 + (op >> 6) * 2));
                FZ_CHECK(rc == 0 || rc == FVM_E_STACK_OVERFLOW, "fvm_push %d", rc);
                FZ_CHECK(fvm_depth(fz_vm) == d + (rc == 0), "push depth");
            }
            break;
        }
        case 4: {                                   /* pop */
            unsigned k = (op >> 3) + 1;
            for (unsigned i = 0; i < k; i++) {
                int d = fvm_depth(fz_vm);
                fvm_cell_t v;
                int rc = fvm_pop(fz_vm, &v);
                FZ_CHECK(rc == 0 || rc == FVM_E_STACK_UNDERFLOW, "fvm_pop %d", rc);
                FZ_CHECK(rc == 0 ? fvm_depth(fz_vm) == d - 1 : d <= 0, "pop depth");
            }
            break;
        }
        case 5: {                                   /* mem */
            fvm_cell_t a;
            size_t len;
            if (op & 0x10) {                        /* near a real address */
                a = (fvm_cell_t)(rd_u64(&r, 3) & 0x3ffff);
                fvm_cell_t base = fvm_find(fz_vm, "dup");
                a = (op & 0x20) ? base + a - 0x20000 : a;
                len = (size_t)rd_u64(&r, 2);
            } else {
                a = (fvm_cell_t)rd_u64(&r, 8);
                len = (size_t)rd_u64(&r, op & 0x20 ? 8 : 2);
            }
            unsigned char *p = (op & 0x40) ? fvm_mem_w(fz_vm, a, len) : fvm_mem(fz_vm, a, len);
            if (p) {
                FZ_CHECK(p >= fz_mem && len <= FZ_MEM && (size_t)(p - fz_mem) <= FZ_MEM - len,
                         "fvm_mem%s(%#lx, %zu) = %p outside the block [%p, +%u)",
                         (op & 0x40) ? "_w" : "", (unsigned long)a, len, (void *)p,
                         (void *)fz_mem, FZ_MEM);
                volatile unsigned sum = 0;
                for (size_t i = 0; i < len; i++)
                    sum += p[i];
                if (op & 0x40)
                    for (size_t i = 0; i < len; i++)
                        p[i] = p[i];                /* writable; unchanged */
                (void)sum;
            }
            break;
        }
        case 6: {                                   /* find */
            char name[64];
            size_t n = rd_byte(&r) % sizeof name;
            if (n > r.n)
                n = r.n;
            memcpy(name, r.p, n);
            name[n] = 0;
            r.p += n;
            r.n -= n;
            (void)fvm_find(fz_vm, name);
            break;
        }
        case 7:                                     /* misc */
            (void)fvm_wants(fz_vm);
            (void)fvm_unused(fz_vm);
            (void)fvm_compiling(fz_vm);
            (void)fvm_user(fz_vm);
            (void)fvm_throw_text((int)(int8_t)rd_byte(&r) * (op & 0x8 ? 2 : 1));
            if (op & 0x10) {
                fvm_input_eof(fz_vm);
                eof_sent = tainted = 1;
                run_some();
            }
            if (op & 0x20) {
                fvm_type(fz_vm, "abc", 3);
            }
            break;
        }
    }
    if (runs >= FZ_RUNS || eof_sent)
        return 0;
    int ok = fz_sanity();
    if (!tainted)
        FZ_CHECK(ok == 1, "the VM no longer answers \"1 2 + .\" with \"3 \" (%d)", ok);
    return 0;
}
