/*
 * web_disk -- the page's files: blkfs (services/files/blkfs.c) over a RAM
 * disk that the browser's storage backs (see web.h).
 *
 * Before clio_start() the page copies the blocks it stored into the disk
 * image (clio_disk_base, clio_disk_blocks); blocks it never stored are
 * zeros.  A store that holds blocks but no file system blkfs can mount is
 * left alone (no file service); only an empty one is formatted.  Every
 * block write goes to the storage at once (web_disk_write),
 * then to the image, so what blkfs has committed (a file closed or
 * flushed) survives a reload; a write the storage refuses (full, disabled)
 * fails with the image unchanged, and the file word gets an I/O error.  blkfs's copy-on-write keeps a state that a
 * closed tab cut short still mountable.
 */
#include "files/blkfs.h"
#include "files/files.h"
#include "kstring.h"
#include "web.h"

#define WEB_DISK_BLOCKS 2048       /* 1 MiB: 1.4 MB of base64 at most */
#define FILES_PRIO 1               /* as the other hosts' file service */

static _Alignas(8) uint8_t image[WEB_DISK_BLOCKS * BLKFS_BLOCK];
static blkfs_dev_t dev;
static blkfs_t fs;
static files_backend_t backend;
static files_service_t service;
static char msg[160];

WEB_EXPORT("clio_disk_base") uint8_t *clio_disk_base(void);
WEB_EXPORT("clio_disk_blocks") uint32_t clio_disk_blocks(void);

uint8_t *clio_disk_base(void)
{
    return image;
}

uint32_t clio_disk_blocks(void)
{
    return WEB_DISK_BLOCKS;
}

static int dev_read(void *ctx, uint32_t lba, void *buf, uint32_t count)
{
    (void)ctx;
    if (lba > WEB_DISK_BLOCKS || count > WEB_DISK_BLOCKS - lba)
        return -1;
    kmem_copy(buf, image + (size_t)lba * BLKFS_BLOCK, (size_t)count * BLKFS_BLOCK);
    return 0;
}

static int dev_write(void *ctx, uint32_t lba, const void *buf, uint32_t count)
{
    (void)ctx;
    if (lba > WEB_DISK_BLOCKS || count > WEB_DISK_BLOCKS - lba)
        return -1;
    /* the storage first: what it refuses stays out of the image too, so
     * the two never disagree */
    if (web_disk_write(lba, buf, count) != 0)
        return -1;
    kmem_copy(image + (size_t)lba * BLKFS_BLOCK, buf, (size_t)count * BLKFS_BLOCK);
    return 0;
}

/* Append s to msg (cut at its size). */
static void add(const char *s)
{
    size_t n = kstr_len(msg, sizeof msg);
    while (*s && n + 1 < sizeof msg)
        msg[n++] = *s++;
    msg[n] = 0;
}

/* Nothing stored: every block of the image is zeros. */
static bool image_blank(void)
{
    for (size_t i = 0; i < sizeof image; i++)
        if (image[i])
            return false;
    return true;
}

bool web_disk_start(const char **out)
{
    char fr[21];
    dev = (blkfs_dev_t){ .nblocks = WEB_DISK_BLOCKS, .read = dev_read, .write = dev_write };
    *out = msg;
    msg[0] = 0;
    bool blank = image_blank();
    int rc = blkfs_mount(&fs, &dev);
    if (rc == BLKFS_E_NOTFS && blank) {  /* nothing stored yet: the first visit */
        if ((rc = blkfs_format(&dev, 0)) == BLKFS_OK)
            rc = blkfs_mount(&fs, &dev);
    }
    if (rc != BLKFS_OK) {          /* damaged storage is left as it is */
        add("files: the browser's storage: ");
        add(blkfs_strerror(rc));
        add("\n  left as it is: no files (docs/web.md, starting over)");
        return false;
    }
    blkfs_backend(&fs, &backend);
    kerr_t err = files_start(&service, &backend, FILES_PRIO);
    if (err != KERR_OK) {
        add("files: the file service: ");
        add(kerr_str(err));
        add(": no files");
        return false;
    }
    add(blank ? "files: a new store in this browser, " : "files: this browser's store, ");
    add(kstr_udec(blkfs_free_blocks(&fs), fr));
    add(" blocks free");
    return true;
}

int web_disk_seed(const char *name, const uint8_t *data, uint32_t len)
{
    files_stat_t st;
    uint32_t bh;
    if (!backend.open)
        return FILES_E_NOSVC;
    if (backend.stat(backend.ctx, name, &st) == FILES_OK)
        return FILES_OK;
    int rc = backend.open(backend.ctx, name, FILES_M_WRITE | FILES_M_CREATE | FILES_M_TRUNC, &bh);
    if (rc != FILES_OK)
        return rc;
    rc = backend.write(backend.ctx, bh, 0, data, len);
    int rc2 = backend.close(backend.ctx, bh);
    return rc != FILES_OK ? rc : rc2;
}
