/* display -- the display service (see display.h). */
#include "display.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "common/uuid.h"

#define DISPLAY_PRIO 3

static struct {
    task_t task, tick;
    reg_service_t svc;
    reg_msg_t inbox[16];
    reg_msg_t req;
    kerr_t err;
    const display_backend_t *be;
    uint8_t *fb;
    uint16_t w, h;
    bool pending;              /* a flush waits for the frame-rate cap */
    uint64_t last_present, next_tick;
    uint32_t flushes, refused;
} ds;

static void present(void)
{
    ds.pending = false;
    ds.last_present = plat_now();
    if (ds.be && ds.be->present)
        ds.be->present(ds.be->ctx, ds.fb, ds.w, ds.h);
}

static bool cap_allows(void)
{
    return !ds.be || !ds.be->min_frame_ns || plat_now() - ds.last_present >= ds.be->min_frame_ns ||
           ds.last_present == 0;
}

static int32_t paint(const reg_msg_t *m, const uint8_t *p)
{
    if (!p || m->len < DISPLAY_CHUNK_HDR)
        return DISPLAY_ERR_MALFORMED;
    uint32_t x = (uint32_t)(p[0] | p[1] << 8), y = (uint32_t)(p[2] | p[3] << 8);
    uint32_t w = (uint32_t)(p[4] | p[5] << 8), h = (uint32_t)(p[6] | p[7] << 8);
    if (!w || !h)
        return DISPLAY_ERR_MALFORMED;
    if ((uint64_t)m->len != DISPLAY_CHUNK_HDR + (uint64_t)w * h)
        return DISPLAY_ERR_SIZE;
    if (x + w > ds.w || y + h > ds.h)
        return DISPLAY_ERR_BOUNDS;
    p += DISPLAY_CHUNK_HDR;
    for (uint32_t r = 0; r < h; r++)
        kmem_copy(ds.fb + (size_t)(y + r) * ds.w + x, p + (size_t)r * w, w);
    return 0;
}

static void put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void answer(reg_msg_t *m)
{
    uint8_t out[16];
    uint32_t n = 0;
    int32_t st = 0;
    const uint8_t *req = reg_payload(m);
    if (m->len && !req)
        return;                      /* the client has gone */
    switch (m->opcode) {
    case DISPLAY_OP_METADATA:
        put16(out, ds.w);
        put16(out + 2, ds.h);
        out[4] = DISPLAY_FMT_GRAY8;
        out[5] = 8;
        put16(out + 6, ds.flushes);
        put16(out + 8, ds.flushes >> 16);
        put16(out + 10, ds.refused);
        put16(out + 12, ds.refused >> 16);
        n = 14;
        break;
    case DISPLAY_OP_PAINT:
        st = paint(m, req);
        break;
    case DISPLAY_OP_FLUSH:
        if (m->len) {
            st = CERR_INVAL;
            break;
        }
        ds.flushes++;
        if (cap_allows())
            present();
        else
            ds.pending = true;
        break;
    case DISPLAY_OP_CLEAR:
        if (m->len > 1) {
            st = CERR_INVAL;
            break;
        }
        kmem_set(ds.fb, m->len ? req[0] : 0, (size_t)ds.w * ds.h);
        break;
    default:
        st = CERR_INVAL;
    }
    if (m->opcode == DISPLAY_OP_METADATA && m->len)
        st = CERR_INVAL, n = 0;
    if (st)
        ds.refused++;
    reg_reply_bytes(m, st, out, n);
}

static task_status_t serve_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, ds.err, reg_serve(&ds.svc, t, &ds.req));
        if (ds.err != KERR_OK)
            break;
        answer(&ds.req);
    }
    PT_EXIT(t, ds.err);
    PT_END(t);
}

/* Host events and capped flushes. */
static task_status_t tick_poll(task_t *t)
{
    PT_BEGIN(t);
    ds.next_tick = plat_now();
    for (;;) {
        ds.next_tick += ds.be->poll_ns ? ds.be->poll_ns : 10000000u;
        if (ds.next_tick < plat_now())
            ds.next_tick = plat_now();
        PT_SLEEP_UNTIL(t, ds.next_tick);
        if (!ds.fb)
            break;
        if (ds.be->poll_events)
            ds.be->poll_events(ds.be->ctx);
        if (ds.pending && cap_allows())
            present();
    }
    PT_END(t);
}

kerr_t display_start(const display_backend_t *backend, uint16_t w, uint16_t h)
{
    reg_uuid_t u;
    kmem_set(&ds, 0, sizeof ds);
    ds.w = w ? w : DISPLAY_DEFAULT_W;
    ds.h = h ? h : DISPLAY_DEFAULT_H;
    if (ds.w > DISPLAY_MAX_DIM || ds.h > DISPLAY_MAX_DIM)
        return KERR_INVAL;
    ds.be = backend;
    if (!(ds.fb = kalloc_zero((size_t)ds.w * ds.h)))
        return KERR_NOMEM;
    uuid_parse(DISPLAY_UUID_STR, &u);
    kerr_t err = reg_service_init(&ds.svc, &u, DISPLAY_IFACE, "display", ds.inbox, 16);
    if (err == KERR_OK)
        err = reg_register(&ds.svc);
    if (err == KERR_OK)
        err = task_spawn(&ds.task, serve_poll, DISPLAY_PRIO);
    if (err == KERR_OK && backend && (backend->poll_events || backend->min_frame_ns))
        err = task_spawn(&ds.tick, tick_poll, DISPLAY_PRIO);
    if (err != KERR_OK)
        display_stop();
    return err;
}

void display_stop(void)
{
    if (ds.svc.live)
        reg_unregister(&ds.svc);
    if (ds.tick.flags & TASK_F_LIVE)
        task_cancel(&ds.tick);
    kfree(ds.fb);
    ds.fb = NULL;
}

const uint8_t *display_framebuffer(uint16_t *w, uint16_t *h)
{
    if (w)
        *w = ds.w;
    if (h)
        *h = ds.h;
    return ds.fb;
}

