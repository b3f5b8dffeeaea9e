/*
 * ftask_words -- the Forth words of the spawnulator: tasks, messages and
 * sleep.  Every word that waits is asynchronous (ftask_wait_op): the Forth
 * task parks, the kernel runs others.
 *
 *   spawn     ( xt -- tid )        child on the next free shell port (else ours)
 *   spawn-on  ( xt port -- tid )   child on sermux port `port`
 *   tid       ( -- tid )           this task's id
 *   my-port   ( -- port )          this task's port number
 *   wait      ( tid -- code )      wait until it ends; its exit code
 *   kill      ( tid -- )
 *   tasks     ( -- )               list the tasks
 *   yield     ( -- )               let the other tasks run
 *   ms        ( n -- )             sleep n milliseconds
 *   send      ( x tid -- )         put x in its mailbox (waits while full)
 *   receive   ( -- x )             take from ours (waits while empty)
 */
#include "ftask.h"

port_t *(*ftask_child_port)(uint16_t wanted);

static ftask_t *self(fvm_t *vm) { return ftask_of(vm); }

static ftask_t *target(fvm_t *vm, fvm_cell_t id, int *rc)
{
    ftask_t *t = id > 0 && id <= 0xffff ? ftask_find((uint16_t)id) : NULL;
    if (!t)
        *rc = fvm_abort_msg(vm, "no such task");
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
    port_t *port = ftask_child_port ? ftask_child_port(wanted) : NULL;
    if (!port && wanted != FTASK_ANY_PORT)
        return fvm_abort_msg(vm, "spawn: no such port");
    ftask_t *c;
    kerr_t err = ftask_spawn(f, xt, port, &c);
    if (err != KERR_OK)
        return fvm_abort_msg(vm, err == KERR_NOMEM ? "spawn: out of memory" : "spawn failed");
    return fvm_push(vm, ftask_id(c));
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
        return fvm_abort_msg(vm, "spawn: no such port");
    return spawn_common(vm, (uint16_t)port);
}

static int w_tid(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    return fvm_push(vm, f ? ftask_id(f) : 0);
}

static int w_my_port(fvm_t *vm, void *ctx)
{
    (void)ctx;
    ftask_t *f = self(vm);
    return fvm_push(vm, f && ftask_port(f) ? ftask_port(f)->num : -1);
}

static kerr_t op_join(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    (void)f;
    uint16_t id = *(uint16_t *)scratch;
    ftask_t *x = ftask_find(id);
    if (!x) {
        fvm_fail(vm, fvm_abort_msg(vm, "no such task"));
        return KERR_OK;
    }
    int32_t code;
    kerr_t err = task_join(ftask_task(x), t, &code);
    if (err == KERR_PENDING)
        return err;
    fvm_push(vm, err == KERR_OK ? code : ftask_status(x));
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
    if (!(x = target(vm, id, &rc)))
        return rc;
    if (x == f)
        return fvm_abort_msg(vm, "a task cannot wait for itself");
    *(uint16_t *)ftask_scratch(f) = (uint16_t)id;
    return ftask_wait_op(f, op_join);
}

static kerr_t op_never(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    (void)f, (void)t, (void)vm, (void)scratch;
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
    if (!(x = target(vm, id, &rc)))
        return rc;
    if (ftask_kill(x) != KERR_OK)
        return 0;                       /* already ended */
    return x == f ? ftask_wait_op(f, op_never) : 0;
}

static void type(fvm_t *vm, const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    fvm_type(vm, s, n);
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

static int w_tasks(fvm_t *vm, void *ctx)
{
    (void)ctx;
    static const char *const modes[] = { "shell", "script", "task" };
    type(vm, "  tid parent port mode   state    memory\n");
    for (ftask_t *x = ftask_first(); x; x = ftask_next(x)) {
        char line[96], *p = line;
        p = num(p, ftask_id(x), 5);
        p = num(p, ftask_parent_id(x), 7);
        p = num(p, ftask_port(x) ? (ftask_port(x)->num == PORT_CONSOLE ? -1 : ftask_port(x)->num) : -1, 5);
        *p++ = ' ';
        const char *m = modes[ftask_mode(x) % 3];
        while (*m)
            *p++ = *m++;
        while (p < line + 24)
            *p++ = ' ';
        const char *st = ftask_ended(x) ? "ended " : "live  ";
        while (*st)
            *p++ = *st++;
        p = num(p, ftask_ended(x) ? ftask_status(x) : (long)ftask_mem_size(x), 9);
        *p++ = '\n';
        *p = 0;
        type(vm, line);
    }
    return 0;
}

static kerr_t op_yield(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    (void)f, (void)vm;
    int *n = scratch;
    if ((*n)++ == 0) {
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
    *(int *)ftask_scratch(f) = 0;
    return ftask_wait_op(f, op_yield);
}

static kerr_t op_sleep(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    (void)f, (void)vm;
    return task_sleep_until(t, *(uint64_t *)scratch);
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
    *(uint64_t *)ftask_scratch(f) = plat_now() + (uint64_t)n * 1000000u;
    return ftask_wait_op(f, op_sleep);
}

/* send: scratch = { target id, value } */
struct sendargs { uint16_t id; fvm_cell_t x; };

static kerr_t op_send(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    (void)f;
    struct sendargs *a = scratch;
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
    if (!target(vm, id, &rc))
        return rc;
    struct sendargs *a = ftask_scratch(f);
    a->id = (uint16_t)id;
    a->x = x;
    return ftask_wait_op(f, op_send);
}

static kerr_t op_recv(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    (void)scratch;
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
    return ftask_wait_op(f, op_recv);
}

static const fvm_word_t words[] = {
    { "spawn", w_spawn, NULL, 0 }, { "spawn-on", w_spawn_on, NULL, 0 },
    { "tid", w_tid, NULL, 0 }, { "my-port", w_my_port, NULL, 0 },
    { "wait", w_wait, NULL, 0 }, { "kill", w_kill, NULL, 0 },
    { "tasks", w_tasks, NULL, 0 }, { "yield", w_yield, NULL, 0 },
    { "ms", w_ms, NULL, 0 }, { "send", w_send, NULL, 0 },
    { "receive", w_receive, NULL, 0 },
};

kerr_t ftask_words_init(void)
{
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
