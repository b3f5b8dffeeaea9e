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

task_status_t ftask_poll(task_t *t)
{
    ftask_t *f = kcontainer_of(t, ftask_t, task);
    kerr_t err;

    f->waiting_line = false;
    if (f->intr) {                   /* Ctrl-C: a wait that holds nothing ends */
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
        err = f->op(f, t, f->vm, f->args);
        if (err == KERR_PENDING)
            return TASK_PENDING;
        f->op = NULL;
    }
    if (f->out_blocked) {
        bbq_grant_t g;
        err = bbq_grant_wait(&f->port->tx, t, 1, &g);
        if (err == KERR_PENDING)
            return TASK_PENDING;
        if (err == KERR_OK)
            bbq_commit(&f->port->tx, 0);
        f->out_blocked = false;
    }
    for (;;) {
        fvm_status_t st = fvm_run(f->vm, ftask_fuel());
        switch (st) {
        case FVM_OUT_OF_FUEL:
            task_wake(t);                 /* let the others run first */
            return TASK_PENDING;
        case FVM_NEED_INPUT:
            if (f->mode == FTASK_SHELL && fvm_wants(f->vm) == FVM_WANT_LINE && f->prompt) {
                f->prompt = false;
                ftask_out_puts(f, fvm_compiling(f->vm) ? " compiled\n" : " ok\n");
                if (f->out_blocked)
                    return ftask_poll(t);
            }
            err = feed(f);
            if (err == KERR_PENDING) {
                f->waiting_line = fvm_wants(f->vm) == FVM_WANT_LINE;
                return TASK_PENDING;
            }
            if (err != KERR_OK)
                fvm_input_eof(f->vm);
            break;
        case FVM_WAIT:
            if (f->op || f->out_blocked)
                return ftask_poll(t);
            task_wake(t);                 /* nothing to wait for: go on */
            return TASK_PENDING;
        case FVM_ERROR:
            ftask_out_report(f);
            trace_emit(TRACE_DEBUG, TRACE_MOD_TASKS, TRACE_EV_TASK_ERROR, (int32_t)f->id,
                       fvm_error(f->vm)->code, fvm_error(f->vm)->word);
            f->had_error = true;
            f->prompt = false;
            if (f->mode == FTASK_SCRIPT)
                return finish(f, 1);
            if (f->mode == FTASK_EXEC || f->mode == FTASK_EVAL)
                return finish(f, fvm_error(f->vm)->code);
            if (f->out_blocked)
                return ftask_poll(t);
            break;
        case FVM_BYE:
            return finish(f, f->mode == FTASK_SCRIPT && f->had_error ? 1 : 0);
        case FVM_DONE:
            return finish(f, 0);
        }
    }
}
