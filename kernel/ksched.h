/*
 * ksched (sched.c) -- the cooperative executor: stackless tasks, wakers, wait queues,
 * priorities, join/cancel, deadlines (prefixes task_, kwaitq_, sched_).
 *
 * A task is a poll function plus the task_t its owner embeds in a state
 * struct (get the struct back with kcontainer_of).  The owner owns the memory;
 * it must stay valid until the task is done (and joined, if anyone joins).
 * poll() runs to completion and returns TASK_PENDING (call me again when
 * woken) or TASK_DONE (t->exit_code holds the result).  A poll function must
 * never block or spin: to wait it calls an async kernel operation, which
 * parks the task on a wait queue and returns KERR_PENDING, and then returns
 * TASK_PENDING itself.  Wakes may be spurious: re-check and re-wait.
 *
 * Priorities: 0 (lowest) .. SCHED_PRIOS-1 (highest); the highest ready
 * priority runs first, round-robin within a priority.  A woken task runs at
 * most once per wake.
 *
 * Timeouts: task_set_deadline() arms the task's own timer.  When it passes,
 * the task is taken off whatever it waits on, marked timed out and woken;
 * from then on task_park() -- and so every async kernel call -- returns
 * KERR_TIMEOUT until task_clear_deadline().  A sleep uses the same timer.
 *
 * (The header is ksched.h, not sched.h, so that -Ikernel does not shadow the
 * system <sched.h> that <pthread.h> includes on a host build.)
 *
 * Context: everything here is for task context (poll functions, init code),
 * except task_wake_isr(), which interrupt handlers and other host threads
 * may call; it takes plat_crit_enter() and calls plat_signal().
 */
#ifndef KSCHED_H
#define KSCHED_H

#include <stdbool.h>
#include <stdint.h>
#include "kerr.h"
#include "klist.h"
#include "timer.h"

#define SCHED_PRIOS        8     /* priority levels */
#define SCHED_TICK_BUDGET  256   /* polls per kernel_tick() at most */

typedef enum { TASK_PENDING = 0, TASK_DONE = 1 } task_status_t;

typedef struct task task_t;
typedef task_status_t (*task_poll_t)(task_t *t);

/* task_t.rq_state */
enum { TASK_RQ_DEAD = 0, TASK_RQ_IDLE = 1, TASK_RQ_QUEUED = 2 };

/* A wait queue: tasks parked until someone wakes them.  FIFO. */
typedef struct kwaitq {
    klist_t waiters;
} kwaitq_t;

/* task_t.flags */
enum {
    TASK_F_DONE     = 1u << 1,   /* finished; exit_code valid */
    TASK_F_TIMEDOUT = 1u << 2,   /* deadline passed (sticky) */
    TASK_F_LIVE     = 1u << 3,   /* spawned and not yet done */
};

struct task {
    task_t *rq_next;             /* run-queue link */
    task_poll_t poll;
    struct sched_runq *rq;       /* the run queue of its priority */
    uint8_t prio;
    uint8_t rq_state;            /* TASK_RQ_*: may a wake queue it? */
    uint8_t flags;               /* TASK_F_*; task context only */
    uint16_t lc;                 /* protothread continuation (pt.h) */
    int32_t exit_code;           /* valid once TASK_F_DONE */
    kwaitq_t *wait_q;            /* queue we are parked on, or NULL */
    klist_t wait_link;
    ktimer_t timer;              /* deadline / sleep */
    kwaitq_t joiners;            /* tasks waiting in task_join() */
    void (*on_exit)(task_t *t);  /* optional: runs once when done (may free t) */
    task_t *isr_next;            /* interrupt wake list link */
    volatile uint8_t isr_queued; /* on the interrupt wake list (crit section) */
    void *ctx;                   /* free for the owner */
};

/* ---- executor --------------------------------------------------------- */
void sched_init(void);                    /* forget every task; timers too */
/* Run up to `budget` ready tasks; returns how many polls ran. */
unsigned sched_run(unsigned budget);
bool sched_has_ready(void);
task_t *sched_current(void);              /* the task being polled, or NULL */
uint64_t sched_polls(void);               /* polls since sched_init() */

/* ---- tasks ------------------------------------------------------------- */
/* Start t (memory owned by the caller) and make it ready.  KERR_INVAL if t is
 * live, poll is NULL or prio >= SCHED_PRIOS. */
kerr_t task_spawn(task_t *t, task_poll_t poll, uint8_t prio);
/* Make t ready (no-op when already ready or done).  Task context only.
 * Inline below: the run queues are exposed for it alone. */
static inline void task_wake(task_t *t);
/* Same, from interrupt context or another thread. */
void task_wake_isr(task_t *t);
/* Finish from within poll: `return task_exit(t, code);` */
static inline task_status_t task_exit(task_t *t, int32_t code) { t->exit_code = code; return TASK_DONE; }
/* Stop t now: it is removed from every queue, its timer disarmed, exit code
 * KERR_CANCELLED, joiners woken, on_exit run.  If t is the running task
 * (it cancels itself), it is finished by the scheduler right after its poll
 * returns, without being polled again (unless that poll returned TASK_DONE,
 * which keeps its own exit code).  KERR_INVAL if t is not live. */
kerr_t task_cancel(task_t *t);
/* KERR_OK (and *code) once t is done; else parks `waiter` (KERR_PENDING) or
 * KERR_TIMEOUT. */
kerr_t task_join(task_t *t, task_t *waiter, int32_t *code);
static inline bool task_done(const task_t *t) { return t->flags & TASK_F_DONE; }

/* ---- waiting ------------------------------------------------------------ */
static inline void kwaitq_init(kwaitq_t *q) { klist_init(&q->waiters); }
static inline bool kwaitq_empty(const kwaitq_t *q) { return klist_empty(&q->waiters); }
/* Park t on q (once; re-parking is harmless): KERR_PENDING, or KERR_TIMEOUT
 * without parking when t's deadline has passed. */
kerr_t task_park(task_t *t, kwaitq_t *q);
void task_unpark(task_t *t);              /* leave any wait queue */
/* Wake the first (or every) parked task; returns how many were woken. */
unsigned kwaitq_wake_one(kwaitq_t *q);
unsigned kwaitq_wake_all(kwaitq_t *q);

/* ---- internal: inline forms of task_park() and kwaitq_wake_one(), for
 * the message-passing hot paths (kchan, reply, registry).  Same semantics.
 * A task's wait_link is on a list exactly when its wait_q is not NULL (when
 * wait_q is NULL, wait_link may hold stale pointers: never unlink it then). */
static inline kerr_t task_park_inline(task_t *t, kwaitq_t *q)
{
    if (__builtin_expect(t->flags & TASK_F_TIMEDOUT, 0))
        return KERR_TIMEOUT;
    if (t->wait_q != q) {
        if (t->wait_q)
            klist_remove(&t->wait_link);
        t->wait_q = q;
        klist_push_back(&q->waiters, &t->wait_link);
    }
    return KERR_PENDING;
}

static inline unsigned kwaitq_wake_one_inline(kwaitq_t *q)
{
    klist_t *n = q->waiters.next;
    if (n == &q->waiters)
        return 0;
    klist_t *next = n->next;              /* unlink the first: n->prev is the head */
    q->waiters.next = next;
    next->prev = &q->waiters;             /* n itself is left stale: wait_q says */
    task_t *t = kcontainer_of(n, task_t, wait_link);
    t->wait_q = NULL;
    task_wake(t);
    return 1;
}

/* Wake the first waiter of q but leave it parked there (moved to the back,
 * so several waiters take turns): when it waits on q again, as a server on
 * its inbox or a client on its reply slot does, parking costs nothing.  A
 * task left parked may see a spurious wake from q later, which every waiter
 * must tolerate anyway; it leaves q when it parks elsewhere, is unparked,
 * times out or finishes. */
static inline void kwaitq_wake_first_keep(kwaitq_t *q)
{
    klist_t *n = q->waiters.next;
    if (n == &q->waiters)
        return;
    if (__builtin_expect(n->next != &q->waiters, 0)) {
        klist_remove(n);
        klist_push_back(&q->waiters, n);
    }
    task_wake(kcontainer_of(n, task_t, wait_link));
}

/* ---- deadlines and sleep ------------------------------------------------ */
void task_set_deadline(task_t *t, uint64_t deadline);   /* absolute ns */
void task_set_timeout(task_t *t, uint64_t ns);          /* now + ns */
void task_clear_deadline(task_t *t);
static inline bool task_timed_out(const task_t *t) { return t->flags & TASK_F_TIMEDOUT; }
/* KERR_OK once `deadline` has passed (then the deadline is cleared); else the
 * timer is armed (if not armed yet) and KERR_PENDING. */
kerr_t task_sleep_until(task_t *t, uint64_t deadline);

/* ---- internal: the run queues, for the inline task_wake() ---------------- */
/* A FIFO of tasks linked through rq_next.  When not empty, head is the first
 * task and tail the last (tail->rq_next is never read).  When empty, head is
 * NULL and tail is SCHED_RQ_EMPTY(q): it points at q->head itself, so that
 * appending is the same two stores either way (rq_next is task_t's first
 * member, so "the rq_next of tail" is *(task_t **)tail in both cases). */
typedef struct sched_runq {
    task_t *head, *tail;
    uint32_t bit;                /* this queue's bit in sched_ready */
} sched_runq_t;
extern sched_runq_t sched_runq[SCHED_PRIOS];
extern uint32_t sched_ready;     /* bit p: sched_runq[p] is not empty */

#define SCHED_RQ_EMPTY(q) ((task_t *)(void *)&(q)->head)
_Static_assert(__builtin_offsetof(struct task, rq_next) == 0, "rq_next first");

static inline void task_wake(task_t *t)
{
    if (__builtin_expect(t->rq_state != TASK_RQ_IDLE, 0))   /* queued already, or not live */
        return;
    t->rq_state = TASK_RQ_QUEUED;
    sched_runq_t *q = t->rq;
    *(task_t **)(void *)q->tail = t;      /* tail->rq_next, or q->head if empty */
    q->tail = t;
    sched_ready |= q->bit;
}

#endif
