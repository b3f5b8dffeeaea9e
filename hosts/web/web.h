/*
 * web -- the browser host (prefix web_): clio compiled for wasm32 and
 * driven by the page's JavaScript (hosts/web/page/clio.js).
 *
 * The division of work: the JavaScript host owns the event loop.  It calls
 * the module's exports (clio_start, clio_run, clio_line_in, clio_key ...,
 * see web_main.c) and supplies the imports declared here, module "env".
 * Every import is synchronous and called from inside an export (mostly
 * clio_run(), in kernel task context): none may call back into the module.
 *
 * There are no threads and no interrupts: input arrives between two
 * clio_run() calls, through exports that queue it the way an interrupt
 * handler would (bbq_commit_isr, task_wake_isr), and the page then calls
 * clio_run() again.  Nothing runs while the kernel is idle.
 */
#ifndef WEB_H
#define WEB_H

#include <stdbool.h>
#include <stdint.h>
#include "kerr.h"
#include "common/port.h"
#include "display/display.h"

#define WEB_IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define WEB_EXPORT(name) __attribute__((export_name(name)))

/* ---- imports (clio.js) ------------------------------------------------- */
/* Milliseconds since the page started (performance.now()): monotonic. */
WEB_IMPORT("now_ms") double web_now_ms(void);
/* Output of line id (WEB_LINE_*): len bytes at ptr -- the console's
 * UTF-8 for its terminal, the sermux line's frames for the tabs. */
WEB_IMPORT("line_out") void web_line_out(uint32_t id, const void *ptr, uint32_t len);
/* A frame for the canvas: w*h gray8 pixels at fb (copied before return). */
WEB_IMPORT("display_present") void web_display_present(const uint8_t *fb, uint32_t w, uint32_t h);
/* Store count 512-byte blocks from lba on in the browser's storage
 * (synchronously): 0, or -1 when the storage refused (full, disabled). */
WEB_IMPORT("disk_write") int web_disk_write(uint32_t lba, const void *ptr, uint32_t count);

/* ---- the host's parts ----------------------------------------------------- */
/* web_line.c: the page's byte lines and its input buffer.  WEB_LINE_CONSOLE carries the console
 * shell's text; WEB_LINE_MUX the sermux line (COBS frames, sermux.h) whose
 * ports the page shows as tabs.  web_line_open: init context, once per id;
 * the port (number num) is the line driver's.  The page feeds rx with the
 * export clio_line_in(id, n): n bytes of the input buffer; it returns how
 * many fitted (offer the rest after a clio_run). */
enum { WEB_LINE_CONSOLE = 0, WEB_LINE_MUX = 1, WEB_LINES = 2 };
kerr_t web_line_open(uint32_t id, uint16_t num, port_t **out);
/* The page's input buffer (WEB_INBUF bytes, export clio_inbuf) when n
 * bytes fit in it, else NULL. */
#define WEB_INBUF (16u * 1024)
const uint8_t *web_inbuf(uint32_t n);

/* platform_web.c: whether task_wake_isr() signalled since the last call. */
bool web_take_signal(void);

/* web_disk.c: mount the blocks the page loaded into the disk image (or
 * format a blank one) and start the file service over it.  A line saying
 * what it found goes to *msg (a static string).  False: no file service. */
bool web_disk_start(const char **msg);
/* Put a file on the disk unless one of that name exists (the examples). */
int web_disk_seed(const char *name, const uint8_t *data, uint32_t len);

/* web_display.c: the display service with the canvas as its backend, the
 * keyboard mux (fed by the canvas and by kbd, sermux port 2, if not NULL),
 * the drawing words; with gfxterm, the graphical shell too.  After
 * ftask_init(), before any task starts. */
kerr_t web_display_start(bool gfxterm, port_t *kbd);

#endif
