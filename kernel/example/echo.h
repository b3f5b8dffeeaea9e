/*
 * echo -- an example kernel service and client, written with pt.h.
 *
 * The echo service registers under ECHO_UUID and answers:
 *   ECHO_OP_ECHO   payload -> the same payload, status 0
 *   ECHO_OP_UPPER  payload -> ASCII upper-cased payload, status 0
 * (payloads of any length the client's call buffer holds)
 *   ECHO_OP_QUIT   -> status 0, then the service unregisters and exits
 *                   with the number of requests it served
 *   anything else  -> status ECHO_ERR_OP, empty payload
 * The echo client connects (waiting for the service to appear), sends
 * `count` ECHO requests of "ping N", sleeping `gap_ns` between them, each
 * with a `timeout_ns` deadline, and exits with the number of correct
 * replies, or a kerr_t negated on the first failure.
 * Both structs are owned by the caller and must outlive their tasks.
 */
#ifndef ECHO_H
#define ECHO_H

#include "kernel.h"

#define ECHO_UUID_INIT { { 0x6c, 0x69, 0x6f, 0x2d, 0x65, 0x63, 0x68, 0x6f, \
                           0x9a, 0x41, 0x4e, 0x0b, 0x8c, 0x11, 0x00, 0x01 } }
#define ECHO_IFACE 0xEC400001u    /* bump when the messages change */

enum { ECHO_OP_ECHO = 1, ECHO_OP_UPPER = 2, ECHO_OP_QUIT = 3 };
enum { ECHO_ERR_OP = -1 };

typedef struct echo_service {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[8];
    reg_msg_t req;
    kerr_t err;
    uint32_t served;
} echo_service_t;

typedef struct echo_client {
    task_t task;
    reg_handle_t h;
    reg_msg_t msg;
    kerr_t err;
    uint32_t count, i, good;
    uint64_t gap_ns, timeout_ns, wake_at;
} echo_client_t;

/* Register and spawn the service: KERR_OK, or a reg_register() error. */
kerr_t echo_start(echo_service_t *e, uint8_t prio);
kerr_t echo_client_start(echo_client_t *c, uint8_t prio, uint32_t count,
                         uint64_t gap_ns, uint64_t timeout_ns);

#endif
