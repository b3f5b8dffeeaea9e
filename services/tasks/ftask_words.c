/*
 * ftask_words -- the Forth words of tasks: spawning, messages and sleep.
 * Every word that waits is asynchronous (ftask_wait_op): the Forth task
 * parks, the kernel runs others.  Errors throw clio's codes (cerr.h).
 *
 *   spawn     ( xt -- tid )        child on the next free shell port (else ours)
 *   spawn-on  ( xt port -- tid )   child on sermux port `port`
 *   tid       ( -- tid )           this task's id
 *   my-port   ( -- port )          this task's port number (-1: the console)
 *   wait      ( tid -- code )      wait until it ends: 0, its THROW code, or
 *                                  -537 (killed); collects its record
 *   kill      ( tid -- )
 *   (task-line) ( i c-addr -- u flag )  the i-th task (newest first) as a
 *                                  line of `tasks` at c-addr (80 bytes);
 *                                  flag false past the last
 *   yield     ( -- )               let the other tasks run
 *   ms        ( n -- )             sleep n milliseconds
 *   send      ( x tid -- )         put x in its mailbox (waits while full)
 *   receive   ( -- x )             take from ours (waits while empty)
 */
#include "ftask.h"
#include "ftask_words.h"
#include "common/cerr.h"

static ftask_t *self(fvm_t *vm) { return ftask_of(vm); }

static int throw_code(fvm_t *vm, const char *word, int code)
{
    char msg[80];
    size_t k = 0;
    for (const char *p = word; *p; p++)
        msg[k++] = *p;
    msg[k++] = ':';
    msg[k++] = ' ';
    for (const char *p = cerr_text(code); *p && k < sizeof msg - 1; p++)
        msg[k++] = *p;
    msg[k] = 0;
    return fvm_throw_msg(vm, code, msg);
}

static ftask_t *target(fvm_t *vm, const char *word, fvm_cell_t id, int *rc)
{
    ftask_t *t = id > 0 && id <= FTASK_ID_MAX ? ftask_find((uint32_t)id) : NULL;
    if (!t)
        *rc = throw_code(vm, word, CERR_NOTASK);
    return t;
}

static int spawn_common(fvm_t *vm, uint16_t wanted)
{
    ftask_t *f = self(vm);
    fvm_cell_t xt;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_pop(vm, &xt))
        return FVM_E_STACK_UNDERFLOW;
    ftask_t *c;
    int code = ftask_spawn(f, xt, wanted, &c);
    if (code)
        return throw_code(vm, "spawn", code);
    return fvm_push(vm, (fvm_cell_t)ftask_id(c));
}

static int w_spawn(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return spawn_common(vm, FTASK_ANY_PORT);
}

static int w_spawn_on(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t port;
    if (fvm_pop(vm, &port))
        return FVM_E_STACK_UNDERFLOW;
    if (port < 0 || port >= 0xffff)
        return throw_code(vm, "spawn", CERR_NOPORT);
    return spawn_common(vm, (uint16_t)port);
}

static int w_tid(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    return fvm_push(vm, f ? (fvm_cell_t)ftask_id(f) : 0);
}

static int w_my_port(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    port_t *p = f ? ftask_port(f) : NULL;
    return fvm_push(vm, p && p->num != PORT_CONSOLE ? p->num : -1);
}

typedef struct {
    uint32_t id;
} joinarg_t;

static kerr_t op_join(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)f;
    const joinarg_t *a = args;
    ftask_t *x = ftask_find(a->id);
    if (!x) {
        fvm_fail(vm, throw_code(vm, "wait", CERR_NOTASK));
        return KERR_OK;
    }
    int32_t code;
    kerr_t err = task_join(ftask_task(x), t, &code);
    if (err == KERR_PENDING)
        return err;
    fvm_push(vm, ftask_status(x));
    ftask_forget(x);                     /* collected: its record goes */
    return KERR_OK;
}

static int w_wait(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm), *x;
    fvm_cell_t id;
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_pop(vm, &id))
        return FVM_E_STACK_UNDERFLOW;
    if (!(x = target(vm, "wait", id, &rc)))
        return rc;
    if (x == f)
        return throw_code(vm, "wait", CERR_SELF);
    joinarg_t a = { ftask_id(x) };
    return ftask_wait_op_intr(f, op_join, &a, sizeof a);
}

static kerr_t op_never(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)f, (void)t, (void)vm, (void)args;
    return KERR_PENDING;
}

static int w_kill(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm), *x;
    fvm_cell_t id;
    int rc = 0;
    if (fvm_pop(vm, &id))
        return FVM_E_STACK_UNDERFLOW;
    if (!(x = target(vm, "kill", id, &rc)))
        return rc;
    if (ftask_kill(x, f ? ftask_id(f) : 0) != KERR_OK)
        return 0;                       /* already ended */
    return x == f ? ftask_wait_op(f, op_never, NULL, 0) : 0;
}

static char *num(char *p, long v, int width)
{
    char b[24];
    int k = 0;
    bool neg = v < 0;
    unsigned long u = neg ? 0ul - (unsigned long)v : (unsigned long)v;
    do
        b[k++] = (char)('0' + u % 10);
    while ((u /= 10));
    if (neg)
        b[k++] = '-';
    for (int pad = width - k; pad > 0; pad--)
        *p++ = ' ';
    while (k)
        *p++ = b[--k];
    return p;
}

/* (task-line) ( i c-addr -- u flag ): the Forth word `tasks` (forth-lib)
 * types these one by one, so a long list waits for the port like any
 * output instead of being cut. */
static int w_task_line(fvm_t *vm, void *ctx)
{
    (void)ctx;
    static const char *const modes[] = { "shell", "script", "task", "eval" };
    fvm_cell_t i, a;
    if (fvm_depth(vm) < 2)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &a);
    fvm_pop(vm, &i);
    ftask_t *x = ftask_first();
    for (fvm_cell_t k = 0; x && k < i; k++)
        x = ftask_next(x);
    if (i < 0 || !x) {
        fvm_push(vm, 0);
        return fvm_push(vm, 0);
    }
    char *line = fvm_mem_w(vm, a, 80), *p = line;
    if (!line)
        return FVM_E_INVALID_ADDRESS;
    p = num(p, (long)ftask_id(x), 10);
    p = num(p, (long)ftask_parent_id(x), 7);
    uint16_t pn = ftask_port_num(x);
    p = num(p, pn != PORT_CONSOLE ? pn : -1, 5);
    *p++ = ' ';
    const char *m = modes[ftask_mode(x) % 4];
    while (*m)
        *p++ = *m++;
    while (p < line + 30)
        *p++ = ' ';
    const char *st = ftask_ended(x) ? "ended " : "live  ";
    while (*st)
        *p++ = *st++;
    p = num(p, ftask_ended(x) ? ftask_status(x) : (long)ftask_mem_size(x), 9);
    fvm_push(vm, (fvm_cell_t)(p - line));
    return fvm_push(vm, -1);
}

typedef struct {
    int polls;
} yieldarg_t;

static kerr_t op_yield(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)f, (void)vm;
    yieldarg_t *a = args;
    if (a->polls++ == 0) {
        task_wake(t);
        return KERR_PENDING;
    }
    return KERR_OK;
}

static int w_yield(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    if (!f)
        return 0;
    yieldarg_t a = { 0 };
    return ftask_wait_op_intr(f, op_yield, &a, sizeof a);
}

typedef struct {
    uint64_t until;
} sleeparg_t;

static kerr_t op_sleep(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)f, (void)vm;
    const sleeparg_t *a = args;
    return task_sleep_until(t, a->until);
}

static int w_ms(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    fvm_cell_t n;
    if (fvm_pop(vm, &n))
        return FVM_E_STACK_UNDERFLOW;
    if (!f || n <= 0)
        return 0;
    sleeparg_t a = { plat_now() + (uint64_t)n * 1000000u };
    return ftask_wait_op_intr(f, op_sleep, &a, sizeof a);
}

typedef struct {
    uint32_t id;
    fvm_cell_t x;
} sendarg_t;

static kerr_t op_send(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)f;
    sendarg_t *a = args;
    ftask_t *x = ftask_find(a->id);
    kerr_t err = x ? kchan_send(ftask_mbox(x), t, &a->x) : KERR_CLOSED;
    if (err == KERR_PENDING)
        return err;
    if (err != KERR_OK)
        fvm_fail(vm, fvm_abort_msg(vm, "send: the task has ended"));
    return KERR_OK;
}

static int w_send(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    fvm_cell_t id, x;
    int rc = 0;
    if (!f)
        return FVM_E_UNSUPPORTED;
    if (fvm_depth(vm) < 2)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &id);
    fvm_pop(vm, &x);
    if (!target(vm, "send", id, &rc))
        return rc;
    sendarg_t a = { (uint32_t)id, x };
    return ftask_wait_op_intr(f, op_send, &a, sizeof a);
}

static kerr_t op_recv(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)args;
    fvm_cell_t x;
    kerr_t err = kchan_recv(ftask_mbox(f), t, &x);
    if (err == KERR_PENDING)
        return err;
    if (err == KERR_OK)
        fvm_push(vm, x);
    else
        fvm_fail(vm, fvm_abort_msg(vm, "receive: mailbox closed"));
    return KERR_OK;
}

static int w_receive(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    if (!f)
        return FVM_E_UNSUPPORTED;
    return ftask_wait_op_intr(f, op_recv, NULL, 0);
}

static const fvm_word_t words[] = {
    { "spawn", w_spawn, NULL, 0 }, { "spawn-on", w_spawn_on, NULL, 0 },
    { "tid", w_tid, NULL, 0 }, { "my-port", w_my_port, NULL, 0 },
    { "wait", w_wait, NULL, 0 }, { "kill", w_kill, NULL, 0 },
    { "(task-line)", w_task_line, NULL, 0 }, { "yield", w_yield, NULL, 0 },
    { "ms", w_ms, NULL, 0 }, { "send", w_send, NULL, 0 },
    { "receive", w_receive, NULL, 0 },
};

kerr_t ftask_words_init(void)
{
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
