/* timer -- a deadline-sorted intrusive list of one-shot timers. */
#include "timer.h"

static klist_t armed;

void timer_init(void) { klist_init(&armed); }

void timer_setup(ktimer_t *t, ktimer_fn_t fire)
{
    klist_init(&t->link);
    t->deadline = TIMER_IDLE;
    t->fire = fire;
}

void timer_arm(ktimer_t *t, uint64_t deadline)
{
    if (armed.next == NULL)
        klist_init(&armed);
    klist_remove(&t->link);
    t->deadline = deadline;
    /* Walk from the tail: deadlines are usually armed in increasing order. */
    klist_t *at = armed.prev;
    while (at != &armed && kcontainer_of(at, ktimer_t, link)->deadline > deadline)
        at = at->prev;
    klist_insert_before(at->next, &t->link);
}

void timer_cancel(ktimer_t *t) { klist_remove(&t->link); }

unsigned timer_run(uint64_t now)
{
    unsigned n = 0;
    if (armed.next == NULL)
        return 0;
    while (!klist_empty(&armed)) {
        ktimer_t *t = kcontainer_of(armed.next, ktimer_t, link);
        if (t->deadline > now)
            break;
        klist_remove(&t->link);
        n++;
        t->fire(t);
    }
    return n;
}

uint64_t timer_next(void)
{
    if (armed.next == NULL || klist_empty(&armed))
        return TIMER_IDLE;
    return kcontainer_of(armed.next, ktimer_t, link)->deadline;
}
