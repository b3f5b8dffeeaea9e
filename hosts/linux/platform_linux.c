/*
 * platform_linux -- kernel/platform.h for a Linux process.
 *
 * Time is CLOCK_MONOTONIC (or a fake clock for tests).  plat_wait() blocks in
 * ppoll() on an eventfd and the watched fds, the deadline as timeout (in
 * nanoseconds), then runs the callbacks of the fds that are ready.
 * plat_signal() writes the eventfd, which is async-signal-safe and
 * thread-safe, so a signal handler or another thread (a simulated
 * interrupt) can wake the kernel.  The critical section
 * blocks all signals on the calling thread and takes a recursive mutex, so it
 * excludes both signal handlers and other "interrupt" threads.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "platform.h"
#include "platform_linux.h"

#define REGION_BYTES (8u << 20)

static _Alignas(64) unsigned char region[REGION_BYTES];
static int efd = -1;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t crit_mu;
static __thread unsigned crit_depth;
static __thread sigset_t crit_saved;
static bool fake;
static uint64_t fake_now;

/* The watched fds (kernel thread only).  gen tells a slot reused during one
 * dispatch from the one that was polled. */
static struct watch {
    int fd;
    short events;
    uint32_t gen;
    plat_linux_ready_t ready;
    void *arg;
} watches[PLAT_LINUX_WATCH_MAX];
static unsigned nwatches;
static uint32_t watch_gen;

static void init_once(void)
{
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE);
    pthread_mutex_init(&crit_mu, &a);
    pthread_mutexattr_destroy(&a);
    efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (efd < 0)
        abort();
}

uint64_t plat_now(void)
{
    if (fake)
        return fake_now;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void plat_linux_fake_clock(uint64_t start) { fake = true; fake_now = start; }
void plat_linux_advance(uint64_t ns) { fake_now += ns; }
void plat_linux_real_clock(void) { fake = false; }

void plat_arm_wakeup(uint64_t deadline)
{
    (void)deadline;   /* plat_wait() takes the deadline as its poll timeout */
}

static struct watch *find_watch(int fd)
{
    for (unsigned i = 0; i < nwatches; i++)
        if (watches[i].fd == fd)
            return &watches[i];
    return NULL;
}

int plat_linux_watch(int fd, short events, plat_linux_ready_t ready, void *arg)
{
    struct watch *w = find_watch(fd);
    if (fd < 0 || !ready || (!w && nwatches == PLAT_LINUX_WATCH_MAX))
        return -1;
    if (!w) {
        w = &watches[nwatches++];
        w->fd = fd;
        w->gen = ++watch_gen;
    }
    w->events = events;
    w->ready = ready;
    w->arg = arg;
    return 0;
}

void plat_linux_unwatch(int fd)
{
    struct watch *w = find_watch(fd);
    if (w)
        *w = watches[--nwatches];
}

/* Poll the eventfd (when with_efd) and the watched fds for at most *ts
 * (NULL: no limit), then run the callbacks of the ready ones.  A callback
 * may change the set: each polled fd is looked up again, and its generation
 * checked, before its callback runs. */
static void poll_io(bool with_efd, const struct timespec *ts)
{
    struct pollfd p[PLAT_LINUX_WATCH_MAX + 1];
    uint32_t gen[PLAT_LINUX_WATCH_MAX];
    unsigned n = 0, first = with_efd ? 1 : 0;
    if (with_efd)
        p[n++] = (struct pollfd){ .fd = efd, .events = POLLIN };
    for (unsigned i = 0; i < nwatches; i++, n++) {
        p[n] = (struct pollfd){ .fd = watches[i].fd, .events = watches[i].events };
        gen[i] = watches[i].gen;
    }
    if (ppoll(p, n, ts, NULL) <= 0)
        return;
    if (with_efd && p[0].revents) {
        uint64_t v;
        while (read(efd, &v, sizeof v) < 0 && errno == EINTR)
            ;
    }
    for (unsigned i = first; i < n; i++) {
        if (!p[i].revents)
            continue;
        struct watch *w = find_watch(p[i].fd);
        if (!w || w->gen != gen[i - first])
            continue;
        short ev = (short)(p[i].revents & (w->events | POLLERR | POLLHUP | POLLNVAL));
        if (ev)
            w->ready(w->arg, ev);
    }
}

void plat_wait(uint64_t deadline)
{
    pthread_once(&once, init_once);
    struct timespec ts = { 0, 0 }, *tsp = &ts;
    if (fake) {
        /* no sleeping under the fake clock */
    } else if (deadline == PLAT_NEVER) {
        tsp = NULL;
    } else {
        uint64_t now = plat_now(), ns = deadline > now ? deadline - now : 0;
        ts.tv_sec = (time_t)(ns / 1000000000u);
        ts.tv_nsec = (long)(ns % 1000000000u);
    }
    poll_io(true, tsp);
}

void plat_linux_io_poll(void)
{
    static const struct timespec zero = { 0, 0 };
    if (nwatches)
        poll_io(false, &zero);
}

void plat_signal(void)
{
    pthread_once(&once, init_once);
    uint64_t one = 1;
    ssize_t r = write(efd, &one, sizeof one);   /* EAGAIN: already signalled */
    (void)r;
}

plat_irqstate_t plat_crit_enter(void)
{
    pthread_once(&once, init_once);
    if (crit_depth++ == 0) {
        sigset_t all;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &crit_saved);
        pthread_mutex_lock(&crit_mu);
    }
    return crit_depth;
}

void plat_crit_leave(plat_irqstate_t state)
{
    (void)state;
    if (--crit_depth == 0) {
        pthread_mutex_unlock(&crit_mu);
        pthread_sigmask(SIG_SETMASK, &crit_saved, NULL);
    }
}

void plat_mem_region(void **base, size_t *len)
{
    *base = region;
    *len = sizeof region;
}
