/*
 * tport.h -- an in-memory byte port for tests that drive Forth tasks on the
 * real kernel: type into its rx ring, collect what the task writes to tx,
 * run the kernel (real clock) until the output shows a string.
 * Include after <cmocka.h>, "kernel.h" and "port.h".
 */
#ifndef TPORT_H
#define TPORT_H

#include <stdbool.h>
#include <string.h>

#define TPORT_CAP 8192

typedef struct {
    port_t port;
    uint8_t rxb[TPORT_CAP], txb[TPORT_CAP];
    char out[65536];
    size_t nout;
} tport_t;

static inline void tport_init(tport_t *p, uint16_t num)
{
    memset(p, 0, sizeof *p);
    p->port.num = num;
    bbq_init(&p->port.rx, p->rxb, TPORT_CAP);
    bbq_init(&p->port.tx, p->txb, TPORT_CAP);
}

/* Move what the task wrote into p->out (NUL-terminated, truncated when full). */
static inline void tport_drain(tport_t *p)
{
    bbq_grant_t g;
    while (bbq_read(&p->port.tx, &g) == KERR_OK && g.len) {
        size_t k = g.len < sizeof p->out - 1 - p->nout ? g.len : sizeof p->out - 1 - p->nout;
        memcpy(p->out + p->nout, g.ptr, k);
        p->nout += k;
        p->out[p->nout] = 0;
        bbq_release(&p->port.tx, g.len);
    }
}

static inline void tport_type(tport_t *p, const char *s)
{
    size_t n = strlen(s);
    while (n) {
        bbq_grant_t g;
        assert_int_equal(bbq_grant_max(&p->port.rx, (uint32_t)n, &g), KERR_OK);
        memcpy(g.ptr, s, g.len);
        bbq_commit(&p->port.rx, g.len);
        s += g.len;
        n -= g.len;
    }
}

/* Run the kernel until p's output contains want (true) or ms pass; all
 * nports ports in `all` are drained meanwhile.  want NULL: just run ms. */
static inline bool tport_run_until(tport_t *all, int nports, tport_t *p, const char *want, int ms)
{
    uint64_t end = plat_now() + (uint64_t)ms * 1000000u;
    while (plat_now() < end) {
        uint64_t next = kernel_tick();
        for (int i = 0; i < nports; i++)
            tport_drain(&all[i]);
        if (want && strstr(p->out, want))
            return true;
        if (next && next != KERNEL_IDLE && next > plat_now() + 1000000)
            next = plat_now() + 1000000;
        if (next)
            kernel_wait(next == KERNEL_IDLE ? plat_now() + 1000000 : next);
    }
    if (want)
        print_message("port %u got: [%s]\n", p->port.num, p->out);
    return want == NULL;
}

#endif
