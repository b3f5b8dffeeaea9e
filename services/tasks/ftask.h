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
 * forever only slows the others down.  Everything that waits -- input from
 * the port, room in the port for output, a sleep, a message, a service
 * call -- parks the kernel task; no Forth word ever blocks the kernel.
 * A task's memory budget is its VM block: running out of it is an error of
 * that task alone (-8 dictionary overflow, or a failed spawn).
 *
 * Modes: FTASK_SHELL runs the QUIT loop on its port with " ok" prompts (an
 * error aborts that line only); FTASK_SCRIPT includes files then ends,
 * with status 0 or 1; FTASK_EXEC executes one xt (a spawned child) and
 * ends when it returns.
 *
 * Memory: tasks are allocated from the kernel heap and freed when they end
 * (a task whose dictionary children still use keeps its VM block until the
 * last of them ends).  Ended tasks are kept, small, until waited for or
 * until FTASK_ZOMBIES newer ones have ended.  Task context or init only.
 */
#ifndef FTASK_H
#define FTASK_H

#include <stdbool.h>
#include <stdint.h>
#include "fvm.h"
#include "kernel.h"
#include "common/port.h"

#define FTASK_HANDLES 8       /* service connections per task */
#define FTASK_MBOX 16         /* mailbox cells */
#define FTASK_ZOMBIES 256

typedef enum { FTASK_SHELL, FTASK_SCRIPT, FTASK_EXEC } ftask_mode_t;

typedef struct ftask_config {
    size_t root_size;         /* the root VM's block (0: 512 KiB) */
    size_t shell_size;        /* a shell's or script's block (0: 64 KiB) */
    size_t child_size;        /* a spawned child's block (0: 32 KiB) */
    long fuel;                /* per poll (0: 20000) */
    uint8_t prio;             /* of every Forth task (0: 2) */
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
/* Start a child of parent executing xt, on port (NULL: parent's). */
kerr_t ftask_spawn(ftask_t *parent, fvm_cell_t xt, port_t *port, ftask_t **out);

/* A task's id, its kernel task (for task_join), its status once ended. */
uint16_t ftask_id(const ftask_t *f);
task_t *ftask_task(ftask_t *f);
int32_t ftask_status(const ftask_t *f);
ftask_t *ftask_find(uint16_t id);
/* Free the records of ended tasks that nobody waits for and no child
 * needs (normally kept for `wait` until FTASK_ZOMBIES newer ones end);
 * returns how many.  Their ids become unknown. */
unsigned ftask_reap(void);
/* Stop a task (its children go on).  KERR_INVAL if it has ended. */
kerr_t ftask_kill(ftask_t *f);
/* Live tasks. */
unsigned ftask_count(void);

/* For host words: the task a VM belongs to (NULL for the root VM). */
ftask_t *ftask_of(fvm_t *vm);
port_t *ftask_port(const ftask_t *f);

/* An async host word returns ftask_wait_op(f, poll): the task then calls
 * poll(f, t, vm, scratch) each time it is woken, until poll returns
 * anything but KERR_PENDING -- having pushed the word's results, or called
 * fvm_fail().  scratch is FTASK_SCRATCH bytes of per-task memory the word
 * may fill before returning (its arguments).  Returns FVM_PENDING. */
#define FTASK_SCRATCH 96
typedef kerr_t (*ftask_op_t)(ftask_t *f, task_t *t, fvm_t *vm, void *scratch);
int ftask_wait_op(ftask_t *f, ftask_op_t poll);
void *ftask_scratch(ftask_t *f);

/* Modules that keep per-task state (a service connection, a canvas) get
 * fn(f) called when a task ends, before its memory is freed: they must drop
 * every pointer into it and disconnect every handle of it there.  Up to 8;
 * KERR_REG_FULL beyond.  Init context, after ftask_init(). */
kerr_t ftask_on_end(void (*fn)(ftask_t *f));

/* For the task words: the mailbox, service handles, walking the list. */
kchan_t *ftask_mbox(ftask_t *f);
reg_handle_t **ftask_handles(ftask_t *f);
size_t ftask_mem_size(const ftask_t *f);
ftask_t *ftask_first(void);
ftask_t *ftask_next(const ftask_t *f);
bool ftask_ended(const ftask_t *f);
int ftask_mode(const ftask_t *f);
uint16_t ftask_parent_id(const ftask_t *f);

/* The host decides which port a spawned child gets: `wanted` is a port
 * number, or FTASK_ANY_PORT for the next free shell port.  NULL: the
 * parent's port.  Set before tasks spawn children; may be left NULL. */
#define FTASK_ANY_PORT 0xffffu
extern port_t *(*ftask_child_port)(uint16_t wanted);

/* Task-level Forth words (tasks, messages, sleep): ftask_words.c */
kerr_t ftask_words_init(void);
/* The service bridge's Forth words: fbridge.c */
kerr_t fbridge_init(void);
/* System words (tracing, memory, time): fsys_words.c */
kerr_t fsys_words_init(void);

/* forth-lib, baked in at build time from forth-lib/ */
extern const char clio_forthlib[];

#endif
