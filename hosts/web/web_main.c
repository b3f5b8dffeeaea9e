/*
 * web_main -- clio in a browser page: the module's exports, which the
 * page's JavaScript (clio.js) calls.  See web.h for the imports and the
 * rules; docs/web.md for the page.
 *
 *   clio_start(flags)      bring the kernel and the services up, start the
 *                          console shell, the sermux line with Forth shells
 *                          on ports 10..13 (shellports.h); 0, or a kerr_t
 *                          (its text goes to the console).  flags: CLIO_WEB_GFXTERM also runs
 *                          the graphical shell on the canvas.  Call once,
 *                          after the page has filled the disk image.
 *   clio_run(budget_ms)    run ready tasks and due timers for up to
 *                          budget_ms; returns what the page should do next:
 *                          0 call again after yielding to the browser,
 *                          t > 0 call again in t ms (the next timer),
 *                          -1 nothing to do until input arrives
 *   clio_inbuf()           (web_line.c) the buffer the page writes input
 *                          into before the calls that take it
 *   clio_line_in(id, n)    (web_line.c) n bytes of the buffer for a line
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
#include "mux/sermux.h"
#include "tasks/ftask.h"
#include "tasks/shellports.h"
#include "tasks/spawnulator.h"
#include "web.h"

/* the root VM image (build/gen/web_rootimg.c, from web_mkroot.c) */
extern const unsigned char clio_root_image[];
extern const size_t clio_root_image_len;

#define CLIO_WEB_GFXTERM 1u

WEB_EXPORT("clio_start") int32_t clio_start(uint32_t flags);
WEB_EXPORT("clio_run") double clio_run(double budget_ms);
WEB_EXPORT("clio_seed") int32_t clio_seed(uint32_t nlen, uint32_t dlen);
WEB_EXPORT("clio_interrupt") int32_t clio_interrupt(void);

static struct {
    port_t *con;
    ftask_t *shell;           /* held (ftask_hold) until keep_shell lets it go */
    bool started;
} ws;

/* Text for the console before any task writes to it (init context). */
static void put(const char *s)
{
    bbq_grant_t g;
    uint32_t n = (uint32_t)kstr_len(s, 1024);
    if (bbq_grant(&ws.con->tx, n, &g) == KERR_OK) {
        kmem_copy(g.ptr, s, n);
        bbq_commit(&ws.con->tx, n);
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
    port_t *line, *kbd;
    if ((err = web_line_open(WEB_LINE_CONSOLE, PORT_CONSOLE, &ws.con)) != KERR_OK)
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
    if ((err = web_line_open(WEB_LINE_MUX, 0, &line)) != KERR_OK ||
        (err = sermux_start(line)) != KERR_OK ||
        (err = sermux_open(SERMUX_PORT_KEYBOARD, 0, &kbd)) != KERR_OK)
        return fail("sermux", err);
    if ((err = spawnulator_start()) != KERR_OK || (err = fdisplay_init()) != KERR_OK ||
        (err = web_display_start(flags & CLIO_WEB_GFXTERM, kbd)) != KERR_OK ||
        (err = shellports_start(true)) != KERR_OK)
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
    if ((err = ftask_start_shell(ws.con, &ws.shell)) != KERR_OK)
        return fail("console shell", err);
    ftask_hold(ws.shell);
    return 0;
}

/* A console shell that ended (`bye`) is replaced; true if it was (then
 * tasks are ready: the new shell, the console's output). */
static bool keep_shell(void)
{
    if (!ws.shell || !ftask_ended(ws.shell))
        return false;
    ftask_unhold(ws.shell);
    ftask_forget(ws.shell);
    ws.shell = NULL;
    put("(the shell ended; a new one starts)\n");
    if (ftask_start_shell(ws.con, &ws.shell) == KERR_OK)
        ftask_hold(ws.shell);
    else
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

int32_t clio_seed(uint32_t nlen, uint32_t dlen)
{
    const uint8_t *in = web_inbuf(nlen + dlen);
    if (!in || nlen == 0 || nlen > FILES_NAME_MAX || dlen > WEB_INBUF - nlen)
        return FILES_E_INVAL;
    char name[FILES_NAME_MAX + 1];
    kmem_copy(name, in, nlen);
    name[nlen] = 0;
    return web_disk_seed(name, in + nlen, dlen);
}

int32_t clio_interrupt(void)
{
    return ws.shell && !ftask_ended(ws.shell) && ftask_interrupt(ws.shell);
}
