/* uart -- the 16550 as a port (see uart.h). */
#include "uart.h"
#include "pt.h"
#include "kstring.h"
#include "riscv.h"
#include "shell/ledit.h"

#define DRIVER_PRIO 5
#define REG(r) (UART0_BASE + (r))

static struct {
    port_t port;
    bool cooked;
    task_t bh, txd;
    volatile bool kick;        /* ISR -> bh: rx got bytes */
    volatile bool stalled;     /* rx was full: RX interrupt masked */
    uint64_t retry;
    bbq_grant_t g;             /* txd's current read */
    uint32_t off;              /* how much of it is in the UART */
    bool cr_sent;              /* cooked: the CR of a CR LF went out */
    uint8_t ier;
    uint8_t tx_depth;          /* bytes per THR-empty: the FIFO's, or 1 */
    char line[UART_LINE_MAX];  /* cooked: the finished line, waiting for rx */
    uint32_t llen;
    bool line_done;
    volatile bool brk;         /* ISR -> bh: Ctrl-C */
    void (*on_break)(void *ctx);
    void *brk_ctx;
    ledit_t ed;                /* cooked: the line being typed, history */
} u;
static uint8_t rx_buf[UART_RX_CAP], tx_buf[UART_TX_CAP];

static void set_ier(uint8_t ier)
{
    u.ier = ier;
    mmio_w8(REG(UART_IER), ier);
}

/* Polled output for the echo, from the ISR (QEMU's THR is ready at once). */
static void echo(const char *s, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        while (!(mmio_r8(REG(UART_LSR)) & LSR_THRE))
            ;
        mmio_w8(REG(UART_THR), (uint8_t)s[i]);
    }
}

/* Interrupt context or under the critical section: move the finished line
 * into rx.  false: no room yet. */
static bool flush_line(void)
{
    bbq_grant_t g;
    if (bbq_grant(&u.port.rx, u.llen, &g) != KERR_OK)
        return false;
    for (uint32_t i = 0; i < u.llen; i++)
        g.ptr[i] = (uint8_t)u.line[i];
    bbq_commit_isr(&u.port.rx, u.llen, NULL);
    u.llen = 0;
    u.line_done = false;
    u.kick = true;
    return true;
}

static void ed_echo(void *ctx, const char *s, uint32_t n)
{
    (void)ctx;
    echo(s, n);
}

/* One typed byte, cooked (the line editor). false: the line is done and
 * waits for room. */
static bool cook(uint8_t c)
{
    uint32_t n;
    switch (ledit_key(&u.ed, c)) {
    case LEDIT_LINE: {
        const char *s = ledit_line(&u.ed, &n);
        for (uint32_t i = 0; i < n; i++)
            u.line[i] = s[i];
        u.line[n] = '\n';
        u.llen = n + 1;
        u.line_done = true;
        return flush_line();
    }
    case LEDIT_INTR:                       /* Ctrl-C: the bottom half interrupts */
        u.brk = true;
        u.kick = true;
        return true;
    case LEDIT_EOF:                        /* Ctrl-D on an empty line */
        u.port.eof = 1;
        u.kick = true;
        return true;
    default:
        return true;
    }
}

static void stall(void)
{
    u.stalled = true;
    set_ier(u.ier & (uint8_t)~IER_RDI);
}

static void rx_isr(void)
{
    if (u.cooked) {
        while (!u.stalled && (mmio_r8(REG(UART_LSR)) & LSR_DR))
            if (!cook(mmio_r8(REG(UART_RBR))))
                stall();
    } else {
        while (!u.stalled && (mmio_r8(REG(UART_LSR)) & LSR_DR)) {
            bbq_grant_t g;
            if (bbq_grant_max(&u.port.rx, 64, &g) != KERR_OK) {
                stall();
                break;
            }
            uint32_t n = 0;
            do
                g.ptr[n++] = mmio_r8(REG(UART_RBR));
            while (n < g.len && (mmio_r8(REG(UART_LSR)) & LSR_DR));
            bbq_commit_isr(&u.port.rx, n, NULL);
            u.kick = true;
        }
    }
    if (u.kick || u.stalled)
        task_wake_isr(&u.bh);
}

void uart_isr(void)
{
    for (;;) {
        uint8_t iir = mmio_r8(REG(UART_IIR));
        if (iir & IIR_NONE)
            return;
        switch (iir & IIR_ID) {
        case IIR_RDI:
        case IIR_CTI:
            rx_isr();
            break;
        case IIR_THRI:
            set_ier(u.ier & (uint8_t)~IER_THRI);
            task_wake_isr(&u.txd);
            break;
        case IIR_RLSI:
            (void)mmio_r8(REG(UART_LSR));
            break;
        default:
            (void)mmio_r8(REG(UART_LSR));
            (void)mmio_r8(REG(UART_RBR));
            return;
        }
    }
}

/* Bottom half: wake rx's readers; while stalled, retry every few ms. */
static bool unstall(void)
{
    plat_irqstate_t s = plat_crit_enter();
    bool ok = !u.line_done || flush_line();
    if (ok) {
        u.stalled = false;
        set_ier(u.ier | IER_RDI);          /* pending bytes interrupt again */
    }
    plat_crit_leave(s);
    return ok;
}

static task_status_t bh_poll(task_t *t)
{
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, u.kick || u.stalled);
        u.kick = false;
        if (u.brk) {
            u.brk = false;
            if (u.on_break)
                u.on_break(u.brk_ctx);
        }
        if (!kwaitq_empty(&u.port.rx.consumers))
            kwaitq_wake_all(&u.port.rx.consumers);
        while (u.stalled) {
            u.retry = plat_now() + UART_RETRY_MS * 1000000ull;
            PT_SLEEP_UNTIL(t, u.retry);
            if (unstall())
                break;
        }
    }
    PT_END(t);
}

static bool thr_empty(void)
{
    return mmio_r8(REG(UART_LSR)) & LSR_THRE;
}

/* Fill the (empty) transmit FIFO, or THR, from the current read. */
static void fill_fifo(void)
{
    for (int k = 0; k < u.tx_depth && u.off < u.g.len; k++) {
        uint8_t c = u.g.ptr[u.off];
        if (u.cooked && c == '\n' && !u.cr_sent) {
            mmio_w8(REG(UART_THR), '\r');
            u.cr_sent = true;
            continue;
        }
        mmio_w8(REG(UART_THR), c);
        u.cr_sent = false;
        u.off++;
    }
}

static task_status_t txd_poll(task_t *t)
{
    kerr_t e;
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, (e = bbq_read_wait(&u.port.tx, t, &u.g)) != KERR_PENDING);
        if (e != KERR_OK)
            PT_EXIT(t, (int32_t)e);
        u.off = 0;
        while (u.off < u.g.len) {
            if (!thr_empty()) {
                plat_irqstate_t s = plat_crit_enter();
                set_ier(u.ier | IER_THRI);   /* interrupts at once if already empty */
                plat_crit_leave(s);
                PT_WAIT_UNTIL(t, thr_empty());
            }
            fill_fifo();
        }
        bbq_release(&u.port.tx, u.g.len);
    }
    PT_END(t);
}

void uart_init(void)
{
    mmio_w8(REG(UART_LCR), LCR_8N1);
}

kerr_t uart_open(bool cooked, port_t **out)
{
    if (!out)
        return KERR_INVAL;
    kmem_set(&u, 0, sizeof u);
    u.cooked = cooked;
    ledit_init(&u.ed, ed_echo, NULL);
    u.port.num = PORT_CONSOLE;
    bbq_init(&u.port.rx, rx_buf, sizeof rx_buf);
    bbq_init(&u.port.tx, tx_buf, sizeof tx_buf);
    kerr_t e = task_spawn(&u.bh, bh_poll, DRIVER_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&u.txd, txd_poll, DRIVER_PRIO);
    if (e != KERR_OK)
        return e;
    u.tx_depth = (mmio_r8(REG(UART_IIR)) & IIR_FIFO) == IIR_FIFO ? UART_FIFO : 1;
    mmio_w8(REG(UART_MCR), mmio_r8(REG(UART_MCR)) | MCR_OUT2);
    plat_irqstate_t s = plat_crit_enter();
    set_ier(IER_RDI);
    plat_crit_leave(s);
    plic_enable(UART0_IRQ, 1);
    *out = &u.port;
    return KERR_OK;
}

void uart_on_break(void (*on_break)(void *ctx), void *ctx)
{
    u.on_break = on_break;
    u.brk_ctx = ctx;
}

bool uart_tx_idle(void)
{
    return bbq_used(&u.port.tx) == 0 && (mmio_r8(REG(UART_LSR)) & 0x40);  /* TEMT */
}

void uart_write_polled(const char *s)
{
    for (; *s; s++) {
        if (*s == '\n')
            echo("\r", 1);
        echo(s, 1);
    }
}
