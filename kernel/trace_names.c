/*
 * trace_names -- the trace catalogue: module and event names, the meaning of
 * an event's two arguments; trace_parse() and trace_describe() (trace.h).
 */
#include "trace.h"

static const char *const modules[TRACE_MODS] = {
    [TRACE_MOD_KERNEL] = "kernel", [TRACE_MOD_SCHED] = "sched", [TRACE_MOD_KALLOC] = "kalloc",
    [TRACE_MOD_REG] = "reg", [TRACE_MOD_TASKS] = "tasks", [TRACE_MOD_MUX] = "mux",
    [TRACE_MOD_FILES] = "files", [TRACE_MOD_DISPLAY] = "display", [TRACE_MOD_LINK] = "link",
    [TRACE_MOD_USER] = "user",
};

typedef struct {
    const char *name, *a, *b;     /* a or b NULL: not shown */
} ev_name_t;

static const ev_name_t events[TRACE_EVS] = {
    [TRACE_EV_ALLOC_FAIL] = { "alloc-failed", "bytes", "in-use" },
    [TRACE_EV_QUOTA] = { "over-quota", "bytes", "used" },
    [TRACE_EV_REGISTER] = { "registered", "index", NULL },
    [TRACE_EV_UNREGISTER] = { "unregistered", "index", NULL },
    [TRACE_EV_CONNECT] = { "connected", "index", "client" },
    [TRACE_EV_REFUSED] = { "refused", "index", "error" },
    [TRACE_EV_DISCONNECT] = { "disconnected", "index", "client" },
    [TRACE_EV_TASK_SPAWN] = { "spawned", "task", "parent" },
    [TRACE_EV_TASK_END] = { "ended", "task", "code" },
    [TRACE_EV_TASK_KILL] = { "killed", "task", "by" },
    [TRACE_EV_TASK_ERROR] = { "error", "task", "throw" },
    [TRACE_EV_MUX_MALFORMED] = { "malformed", "count", NULL },
    [TRACE_EV_MUX_UNKNOWN] = { "unknown-port", "count", "port" },
    [TRACE_EV_MUX_RX_FULL] = { "rx-full", "count", "port" },
    [TRACE_EV_MUX_OPEN] = { "port-open", "port", "bytes" },
    [TRACE_EV_MUX_CLOSE] = { "port-close", "port", NULL },
    [TRACE_EV_LINE_UP] = { "line-up", "line", NULL },
    [TRACE_EV_LINE_DOWN] = { "line-down", "line", NULL },
    [TRACE_EV_LINE_REFUSED] = { "line-refused", "line", NULL },
    [TRACE_EV_FILE_ERROR] = { "file-error", "op", "status" },
    [TRACE_EV_LINK_STATE] = { "link", "link", "state" },
    [TRACE_EV_USER] = { "say", "task", NULL },
};

/* ---- parsing the wire form ---------------------------------------------- */

typedef struct {
    const char *p, *end;
} in_t;

static int lit(in_t *in, char c)
{
    if (in->p < in->end && *in->p == c) {
        in->p++;
        return 1;
    }
    return 0;
}

static int num(in_t *in, uint64_t max, uint64_t *out)
{
    uint64_t v = 0;
    const char *s = in->p;
    while (in->p < in->end && *in->p >= '0' && *in->p <= '9') {
        unsigned d = (unsigned)(*in->p++ - '0');
        if (v > (max - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    *out = v;
    return in->p > s;
}

static int snum(in_t *in, int32_t *out)
{
    int neg = lit(in, '-');
    uint64_t v;
    if (!num(in, neg ? 2147483648u : 2147483647u, &v))
        return 0;
    *out = neg ? (int32_t)(0 - v) : (int32_t)v;
    return 1;
}

int trace_parse(const char *line, size_t len, trace_event_t *ev)
{
    static const char lv[] = "DIWE";
    in_t in = { line, line + len };
    uint64_t ts, mod, evn;
    while (in.end > in.p && (in.end[-1] == '\n' || in.end[-1] == '\r'))
        in.end--;
    if (!lit(&in, 'T') || !lit(&in, '+') || !num(&in, UINT64_MAX, &ts) || !lit(&in, ' '))
        return -1;
    int level = -1;
    for (int i = 0; i < 4; i++)
        if (lit(&in, lv[i]))
            level = i;
    if (level < 0 || !lit(&in, ' ') || !num(&in, 0xffff, &mod) || !lit(&in, '/') ||
        !num(&in, 0xffff, &evn) || !lit(&in, ' ') || !snum(&in, &ev->a) || !lit(&in, ' ') ||
        !snum(&in, &ev->b))
        return -1;
    ev->ts = ts;
    ev->level = (uint8_t)level;
    ev->module = (uint16_t)mod;
    ev->event = (uint16_t)evn;
    unsigned i = 0;
    if (lit(&in, ' '))
        while (in.p < in.end && i < TRACE_TEXT_MAX - 1)
            ev->text[i++] = *in.p++;
    ev->text[i] = 0;
    return in.p == in.end ? 0 : -1;
}

/* ---- the readable form ----------------------------------------------------- */

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

static void puts_pad(out_t *o, const char *s, size_t width)
{
    size_t k = 0;
    for (; s[k]; k++)
        put(o, s[k]);
    for (; k < width; k++)
        put(o, ' ');
}

static void put_u(out_t *o, uint64_t v, int width, char fill)
{
    char d[20];
    int i = 0;
    do {
        d[i++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (int k = i; k < width; k++)
        put(o, fill);
    while (i)
        put(o, d[--i]);
}

static void put_arg(out_t *o, const char *name, int32_t v)
{
    put(o, ' ');
    puts_pad(o, name, 0);
    put(o, '=');
    if (v < 0)
        put(o, '-');
    put_u(o, v < 0 ? (uint64_t)(-(int64_t)v) : (uint64_t)v, 0, ' ');
}

size_t trace_describe(const trace_event_t *ev, char *buf, size_t cap)
{
    static const char *const lv[] = { "DEBUG", "INFO", "WARN", "ERROR" };
    out_t o = { buf, cap, 0 };
    put_u(&o, ev->ts / 1000000000u, 6, ' ');
    put(&o, '.');
    put_u(&o, ev->ts / 1000u % 1000000u, 6, '0');
    put(&o, ' ');
    puts_pad(&o, ev->level < 4 ? lv[ev->level] : "?", 6);
    const char *m = ev->module < TRACE_MODS && modules[ev->module] ? modules[ev->module] : NULL;
    const ev_name_t *e = ev->event < TRACE_EVS && events[ev->event].name ? &events[ev->event] : NULL;
    if (m) {
        puts_pad(&o, m, 8);
    } else {
        put_u(&o, ev->module, 0, ' ');
        put(&o, ' ');
    }
    if (e) {
        puts_pad(&o, e->name, 13);
        if (e->a)
            put_arg(&o, e->a, ev->a);
        if (e->b)
            put_arg(&o, e->b, ev->b);
    } else {
        put(&o, '#');
        put_u(&o, ev->event, 0, ' ');
        put_arg(&o, "a", ev->a);
        put_arg(&o, "b", ev->b);
    }
    if (ev->text[0]) {
        put(&o, ' ');
        for (const char *t = ev->text; *t; t++)
            put(&o, (*t >= ' ' && *t < 127) ? *t : '?');
    }
    if (cap)
        buf[o.n < cap ? o.n : cap - 1] = 0;
    return o.n < cap ? o.n : (cap ? cap - 1 : 0);
}
