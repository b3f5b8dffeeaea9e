/* hello -- port 1 says hello once a second (see daemons.h). */
#include "daemons.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "sermux.h"

#define HELLO_PRIO 3
#define SECOND 1000000000ull

static struct {
    task_t task;
    port_t *port;
    uint32_t n, skipped;
    uint64_t next;
} hl;

static uint32_t format(char *out, uint32_t n)
{
    static const char text[] = "hello from clio ";
    uint32_t len = 0;
    char d[10];
    int k = 0;
    for (; text[len]; len++)
        out[len] = text[len];
    do {
        d[k++] = (char)('0' + n % 10);
        n /= 10;
    } while (n);
    while (k)
        out[len++] = d[--k];
    out[len++] = '\n';
    return len;
}

static void say(void)
{
    char line[32];
    bbq_grant_t g;
    uint32_t len = format(line, ++hl.n);
    if (bbq_grant(&hl.port->tx, len, &g) != KERR_OK) {
        hl.skipped++;
        return;
    }
    kmem_copy(g.ptr, line, len);
    bbq_commit(&hl.port->tx, len);
}

static task_status_t hello_poll(task_t *t)
{
    PT_BEGIN(t);
    hl.next = plat_now();
    for (;;) {
        hl.next += SECOND;
        if (hl.next + SECOND < plat_now())
            hl.next = plat_now();        /* fell far behind: do not burst */
        PT_SLEEP_UNTIL(t, hl.next);
        say();
    }
    PT_END(t);
}

kerr_t hello_start(void)
{
    kmem_set(&hl, 0, sizeof hl);
    kerr_t e = sermux_open(SERMUX_PORT_HELLO, 0, &hl.port);
    if (e == KERR_OK)
        e = task_spawn(&hl.task, hello_poll, HELLO_PRIO);
    return e;
}
