/*
 * web_main -- clio in a browser page: the module's exports, which the
 * page's JavaScript (clio.js) calls.  See web.h for the imports and the
 * rules; docs/web.md for the page.
 *
 *   clio_start(flags)      bring the kernel and the services up, start the
 *                          console shell; 0, or a kerr_t (its text goes to
 *                          the console).  flags: CLIO_WEB_GFXTERM also runs
 *                          the graphical shell on the canvas.  Call once,
 *                          after the page has filled the disk image.
 *   clio_run(budget_ms)    run ready tasks and due timers for up to
 *                          budget_ms; returns what the page should do next:
 *                          0 call again after yielding to the browser,
 *                          t > 0 call again in t ms (the next timer),
 *                          -1 nothing to do until input arrives
 *   clio_inbuf()           a buffer of CLIO_WEB_INBUF bytes the page
 *                          writes input into before the calls below
 *   clio_console_in(n)     give the console shell n bytes of the buffer;
 *                          returns how many it took (fewer when its input
 *                          ring is full: offer the rest after a clio_run)
 *   clio_seed(nlen, dlen)  store a file (name: the first nlen bytes of the
 *                          buffer, contents: the next dlen) unless it exists
 *   clio_interrupt()       Ctrl-C for the console shell (ftask_interrupt):
 *                          the word it runs throws -28; 1 if one ran
 *   clio_key(key)          (web_display.c) a key for the keyboard mux
 *
 * After every call that queues input the page calls clio_run().  The
 * console shell that ends (`bye`) is replaced by a new one: a page has no
 * process to end.
 */
#include "display/fdisplay.h"
#include "example/echo.h"
#include "files/ffiles.h"
#include "files/files.h"
#include "kernel.h"
#include "kstring.h"
#include "pt.h"
#include "tasks/ftask.h"
#include "tasks/spawnulator.h"
#include "web.h"

/* the root VM image (build/gen/web_rootimg.c, from web_mkroot.c) */
extern const unsigned char clio_root_image[];
extern const size_t clio_root_image_len;

#define CLIO_WEB_GFXTERM 1u
#define CLIO_WEB_INBUF (16u * 1024)
#define CON_RX_CAP 4096
#define CON_TX_CAP (16u * 1024)
#define DRIVER_PRIO 5

WEB_EXPORT("clio_start") int32_t clio_start(uint32_t flags);
WEB_EXPORT("clio_run") double clio_run(double budget_ms);
WEB_EXPORT("clio_inbuf") uint8_t *clio_inbuf(void);
WEB_EXPORT("clio_console_in") uint32_t clio_console_in(uint32_t n);
WEB_EXPORT("clio_seed") int32_t clio_seed(uint32_t nlen, uint32_t dlen);
WEB_EXPORT("clio_interrupt") int32_t clio_interrupt(void);

static struct {
    port_t con;
    uint8_t rx[CON_RX_CAP], tx[CON_TX_CAP];
    task_t bh, txd;
    bbq_grant_t g;
    ftask_t *shell;
    bool started;
} ws;

static uint8_t inbuf[CLIO_WEB_INBUF + 1];

/* Bottom half of console input: wake the shell waiting on rx. */
static task_status_t bh_poll(task_t *t)
{
    (void)t;
    if (!kwaitq_empty(&ws.con.rx.consumers))
        kwaitq_wake_all(&ws.con.rx.consumers);
    return TASK_PENDING;
}

/* The console's output to the page's terminal. */
static task_status_t txd_poll(task_t *t)
{
    kerr_t e;
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, (e = bbq_read_wait(&ws.con.tx, t, &ws.g)) != KERR_PENDING);
        if (e != KERR_OK)
            PT_EXIT(t, (int32_t)e);
        web_console_out(ws.g.ptr, ws.g.len);
        bbq_release(&ws.con.tx, ws.g.len);
    }
    PT_END(t);
}

/* Text for the console before any task writes to it (init context). */
static void put(const char *s)
{
    bbq_grant_t g;
    uint32_t n = (uint32_t)kstr_len(s, 1024);
    if (bbq_grant(&ws.con.tx, n, &g) == KERR_OK) {
        kmem_copy(g.ptr, s, n);
        bbq_commit(&ws.con.tx, n);
    }
}

static int32_t fail(const char *what, kerr_t err)
{
    put("clio: ");
    put(what);
    put(": ");
    put(kerr_str(err));
    put("\n");
    return (int32_t)err;
}

int32_t clio_start(uint32_t flags)
{
    kerr_t err;
    char num[24];
    if (ws.started)
        return KERR_INVAL;
    ws.started = true;
    uint64_t t_main = plat_now();
    if ((err = kernel_init()) != KERR_OK)
        return (int32_t)err;           /* no console yet: the page reports it */
    trace_set_level(TRACE_ERROR);
    ws.con.num = PORT_CONSOLE;
    bbq_init(&ws.con.rx, ws.rx, sizeof ws.rx);
    bbq_init(&ws.con.tx, ws.tx, sizeof ws.tx);
    if ((err = task_spawn(&ws.bh, bh_poll, DRIVER_PRIO)) != KERR_OK ||
        (err = task_spawn(&ws.txd, txd_poll, DRIVER_PRIO)) != KERR_OK)
        return (int32_t)err;

    static echo_service_t echo;
    if ((err = echo_start(&echo, 1)) != KERR_OK)
        return fail("echo service", err);
    const char *disk_msg;
    web_disk_start(&disk_msg);          /* without it, the file words say so */

    uint64_t t_root = plat_now();
    ftask_config_t fc = { .files = ffiles_ops(), .file_ext = ffiles_ext(),
                          .root_image = clio_root_image, .root_image_len = clio_root_image_len };
    const fvm_error_t *ferr = NULL;
    if ((err = ftask_init(&fc, &ferr)) != KERR_OK)
        return fail(ferr ? ferr->message : "ftask_init", err);
    uint64_t t_rooted = plat_now();
    if ((err = spawnulator_start()) != KERR_OK || (err = fdisplay_init()) != KERR_OK ||
        (err = web_display_start(flags & CLIO_WEB_GFXTERM)) != KERR_OK)
        return fail("starting the services", err);

    put("clio (wasm32) up at ");
    put(kstr_udec(plat_now() / 1000000, num));
    put(" ms (module at ");
    put(kstr_udec(t_main / 1000000, num));
    put(ftask_root_from_image() ? " ms, root VM from its image in " : " ms, root VM compiled in ");
    put(kstr_udec((t_rooted - t_root) / 1000000, num));
    put(" ms)\n");
    put(disk_msg);
    put("\nForth shell ready; try  2 3 + .  or  ls\n");
    if ((err = ftask_start_shell(&ws.con, &ws.shell)) != KERR_OK)
        return fail("console shell", err);
    return 0;
}

/* A console shell that ended (`bye`) is replaced; true if it was (then
 * tasks are ready: the new shell, the console's output). */
static bool keep_shell(void)
{
    if (!ws.shell || !ftask_ended(ws.shell))
        return false;
    ftask_forget(ws.shell);
    ws.shell = NULL;
    put("(the shell ended; a new one starts)\n");
    if (ftask_start_shell(&ws.con, &ws.shell) != KERR_OK)
        put("clio: no memory for a new shell\n");
    return true;
}

double clio_run(double budget_ms)
{
    if (!ws.started)
        return -1;
    uint64_t start = plat_now();
    uint64_t end = start + (uint64_t)(budget_ms > 0 ? budget_ms * 1e6 : 0);
    for (;;) {
        web_take_signal();
        uint64_t next = kernel_tick();
        bool renewed = keep_shell();
        uint64_t now = plat_now();
        bool more = next == 0 || renewed || web_take_signal() || (next != KERNEL_IDLE && next <= now);
        if (more) {
            if (now >= end)
                return 0;
            continue;
        }
        if (next == KERNEL_IDLE)
            return -1;
        return (double)(next - now) / 1e6;
    }
}

uint8_t *clio_inbuf(void)
{
    return inbuf;
}

uint32_t clio_console_in(uint32_t n)
{
    uint32_t done = 0;
    if (!ws.started || n > CLIO_WEB_INBUF)
        return 0;
    while (done < n) {
        bbq_grant_t g;
        if (bbq_grant_max(&ws.con.rx, n - done, &g) != KERR_OK)
            break;
        kmem_copy(g.ptr, inbuf + done, g.len);
        bbq_commit_isr(&ws.con.rx, g.len, &ws.bh);
        done += g.len;
    }
    return done;
}

int32_t clio_seed(uint32_t nlen, uint32_t dlen)
{
    if (nlen == 0 || nlen > FILES_NAME_MAX || dlen > CLIO_WEB_INBUF - nlen)
        return FILES_E_INVAL;
    char name[FILES_NAME_MAX + 1];
    kmem_copy(name, inbuf, nlen);
    name[nlen] = 0;
    return web_disk_seed(name, inbuf + nlen, dlen);
}

int32_t clio_interrupt(void)
{
    return ws.shell && !ftask_ended(ws.shell) && ftask_interrupt(ws.shell);
}
