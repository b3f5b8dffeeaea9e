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

/* Module (source) ids of the kernel; services use their own from 16 up. */
enum { TRACE_MOD_KERNEL = 0, TRACE_MOD_SCHED, TRACE_MOD_KALLOC, TRACE_MOD_REG,
       TRACE_MOD_USER = 16 };

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
/* "T+<ns> L mod/event a b text" into buf (always NUL-terminated); returns length. */
size_t trace_format(const trace_event_t *ev, char *buf, size_t cap);

#endif
