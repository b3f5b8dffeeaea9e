/*
 * fuzz_registry -- operation sequences on the real kernel/registry.c,
 * driven with kernel_tick() under the fake clock.  The input is a sequence
 * of 3-byte operations on 4 services (UUIDs from a pool of 3, so
 * registrations collide; two interface hashes) and 6 clients:
 *
 *   register / unregister a service (unregister also cancels the service's
 *   task and frees its memory at once: nothing may still point into it);
 *   connect a client (handle malloc'd) / disconnect it (a call in flight is
 *   cancelled first; the handle and its call buffer are then freed, so a
 *   late reply written through a stale pointer is an ASan error); call with
 *   a payload of 0..119 bytes (inline, or in the call buffer reserved at
 *   connect: 0, 64 or 100 bytes), with or without a deadline; set how a
 *   service answers (at once, held for later, never); release held
 *   requests (late replies, possibly to clients long gone); let time pass.
 *
 * Invariants checked (registry.h's promises):
 *   - reg_register: KERR_DUPLICATE exactly when a live service has the
 *     UUID; reg_lookup/reg_service_at agree with the live set after every
 *     operation; reg_connect: NOT_FOUND / IFACE_MISMATCH / OK as the model
 *     says;
 *   - every call ends with OK, GONE, TIMEOUT, TOO_BIG (exactly when the
 *     payload is over REG_INLINE_MAX and the call buffer) or INVAL; an OK
 *     reply is the one to this request: its request and client ids, its
 *     status (the request's length) and payload (the request's bytes
 *     transformed, all of them);
 *   - a service sees well-formed requests (its own index), and the payload
 *     of every request whose client still waits (reg_payload);
 *   - after the kernel settles, no call is still pending whose service was
 *     unregistered, whose deadline passed, or whose service answers at once
 *     and has not changed its mode since the call.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "kernel.h"
#include "platform_linux.h"
#include "pt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

#define NSVC 4
#define NCLI 6
#define NUUID 3
#define NHELD 4
static const uint32_t ifaces[2] = { 0x1f00001u, 0x2f00002u };

enum { MODE_NOW = 0, MODE_HOLD, MODE_NEVER };

typedef struct fsvc {
    task_t task;
    reg_service_t svc;
    reg_msg_t inbox[4];
    reg_msg_t req;
    kerr_t err;
    int uuid, mode;
    unsigned epoch;             /* bumped when the mode changes or held are released */
    reg_msg_t held[NHELD];
    uint8_t heldbuf[NHELD][128];    /* held requests' payloads, copied at once */
    int nheld;
} fsvc_t;

typedef struct fcli {
    task_t task;
    reg_handle_t *h;
    int svc_slot;               /* the model service it connected to */
    fsvc_t *svc;                /* that service's memory (identity, not used) */
    unsigned svc_epoch;
    bool calling, deadline;
    uint64_t deadline_at;
    reg_msg_t req;
    uint8_t bytes[128];         /* the payload sent */
    uint32_t sent_len, cap;
} fcli_t;

static fsvc_t *svcs[NSVC];
static fcli_t clis[NCLI];

static reg_uuid_t uuid_of(int k)
{
    reg_uuid_t u;
    memset(&u, 0, sizeof u);
    u.b[0] = 0xf2;
    u.b[15] = (uint8_t)(k + 1);
    return u;
}

/* A reply's payload: the request's bytes, each xor 0x5a; status: the
 * request's length. */
static void transform(const uint8_t *src, uint32_t n, uint8_t *out)
{
    for (uint32_t i = 0; i < n; i++)
        out[i] = src[i] ^ 0x5a;
}

static void answer(reg_msg_t *m, const uint8_t *payload)
{
    uint8_t out[128];
    transform(payload, m->len, out);
    kerr_t e = reg_reply_bytes(m, (int32_t)m->len, out, m->len);
    CHECK(e == KERR_OK || e == KERR_GONE, "reg_reply: %d", e);
}

static task_status_t svc_poll(task_t *t)
{
    fsvc_t *s = kcontainer_of(t, fsvc_t, task);
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, s->err, reg_serve(&s->svc, t, &s->req));
        if (s->err != KERR_OK)
            PT_EXIT(t, s->err);
        CHECK(s->req.service == s->svc.index, "request for service %u at %u", s->req.service,
              s->svc.index);
        {
            const uint8_t *p = reg_payload(&s->req);
            CHECK(s->req.len < 128, "len %u", s->req.len);
            CHECK(!s->req.len || p, "the payload of a waiting client (len %u)", s->req.len);
            if (s->mode == MODE_NOW) {
                answer(&s->req, p);
            } else if (s->mode == MODE_HOLD && s->nheld < NHELD) {
                /* take the bytes now: the registry hands them out only
                 * until the service yields */
                if (s->req.len)
                    memcpy(s->heldbuf[s->nheld], p, s->req.len);
                s->held[s->nheld++] = s->req;
            }
        }
    }
    PT_END(t);
}

static task_status_t cli_poll(task_t *t)
{
    fcli_t *c = kcontainer_of(t, fcli_t, task);
    kerr_t e = reg_call(c->h, t, &c->req);
    if (e == KERR_PENDING)
        return TASK_PENDING;
    c->calling = false;
    bool too_big = c->sent_len > REG_INLINE_MAX && c->sent_len > c->cap;
    CHECK(e == KERR_OK || e == KERR_GONE || e == KERR_TIMEOUT || e == KERR_TOO_BIG ||
          e == KERR_INVAL, "reg_call returned %d", e);
    CHECK((e == KERR_TOO_BIG) == too_big, "TOO_BIG %d for len %u cap %u", e, c->sent_len,
          c->cap);
    if (e == KERR_OK) {
        const reg_msg_t *r = reg_response(c->h);
        uint8_t want[128];
        uint32_t n = c->sent_len;
        transform(c->bytes, n, want);
        CHECK(r->request == c->req.request && r->client == c->h->client,
              "reply to request %u client %#x, want %u %#x", r->request, r->client,
              c->req.request, c->h->client);
        CHECK(r->status == (int32_t)c->sent_len, "reply status %d, sent %u", r->status,
              c->sent_len);
        CHECK(r->len == n && r->flags == 0 && (!n || memcmp(reg_response_data(c->h), want, n) == 0),
              "reply payload (len %u, want %u)", r->len, n);
    }
    task_clear_deadline(t);
    return task_exit(t, e);
}

static void settle(void)
{
    for (int i = 0; i < 20000; i++)
        if (kernel_tick() != 0)
            return;
    CHECK(0, "the kernel never settles");
}

static bool registered(int i)
{
    return svcs[i] && svcs[i]->svc.live;
}

static int live_with_uuid(int u)
{
    for (int i = 0; i < NSVC; i++)
        if (registered(i) && svcs[i]->uuid == u)
            return i;
    return -1;
}

static void check_model(void)
{
    for (int u = 0; u < NUUID; u++) {
        reg_uuid_t id = uuid_of(u);
        uint16_t idx;
        int i = live_with_uuid(u);
        kerr_t e = reg_lookup(&id, &idx);
        if (i < 0) {
            CHECK(e == KERR_NOT_FOUND, "lookup of a UUID nobody has: %d", e);
        } else {
            CHECK(e == KERR_OK && reg_service_at(idx) == &svcs[i]->svc, "lookup: %d", e);
        }
    }
    for (int c = 0; c < NCLI; c++) {
        fcli_t *cl = &clis[c];
        if (!cl->calling)
            continue;
        int s = cl->svc_slot;
        CHECK(svcs[s] == cl->svc && registered(s),
              "client %d: call still pending after its service was unregistered", c);
        CHECK(!(cl->deadline && plat_now() >= cl->deadline_at),
              "client %d: call still pending past its deadline", c);
        CHECK(!(svcs[s]->mode == MODE_NOW && svcs[s]->epoch == cl->svc_epoch &&
                (svcs[s]->task.flags & TASK_F_LIVE)),
              "client %d: call to a service that answers at once still pending", c);
    }
}

static void svc_free(int i)
{
    fsvc_t *s = svcs[i];
    if (!s)
        return;
    if (s->svc.live)
        CHECK(reg_unregister(&s->svc) == KERR_OK, "unregister");
    if (s->task.flags & TASK_F_LIVE)
        task_cancel(&s->task);
    free(s);
    svcs[i] = NULL;
}

static void cli_disconnect(int c)
{
    fcli_t *cl = &clis[c];
    if (!cl->h)
        return;
    if (cl->task.flags & TASK_F_LIVE)
        task_cancel(&cl->task);
    cl->calling = false;
    reg_disconnect(cl->h);
    free(cl->h);
    cl->h = NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    plat_linux_fake_clock(1000000);
    CHECK(kernel_init() == KERR_OK, "kernel_init");
    memset(clis, 0, sizeof clis);
    for (size_t off = 0; off + 3 <= size; off += 3) {
        unsigned op = data[off], a = data[off + 1], b = data[off + 2];
        switch (op % 9) {
        case 0: {                                           /* register */
            int i = a % NSVC, u = b % NUUID;
            if (registered(i)) {
                CHECK(reg_register(&svcs[i]->svc) == KERR_INVAL, "register twice");
                break;
            }
            svc_free(i);                                    /* a failed one */
            fsvc_t *s = calloc(1, sizeof *s);
            reg_uuid_t id = uuid_of(u);
            s->uuid = u;
            CHECK(reg_service_init(&s->svc, &id, ifaces[(b >> 4) & 1], "fz", s->inbox, 4) ==
                  KERR_OK, "service init");
            int dup = live_with_uuid(u);
            kerr_t e = reg_register(&s->svc);
            CHECK(e == (dup >= 0 ? KERR_DUPLICATE : KERR_OK), "register: %d (dup %d)", e, dup);
            svcs[i] = s;
            if (e == KERR_OK)
                CHECK(task_spawn(&s->task, svc_poll, (uint8_t)(1 + (b >> 6))) == KERR_OK,
                      "spawn service");
            else
                svc_free(i);
            break;
        }
        case 1: {                                           /* unregister */
            int i = a % NSVC;
            if (!svcs[i]) {
                break;
            }
            if (b & 1) {                                    /* unregister, free later */
                kerr_t e = reg_unregister(&svcs[i]->svc);
                CHECK(e == KERR_OK || e == KERR_INVAL, "unregister: %d", e);
                if (e == KERR_INVAL)
                    CHECK(reg_unregister(&svcs[i]->svc) == KERR_INVAL, "unregister twice");
            } else {
                svc_free(i);
            }
            break;
        }
        case 2: {                                           /* connect */
            int c = a % NCLI, u = b % NUUID;
            uint32_t iface = ifaces[(b >> 4) & 1];
            cli_disconnect(c);
            fcli_t *cl = &clis[c];
            cl->h = calloc(1, sizeof *cl->h);
            reg_uuid_t id = uuid_of(u);
            int s = live_with_uuid(u);
            kerr_t e = reg_connect(cl->h, &id, iface, NULL);
            if (s < 0)
                CHECK(e == KERR_NOT_FOUND, "connect to nobody: %d", e);
            else if (svcs[s]->svc.iface != iface)
                CHECK(e == KERR_IFACE_MISMATCH, "connect, other iface: %d", e);
            else
                CHECK(e == KERR_OK || e == KERR_REG_FULL, "connect: %d", e);
            if (e != KERR_OK) {
                free(cl->h);
                cl->h = NULL;
                break;
            }
            static const uint32_t caps[4] = { 0, 64, 100, 0 };
            cl->cap = caps[(b >> 6) & 3];
            CHECK(reg_reserve(cl->h, cl->cap) == KERR_OK, "reserve %u", cl->cap);
            cl->svc_slot = s;
            cl->svc = svcs[s];
            break;
        }
        case 3: {                                           /* call */
            fcli_t *cl = &clis[a % NCLI];
            if (!cl->h || (cl->task.flags & TASK_F_LIVE))
                break;
            memset(&cl->req, 0, sizeof cl->req);
            cl->sent_len = (b & 0x7f) % 120;
            cl->req.opcode = (uint16_t)op;
            for (uint32_t k = 0; k < sizeof cl->bytes; k++)
                cl->bytes[k] = (uint8_t)(k * 7 + b);
            uint8_t *room = reg_request_room(cl->h, &cl->req, cl->sent_len);
            if (room)
                memcpy(room, cl->bytes, cl->sent_len);
            else
                cl->req.len = cl->sent_len;                 /* more than reserved */
            CHECK(task_spawn(&cl->task, cli_poll, (uint8_t)(1 + (a >> 6))) == KERR_OK, "spawn");
            cl->calling = true;
            cl->deadline = (b & 0x80) != 0;
            if (cl->deadline) {
                uint64_t ns = (uint64_t)(op >> 4) * 1000000u;
                task_set_timeout(&cl->task, ns);
                cl->deadline_at = plat_now() + ns;
            }
            if (svcs[cl->svc_slot] == cl->svc)
                cl->svc_epoch = cl->svc->epoch;
            break;
        }
        case 4:                                             /* disconnect */
            cli_disconnect(a % NCLI);
            break;
        case 5: {                                           /* service mode */
            fsvc_t *s = svcs[a % NSVC];
            if (s) {
                s->mode = b % 3;
                s->epoch++;
            }
            break;
        }
        case 6: {                                           /* late replies */
            fsvc_t *s = svcs[a % NSVC];
            if (s) {
                for (int k = 0; k < s->nheld; k++)
                    answer(&s->held[k], s->heldbuf[k]);
                s->nheld = 0;
                s->epoch++;
            }
            break;
        }
        case 7:                                             /* time passes */
            plat_linux_advance((uint64_t)a * 100000u * (b % 16 + 1));
            break;
        case 8: {                                           /* cancel a client's task */
            fcli_t *cl = &clis[a % NCLI];
            if (cl->task.flags & TASK_F_LIVE) {
                task_cancel(&cl->task);
                /* its handle may be mid-call: the owner disconnects it */
                cl->calling = false;
                reg_disconnect(cl->h);
                free(cl->h);
                cl->h = NULL;
            }
            break;
        }
        }
        settle();
        check_model();
    }
    for (int c = 0; c < NCLI; c++)
        cli_disconnect(c);
    for (int i = 0; i < NSVC; i++)
        svc_free(i);
    settle();
    return 0;
}
