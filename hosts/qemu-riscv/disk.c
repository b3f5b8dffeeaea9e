/* disk -- mount (or format) the virtio-blk disk, start the file service
 * over it (see disk.h). */
#include <stdarg.h>
#include "disk.h"
#include "kstring.h"
#include "files/blkfs.h"
#include "files/files.h"
#include "uart.h"
#include "virtio_blk.h"

#define FILES_PRIO 1               /* as build/clio's file service */

static blkfs_dev_t dev;
static blkfs_t fs;                 /* ~24 KiB: static, not on the stack */
static files_backend_t backend;
static files_service_t service;

/* One line on the UART: the pieces, then a newline (NULL ends the list). */
static void say(const char *first, ...) __attribute__((sentinel));
static void say(const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    for (const char *s = first; s; s = va_arg(ap, const char *))
        uart_write_polled(s);
    va_end(ap);
    uart_write_polled("\n");
}

static uint32_t count_files(void)
{
    files_stat_t st;
    uint32_t n = 0;
    while (backend.list(backend.ctx, "", n, &st) == FILES_OK)
        n++;
    return n;
}

bool disk_init(void)
{
    int rc = vblk_open(&dev);
    if (rc == VBLK_E_NODEV) {
        say("disk: none (no virtio-blk device): no files", NULL);
        return false;
    }
    if (rc != VBLK_OK) {
        say("disk: ", vblk_strerror(rc), ": no files", NULL);
        return false;
    }
    char nb[21], nf[21], fr[21];
    const char *ro = vblk_readonly() ? " (read-only)" : "";
    kstr_udec(dev.nblocks, nb);
    bool blank = false;
    rc = blkfs_mount(&fs, &dev);
    if (rc == BLKFS_E_NOTFS) {     /* no blkfs magic: a blank disk, first boot */
        blank = true;
        if ((rc = blkfs_format(&dev, 0)) == BLKFS_OK)
            rc = blkfs_mount(&fs, &dev);
    }
    if (rc != BLKFS_OK) {          /* anything else is left as it is */
        say("disk: ", nb, " blocks", ro, blank ? ", no blkfs found: format: " : ": ",
            blkfs_strerror(rc), ": no files", NULL);
        return false;
    }
    blkfs_backend(&fs, &backend);
    kerr_t err = files_start(&service, &backend, FILES_PRIO);
    if (err != KERR_OK) {
        say("disk: file service: ", kerr_str(err), ": no files", NULL);
        return false;
    }
    kstr_udec(blkfs_free_blocks(&fs), fr);
    if (blank)
        say("disk: ", nb, " blocks", ro, ", no blkfs found: formatted, ", fr, " blocks free", NULL);
    else
        say("disk: ", nb, " blocks", ro, ", ", kstr_udec(count_files(), nf), " files, ", fr,
            " blocks free", NULL);
    return true;
}
