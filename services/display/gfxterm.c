/* gfxterm -- the graphical Forth shell (see gfxterm.h). */
#include "gfxterm.h"
#include "display.h"
#include "font.h"
#include "tasks/ftask.h"
#include "keyboard.h"
#include "kstring.h"
#include "pt.h"
#include "shell/ledit.h"
#include "shell/complete.h"
#include "common/uuid.h"

#define GT_PRIO 3
#define GT_RING 2048                   /* the shell's output */
/* The shell's input: an empty ring always grants a line of LEDIT_MAX
 * characters and its '\n' (bbq grants never wrap: twice that does). */
#define GT_RX_RING (2 * (LEDIT_MAX + 1))
#define GT_RESTART_MS 100              /* a new shell after the last ended */
#define GT_BREAK_MS 100                /* Ctrl-C looked for while a line waits */
#define PROMPT "> "
#define PROMPT_LEN 2
#define FG 255
#define BG 0

static struct {
    task_t in_task, out_task, draw_task, keeper;
    port_t port;
    bbq_t *keys;
    bbq_grant_t kg, og;
    kerr_t kerr, oerr, derr;
    char pend[LEDIT_MAX + 1];      /* an entered line + '\n' not yet in rx */
    uint32_t npend;                /* its bytes, 0: none (keys wait meanwhile) */
    int cols, rows, cx, cy;
    char *text;                    /* rows * cols */
    int dirty0, dirty1;            /* dirty row range, dirty0 > dirty1: clean */
    ledit_t ed;                    /* the line being typed, its history */
    int ox, oy;                    /* where the prompt and that line start */
    int shown;                     /* cells they take on screen, 0: none */
    int kx, ky;                    /* the typing cursor while they show */
    uint16_t w, h;
    int p0, p1, per;               /* rows being painted; rows per request */
    reg_handle_t hd;               /* to the display; its call buffer holds a chunk */
    reg_msg_t req;
    ftask_t *shell;                /* held (ftask_hold) while it is here;
                                      NULL while a new one is due */
    bool restart;                  /* the shell ended: the keeper replaces it */
    uint64_t wake_at;
    bool tab_many;                 /* the last key was a Tab that found several */
    bool tabbed;                   /* in_poll: a Tab ended this grant's keys */
    char list[1024];               /* Tab's candidates */
} gt;

static void mark(int r)
{
    if (r < gt.dirty0)
        gt.dirty0 = r;
    if (r > gt.dirty1)
        gt.dirty1 = r;
    task_wake(&gt.draw_task);
}

static void scroll(void)
{
    for (int i = 0; i < (gt.rows - 1) * gt.cols; i++)
        gt.text[i] = gt.text[i + gt.cols];
    kmem_set(gt.text + (gt.rows - 1) * gt.cols, ' ', (size_t)gt.cols);
    gt.dirty0 = 0;
    mark(gt.rows - 1);
}

static void newline(void)
{
    mark(gt.cy);
    gt.cx = 0;
    if (++gt.cy >= gt.rows) {
        gt.cy = gt.rows - 1;
        scroll();
    }
    mark(gt.cy);
}

/* The row is full and text goes on: the word it ends in moves to the next
 * row when it started after a space (a word longer than a row is cut). */
static void wrap(void)
{
    char *row = gt.text + gt.cy * gt.cols;
    int sp = gt.cols;
    while (sp > 0 && row[sp - 1] != ' ')
        sp--;
    int n = gt.cols - sp;                  /* the word's characters */
    char word[256];
    if (sp == 0 || n >= gt.cols || n > (int)sizeof word)
        n = 0;
    for (int i = 0; i < n; i++) {
        word[i] = row[sp + i];
        row[sp + i] = ' ';
    }
    newline();
    for (int i = 0; i < n; i++)
        gt.text[gt.cy * gt.cols + gt.cx++] = word[i];
}

static void put_char(uint8_t c)
{
    if (c == '\n') {
        newline();
    } else if (c == '\r') {
        gt.cx = 0;
        mark(gt.cy);
    } else if (c == '\b') {
        if (gt.cx > 0)
            gt.cx--;
        mark(gt.cy);
    } else if (c == '\t') {
        do
            put_char(' ');
        while (gt.cx % 8);
    } else if (c >= 0x20) {
        if (gt.cx >= gt.cols)
            wrap();
        gt.text[gt.cy * gt.cols + gt.cx++] = (char)(c < 0x7f ? c : '?');
        mark(gt.cy);
    }
}

static void put_str(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        put_char((uint8_t)s[i]);
}

int gfxterm_row(int r, char *out, int cap)
{
    if (!gt.text || r < 0 || r >= gt.rows || cap < 1)
        return 0;
    int n = gt.cols < cap - 1 ? gt.cols : cap - 1;
    kmem_copy(out, gt.text + r * gt.cols, (size_t)n);
    out[n] = 0;
    return gt.cols;
}

/* ---- the prompt and the line being typed -------------------------------------- */

/* Take the prompt and the typed line off the screen: output goes there. */
static void hide_input(void)
{
    for (int k = 0; k < gt.shown; k++) {
        int r = gt.oy + (gt.ox + k) / gt.cols, c = (gt.ox + k) % gt.cols;
        if (r < gt.rows) {
            gt.text[r * gt.cols + c] = ' ';
            mark(r);
        }
    }
    if (gt.shown) {
        gt.cx = gt.ox;
        gt.cy = gt.oy;
    }
    gt.shown = 0;
}

/* Draw the prompt and the typed line at the output cursor (wrapping at
 * the right edge, scrolling at the bottom); the output cursor stays. */
static void show_input(void)
{
    int x = gt.cx, y = gt.cy, n = PROMPT_LEN + (int)gt.ed.len;
    if (x >= gt.cols) {
        x = 0;
        y++;
    }
    while (y + (x + n) / gt.cols >= gt.rows && y > 0) {   /* make room */
        scroll();
        y--;
    }
    gt.ox = x;
    gt.oy = y;
    for (int k = 0; k < n; k++) {
        int r = y + (x + k) / gt.cols, c = (x + k) % gt.cols;
        if (r >= gt.rows)
            break;
        gt.text[r * gt.cols + c] = k < PROMPT_LEN ? PROMPT[k] : gt.ed.buf[k - PROMPT_LEN];
        mark(r);
    }
    gt.shown = n;
    int at = x + PROMPT_LEN + (int)gt.ed.pos;
    gt.kx = at % gt.cols;
    gt.ky = y + at / gt.cols < gt.rows ? y + at / gt.cols : gt.rows - 1;
    gt.cx = x;
    gt.cy = y;
    mark(gt.ky);
}

/* A line for the shell: it stays on the screen as typed, the answer comes
 * on the next line.  It becomes the pending line, which in_poll puts into
 * the shell's rx as soon as that has room, taking no key until then. */
static void enter_line(void)
{
    uint32_t n;
    const char *line = ledit_line(&gt.ed, &n);
    hide_input();
    put_str(PROMPT, PROMPT_LEN);
    put_str(line, (int)n);
    newline();
    kmem_copy(gt.pend, line, n);       /* n <= LEDIT_MAX */
    gt.pend[n] = '\n';
    gt.npend = n + 1;
    ledit_clear(&gt.ed);               /* the next prompt starts empty */
}

/* Ctrl-C for the shell, if there is one (held: the record is valid). */
static void interrupt_shell(void)
{
    if (gt.shell)
        ftask_interrupt(gt.shell);
}

/* Tab: complete the word before the cursor from the shell's dictionary
 * (in_poll runs between the shell's runs, so its VM may be read); the
 * candidates go on the screen when it can add nothing. */
static void tab(void)
{
    fvm_t *vm = gt.shell && !ftask_ended(gt.shell) ? ftask_vm(gt.shell) : NULL;   /* held */
    uint32_t n;
    complete_res_t r = complete_tab(&gt.ed, vm, gt.tab_many, gt.list, sizeof gt.list, &n);
    hide_input();
    if (r == COMPLETE_LIST) {
        put_str(PROMPT, PROMPT_LEN);
        put_str(gt.ed.buf, (int)gt.ed.len);
        newline();
        put_str(gt.list, (int)n);
        newline();
    }
    gt.tab_many = r == COMPLETE_SOME || r == COMPLETE_LIST;
}

/* Keys: the line editor; Tab completes, Enter sends the line, Ctrl-C
 * interrupts. */
static void key(uint8_t c)
{
    if (c == '\t') {
        tab();
        show_input();
        return;
    }
    gt.tab_many = false;
    switch (ledit_key(&gt.ed, c)) {
    case LEDIT_LINE:
        enter_line();
        break;
    case LEDIT_INTR:
        hide_input();
        put_str(PROMPT "^C", PROMPT_LEN + 2);
        newline();
        interrupt_shell();
        break;
    default:
        hide_input();
        break;
    }
    show_input();
}

/* While a line waits: a Ctrl-C among the keys queued acts at once (the
 * shell may be running a word that never reads); the byte is then spent
 * (made a 0, which the line editor ignores). */
static void break_queued(void)
{
    bbq_grant_t g;
    if (bbq_read(gt.keys, &g) != KERR_OK)
        return;
    for (uint32_t i = 0; i < g.len; i++)
        if (g.ptr[i] == 0x03) {
            g.ptr[i] = 0;
            hide_input();
            put_str("^C", 2);
            newline();
            show_input();
            interrupt_shell();
        }
    bbq_release(gt.keys, 0);
}

/* KERR_OK once the pending line is in the shell's rx; else parked until
 * the shell reads, looking for a Ctrl-C every GT_BREAK_MS meanwhile. */
static kerr_t send_line(task_t *t)
{
    bbq_grant_t g;
    kerr_t e = bbq_grant(&gt.port.rx, gt.npend, &g);
    if (e == KERR_OK) {
        task_clear_deadline(t);
        kmem_copy(g.ptr, gt.pend, gt.npend);
        bbq_commit(&gt.port.rx, gt.npend);
        gt.npend = 0;
        return KERR_OK;
    }
    if (e != KERR_FULL)
        return e;                      /* KERR_TOO_BIG cannot be: GT_RX_RING */
    if (task_park(t, &gt.port.rx.producers) == KERR_TIMEOUT) {
        task_clear_deadline(t);
        break_queued();
    }
    if (!timer_armed(&t->timer))
        task_set_deadline(t, plat_now() + GT_BREAK_MS * 1000000ull);
    return task_park(t, &gt.port.rx.producers);
}

/* Keys, one at a time into the line editor; a line entered is sent before
 * the next key is taken (the keys wait meanwhile: in this ring, then in
 * the keyboard's source port).  A Tab ends the poll: its completion walks
 * the shell's dictionary (bounded, fvm_each_word, but a few ms on a large
 * forged one), so a frame of Tabs costs one walk a poll, not 256. */
static task_status_t in_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, gt.kerr, bbq_read_wait(gt.keys, t, &gt.kg));
        if (gt.kerr != KERR_OK)
            break;
        gt.tabbed = false;
        {
            uint32_t i = 0;
            while (i < gt.kg.len && !gt.npend && !gt.tabbed) {
                gt.tabbed = gt.kg.ptr[i] == '\t';
                key(gt.kg.ptr[i++]);
            }
            bbq_release(gt.keys, i);
        }
        if (gt.tabbed)
            PT_YIELD(t);
        if (gt.npend) {
            PT_WAIT_OP(t, gt.kerr, send_line(t));
            if (gt.kerr != KERR_OK)
                break;
        }
    }
    PT_EXIT(t, gt.kerr);
    PT_END(t);
}

static task_status_t out_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, gt.oerr, bbq_read_wait(&gt.port.tx, t, &gt.og));
        if (gt.oerr != KERR_OK)
            break;
        hide_input();
        for (uint32_t i = 0; i < gt.og.len; i++)
            put_char(gt.og.ptr[i]);
        bbq_release(&gt.port.tx, gt.og.len);
        show_input();
    }
    PT_EXIT(t, gt.oerr);
    PT_END(t);
}

static uint32_t chunk_len(int r0, int r1)
{
    return DISPLAY_CHUNK_HDR + (uint32_t)gt.w * (uint32_t)(r1 - r0 + 1) * FONT_CELL_H;
}

/* Render rows r0..r1 (full width) as a PAINT chunk at chunk. */
static void render(uint8_t *chunk, int r0, int r1)
{
    uint32_t y = (uint32_t)r0 * FONT_CELL_H, hh = (uint32_t)(r1 - r0 + 1) * FONT_CELL_H;
    uint8_t *p = chunk + DISPLAY_CHUNK_HDR;
    uint16_t hdr[4] = { 0, (uint16_t)y, gt.w, (uint16_t)hh };
    for (int i = 0; i < 4; i++) {
        chunk[2 * i] = (uint8_t)hdr[i];
        chunk[2 * i + 1] = (uint8_t)(hdr[i] >> 8);
    }
    kmem_set(p, BG, (size_t)gt.w * hh);
    for (int r = r0; r <= r1; r++) {
        uint8_t *rowp = p + (size_t)(r - r0) * FONT_CELL_H * gt.w;
        for (int c = 0; c < gt.cols; c++) {
            const uint8_t *g = font_glyph((uint8_t)gt.text[r * gt.cols + c]);
            bool cur = gt.shown ? r == gt.ky && c == gt.kx
                                : r == gt.cy && c == (gt.cx < gt.cols ? gt.cx : gt.cols - 1);
            for (int row = 0; row < FONT_CELL_H; row++)
                for (int col = 0; col < FONT_CELL_W; col++) {
                    bool on = font_pixel(g, col, row);
                    if (cur)
                        on = !on;
                    if (on)
                        rowp[(size_t)row * gt.w + (size_t)(c * FONT_CELL_W + col)] = FG;
                }
        }
    }
}

static task_status_t draw_poll(task_t *t)
{
    PT_BEGIN(t);
    {
        reg_uuid_t u;
        uuid_parse(DISPLAY_UUID_STR, &u);
        gt.derr = reg_connect(&gt.hd, &u, DISPLAY_IFACE, NULL);
        if (gt.derr == KERR_OK)
            gt.derr = reg_reserve(&gt.hd, chunk_len(0, gt.per - 1));
        if (gt.derr != KERR_OK)
            PT_EXIT(t, gt.derr);
    }
    for (;;) {
        PT_WAIT_UNTIL(t, gt.dirty0 <= gt.dirty1);
        gt.p0 = gt.dirty0;               /* rows marked from now on: the next round */
        gt.p1 = gt.dirty1;
        gt.dirty0 = gt.rows;
        gt.dirty1 = -1;
        while (gt.p0 <= gt.p1) {         /* in pieces a request can carry */
            {
                int r1 = gt.p0 + gt.per - 1 < gt.p1 ? gt.p0 + gt.per - 1 : gt.p1;
                gt.req = (reg_msg_t){ .opcode = DISPLAY_OP_PAINT };
                render(reg_request_room(&gt.hd, &gt.req, chunk_len(gt.p0, r1)), gt.p0, r1);
                gt.p0 = r1 + 1;
            }
            PT_WAIT_OP(t, gt.derr, reg_call(&gt.hd, t, &gt.req));
            if (gt.derr != KERR_OK)
                PT_EXIT(t, gt.derr);
        }
        gt.req = (reg_msg_t){ .opcode = DISPLAY_OP_FLUSH };
        PT_WAIT_OP(t, gt.derr, reg_call(&gt.hd, t, &gt.req));
        if (gt.derr != KERR_OK)
            break;
    }
    PT_EXIT(t, gt.derr);
    PT_END(t);
}

/* A new shell on the port, held while gfxterm keeps it; false: no memory. */
static bool start_shell(void)
{
    ftask_t *f;
    if (ftask_start_shell(&gt.port, &f) != KERR_OK)
        return false;
    ftask_hold(f);
    fvm_set_columns(ftask_vm(f), (unsigned)gt.cols);   /* WORDS fits */
    gt.shell = f;
    return true;
}

/* A task ended (from its context, or its killer's): if it is the shell,
 * the keeper replaces it.  The record stays held until then, so Ctrl-C
 * and Tab meanwhile see an ended task, never freed memory. */
static void on_end(ftask_t *f)
{
    if (f == gt.shell) {
        gt.restart = true;
        task_wake(&gt.keeper);
    }
}

/* Lets go of an ended shell and starts a new one, a little later (no spin
 * if one cannot live; tried again while there is no memory for it). */
static task_status_t keeper_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, gt.restart);
        if (gt.shell) {
            ftask_unhold(gt.shell);      /* from here on it may be freed */
            gt.shell = NULL;
        }
        gt.wake_at = plat_now() + GT_RESTART_MS * 1000000ull;
        PT_SLEEP_UNTIL(t, gt.wake_at);
        if (start_shell()) {
            static const char again[] = "(the shell ended; a new one starts)\n";
            gt.restart = false;
            hide_input();
            put_str(again, (int)sizeof again - 1);
            show_input();
        }
    }
    PT_END(t);
}

kerr_t gfxterm_start(void)
{
    kmem_set(&gt, 0, sizeof gt);
    if (!display_framebuffer(&gt.w, &gt.h))
        return KERR_INVAL;
    gt.cols = gt.w / FONT_CELL_W;
    gt.rows = gt.h / FONT_CELL_H;
    if (gt.cols < 1 || gt.rows < 1)
        return KERR_INVAL;
    gt.per = (int)((REG_PAYLOAD_MAX - DISPLAY_CHUNK_HDR) / ((uint32_t)gt.w * FONT_CELL_H));
    if (gt.per < 1)
        return KERR_INVAL;               /* a row of text over one request */
    if (gt.per > gt.rows)
        gt.per = gt.rows;
    gt.text = kalloc((size_t)gt.cols * gt.rows);
    uint8_t *rx = kalloc(GT_RX_RING), *tx = kalloc(GT_RING);
    if (!gt.text || !rx || !tx)
        return KERR_NOMEM;
    kmem_set(gt.text, ' ', (size_t)gt.cols * gt.rows);
    ledit_init(&gt.ed, NULL, NULL);
    static const char banner[] = "clio graphical shell -- help for help, Ctrl-C interrupts\n";
    put_str(banner, (int)sizeof banner - 1);
    show_input();
    gt.port.num = PORT_CONSOLE;
    bbq_init(&gt.port.rx, rx, GT_RX_RING);
    bbq_init(&gt.port.tx, tx, GT_RING);
    gt.dirty0 = 0;
    gt.dirty1 = gt.rows - 1;
    kerr_t e = keyboard_subscribe(&gt.keys);
    if (e == KERR_OK)
        e = task_spawn(&gt.draw_task, draw_poll, GT_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&gt.in_task, in_poll, GT_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&gt.out_task, out_poll, GT_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&gt.keeper, keeper_poll, GT_PRIO);
    if (e == KERR_OK)
        e = ftask_on_end(on_end);
    if (e == KERR_OK && !start_shell())
        e = KERR_NOMEM;
    return e;
}
