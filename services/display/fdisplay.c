/* fdisplay -- drawing from Forth (see fdisplay.h).  Drawing happens in
 * the task's own memory; paint, show and display-clear are requests to
 * the display service through the client layer, the canvas copied into
 * the request by value. */
#include "fdisplay.h"
#include "display.h"
#include "font.h"
#include "tasks/ftask.h"
#include "kstring.h"
#include "kwire.h"

#define SLOTS 32

static const fclient_svc_t display_svc = {
    .name = "display", .uuid = { { 0xc1, 0x0d, 0x15, 0xb1, 0xa7, 0xf0, 0x4d, 0x2e,
                                   0x8c, 0x3b, 0x64, 0x69, 0x73, 0x70, 0x6c, 0x79 } },
    .iface = DISPLAY_IFACE, .slot = FCLIENT_SLOT_DISPLAY, .absent = CERR_NODISPLAY,
};

/* Per-task drawing state, found by task; charged to the task's account. */
typedef struct {
    ftask_t *task;
    fvm_cell_t canvas;
    uint8_t color;
} slot_t;

static slot_t *slots[SLOTS];

static int no_display(fvm_t *vm)
{
    return fvm_throw_msg(vm, CERR_NODISPLAY, cerr_text(CERR_NODISPLAY));
}

static slot_t *slot_of(fvm_t *vm, int *rc)
{
    ftask_t *f = ftask_of(vm);
    int free_i = -1;
    uint16_t idx;
    if (!f) {
        *rc = FVM_E_UNSUPPORTED;
        return NULL;
    }
    for (int i = 0; i < SLOTS; i++) {
        if (slots[i] && slots[i]->task == f)
            return slots[i];
        if (free_i < 0 && !slots[i])
            free_i = i;
    }
    if (reg_lookup(&display_svc.uuid, &idx) != KERR_OK) {
        *rc = no_display(vm);
        return NULL;
    }
    if (free_i < 0) {
        *rc = fvm_throw_msg(vm, CERR_BUSY, "display: too many drawing tasks");
        return NULL;
    }
    slot_t *s = kacct_alloc_zero(ftask_acct(f), sizeof *s);
    if (!s) {
        *rc = fvm_throw_msg(vm, CERR_QUOTA, cerr_text(CERR_QUOTA));
        return NULL;
    }
    s->task = f;
    s->color = 255;
    slots[free_i] = s;
    return s;
}

/* Fuel: every drawing word pays about a unit for each step of its loops
 * (a line's plot, a font pixel looked at, a rect's row, half a circle
 * step's 8 plots) and one for each 32 bytes it fills,
 * counted in cv_t.work as it goes and charged at the end (pay): the cost
 * follows the work whatever the sizes a task passes. */
typedef struct {
    uint8_t *px;
    int w, h;
    uint8_t c;
    unsigned long work;
} cv_t;

#define FILL_PER_UNIT 32

/* Coordinates are clamped to +-COORD_LIM before any arithmetic: far off
 * every canvas (at most DISPLAY_MAX_DIM), and a few of them added or
 * doubled still fit a 32-bit long. */
#define COORD_LIM (1L << 28)

static long clampc(fvm_cell_t v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : (long)v;
}

static long coord(fvm_cell_t v)
{
    return clampc(v, -COORD_LIM, COORD_LIM);
}

/* The first and last of n > 0 cells from p (no overflow), each clamped to
 * -1..lim: an edge off the canvas stays off it. */
static void edges(fvm_cell_t p, fvm_cell_t n, long lim, long *first, long *last)
{
    fvm_cell_t l = p > 0 && n - 1 > INTPTR_MAX - p ? INTPTR_MAX : p + (n - 1);
    *first = clampc(p, -1, lim);
    *last = clampc(l, -1, lim);
}

static int pay(fvm_t *vm, const cv_t *cv)
{
    fvm_charge(vm, (long)cv->work + 1);
    return 0;
}

static void pay_fill(fvm_t *vm, size_t bytes)
{
    fvm_charge(vm, (long)(bytes / FILL_PER_UNIT) + 1);
}

/* The task's canvas, checked against its memory; a header rewritten
 * beyond DISPLAY_MAX_DIM is refused (w*h must not wrap a 32-bit size). */
static int get_canvas(fvm_t *vm, slot_t *s, cv_t *cv, uint8_t **hdr_out)
{
    uint8_t *hdr = s->canvas ? fvm_mem_w(vm, s->canvas, DISPLAY_CHUNK_HDR) : NULL;
    if (!hdr)
        return fvm_abort_msg(vm, "no canvas: addr x y w h canvas");
    cv->w = hdr[4] | hdr[5] << 8;
    cv->h = hdr[6] | hdr[7] << 8;
    if (cv->w > DISPLAY_MAX_DIM || cv->h > DISPLAY_MAX_DIM)
        return fvm_abort_msg(vm, "canvas: bad size");
    cv->px = fvm_mem_w(vm, s->canvas, DISPLAY_CHUNK_HDR + (size_t)cv->w * cv->h);
    if (!cv->px)
        return FVM_E_INVALID_ADDRESS;
    cv->px += DISPLAY_CHUNK_HDR;
    cv->c = s->color;
    cv->work = 0;
    if (hdr_out)
        *hdr_out = hdr;
    return 0;
}

static inline void plot(const cv_t *cv, long x, long y)
{
    if (x >= 0 && y >= 0 && x < cv->w && y < cv->h)
        cv->px[(size_t)y * (size_t)cv->w + (size_t)x] = cv->c;
}

/* Row y from x0 to x1, clipped; x0, x1 within +-2*COORD_LIM. */
static void hspan(cv_t *cv, long x0, long x1, long y)
{
    cv->work++;
    if (y < 0 || y >= cv->h)
        return;
    if (x0 < 0)
        x0 = 0;
    if (x1 >= cv->w)
        x1 = cv->w - 1;
    if (x0 <= x1) {
        kmem_set(cv->px + (size_t)y * (size_t)cv->w + (size_t)x0, cv->c, (size_t)(x1 - x0 + 1));
        cv->work += (unsigned long)(x1 - x0 + 1) / FILL_PER_UNIT;
    }
}

/* At most 100000 steps from (x0, y0): coordinates clamped by coord(). */
static void draw_line(cv_t *cv, long x0, long y0, long x1, long y1)
{
    long dx = x1 > x0 ? x1 - x0 : x0 - x1, sx = x0 < x1 ? 1 : -1;
    long dy = y1 > y0 ? y0 - y1 : y1 - y0, sy = y0 < y1 ? 1 : -1;
    long err = dx + dy;
    for (long n = 0; n < 100000; n++) {
        cv->work++;
        plot(cv, x0, y0);
        if (x0 == x1 && y0 == y1)
            break;
        long e2 = 2 * err;
        if (e2 >= dy) {
            err += dy;
            x0 += sx;
        }
        if (e2 <= dx) {
            err += dx;
            y0 += sy;
        }
    }
}

/* r 0..100000 (else nothing); cx, cy clamped by coord().  A circle that
 * misses the canvas costs nothing more. */
static void draw_circle(cv_t *cv, long cx, long cy, long r, bool fill)
{
    long x = r, y = 0, err = 1 - r;
    if (r < 0 || r > 100000)
        return;
    if (cx + r < 0 || cy + r < 0 || cx - r >= cv->w || cy - r >= cv->h)
        return;
    while (x >= y) {
        cv->work += fill ? 0 : 4;   /* 8 plots, mostly cheap; a span counts itself */
        if (fill) {
            hspan(cv, cx - x, cx + x, cy + y);
            hspan(cv, cx - x, cx + x, cy - y);
            hspan(cv, cx - y, cx + y, cy + x);
            hspan(cv, cx - y, cx + y, cy - x);
        } else {
            plot(cv, cx + x, cy + y);
            plot(cv, cx - x, cy + y);
            plot(cv, cx + x, cy - y);
            plot(cv, cx - x, cy - y);
            plot(cv, cx + y, cy + x);
            plot(cv, cx - y, cy + x);
            plot(cv, cx + y, cy - x);
            plot(cv, cx - y, cy - x);
        }
        y++;
        if (err < 0) {
            err += 2 * y + 1;
        } else {
            x--;
            err += 2 * (y - x) + 1;
        }
    }
}

static void draw_char(cv_t *cv, unsigned ch, long x, long y)
{
    const uint8_t *g = font_glyph(ch);
    cv->work += FONT_W * FONT_H;
    for (int row = 0; row < FONT_H; row++)
        for (int col = 0; col < FONT_W; col++)
            if (font_pixel(g, col, row))
                plot(cv, x + col, y + row);
}

/* Pop n cells into v (v[0] deepest). */
static int pops(fvm_t *vm, fvm_cell_t *v, int n)
{
    if (fvm_depth(vm) < n)
        return FVM_E_STACK_UNDERFLOW;
    for (int i = n - 1; i >= 0; i--)
        fvm_pop(vm, &v[i]);
    return 0;
}

/* Common prologue: n arguments, the slot and the canvas. */
#define DRAW_PROLOGUE(n)                                                   \
    fvm_cell_t v[(n) ? (n) : 1];                                           \
    int rc = 0;                                                            \
    cv_t cv;                                                               \
    (void)ctx;                                                             \
    slot_t *s = slot_of(vm, &rc);                                          \
    if (!s)                                                                \
        return rc;                                                         \
    if ((rc = pops(vm, v, (n))) || (rc = get_canvas(vm, s, &cv, NULL)))    \
        return rc

static int w_canvas(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t v[5];
    int rc = 0;
    slot_t *s = slot_of(vm, &rc);
    if (!s)
        return rc;
    if ((rc = pops(vm, v, 5)))
        return rc;
    if (v[1] < 0 || v[2] < 0 || v[3] <= 0 || v[4] <= 0 || v[1] > 0xffff || v[2] > 0xffff ||
        v[3] > DISPLAY_MAX_DIM || v[4] > DISPLAY_MAX_DIM)
        return fvm_abort_msg(vm, "canvas: bad position or size");
    uint8_t *p = fvm_mem_w(vm, v[0], DISPLAY_CHUNK_HDR + (size_t)v[3] * (size_t)v[4]);
    if (!p)
        return FVM_E_INVALID_ADDRESS;
    for (int i = 0; i < 4; i++) {
        p[2 * i] = (uint8_t)v[1 + i];
        p[2 * i + 1] = (uint8_t)(v[1 + i] >> 8);
    }
    kmem_set(p + DISPLAY_CHUNK_HDR, 0, (size_t)v[3] * (size_t)v[4]);
    pay_fill(vm, (size_t)v[3] * (size_t)v[4]);
    s->canvas = v[0];
    return 0;
}

static int w_color(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t c;
    int rc = 0;
    slot_t *s = slot_of(vm, &rc);
    if (!s)
        return rc;
    if (fvm_pop(vm, &c))
        return FVM_E_STACK_UNDERFLOW;
    s->color = (uint8_t)(c < 0 ? 0 : c > 255 ? 255 : c);
    return 0;
}

static int w_clear(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(0);
    kmem_set(cv.px, 0, (size_t)cv.w * (size_t)cv.h);
    pay_fill(vm, (size_t)cv.w * (size_t)cv.h);
    return 0;
}

static int w_pixel(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(2);
    plot(&cv, v[0], v[1]);
    return pay(vm, &cv);
}

static int w_line(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(4);
    draw_line(&cv, coord(v[0]), coord(v[1]), coord(v[2]), coord(v[3]));
    return pay(vm, &cv);
}

/* rect and fill-rect: only the rows on the canvas are walked. */
static int w_rect(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(4);
    long x0, x1, y0, y1;
    if (v[2] <= 0 || v[3] <= 0)
        return pay(vm, &cv);
    edges(v[0], v[2], cv.w, &x0, &x1);
    edges(v[1], v[3], cv.h, &y0, &y1);
    hspan(&cv, x0, x1, y0);
    hspan(&cv, x0, x1, y1);
    for (long y = y0 < 0 ? 0 : y0; y <= y1 && y < cv.h; y++) {
        cv.work += 2;
        plot(&cv, x0, y);
        plot(&cv, x1, y);
    }
    return pay(vm, &cv);
}

static int w_fill_rect(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(4);
    long x0, x1, y0, y1;
    if (v[2] <= 0 || v[3] <= 0)
        return pay(vm, &cv);
    edges(v[0], v[2], cv.w, &x0, &x1);
    edges(v[1], v[3], cv.h, &y0, &y1);
    for (long y = y0 < 0 ? 0 : y0; y <= y1 && y < cv.h; y++)
        hspan(&cv, x0, x1, y);
    return pay(vm, &cv);
}

static int w_circle(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(3);
    draw_circle(&cv, coord(v[0]), coord(v[1]), clampc(v[2], -1, 100001), false);
    return pay(vm, &cv);
}

static int w_fill_circle(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(3);
    draw_circle(&cv, coord(v[0]), coord(v[1]), clampc(v[2], -1, 100001), true);
    return pay(vm, &cv);
}

static int w_text(fvm_t *vm, void *ctx)
{
    DRAW_PROLOGUE(4);
    if (v[1] < 0 || v[1] > 4096)
        return FVM_E_INVALID_ADDRESS;
    const uint8_t *str = v[1] ? fvm_mem(vm, v[0], (size_t)v[1]) : NULL;
    if (v[1] && !str)
        return FVM_E_INVALID_ADDRESS;
    long x = coord(v[2]), y = coord(v[3]);
    if (y + FONT_H <= 0 || y >= cv.h)
        return pay(vm, &cv);
    for (fvm_cell_t i = 0; i < v[1]; i++) {   /* only the glyphs on the canvas */
        long gx = x + FONT_CELL_W * (long)i;
        cv.work++;
        if (gx >= cv.w)
            break;
        if (gx + FONT_W > 0)
            draw_char(&cv, str[i], gx, y);
    }
    return pay(vm, &cv);
}

/* paint / show / display-clear: one request to the display service; a
 * refusal throws its code with the display's reason. */
static int done_status(fvm_t *vm, int32_t st, const uint8_t *p, uint32_t n, const void *arg)
{
    (void)p, (void)n, (void)arg;
    if (!st)
        return 0;
    char msg[80] = "display: ";
    size_t k = 9;
    for (const char *t = cerr_text(st); *t && k < sizeof msg - 1; t++)
        msg[k++] = *t;
    msg[k] = 0;
    return fvm_throw_msg(vm, st, msg);
}

static int request(fvm_t *vm, uint16_t op, const uint8_t *data, uint32_t n)
{
    uint8_t *pl;
    int rc = fclient_begin(vm, &display_svc, op, n, 0, done_status, NULL, 0, &pl);
    if (!pl)
        return rc;
    if (n)
        kmem_copy(pl, data, n);
    return fclient_send(vm);
}

static int w_paint(fvm_t *vm, void *ctx)
{
    uint8_t *hdr;
    int rc = 0;
    cv_t cv;
    (void)ctx;
    slot_t *s = slot_of(vm, &rc);
    if (!s)
        return rc;
    if ((rc = get_canvas(vm, s, &cv, &hdr)))
        return rc;
    pay_fill(vm, (size_t)cv.w * (size_t)cv.h);   /* the copy into the request */
    return request(vm, DISPLAY_OP_PAINT, hdr, DISPLAY_CHUNK_HDR + (uint32_t)(cv.w * cv.h));
}

static int w_show(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return request(vm, DISPLAY_OP_FLUSH, NULL, 0);
}

static int w_display_clear(fvm_t *vm, void *ctx)
{
    fvm_cell_t g;
    (void)ctx;
    if (fvm_pop(vm, &g))
        return FVM_E_STACK_UNDERFLOW;
    uint8_t gray = (uint8_t)(g < 0 ? 0 : g > 255 ? 255 : g);
    return request(vm, DISPLAY_OP_CLEAR, &gray, 1);
}

static int w_display_size(fvm_t *vm, void *ctx)
{
    (void)ctx;
    uint16_t w = 0, h = 0;
    if (!display_framebuffer(&w, &h))
        return no_display(vm);
    fvm_push(vm, w);
    return fvm_push(vm, h);
}

static const fvm_word_t words[] = {
    { "canvas", w_canvas, NULL, 0 },       { "color", w_color, NULL, 0 },
    { "clear", w_clear, NULL, 0 },         { "pixel", w_pixel, NULL, 0 },
    { "line", w_line, NULL, 0 },           { "rect", w_rect, NULL, 0 },
    { "fill-rect", w_fill_rect, NULL, 0 }, { "circle", w_circle, NULL, 0 },
    { "fill-circle", w_fill_circle, NULL, 0 }, { "text", w_text, NULL, 0 },
    { "paint", w_paint, NULL, 0 },         { "show", w_show, NULL, 0 },
    { "display-clear", w_display_clear, NULL, 0 }, { "display-size", w_display_size, NULL, 0 },
};

/* A task ends: its canvas lives in its memory, about to be freed. */
static void task_ended(ftask_t *f)
{
    for (int i = 0; i < SLOTS; i++)
        if (slots[i] && slots[i]->task == f) {
            kacct_free(ftask_acct(f), slots[i]);
            slots[i] = NULL;
        }
}

kerr_t fdisplay_init(void)
{
    kerr_t e = ftask_on_end(task_ended);
    if (e != KERR_OK)
        return e;
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
