/*
 * trace -- leveled, structured trace events into a ring (prefix trace_).
 *
 * trace_emit() stamps an event (time, level, module id, event id, two
 * integer arguments, up to TRACE_TEXT_MAX bytes of text) into a fixed ring of
 * TRACE_RING_SIZE events.  It never blocks and never allocates: events below
 * the level filter are discarded at once, and when the ring is full the new
 * event is dropped and counted.  It may be called from any context,
 * interrupt handlers included (it takes the platform critical section).
 *
 * A drainer (a task, or the host loop) calls trace_drain(), which hands
 * events oldest first to the installed sink (for example a sermux port or the
 * host log); trace_pop() takes one event without a sink.  trace_format()
 * renders an event as one text line without libc.
 */
#ifndef TRACE_H
#define TRACE_H

#include <stddef.h>
#include <stdint.h>

#define TRACE_RING_SIZE 256          /* events; a power of two */
#define TRACE_TEXT_MAX  23

typedef enum trace_level {
    TRACE_DEBUG = 0,
    TRACE_INFO,
    TRACE_WARN,
    TRACE_ERROR,
    TRACE_OFF                        /* as a filter: record nothing */
} trace_level_t;

/* Module (source) ids.  One catalogue for the whole system (like the
 * error codes), so that every reader -- the tracing port's drain, the host
 * log, clio-term -- decodes every event (trace_describe()). */
enum { TRACE_MOD_KERNEL = 0, TRACE_MOD_SCHED, TRACE_MOD_KALLOC, TRACE_MOD_REG,
       TRACE_MOD_TASKS, TRACE_MOD_MUX, TRACE_MOD_FILES, TRACE_MOD_DISPLAY,
       TRACE_MOD_LINK, TRACE_MOD_USER = 15, TRACE_MODS };

/* Event ids, unique across modules; a and b as the comment says.
 * Drops and refusals that can come in floods are traced at the 1st, 2nd,
 * 4th, 8th ... occurrence, with the running count in a. */
enum {
    TRACE_EV_NONE = 0,
    TRACE_EV_ALLOC_FAIL,      /* kalloc: a = bytes asked, b = bytes in use */
    TRACE_EV_QUOTA,           /* kalloc: a = bytes asked, b = the account's use */
    TRACE_EV_REGISTER,        /* reg: a = index; text = name */
    TRACE_EV_UNREGISTER,      /* reg: a = index; text = name */
    TRACE_EV_CONNECT,         /* reg: a = index, b = client id; text = name */
    TRACE_EV_REFUSED,         /* reg: a = index or -1, b = kerr; text = why */
    TRACE_EV_DISCONNECT,      /* reg: a = index, b = client id */
    TRACE_EV_TASK_SPAWN,      /* tasks: a = id, b = parent; text = mode port */
    TRACE_EV_TASK_END,        /* tasks: a = id, b = exit code */
    TRACE_EV_TASK_KILL,       /* tasks: a = id, b = killer (0: the system) */
    TRACE_EV_TASK_ERROR,      /* tasks: a = id, b = THROW code; text = word */
    TRACE_EV_MUX_MALFORMED,   /* mux: a = count */
    TRACE_EV_MUX_UNKNOWN,     /* mux: a = count, b = port */
    TRACE_EV_MUX_RX_FULL,     /* mux: a = count, b = port */
    TRACE_EV_MUX_OPEN,        /* mux: a = port, b = ring bytes */
    TRACE_EV_MUX_CLOSE,       /* mux: a = port */
    TRACE_EV_LINE_UP,         /* mux: a serial line's peer came (a = line) */
    TRACE_EV_LINE_DOWN,       /* mux: ... went (a = line) */
    TRACE_EV_LINE_REFUSED,    /* mux: a second peer refused (a = line) */
    TRACE_EV_FILE_ERROR,      /* files: a = opcode, b = status; text = path */
    TRACE_EV_LINK_STATE,      /* link: a = link, b = state; text = peer */
    TRACE_EV_USER,            /* user: a = the task; text = the line */
    TRACE_EVS
};

typedef struct trace_event {
    uint64_t ts;                     /* plat_now() */
    int32_t a, b;
    uint16_t module;
    uint16_t event;
    uint8_t level;
    char text[TRACE_TEXT_MAX];       /* NUL-terminated */
} trace_event_t;

typedef struct trace_sink {
    void (*write)(void *ctx, const trace_event_t *ev);
    void *ctx;
} trace_sink_t;

void trace_init(void);                            /* empty ring, counters 0, level INFO */
void trace_set_level(trace_level_t min);
trace_level_t trace_level(void);
void trace_set_sink(const trace_sink_t *sink);    /* NULL: none (copied) */
void trace_emit(trace_level_t lvl, uint16_t module, uint16_t event,
                int32_t a, int32_t b, const char *text);
int trace_pop(trace_event_t *out);                /* 1 if an event was taken */
unsigned trace_drain(unsigned max);               /* to the sink; returns count */
uint32_t trace_dropped(void);
uint32_t trace_pending(void);
/* "T+<ns> L mod/event a b text" into buf (always NUL-terminated); returns
 * length.  The wire form of the tracing port: compact, and parsed back by
 * trace_parse(). */
size_t trace_format(const trace_event_t *ev, char *buf, size_t cap);
/* A trace_format() line back into an event: 0, or -1 if it is not one. */
int trace_parse(const char *line, size_t len, trace_event_t *ev);
/* For people: "     12.345678 WARN  reg     refused       a=.. b=.. text",
 * with the catalogue's names for the module, the event and its arguments. */
size_t trace_describe(const trace_event_t *ev, char *buf, size_t cap);
/* Does this call site trace the n-th occurrence of a flood event (1, 2, 4 ...)? */
static inline int trace_nth(uint32_t n) { return n && (n & (n - 1)) == 0; }

#endif
