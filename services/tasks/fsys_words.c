/*
 * fsys_words -- Forth words for the system itself: tracing, memory,
 * time.  (Ports and the mux have theirs in forth-lib over the sermux
 * service; tasks in ftask_words.c; services in fbridge.c.)
 *
 *   trace-level  ( n -- )   0 debug 1 info 2 warn 3 error 4 off
 *   trace-level@ ( -- n )
 *   trace        ( c-addr u -- )   a trace event of the user's (info level,
 *                            the first 22 bytes of the text)
 *   kmem-quota   ( -- used limit )  this task's kernel memory account
 *   error-throw  ( code -- )        THROW code with clio's text for it
 *                                   (cerr.h), or the standard text
 *   (error-text) ( code c-addr u -- u2 )  that text, copied to c-addr
 *   name-throw   ( code c-addr u -- )   THROW code (0: nothing) with the
 *                                   message "name: text" (a file's name)
 *   uptime       ( -- ms )  milliseconds since boot
 *   .kmem        ( -- )     the kernel allocator's statistics
 *   kmem-in-use  ( -- n )   bytes it has handed out
 *   reap         ( -- n )   free the records of ended tasks nobody waits for
 */
#include "ftask.h"
#include "fsys_words.h"
#include "common/cerr.h"

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

/* What `trace` pays: about its cost on Linux, where the critical section
 * is two signal-mask system calls (7.2 us a call, some thousand units of
 * code); a loop of traces in a child held the console 2.6 s. */
#define TRACE_FUEL 2048

static int w_trace(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t a, n;
    if (fvm_depth(vm) < 2)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &n);
    fvm_pop(vm, &a);
    if (n < 0)
        return FVM_E_INVALID_ADDRESS;
    size_t k = n < TRACE_TEXT_MAX - 1 ? (size_t)n : TRACE_TEXT_MAX - 1;
    const char *s = k ? fvm_mem(vm, a, k) : "";
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    char text[TRACE_TEXT_MAX];
    for (size_t i = 0; i < k; i++)
        text[i] = (s[i] >= ' ' && s[i] < 127) ? s[i] : '?';
    text[k] = 0;
    ftask_t *f = ftask_of(vm);
    trace_emit(TRACE_INFO, TRACE_MOD_USER, TRACE_EV_USER, f ? (int32_t)ftask_id(f) : 0, 0, text);
    fvm_charge(vm, TRACE_FUEL);
    return 0;
}

static int w_kmem_quota(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = ftask_of(vm);
    kacct_t *a = f ? ftask_acct(f) : NULL;
    int rc = fvm_push(vm, a ? (fvm_cell_t)a->used : 0);
    return rc ? rc : fvm_push(vm, a ? (fvm_cell_t)a->limit : 0);
}

/* clio's text for a code of its own, else the VM's standard one. */
static const char *code_text(fvm_cell_t code)
{
    return code <= CERR_PATH || code == CERR_IO || code == CERR_NOENT ? cerr_text((int)code)
                                                                      : fvm_throw_text((int)code);
}

static int w_error_throw(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t code;
    if (fvm_pop(vm, &code))
        return FVM_E_STACK_UNDERFLOW;
    if (code == 0)
        return 0;
    if (code < -4095 || code > 0)
        return (int)(code > 0 ? FVM_E_ABORTQ : code < INT32_MIN ? INT32_MIN : code);
    return fvm_throw_msg(vm, (int)code, code_text(code));
}

static int w_error_text(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t code, a, u;
    if (fvm_depth(vm) < 3)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &u);
    fvm_pop(vm, &a);
    fvm_pop(vm, &code);
    const char *t = code_text(code);
    size_t n = 0;
    while (t[n])
        n++;
    if (u < 0)
        return FVM_E_INVALID_ADDRESS;
    if ((fvm_cell_t)n > u)
        n = (size_t)u;
    char *dst = n ? fvm_mem_w(vm, a, n) : NULL;
    if (n && !dst)
        return FVM_E_INVALID_ADDRESS;
    for (size_t i = 0; i < n; i++)
        dst[i] = t[i];
    return fvm_push(vm, (fvm_cell_t)n);
}

static int w_name_throw(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t code, a, u;
    if (fvm_depth(vm) < 3)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &u);
    fvm_pop(vm, &a);
    fvm_pop(vm, &code);
    if (code == 0)
        return 0;
    if (code > 0 || code < -4095)
        code = FVM_E_ABORTQ;
    size_t n = u < 0 ? 0 : u > 64 ? 64 : (size_t)u;
    const char *name = n ? fvm_mem(vm, a, n) : "";
    if (!name)
        return FVM_E_INVALID_ADDRESS;
    char msg[128];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        msg[k++] = name[i] >= ' ' && name[i] < 127 ? name[i] : '?';
    msg[k++] = ':';
    msg[k++] = ' ';
    for (const char *t = code_text(code); *t && k < sizeof msg - 1; t++)
        msg[k++] = *t;
    msg[k] = 0;
    return fvm_throw_msg(vm, (int)code, msg);
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
    { "trace", w_trace, NULL, 0 }, { "kmem-quota", w_kmem_quota, NULL, 0 },
    { "error-throw", w_error_throw, NULL, 0 }, { "(error-text)", w_error_text, NULL, 0 },
    { "name-throw", w_name_throw, NULL, 0 },
};

kerr_t fsys_words_init(void)
{
    boot_ns = plat_now();
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
