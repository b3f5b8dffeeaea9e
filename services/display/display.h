/*
 * display -- the display service: the driver owns one framebuffer and
 * clients paint chunks they drew in their own memory (prefix display_),
 * as in the mnemOS display driver.
 *
 * UUID DISPLAY_UUID_STR, interface hash DISPLAY_IFACE.  Pixel format:
 * DISPLAY_FMT_GRAY8 -- one byte per pixel, 0 black .. 255 white, rows top
 * to bottom, row-major, no padding (the SHARP memory LCD of mnemOS is 1-bit;
 * gray8 is its superset and trivially converted by a backend).
 *
 * Requests and replies by value (little-endian, kwire.h; status 0 = ok,
 * else a cerr.h code):
 *   DISPLAY_OP_METADATA  -                 reply: u16 width, u16 height,
 *                                          u8 format (DISPLAY_FMT_GRAY8),
 *                                          u8 bits per pixel (8),
 *                                          u32 flushes so far, u32 refused
 *   DISPLAY_OP_PAINT     chunk             copy a client-drawn chunk into the
 *                                          framebuffer (nothing shows until FLUSH)
 *   DISPLAY_OP_FLUSH     -                 present the whole frame to the
 *                                          backend (frame-rate capped: a flush
 *                                          inside the cap is presented when the
 *                                          cap allows; none is lost)
 *   DISPLAY_OP_CLEAR     [u8 gray]         fill the framebuffer (default 0)
 * A chunk is the payload: a header u16 x, y, w, h followed by w*h gray8
 * pixels (so a chunk is at most REG_PAYLOAD_MAX bytes: paint a big area in
 * pieces).  Chunks are refused, never clipped: DISPLAY_ERR_MALFORMED
 * (shorter than the header, w or h zero), DISPLAY_ERR_SIZE (len != 8 +
 * w*h), DISPLAY_ERR_BOUNDS (x + w > width or y + h > height).  A refused
 * request leaves the framebuffer untouched; the service goes on.  Unknown
 * opcode or a malformed request: CERR_INVAL.
 *
 * The backend (the host's window, a file, an LCD driver) plugs in through
 * display_backend_t; present() is called from the service task with the
 * framebuffer, poll_events() (optional) every poll_ns from a display task
 * (window events, keys: it may call keyboard_publish()).  Freestanding;
 * the framebuffer comes from the kernel heap.  Init context, once after
 * each kernel_init().
 */
#ifndef DISPLAY_H
#define DISPLAY_H

#include <stdint.h>
#include "kerr.h"
#include "common/cerr.h"

#define DISPLAY_UUID_STR "c10d15b1-a7f0-4d2e-8c3b-646973706c79"
#define DISPLAY_IFACE 0xd15b0002u
#define DISPLAY_FMT_GRAY8 1
#define DISPLAY_DEFAULT_W 400
#define DISPLAY_DEFAULT_H 240
#define DISPLAY_MAX_DIM 4096

enum {
    DISPLAY_OP_METADATA = 1,
    DISPLAY_OP_PAINT = 2,
    DISPLAY_OP_FLUSH = 3,
    DISPLAY_OP_CLEAR = 4
};

/* Reply statuses of refused chunks (clio's table, cerr.h). */
enum {
    DISPLAY_ERR_MALFORMED = CERR_CHUNK,
    DISPLAY_ERR_SIZE = CERR_CHUNK_SIZE,
    DISPLAY_ERR_BOUNDS = CERR_CHUNK_BOUNDS
};

typedef struct display_chunk {
    uint16_t x, y, w, h;   /* little-endian on the wire (the host order of every target) */
} display_chunk_t;
#define DISPLAY_CHUNK_HDR 8

typedef struct display_backend {
    void *ctx;
    void (*present)(void *ctx, const uint8_t *fb, uint16_t w, uint16_t h);
    void (*poll_events)(void *ctx);   /* optional */
    uint64_t min_frame_ns;            /* frame-rate cap: 0 = every flush */
    uint64_t poll_ns;                 /* poll_events period (0: 10 ms) */
} display_backend_t;

/* Start the service with a w x h framebuffer (0: the defaults) and a
 * backend (NULL: none, the frame is kept but shown nowhere; the backend
 * struct must stay valid).  KERR_NOMEM, KERR_INVAL, registry errors. */
kerr_t display_start(const display_backend_t *backend, uint16_t w, uint16_t h);
/* Stop: unregister (calls in flight end with KERR_GONE), free the frame. */
void display_stop(void);
/* The framebuffer, for a host's last look at exit (NULL if not started). */
const uint8_t *display_framebuffer(uint16_t *w, uint16_t *h);
/* A status as text (cerr_text). */
static inline const char *display_status_str(int32_t status) { return cerr_text(status); }

#endif
