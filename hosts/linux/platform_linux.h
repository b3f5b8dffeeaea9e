/*
 * platform_linux -- Linux extras beyond kernel/platform.h, for tests and
 * the host main loop.
 *
 * plat_linux_fake_clock(t): from now on plat_now() returns a manual clock
 * starting at t (deterministic timer tests); plat_linux_advance(ns) moves it;
 * plat_linux_real_clock() goes back to CLOCK_MONOTONIC.  Under the fake clock
 * plat_wait() does not sleep (it returns at once).
 *
 * File descriptors ("interrupt sources" without threads): plat_linux_watch(fd,
 * events, ready, arg) adds fd to the set plat_wait() blocks on (poll(2)
 * events: POLLIN, POLLOUT), or changes its events, callback or argument if
 * fd is watched already; events 0 keeps it in the set for POLLERR/POLLHUP
 * only.  When fd is ready, ready(arg, revents) runs in the kernel thread from
 * plat_wait() or plat_linux_io_poll() -- task context, outside any task's
 * poll: it may read the fd, commit into rings (bbq_commit), wake tasks, and
 * watch or unwatch any fd, its own included.  Calls may be spurious (a
 * callback must tolerate EAGAIN).  plat_linux_unwatch(fd) removes fd; do it
 * before close(fd).  At most PLAT_LINUX_WATCH_MAX fds; plat_linux_watch
 * returns -1 when the set is full (or fd < 0), else 0.  Kernel thread only:
 * other threads wake the kernel with plat_signal() / task_wake_isr().
 *
 * plat_linux_io_poll(): runs the ready callbacks of what is ready now,
 * without blocking.  A loop that keeps the scheduler busy without reaching
 * plat_wait() (kernel_tick() returned 0) calls it each round, or its lines
 * go unserviced.
 */
#ifndef PLATFORM_LINUX_H
#define PLATFORM_LINUX_H

#include <stdint.h>
#include "platform.h"

void plat_linux_fake_clock(uint64_t start);
void plat_linux_advance(uint64_t ns);
void plat_linux_real_clock(void);

#define PLAT_LINUX_WATCH_MAX 32
typedef void (*plat_linux_ready_t)(void *arg, short revents);
int plat_linux_watch(int fd, short events, plat_linux_ready_t ready, void *arg);
void plat_linux_unwatch(int fd);
void plat_linux_io_poll(void);

#endif
