/*
 * kbench -- per-operation costs of the kernel core.
 *
 *   kbench ns [N]   time each operation N times (default 1000000), print ns/op
 *   kbench ir [N]   run each operation N times once (default 10000); run under
 *                   valgrind --tool=callgrind and divide the inclusive Ir of
 *                   each op_* function by N (bench/kernel-bench.sh does this)
 *
 * Each op_* function runs one operation N times and nothing else, after a
 * warm-up outside it, so the division gives instructions per operation.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kernel.h"

#define NOINLINE __attribute__((noinline))

/* ---- task wake + poll: two tasks waking each other ---------------------- */
static task_t ping, pong;
static uint64_t pings;

static task_status_t ping_poll(task_t *t)
{
    pings++;
    task_wake(t == &ping ? &pong : &ping);
    return TASK_PENDING;
}

static NOINLINE void op_switch(unsigned n)
{
    uint64_t end = pings + n;
    while (pings < end)
        sched_run(end - pings < SCHED_TICK_BUDGET ? (unsigned)(end - pings) : SCHED_TICK_BUDGET);
}

static void switch_setup(void)
{
    task_cancel(&ping);
    task_cancel(&pong);
    ping.flags = pong.flags = 0;
    task_spawn(&ping, ping_poll, 3);
    task_spawn(&pong, ping_poll, 3);
}

static void switch_teardown(void)
{
    task_cancel(&ping);
    task_cancel(&pong);
}

/* ---- queue send + receive ------------------------------------------------ */
typedef struct { uint64_t a, b; } msg16_t;
static msg16_t qbuf[16];
static kchan_t q;
static task_t qtask;

static NOINLINE void op_sendrecv(unsigned n)
{
    msg16_t m = { 1, 2 }, r;
    for (unsigned i = 0; i < n; i++) {
        kchan_send(&q, &qtask, &m);
        kchan_recv(&q, &qtask, &r);
        m.a += r.b;
    }
    __asm__ volatile("" : : "r"(m.a));
}

/* ---- service request -> reply round trip ---------------------------------- */
static reg_service_t rsvc;
static reg_msg_t rinbox[8];
static task_t rserver, rclient;
static reg_handle_t rh;
static reg_msg_t rreq, rgot;
static uint64_t calls, calls_end;

static task_status_t server_poll(task_t *t)
{
    for (;;) {
        kerr_t e = reg_serve(&rsvc, t, &rgot);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            return TASK_DONE;
        rgot.status = 0;
        reg_reply(&rgot);
    }
}

static task_status_t client_poll(task_t *t)
{
    while (calls < calls_end) {
        kerr_t e = reg_call(&rh, t, &rreq);
        if (e == KERR_PENDING)
            return TASK_PENDING;
        if (e != KERR_OK)
            abort();
        calls++;
    }
    return TASK_DONE;
}

static void rpc_setup(void)
{
    static const reg_uuid_t u = { { 0xbe, 0x4c } };
    reg_init();
    reg_service_init(&rsvc, &u, 1, "bench", rinbox, 8);
    reg_register(&rsvc);
    reg_connect(&rh, &u, 1, NULL);
    rserver.flags = 0;
    task_spawn(&rserver, server_poll, 4);
    rreq.opcode = 1;
    rreq.len = 8;
    memcpy(rreq.data, "12345678", 8);
    sched_run(10);
}

static NOINLINE void op_rpc(unsigned n)
{
    calls_end = calls + n;
    rclient.flags = 0;
    task_spawn(&rclient, client_poll, 3);
    while (calls < calls_end)
        sched_run(SCHED_TICK_BUDGET);
}

/* ---- small alloc + free ---------------------------------------------------- */
static NOINLINE void op_alloc(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        void *p = kalloc(32);
        kfree(p);
    }
}

/* ---- timer arm + fire ----------------------------------------------------- */
static ktimer_t tm;
static uint64_t fires;

static void on_fire(ktimer_t *t)
{
    (void)t;
    fires++;
}

static NOINLINE void op_timer(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        timer_arm(&tm, i);
        timer_run(i);
    }
}

/* ---- spawn + exit ---------------------------------------------------------- */
static task_t spawned;

static task_status_t exit_poll(task_t *t)
{
    return task_exit(t, 0);
}

static NOINLINE void op_spawn(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        task_spawn(&spawned, exit_poll, 2);
        sched_run(1);
    }
}

/* ---- harness baseline: a loop making two empty calls -------------------- */
static NOINLINE void empty_call(void *p)
{
    __asm__ volatile("" : : "r"(p) : "memory");
}

static NOINLINE void op_baseline(unsigned n)
{
    msg16_t a, b;
    for (unsigned i = 0; i < n; i++) {
        empty_call(&a);
        empty_call(&b);
    }
}

/* ---- driver ------------------------------------------------------------------ */
typedef struct {
    const char *name;
    void (*setup)(void);
    void (*run)(unsigned n);
    void (*teardown)(void);
} op_t;

static const op_t ops[] = {
    { "op_switch", switch_setup, op_switch, switch_teardown },
    { "op_sendrecv", NULL, op_sendrecv, NULL },
    { "op_rpc", rpc_setup, op_rpc, NULL },
    { "op_alloc", NULL, op_alloc, NULL },
    { "op_timer", NULL, op_timer, NULL },
    { "op_spawn", NULL, op_spawn, NULL },
    { "op_baseline", NULL, op_baseline, NULL },
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    int timed = argc > 1 && strcmp(argv[1], "ns") == 0;
    unsigned n = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : (timed ? 1000000u : 10000u);
    if (kernel_init() != KERR_OK)
        return 1;
    kchan_init(&q, qbuf, sizeof(msg16_t), 16);
    timer_setup(&tm, on_fire);
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        const op_t *o = &ops[i];
        if (o->setup)
            o->setup();
        o->run(n / 10 + 1);                  /* warm-up */
        uint64_t t0 = now_ns();
        o->run(n);
        uint64_t dt = now_ns() - t0;
        if (o->teardown)
            o->teardown();
        if (timed)
            printf("%s %.1f\n", o->name, (double)dt / n);
    }
    if (!timed)
        printf("ir-run n=%u fires=%llu\n", n, (unsigned long long)fires);
    return 0;
}
