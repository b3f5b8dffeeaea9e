/* trace -- a fixed ring of events guarded by the platform critical section. */
#include "trace.h"
#include "platform.h"

_Static_assert((TRACE_RING_SIZE & (TRACE_RING_SIZE - 1)) == 0, "power of two");

static trace_event_t ring[TRACE_RING_SIZE];
static uint32_t head, tail;          /* free-running */
static uint32_t dropped;
static volatile uint8_t min_level = TRACE_INFO;
static trace_sink_t sink;

void trace_init(void)
{
    plat_irqstate_t s = plat_crit_enter();
    head = tail = 0;
    dropped = 0;
    min_level = TRACE_INFO;
    sink.write = NULL;
    sink.ctx = NULL;
    plat_crit_leave(s);
}

void trace_set_level(trace_level_t min) { min_level = (uint8_t)min; }
trace_level_t trace_level(void) { return (trace_level_t)min_level; }

void trace_set_sink(const trace_sink_t *snk)
{
    sink.write = snk ? snk->write : NULL;
    sink.ctx = snk ? snk->ctx : NULL;
}

void trace_emit(trace_level_t lvl, uint16_t module, uint16_t event,
                int32_t a, int32_t b, const char *text)
{
    if ((uint8_t)lvl < min_level || lvl >= TRACE_OFF)
        return;
    uint64_t now = plat_now();
    plat_irqstate_t s = plat_crit_enter();
    if (tail - head >= TRACE_RING_SIZE) {
        dropped++;
        plat_crit_leave(s);
        return;
    }
    trace_event_t *ev = &ring[tail & (TRACE_RING_SIZE - 1)];
    ev->ts = now;
    ev->level = (uint8_t)lvl;
    ev->module = module;
    ev->event = event;
    ev->a = a;
    ev->b = b;
    unsigned i = 0;
    if (text)
        for (; i < TRACE_TEXT_MAX - 1 && text[i]; i++)
            ev->text[i] = text[i];
    ev->text[i] = 0;
    tail++;
    plat_crit_leave(s);
}

int trace_pop(trace_event_t *out)
{
    plat_irqstate_t s = plat_crit_enter();
    if (tail == head) {
        plat_crit_leave(s);
        return 0;
    }
    *out = ring[head & (TRACE_RING_SIZE - 1)];
    head++;
    plat_crit_leave(s);
    return 1;
}

unsigned trace_drain(unsigned max)
{
    unsigned n = 0;
    trace_event_t ev;
    while (n < max && trace_pop(&ev)) {
        if (sink.write)
            sink.write(sink.ctx, &ev);
        n++;
    }
    return n;
}

uint32_t trace_dropped(void) { return dropped; }
uint32_t trace_pending(void) { return tail - head; }

typedef struct {
    char *buf;
    size_t cap, n;
} out_t;

static void put(out_t *o, char c)
{
    if (o->n + 1 < o->cap)
        o->buf[o->n] = c;
    o->n++;
}

static void put_str(out_t *o, const char *s)
{
    while (*s)
        put(o, *s++);
}

static void put_u64(out_t *o, uint64_t v)
{
    char d[20];
    int i = 0;
    do {
        d[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (i)
        put(o, d[--i]);
}

static void put_i32(out_t *o, int32_t v)
{
    if (v < 0) {
        put(o, '-');
        put_u64(o, (uint64_t)(-(int64_t)v));
    } else {
        put_u64(o, (uint64_t)v);
    }
}

size_t trace_format(const trace_event_t *ev, char *buf, size_t cap)
{
    static const char lv[] = "DIWE";
    out_t o = { buf, cap, 0 };
    put_str(&o, "T+");
    put_u64(&o, ev->ts);
    put(&o, ' ');
    put(&o, ev->level < 4 ? lv[ev->level] : '?');
    put(&o, ' ');
    put_u64(&o, ev->module);
    put(&o, '/');
    put_u64(&o, ev->event);
    put(&o, ' ');
    put_i32(&o, ev->a);
    put(&o, ' ');
    put_i32(&o, ev->b);
    if (ev->text[0]) {
        put(&o, ' ');
        put_str(&o, ev->text);
    }
    if (cap)
        buf[o.n < cap ? o.n : cap - 1] = 0;
    return o.n < cap ? o.n : (cap ? cap - 1 : 0);
}
