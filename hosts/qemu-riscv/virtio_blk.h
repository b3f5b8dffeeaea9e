/*
 * virtio_blk -- the virtio-blk disk of QEMU virt as a blkfs_dev_t (prefix
 * vblk_): modern virtio-mmio (version 2), one virtqueue, one request in
 * flight.  QEMU 7.2 shows virtio-mmio as legacy (version 1) unless started
 * with `-global virtio-mmio.force-legacy=false`; vblk_open() then answers
 * VBLK_E_LEGACY.
 *
 * Synchronous and polled.  blkfs_dev_t's calls are synchronous, so each
 * read/write/flush posts one request, rings the doorbell and spins on the
 * used ring until the device answers; the device's interrupt is suppressed
 * and never enabled in the PLIC.  The whole kernel waits meanwhile: on
 * QEMU a request on a file-backed drive takes tens of microseconds, and the
 * file service's task is the only caller (docs/files.md, limits).  A request
 * not answered within VBLK_TIMEOUT_MS fails, and the device is reset and
 * given up (every later call fails): a late answer could otherwise still
 * write into a buffer that has been reused.
 *
 * Transfers are split into requests of at most VBLK_MAX_SECTORS.  Buffers
 * may be anywhere in RAM, any alignment (no MMU: addresses are physical).
 * One disk per system: the state is static.
 */
#ifndef VIRTIO_BLK_H
#define VIRTIO_BLK_H

#include <stdbool.h>
#include "files/blkfs.h"

#define VBLK_TIMEOUT_MS  2000
#define VBLK_MAX_SECTORS 128      /* 64 KiB per request */

enum {
    VBLK_OK = 0,
    VBLK_E_NODEV = -1,        /* no virtio-blk among the virtio-mmio slots */
    VBLK_E_LEGACY = -2,       /* virtio-mmio version 1: QEMU flag missing */
    VBLK_E_FEATURES = -3,     /* the device refused our feature set */
    VBLK_E_QUEUE = -4,        /* queue 0 missing, too small or in use */
};

/* Find the virtio-blk device (the first one on QEMU's command line), reset
 * and set it up, and fill *dev: nblocks (the capacity, at most UINT32_MAX
 * sectors), read, write, and flush (NULL when the device has no write
 * cache).  read/write/flush return 0, or -1 (device error, timeout, range,
 * write on a read-only disk).  Init context; call once. */
int vblk_open(blkfs_dev_t *dev);

/* The disk is read-only (-drive ...,readonly=on): every write fails. */
bool vblk_readonly(void);

const char *vblk_strerror(int code);

#endif
