/*
 * sched -- run queues, wakers, wait queues, join/cancel, task deadlines.
 *
 * One FIFO run queue per priority plus a bitmap of non-empty queues, so
 * picking the next task is a count-leading-zeros.  Interrupt-context wakes go
 * to a separate list under the platform critical section and are moved to the
 * run queues by sched_run(), so the task-context paths need no locking.
 */
#include "ksched.h"
#include "platform.h"

typedef sched_runq_t runq_t;

sched_runq_t sched_runq[SCHED_PRIOS];
uint32_t sched_ready;
static task_t *current;
static uint64_t polls;
static task_t *isr_head;           /* guarded by plat_crit_enter() */
static volatile uint8_t isr_pending;

void sched_init(void)
{
    for (unsigned i = 0; i < SCHED_PRIOS; i++) {
        sched_runq[i].head = NULL;
        sched_runq[i].tail = SCHED_RQ_EMPTY(&sched_runq[i]);
        sched_runq[i].bit = 1u << i;
    }
    sched_ready = 0;
    current = NULL;
    polls = 0;
    isr_head = NULL;
    isr_pending = 0;
    timer_init();
}

task_t *sched_current(void) { return current; }
uint64_t sched_polls(void) { return polls; }
bool sched_has_ready(void) { return sched_ready != 0 || isr_pending; }

void task_wake_isr(task_t *t)
{
    plat_irqstate_t s = plat_crit_enter();
    if (!t->isr_queued) {
        t->isr_queued = 1;
        t->isr_next = isr_head;
        isr_head = t;
        isr_pending = 1;
    }
    plat_crit_leave(s);
    plat_signal();
}

static void drain_isr(void)
{
    plat_irqstate_t s = plat_crit_enter();
    task_t *t = isr_head;
    isr_head = NULL;
    isr_pending = 0;
    for (task_t *n = t; n; n = n->isr_next)
        n->isr_queued = 0;
    plat_crit_leave(s);
    /* The list is LIFO; wake order among interrupt wakes is unspecified. */
    for (; t; t = t->isr_next)
        task_wake(t);
}

static void rq_remove(task_t *t)
{
    runq_t *q = &sched_runq[t->prio];
    task_t *prev = NULL;
    for (task_t *n = q->head; n; prev = n, n = n->rq_next) {
        if (n != t) {
            if (n == q->tail)
                break;
            continue;
        }
        if (n == q->tail) {
            if (prev) {
                q->tail = prev;
            } else {
                q->head = NULL;
                q->tail = SCHED_RQ_EMPTY(q);
                sched_ready &= ~q->bit;
            }
        } else if (prev) {
            prev->rq_next = n->rq_next;
        } else {
            q->head = n->rq_next;
        }
        break;
    }
    t->rq_state = TASK_RQ_IDLE;
}

static void isr_remove(task_t *t)
{
    plat_irqstate_t s = plat_crit_enter();
    if (t->isr_queued) {
        task_t **pp = &isr_head;
        while (*pp && *pp != t)
            pp = &(*pp)->isr_next;
        if (*pp)
            *pp = t->isr_next;
        t->isr_queued = 0;
    }
    plat_crit_leave(s);
}

static void finish(task_t *t, int32_t code)
{
    t->exit_code = code;
    task_unpark(t);
    timer_cancel(&t->timer);
    if (t->rq_state == TASK_RQ_QUEUED)
        rq_remove(t);
    t->rq_state = TASK_RQ_DEAD;
    if (t->isr_queued)
        isr_remove(t);
    t->flags = (uint8_t)((t->flags & TASK_F_TIMEDOUT) | TASK_F_DONE);
    kwaitq_wake_all(&t->joiners);
    if (t->on_exit)
        t->on_exit(t);
}

unsigned sched_run(unsigned budget)
{
    unsigned left = budget;
    uint32_t ready;
    if (isr_pending)
        drain_isr();
    while (left && (ready = sched_ready) != 0) {
        unsigned p = 31u - (unsigned)__builtin_clz(ready);
        runq_t *q = &sched_runq[p];
        task_t *t = q->head;
        if (t != q->tail) {
            q->head = t->rq_next;
        } else {                           /* head is left stale: unread now */
            q->tail = SCHED_RQ_EMPTY(q);
            sched_ready = ready & ~(1u << p);
        }
        t->rq_state = TASK_RQ_IDLE;
        current = t;
        left--;
        if (__builtin_expect(t->poll(t) == TASK_DONE, 0))
            finish(t, t->exit_code);
    }
    current = NULL;
    polls += budget - left;
    return budget - left;
}

static void timer_fired(ktimer_t *tm)
{
    task_t *t = kcontainer_of(tm, task_t, timer);
    t->flags |= TASK_F_TIMEDOUT;
    task_unpark(t);
    task_wake(t);
}

kerr_t task_spawn(task_t *t, task_poll_t poll, uint8_t prio)
{
    if (!poll || prio >= SCHED_PRIOS || (t->flags & TASK_F_LIVE))
        return KERR_INVAL;
    t->poll = poll;
    t->prio = prio;
    t->rq = &sched_runq[prio];
    t->flags = TASK_F_LIVE;
    t->rq_state = TASK_RQ_IDLE;
    t->isr_queued = 0;
    t->lc = 0;
    t->exit_code = 0;
    t->wait_q = NULL;
    klist_init(&t->wait_link);
    timer_setup(&t->timer, timer_fired);
    kwaitq_init(&t->joiners);
    task_wake(t);
    return KERR_OK;
}

static task_status_t poll_cancelled(task_t *t)
{
    return task_exit(t, KERR_CANCELLED);
}

kerr_t task_cancel(task_t *t)
{
    if (!(t->flags & TASK_F_LIVE))
        return KERR_INVAL;
    if (t == current) {
        /* It is running: let its poll return, then finish it from the run
         * queue, so the hot loop needs no cancel check. */
        t->poll = poll_cancelled;
        t->exit_code = KERR_CANCELLED;
        task_wake(t);
        return KERR_OK;
    }
    finish(t, KERR_CANCELLED);
    return KERR_OK;
}

kerr_t task_join(task_t *t, task_t *waiter, int32_t *code)
{
    if (t->flags & TASK_F_DONE) {
        if (code)
            *code = t->exit_code;
        return KERR_OK;
    }
    if (!(t->flags & TASK_F_LIVE) || t == waiter)
        return KERR_INVAL;
    return task_park(waiter, &t->joiners);
}

kerr_t task_park(task_t *t, kwaitq_t *q)
{
    return task_park_inline(t, q);
}

void task_unpark(task_t *t)
{
    if (t->wait_q) {
        klist_remove(&t->wait_link);
        t->wait_q = NULL;
    }
}

unsigned kwaitq_wake_one(kwaitq_t *q)
{
    return kwaitq_wake_one_inline(q);
}

unsigned kwaitq_wake_all(kwaitq_t *q)
{
    unsigned n = 0;
    while (kwaitq_wake_one(q))
        n++;
    return n;
}

void task_set_deadline(task_t *t, uint64_t deadline)
{
    t->flags &= (uint8_t)~TASK_F_TIMEDOUT;
    timer_arm(&t->timer, deadline);
}

void task_set_timeout(task_t *t, uint64_t ns)
{
    uint64_t now = plat_now();
    task_set_deadline(t, ns > UINT64_MAX - now ? UINT64_MAX - 1 : now + ns);
}

void task_clear_deadline(task_t *t)
{
    timer_cancel(&t->timer);
    t->flags &= (uint8_t)~TASK_F_TIMEDOUT;
}

kerr_t task_sleep_until(task_t *t, uint64_t deadline)
{
    if (t->flags & TASK_F_TIMEDOUT) {
        t->flags &= (uint8_t)~TASK_F_TIMEDOUT;
        return KERR_OK;
    }
    if (!timer_armed(&t->timer)) {
        if (deadline <= plat_now())
            return KERR_OK;
        timer_arm(&t->timer, deadline);
    }
    return KERR_PENDING;
}
