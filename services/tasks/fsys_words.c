/*
 * fsys_words -- Forth words for the system itself: tracing, memory,
 * time.  (Ports and the mux have theirs in forth-lib over the sermux
 * service; tasks in ftask_words.c; services in fbridge.c.)
 *
 *   trace-level  ( n -- )   0 debug 1 info 2 warn 3 error 4 off
 *   trace-level@ ( -- n )
 *   uptime       ( -- ms )  milliseconds since boot
 *   .kmem        ( -- )     the kernel allocator's statistics
 *   kmem-in-use  ( -- n )   bytes it has handed out
 *   reap         ( -- n )   free the records of ended tasks nobody waits for
 */
#include "ftask.h"

static uint64_t boot_ns;

static int w_trace_level(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t n;
    if (fvm_pop(vm, &n))
        return FVM_E_STACK_UNDERFLOW;
    if (n < TRACE_DEBUG || n > TRACE_OFF)
        return fvm_abort_msg(vm, "trace-level: 0 debug .. 4 off");
    trace_set_level((trace_level_t)n);
    return 0;
}

static int w_trace_level_fetch(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return fvm_push(vm, trace_level());
}

static int w_uptime(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return fvm_push(vm, (fvm_cell_t)((plat_now() - boot_ns) / 1000000u));
}

static void put(fvm_t *vm, const char *label, unsigned long v)
{
    char b[64];
    int k = 0;
    while (*label)
        b[k++] = *label++;
    char d[24];
    int n = 0;
    do
        d[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    while (n)
        b[k++] = d[--n];
    b[k++] = '\n';
    fvm_type(vm, b, (size_t)k);
}

static int w_kmem(fvm_t *vm, void *ctx)
{
    (void)ctx;
    kalloc_stats_t s;
    kalloc_get_stats(&s);
    put(vm, "total     ", s.total);
    put(vm, "in use    ", s.in_use);
    put(vm, "peak      ", s.peak);
    put(vm, "failures  ", s.failures);
    put(vm, "tasks     ", ftask_count());
    return 0;
}

/* kmem-in-use ( -- n ): bytes the kernel allocator has handed out */
static int w_kmem_in_use(fvm_t *vm, void *ctx)
{
    (void)ctx;
    kalloc_stats_t s;
    kalloc_get_stats(&s);
    return fvm_push(vm, (fvm_cell_t)s.in_use);
}

/* reap ( -- n ): free the records of ended tasks nobody waits for */
static int w_reap(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return fvm_push(vm, (fvm_cell_t)ftask_reap());
}

static const fvm_word_t words[] = {
    { "kmem-in-use", w_kmem_in_use, NULL, 0 }, { "reap", w_reap, NULL, 0 },
    { "trace-level", w_trace_level, NULL, 0 }, { "trace-level@", w_trace_level_fetch, NULL, 0 },
    { "uptime", w_uptime, NULL, 0 }, { ".kmem", w_kmem, NULL, 0 },
};

kerr_t fsys_words_init(void)
{
    boot_ns = plat_now();
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
