/*
 * platform_linux -- kernel/platform.h for a Linux process.
 *
 * Time is CLOCK_MONOTONIC (or a fake clock for tests).  plat_wait() polls an
 * eventfd with the deadline as timeout; plat_signal() writes the eventfd,
 * which is async-signal-safe and thread-safe, so a signal handler or another
 * thread (a simulated interrupt) can wake the kernel.  The critical section
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

void plat_wait(uint64_t deadline)
{
    pthread_once(&once, init_once);
    int timeout = -1;
    if (fake) {
        timeout = 0;
    } else if (deadline != PLAT_NEVER) {
        uint64_t now = plat_now();
        uint64_t ms = deadline > now ? (deadline - now + 999999u) / 1000000u : 0;
        timeout = ms > 60000 ? 60000 : (int)ms;
    }
    struct pollfd p = { .fd = efd, .events = POLLIN };
    if (poll(&p, 1, timeout) > 0) {
        uint64_t v;
        while (read(efd, &v, sizeof v) < 0 && errno == EINTR)
            ;
    }
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
