/*
 * ftask -- Forth tasks: each a kernel task running its own Forth VM, bound
 * to a byte port (prefix ftask_).  This is the spawnulator's engine.
 *
 * At boot, ftask_init() builds the root VM -- the system dictionary plus
 * forth-lib -- which never runs as a task: every Forth task is a fork of it
 * (fvm_fork), or of another task, so all share compiled words without
 * copying them and each has its own stacks and data space.
 *
 * A task runs its VM with a fuel budget per poll, so a task that loops
 * forever only slows the others down -- those at its priority and above:
 * services must run at priority 1 or more (the Forth tasks' default).  Everything that waits -- input from
 * the port, room in the port for output, a sleep, a message, a service
 * call -- parks the kernel task; no Forth word ever blocks the kernel.
 * A task's memory budget is its VM block: running out of it is an error of
 * that task alone (-8 dictionary overflow, or a failed spawn).
 *
 * Modes: FTASK_SHELL runs the QUIT loop on its port with " ok" prompts (an
 * error aborts that line only); FTASK_SCRIPT includes files then ends,
 * with status 0 or 1; FTASK_EXEC executes one xt (a spawned child) and
 * ends when it returns; FTASK_EVAL EVALUATEs one text with no port (its
 * output into a sink, no input) and ends.
 *
 * Memory: tasks are allocated from the kernel heap and freed when they end
 * (a task whose dictionary children still use keeps its VM block until the
 * last of them ends).  The blocks of spawned tasks are charged to the tree
 * they descend from: a shell, script or eval and everything spawned from it
 * (directly or not) share tree_quota bytes, and a spawn must leave
 * heap_reserve bytes of the heap free, so no tree can take the memory the
 * system needs to start shells and evals.  What a task makes the kernel
 * hold besides -- its service connections and their call buffers, the
 * ports, files and key queues services keep for it -- is charged to its
 * account (a quota of kmem_quota bytes) and given back when it ends.  An ended task's record
 * (its id and exit code) is kept until `wait` collects it, or until
 * FTASK_ZOMBIES newer ones have ended.  Ids are never reused while a task
 * or its record lives.  Task context or init only.
 */
#ifndef FTASK_H
#define FTASK_H

#include <stdbool.h>
#include <stdint.h>
#include "fvm.h"
#include "kernel.h"
#include "common/port.h"
#include "fclient.h"

#define FTASK_MBOX 16         /* mailbox cells */
#define FTASK_ZOMBIES 256     /* ended tasks kept for `wait` */
#define FTASK_ID_MAX 0x7fffffff

typedef enum { FTASK_SHELL, FTASK_SCRIPT, FTASK_EXEC, FTASK_EVAL } ftask_mode_t;

typedef struct ftask_config {
    size_t root_size;         /* the root VM's block (0: 512 KiB) */
    size_t shell_size;        /* a shell's or script's block (0: 72 KiB) */
    size_t child_size;        /* a spawned child's block (0: 32 KiB) */
    long fuel;                /* per poll (0: 20000) */
    size_t kmem_quota;        /* kernel memory a task may make services hold
                                 (0: 128 KiB) */
    size_t tree_quota;        /* the VM blocks of all the tasks spawned from
                                 one shell, script or eval, its descendants
                                 (0: half the kernel heap) */
    size_t heap_reserve;      /* a spawn, a spawnulator shell and anything a
                                 task's account pays for must leave this
                                 much of the heap free, for the shells and
                                 evals the system starts (0: an eighth;
                                 kacct_set_reserve) */
    uint8_t prio;             /* of every Forth task (0: 1, the lowest a
                                 service runs at: a task always ready
                                 would starve any task below it) */
    /* optional file hooks for INCLUDED (the host's file system) */
    const fvm_file_ops_t *files;
    /* optional: the rest of FILE-ACCESS (fvm_config_t.file_ext) */
    const fvm_file_ext_t *file_ext;
    /* optional: the root VM as built ahead of time (fvm_image_save of
     * ftask_root() after an ftask_init with the same root_size and no
     * words added before it); NULL, or an image that does not fit: the
     * root VM is compiled from the prelude and forth-lib */
    const void *root_image;
    size_t root_image_len;
} ftask_config_t;

typedef struct ftask ftask_t;

/* Build the root VM (after kernel_init(); again after each kernel_init())
 * with the task, bridge and system words; services add theirs after it
 * with ftask_add_words().  KERR_NOMEM, KERR_INVAL if
 * forth-lib fails to load (its error is in *err when err is not NULL). */
kerr_t ftask_init(const ftask_config_t *cfg, const fvm_error_t **err);

/* The root VM (NULL before ftask_init), and whether it came from
 * cfg->root_image rather than being compiled. */
fvm_t *ftask_root(void);
bool ftask_root_from_image(void);

/* Host words for every task (services call this after ftask_init(),
 * before any task is started; KERR_INVAL before it).  The table must stay
 * valid. */
kerr_t ftask_add_words(const fvm_word_t *words, size_t n);

/* Start a shell on port / a script over files (names copied). */
kerr_t ftask_start_shell(port_t *port, ftask_t **out);
kerr_t ftask_start_script(port_t *port, const char *const *files, int nfiles, ftask_t **out);
/* An eval task's other end (the spawnulator's EVAL).  write(ctx, s, n):
 * the task's output -- TYPE, ., EMIT, its error report -- to keep or drop;
 * it takes all n bytes and must not block.  end(ctx, status) runs once,
 * when the task ends (from the ending task's context, or the killer's),
 * with 0, a THROW code or CERR_KILLED; neither is called after it.  The
 * sink is copied; ctx must stay valid until end. */
typedef struct ftask_sink {
    size_t (*write)(void *ctx, const char *s, size_t n);
    void (*end)(void *ctx, int32_t status);
    void *ctx;
} ftask_sink_t;
/* Start a task, a fork of the root VM, that EVALUATEs text (len bytes,
 * 1..FTASK_EVAL_MAX, copied into its VM) once and ends.  It has no port:
 * KEY and ACCEPT get end of input; the children it spawns get a port of
 * their own from the host's policy, else their output goes nowhere.
 * An eval and what it spawns are a tree of their own (its quota, its
 * connections), and the tree lives until its last task ends, so at most
 * FTASK_EVAL_TREES eval trees live at once: one more is KERR_BUSY.
 * KERR_INVAL (len, or before ftask_init), KERR_NOMEM. */
#define FTASK_EVAL_MAX 4096
#define FTASK_EVAL_TREES 8
kerr_t ftask_start_eval(const char *text, size_t len, const ftask_sink_t *sink, ftask_t **out);
/* Start a child of parent executing xt on the port the host's policy gives
 * for `wanted` (a port number, or FTASK_ANY_PORT; see ftask_set_ports).
 * Returns 0 or a cerr.h code: CERR_NOPORT (a given port the policy does
 * not give), CERR_FORK_DEPTH (tasks nest too deep), CERR_QUOTA (the tree's
 * tree_quota is spent), CERR_NOMEM (the heap, or its reserve). */
int ftask_spawn(ftask_t *parent, fvm_cell_t xt, uint16_t wanted, ftask_t **out);

/* A task's id, its kernel task (for task_join), its status once ended
 * (0, a THROW code, or CERR_KILLED). */
uint32_t ftask_id(const ftask_t *f);
task_t *ftask_task(ftask_t *f);
int32_t ftask_status(const ftask_t *f);
ftask_t *ftask_find(uint32_t id);
/* Test hook: the next task id is the first free one after `id`. */
void ftask_test_next_id(uint32_t id);
/* Records and the pointers to them: a task's record is freed some time
 * after it ends -- by ftask_forget, `reap` (ftask_reap) or the zombie bound
 * (FTASK_ZOMBIES), from whatever task runs then -- so a host or service
 * that keeps an ftask_t* past the call that gave it (across a poll, a
 * kernel_tick) must hold it: ftask_hold() keeps the record (its id, status,
 * ended flag) until the matching ftask_unhold(), after which the pointer
 * must not be used.  Else keep the id and ftask_find() it at each use, or
 * drop the pointer in an ftask_on_end() hook.  Holds nest. */
void ftask_hold(ftask_t *f);
void ftask_unhold(ftask_t *f);
/* Forget an ended task's record once its status is collected (nobody else
 * waits for it or holds it, no child needs its VM); its id becomes
 * unknown.  No-op otherwise. */
void ftask_forget(ftask_t *f);
/* Free the records of ended tasks that nobody waits for or holds and no
 * child needs; returns how many.  Their ids become unknown. */
unsigned ftask_reap(void);
/* Stop a task (its children go on); by: the id of the task that asks (0:
 * the system).  KERR_INVAL if it has ended. */
kerr_t ftask_kill(ftask_t *f, uint32_t by);
/* Ctrl-C for a task: the word it runs throws -28 (user interrupt) at the
 * next word boundary; a wait that holds nothing but the task (ms, wait,
 * send, receive, yield: ftask_wait_op_intr; KEY or ACCEPT waiting for
 * input) ends at once, another async word (a service call) first
 * completes (unless it was made with ftask_wait_op_cancel: eval-here).
 * A shell waiting for its next line is left alone.  Returns
 * whether a word was running (or waiting).  Task context. */
bool ftask_interrupt(ftask_t *f);
/* ... every live task reading port p (a sermux shell port's break byte). */
void ftask_interrupt_port(port_t *p);
/* The task's VM (NULL once its block is freed): for a host to read
 * between polls (Tab completion). */
fvm_t *ftask_vm(const ftask_t *f);
/* Live tasks. */
unsigned ftask_count(void);

/* For host words: the task a VM belongs to (NULL for the root VM), its
 * port (NULL once it has ended: the port may be gone), its port's number
 * (kept after the end; PORT_CONSOLE for none), its service connections and
 * its kernel memory account. */
ftask_t *ftask_of(fvm_t *vm);
port_t *ftask_port(const ftask_t *f);
uint16_t ftask_port_num(const ftask_t *f);
fclient_t *ftask_client(ftask_t *f);
kacct_t *ftask_acct(ftask_t *f);

/* An async host word returns ftask_wait_op(f, poll, &args, sizeof args):
 * the task then calls poll(f, t, vm, args) each time it is woken, until
 * poll returns anything but KERR_PENDING -- having pushed the word's
 * results, or called fvm_fail().  args (at most FTASK_ARGS_MAX bytes, the
 * word's own struct) are copied into the task; poll gets them back as the
 * same struct.  Returns FVM_PENDING. */
#define FTASK_ARGS_MAX 32
typedef kerr_t (*ftask_op_t)(ftask_t *f, task_t *t, fvm_t *vm, void *args);
int ftask_wait_op(ftask_t *f, ftask_op_t poll, const void *args, size_t n);
/* ... for a wait that holds nothing but the task's timer or its place in
 * one wait queue: ftask_interrupt abandons it. */
int ftask_wait_op_intr(ftask_t *f, ftask_op_t poll, const void *args, size_t n);
/* ... for a wait that holds more (a service call in flight): ftask_interrupt
 * abandons it after cancel(f, args) has let go of that (reg_abandon). */
typedef void (*ftask_cancel_t)(ftask_t *f, void *args);
int ftask_wait_op_cancel(ftask_t *f, ftask_op_t poll, ftask_cancel_t cancel, const void *args, size_t n);

/* Modules that keep per-task state (a canvas, a port) get fn(f) called
 * when a task ends, before its memory is freed: they must drop every
 * pointer into it there.  Up to 8; KERR_REG_FULL beyond.  Init context,
 * after ftask_init(). */
kerr_t ftask_on_end(void (*fn)(ftask_t *f));

/* Walking the tasks (newest first), and what `tasks` shows of each. */
ftask_t *ftask_first(void);
ftask_t *ftask_next(const ftask_t *f);
bool ftask_ended(const ftask_t *f);
int ftask_mode(const ftask_t *f);
uint32_t ftask_parent_id(const ftask_t *f);
size_t ftask_mem_size(const ftask_t *f);
kchan_t *ftask_mbox(ftask_t *f);

/* Where spawned children and spawnulator shells get their ports: the
 * host's policy (services/tasks/shellports.h for the sermux shell ports).
 * acquire(wanted): a port number, or FTASK_ANY_PORT for the next free
 * shell port; NULL: none (a child then shares its parent's port, unless it
 * wanted a given one).  release(p): the task bound to p by acquire (or
 * retain) ended.  retain(p): one more task shares p, a port acquire gave
 * (a child sharing its parent's port holds it as its parent does, so the
 * port outlives whichever of them ends first); false: it cannot, and the
 * spawn fails.  NULL (the default): children share their parent's port. */
#define FTASK_ANY_PORT 0xffffu
typedef struct ftask_ports {
    port_t *(*acquire)(uint16_t wanted);
    void (*release)(port_t *p);
    bool (*retain)(port_t *p);
} ftask_ports_t;
void ftask_set_ports(const ftask_ports_t *ports);
/* A shell on a port acquired for it (the spawnulator's SHELL): at most
 * FTASK_OP_SHELLS live at once (KERR_REG_FULL), and it must leave
 * heap_reserve free (KERR_NOMEM); KERR_NOT_FOUND: no such port. */
#define FTASK_OP_SHELLS 4
kerr_t ftask_start_shell_on(uint16_t wanted, ftask_t **out);

/* forth-lib, baked in at build time from forth-lib/ */
extern const char clio_forthlib[];

#endif
