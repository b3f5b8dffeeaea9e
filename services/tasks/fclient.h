/*
 * fclient -- the Forth client layer: how every Forth task reaches every
 * service (prefix fclient_).
 *
 * Each task owns a table of service connections (registry handles, and the
 * call buffers behind them, charged to the task's kernel memory account):
 * slots 1..FCLIENT_USER are the handles Forth code gets from `connect`,
 * `connect-wait` and `connect-timeout`; the slots after them are private to
 * the bindings (files, display, tasks, mux), so a program's own handles and
 * calls never get in their way.
 *
 * A binding -- a host word that speaks one service -- only marshals.  It
 * opens a request with fclient_begin(), which connects its private slot on
 * first use and returns where the payload goes, writes the fields (kwire.h:
 * little-endian values, bytes copied from the VM's memory, never an
 * address), and returns fclient_send(): the word is then asynchronous, the
 * task waits, the kernel does not.  When the reply comes, the binding's
 * done() pushes the word's results from the status and payload (or returns
 * a THROW code).
 *
 * One error mapping.  What goes wrong on the way -- no such service, the
 * service gone, the connection refused, a payload over the task's quota,
 * the call timed out -- is a cerr.h code: thrown with its text and the
 * service's name, or, for a binding that reports iors (FILE-ACCESS), handed
 * to done() as the status with no payload.  What the service answers is
 * its status, for done() to map.  Task context only; no call blocks.
 */
#ifndef FCLIENT_H
#define FCLIENT_H

#include <stdbool.h>
#include <stdint.h>
#include "fvm.h"
#include "kernel.h"

#define FCLIENT_USER 8              /* handles for Forth code: 1..8 */
/* Connections (every slot, user's or binding's) one tree of tasks -- a
 * shell, script or eval and all it spawns -- may hold at once, and the
 * registry's client slots Forth tasks leave free for the system (links, the
 * display terminal): no task's children can take the registry's table. */
#define FCLIENT_TREE_CONNS 16
#define FCLIENT_KEEP_FREE 32
#define FCLIENT_ARG_MAX 32          /* bytes of a binding's done() argument */

/* A service as a binding knows it.  Static, read-only. */
typedef struct fclient_svc {
    const char *name;               /* for messages: "files" */
    reg_uuid_t uuid;
    uint32_t iface;
    uint8_t slot;                   /* FCLIENT_SLOT_* */
    bool iors;                      /* transport errors reach done() as status */
    int16_t absent;                 /* the code when it is not registered
                                       (0: CERR_NOSVC), e.g. CERR_NODISPLAY */
} fclient_svc_t;

enum {
    FCLIENT_SLOT_FILES = FCLIENT_USER,
    FCLIENT_SLOT_DISPLAY,
    FCLIENT_SLOT_TASKS,
    FCLIENT_SLOT_MUX,
    FCLIENT_SLOTS
};

/* done: the reply (status, payload p of n bytes; p is kernel memory valid
 * during the call).  Push the word's results; return 0 or a THROW code --
 * or, to go on with another request for the same word (the next chunk of
 * a long read), open and send it (fclient_begin, fclient_send) and return
 * what fclient_send returned (FVM_PENDING). */
typedef int (*fclient_done_t)(fvm_t *vm, int32_t status, const uint8_t *p, uint32_t n,
                              const void *arg);

/* A task's connections and its one call in flight.  Embedded in the task
 * (ftask.c); zero is "nothing connected". */
typedef struct fclient {
    reg_handle_t *h[FCLIENT_SLOTS];   /* kalloc'd on first use (the account) */
    kacct_t *acct;
    unsigned *tree;                   /* the tree's connections (counted) */
    uint16_t counted;                 /* slots counted in *tree */
    /* the call in flight */
    uint8_t slot;
    bool connecting;                  /* connect-wait: h[slot] is connecting */
    const fclient_svc_t *svc;         /* NULL for a user handle */
    reg_msg_t req;
    reg_uuid_t uuid;                  /* connect-wait */
    fclient_done_t done;
    uint8_t arg[FCLIENT_ARG_MAX];
} fclient_t;

/* Set up c for a task paying with acct, its connections counted in *tree
 * (shared by its tree, at most FCLIENT_TREE_CONNS; it must outlive c's
 * end); free everything at its end (every handle disconnected: the
 * services release what they hold for it). */
void fclient_init(fclient_t *c, kacct_t *acct, unsigned *tree);
void fclient_end(fclient_t *c);

/* Open a request to svc from a task's host word: opcode op, a payload of
 * len bytes, a reply of at most reply_max bytes, done(vm, ..., arg) to run
 * with the reply (arg: argn <= FCLIENT_ARG_MAX bytes, copied).  Returns 0
 * with *payload where the len payload bytes go: write them, then return
 * fclient_send(vm).  Or, when the request cannot be made, *payload is NULL
 * and the return is what the host word returns: a THROW code with its
 * text, or, for svc->iors, what done() returns given the code as status. */
int fclient_begin(fvm_t *vm, const fclient_svc_t *svc, uint16_t op, uint32_t len,
                  uint32_t reply_max, fclient_done_t done, const void *arg, size_t argn,
                  uint8_t **payload);
/* Send the request fclient_begin() opened: returns FVM_PENDING, for the
 * host word to return. */
int fclient_send(fvm_t *vm);
/* The same for a call Ctrl-C (ftask_interrupt) may give up at once (the
 * word then throws -28): for a service that notices and stops the work
 * (the spawnulator's EVAL), not for one whose effect must be known. */
int fclient_send_intr(fvm_t *vm);

/* The Forth words of the layer: (uuid-parse) connect connect-wait
 * connect-timeout disconnect call service-info.  Init context. */
kerr_t fclient_words_init(void);

#endif
