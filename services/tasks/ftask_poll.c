/*
 * ftask_poll -- a Forth task's poll function (see ftask_int.h): it runs the
 * task's VM against the kernel -- input from the port or the script, the
 * async words' ops, output that waits for room, the end of the task.
 */
#include "ftask_int.h"

/* Feed the VM input from the port (or the script).  KERR_PENDING: parked. */
static kerr_t feed(ftask_t *f)
{
    if (f->script) {
        if (f->script_pos < f->script_len) {
            f->script_pos += fvm_input(f->vm, f->script + f->script_pos, f->script_len - f->script_pos);
            return KERR_OK;
        }
        fvm_input_eof(f->vm);
        return KERR_OK;
    }
    if (!f->reader) {            /* a child sharing its parent's port reads nothing */
        fvm_input_eof(f->vm);
        return KERR_OK;
    }
    bbq_grant_t g;
    kerr_t err = bbq_read(&f->port->rx, &g);
    if (err != KERR_OK && f->port->eof) {
        fvm_input_eof(f->vm);
        return KERR_OK;
    }
    if (err != KERR_OK)
        err = bbq_read_wait(&f->port->rx, &f->task, &g);
    if (err != KERR_OK)
        return err;
    uint32_t n = 0;          /* one line at a time, so each gets its " ok" */
    while (n < g.len && g.ptr[n] != '\n')
        n++;
    if (n < g.len) {
        n++;
        f->prompt = true;
    }
    size_t k = fvm_input(f->vm, (const char *)g.ptr, n);
    bbq_release(&f->port->rx, (uint32_t)k);
    return KERR_OK;
}

static task_status_t finish(ftask_t *f, int32_t code)
{
    return task_exit(&f->task, code);
}

/* One poll spends at most one budget (cfg.fuel), however often it restarts
 * the VM -- after an op that completed at once, a line of input fed, an
 * error reported, room found for output.  fvm_run does not tell what a run
 * that stopped early spent, so the budget is cut into POLL_RUNS slices:
 * each run gets one and counts as a whole one, and a poll makes at most
 * POLL_RUNS runs.  One poll so runs at most POLL_RUNS * max(1, fuel /
 * POLL_RUNS) units of code (what a run overshoots is the VM's debt, paid
 * first by its next run) and completes at most POLL_RUNS ops, lines fed or
 * errors reported.  Then a task that could go on yields, as one out of
 * fuel does. */
#define POLL_RUNS 8

static long slice(void)
{
    long n = ftask_fuel() / POLL_RUNS;
    return n > 0 ? n : 1;
}

/* Before a run: act on a Ctrl-C (a wait that holds nothing ends), complete
 * the pending op, wait for room for the output the VM could not write.
 * false: the task parked on the op or the output. */
static bool settle(ftask_t *f, task_t *t)
{
    if (f->intr) {
        f->intr = false;
        if (f->op && f->op_intr) {
            task_unpark(t);
            task_clear_deadline(t);
            if (f->op_cancel)
                f->op_cancel(f, f->args);
            f->op = NULL;            /* the VM throws -28 as it resumes */
        }
    }
    if (f->op) {
        if (f->op(f, t, f->vm, f->args) == KERR_PENDING)
            return false;
        f->op = NULL;
    }
    if (f->out_blocked) {
        bbq_grant_t g;
        kerr_t err = bbq_grant_wait(&f->port->tx, t, 1, &g);
        if (err == KERR_PENDING)
            return false;
        if (err == KERR_OK)
            bbq_commit(&f->port->tx, 0);
        f->out_blocked = false;
    }
    return true;
}

/* FVM_NEED_INPUT: a shell's " ok" for the line it finished, then the next
 * line (or the end of the input) fed.  false: parked for the line.  An
 * " ok" that found no room is left for settle(); the next run asks again. */
static bool take_input(ftask_t *f)
{
    if (f->mode == FTASK_SHELL && fvm_wants(f->vm) == FVM_WANT_LINE && f->prompt) {
        f->prompt = false;
        ftask_out_puts(f, fvm_compiling(f->vm) ? " compiled\n" : " ok\n");
        if (f->out_blocked)
            return true;
    }
    kerr_t err = feed(f);
    if (err == KERR_PENDING) {
        f->waiting_line = fvm_wants(f->vm) == FVM_WANT_LINE;
        return false;
    }
    if (err != KERR_OK)
        fvm_input_eof(f->vm);
    return true;
}

/* FVM_ERROR: report it.  true: the task goes on (a shell, with its next
 * line); false: it is to end with *code. */
static bool take_error(ftask_t *f, int32_t *code)
{
    ftask_out_report(f);
    trace_emit(TRACE_DEBUG, TRACE_MOD_TASKS, TRACE_EV_TASK_ERROR, (int32_t)f->id,
               fvm_error(f->vm)->code, fvm_error(f->vm)->word);
    f->had_error = true;
    f->prompt = false;
    *code = f->mode == FTASK_SCRIPT ? 1 : fvm_error(f->vm)->code;
    return f->mode == FTASK_SHELL;
}

task_status_t ftask_poll(task_t *t)
{
    ftask_t *f = kcontainer_of(t, ftask_t, task);
    int32_t code;

    f->waiting_line = false;
    for (unsigned runs = 0; runs < POLL_RUNS; runs++) {
        if (!settle(f, t))
            return TASK_PENDING;
        switch (fvm_run(f->vm, slice())) {
        case FVM_OUT_OF_FUEL:
            break;
        case FVM_NEED_INPUT:
            if (!take_input(f))
                return TASK_PENDING;
            break;
        case FVM_WAIT:
            if (!f->op && !f->out_blocked) {
                task_wake(t);             /* nothing to wait for: go on */
                return TASK_PENDING;
            }
            break;
        case FVM_ERROR:
            if (!take_error(f, &code))
                return finish(f, code);
            break;
        case FVM_BYE:
            return finish(f, f->mode == FTASK_SCRIPT && f->had_error ? 1 : 0);
        case FVM_DONE:
            return finish(f, 0);
        }
    }
    task_wake(t);                         /* the budget is spent: let the others run first */
    return TASK_PENDING;
}
