/*
 * ftask_int -- what the files of the Forth task engine share (ftask.c, the
 * task's life; ftask_poll.c, its running; ftask_out.c, its output): the
 * task record.  Private to services/tasks/ftask*.c; everyone else uses
 * ftask.h.
 */
#ifndef FTASK_INT_H
#define FTASK_INT_H

#include "ftask.h"

struct ftask {
    task_t task;
    fvm_t *vm;
    unsigned char *mem;       /* the VM block (kacct_alloc(payer)) */
    ftask_t *root;            /* the shell, script or eval it descends
                                 from (itself for those); the root's record
                                 outlives the tree: its block lives while a
                                 child's does */
    kacct_t *payer;           /* root->tree; NULL (the kernel's) for a root */
    kacct_t tree;             /* a root's: its descendants' VM blocks */
    unsigned conns;           /* a root's: its tree's connections (fclient) */
    bool op_shell;            /* counted in FTASK_OP_SHELLS */
    port_t *port;             /* NULL once ended (the port may be freed) */
    uint16_t port_num;        /* its number (PORT_CONSOLE: none), kept */
    bool port_acquired;       /* release it through the policy at the end */
    ftask_t *parent;          /* whose dictionary ours extends */
    unsigned children;        /* live VMs forked from ours */
    ftask_t *next;            /* all tasks, newest first */
    uint32_t id, parent_id;
    uint8_t mode;
    bool ended;               /* the kernel task is done */
    unsigned holds;           /* ftask_hold()s: the record is not freed */
    bool prompt;              /* a shell owes an " ok" */
    bool had_error;
    bool out_blocked;         /* the write hook ran out of room */
    bool reader;              /* may read input from the port */
    bool intr;                /* ftask_interrupt: to act on in poll */
    bool op_intr;             /* op may be abandoned (ftask_wait_op_intr) */
    ftask_cancel_t op_cancel; /* ... after this undoes what it holds */
    bool waiting_line;        /* a shell parked for its next line */
    int32_t status;
    ftask_op_t op;            /* pending async word */
    uint64_t args[FTASK_ARGS_MAX / 8];   /* its arguments */
    fvm_config_t cfg;
    /* script mode: the files to include, as one text "S\" a\" INCLUDED ..." */
    char *script;
    size_t script_len, script_pos;
    kchan_t mbox;             /* messages to this task (cells) */
    fvm_cell_t mbox_buf[FTASK_MBOX];
    kacct_t acct;             /* what it makes the kernel hold */
    fclient_t client;         /* its service connections */
    ftask_sink_t sink;        /* FTASK_EVAL: its output and its end */
};

/* ---- ftask.c ---- */
/* The fuel budget of one poll (ftask_config_t.fuel, its default set). */
long ftask_fuel(void);

/* ---- ftask_poll.c ---- */
/* The kernel task's poll function of every Forth task (ctx: the ftask). */
task_status_t ftask_poll(task_t *t);

/* ---- ftask_out.c ---- */
/* The VM's write hook (io: the task): into the eval sink, else the port's
 * tx ring as far as it has room (the rest: f->out_blocked), else nowhere
 * (a task without a port).  Never blocks. */
size_t ftask_out_write(void *io, const char *s, size_t n);
void ftask_out_puts(ftask_t *f, const char *s);
/* The uncaught error of f's VM as the REPL prints it. */
void ftask_out_report(ftask_t *f);
/* fvm_config_t.throw_text: the text of a clio code (cerr.h), NULL for the
 * rest. */
const char *ftask_out_throw_text(int code);

#endif
