/*
 * shellports -- the sermux shell-port policy, one place for every host
 * (prefix shellports_): which port a spawned child or a spawnulator shell
 * gets, and the shells on ports 10..13.
 *
 * shellports_start() installs the policy (ftask_set_ports) over the mux:
 *  - a child spawned with `spawn` (any port) gets the first shell port that
 *    has no task bound to it, else shares its parent's port (and holds
 *    it, as the parent does: a port opened for the parent stays open until
 *    the last of them ends);
 *  - `spawn-on N` gets port N if nobody has it open (the mux opens it for
 *    the child and closes it when the child ends), else CERR_NOPORT;
 *  - the break byte (PORT_BREAK, 0x03) on a shell port interrupts the task
 *    reading it (ftask_interrupt_port: Ctrl-C from clio-term);
 *  - with shells: a Forth shell on each of the SERMUX_NSHELLS shell ports,
 *    and when one ends (`bye`, an error it could not survive, `kill`) a
 *    fresh one starts on its port after SHELLPORTS_RESTART_MS, so a port
 *    always has a shell.
 * Needs sermux_start() and ftask_init() first (init context); again after
 * each kernel_init().
 */
#ifndef SHELLPORTS_H
#define SHELLPORTS_H

#include <stdbool.h>
#include "kerr.h"

#define SHELLPORTS_RESTART_MS 100

kerr_t shellports_start(bool shells);

#endif
