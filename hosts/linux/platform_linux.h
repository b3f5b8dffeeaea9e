/*
 * platform_linux -- Linux extras beyond kernel/platform.h, for tests and
 * the host main loop.
 *
 * plat_linux_fake_clock(t): from now on plat_now() returns a manual clock
 * starting at t (deterministic timer tests); plat_linux_advance(ns) moves it;
 * plat_linux_real_clock() goes back to CLOCK_MONOTONIC.  Under the fake clock
 * plat_wait() does not sleep (it returns at once).
 * plat_linux_signals() counts plat_signal() calls not yet consumed by a wait.
 */
#ifndef PLATFORM_LINUX_H
#define PLATFORM_LINUX_H

#include <stdint.h>
#include "platform.h"

void plat_linux_fake_clock(uint64_t start);
void plat_linux_advance(uint64_t ns);
void plat_linux_real_clock(void);

#endif
