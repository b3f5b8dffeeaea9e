/*
 * web -- the browser host (prefix web_): clio compiled for wasm32 and
 * driven by the page's JavaScript (hosts/web/clio.js).
 *
 * The division of work: the JavaScript host owns the event loop.  It calls
 * the module's exports (clio_start, clio_run, clio_console_in, clio_key ...,
 * see web_main.c) and supplies the imports declared here, module "env".
 * Every import is synchronous and called from inside clio_run() or
 * clio_start() (kernel task context): none may call back into the module.
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
#include "display/display.h"

#define WEB_IMPORT(name) __attribute__((import_module("env"), import_name(name)))
#define WEB_EXPORT(name) __attribute__((export_name(name)))

/* ---- imports (clio.js) ------------------------------------------------- */
/* Milliseconds since the page started (performance.now()): monotonic. */
WEB_IMPORT("now_ms") double web_now_ms(void);
/* The console's output: len bytes of UTF-8 at ptr, for the terminal. */
WEB_IMPORT("console_out") void web_console_out(const void *ptr, uint32_t len);
/* A frame for the canvas: w*h gray8 pixels at fb (copied before return). */
WEB_IMPORT("display_present") void web_display_present(const uint8_t *fb, uint32_t w, uint32_t h);
/* Store count 512-byte blocks from lba on in the browser's storage
 * (synchronously): 0, or -1 when the storage refused (full, disabled). */
WEB_IMPORT("disk_write") int web_disk_write(uint32_t lba, const void *ptr, uint32_t count);

/* ---- the host's parts ----------------------------------------------------- */
/* platform_web.c: whether task_wake_isr() signalled since the last call. */
bool web_take_signal(void);

/* web_disk.c: mount the blocks the page loaded into the disk image (or
 * format a blank one) and start the file service over it.  A line saying
 * what it found goes to *msg (a static string).  False: no file service. */
bool web_disk_start(const char **msg);
/* Put a file on the disk unless one of that name exists (the examples). */
int web_disk_seed(const char *name, const uint8_t *data, uint32_t len);

/* web_display.c: the display service with the canvas as its backend, the
 * keyboard mux, the drawing words; with gfxterm, the graphical shell too.
 * After ftask_init(), before any task starts. */
kerr_t web_display_start(bool gfxterm);

#endif
