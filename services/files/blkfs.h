/*
 * blkfs -- a tiny crash-safe file system over a block device, as a backend
 * of the file service (prefix blkfs_).  The on-disk format is in
 * docs/files.md; in short:
 *
 *   block 0            superblock: magic "CLIOBLKF", CRC, version, geometry
 *                      (written once, by blkfs_format)
 *   blocks 1..M        metadata slot A  } each: magic "CLIOMETA", CRC,
 *   blocks M+1..2M     metadata slot B  } generation, N directory entries
 *   blocks 2M+1..      data: every file one contiguous extent
 *
 * A directory entry: name (1..31 bytes, no '/'), first block, capacity in
 * blocks, length in bytes, CRC-32 of the data.  The namespace is flat.
 *
 * Crash safety: committed data is never overwritten.  A file opened for
 * writing gets a new extent on its first change (copy on write); the
 * change becomes visible when the file is closed or flushed: data blocks
 * are written, the device flushed, then the whole directory is written to
 * the slot *not* holding the current state with generation + 1, and the
 * device flushed again.  Mount takes the valid slot (magic, CRC, sane
 * entries) with the highest generation, so a crash at any point leaves
 * the old state or the new one; a torn metadata write fails its CRC and
 * is ignored.  Data CRCs are checked when a file is opened (FILES_E_IO).
 *
 * Rules: one writer or many readers per file (else FILES_E_BUSY); an open
 * file cannot be deleted or replaced by a rename; a file being changed
 * needs room for its old and new extents until it is closed.
 *
 * The block device is a callback table: 512-byte blocks, synchronous read
 * and write (0 = success), an optional flush (a write barrier).  That is
 * all a virtio-blk driver has to provide.  Freestanding; no allocation: a
 * blkfs_t holds everything (about 24 KiB).  Not thread-safe (the file
 * service's task is its only user).
 */
#ifndef BLKFS_H
#define BLKFS_H

#include <stdbool.h>
#include <stdint.h>
#include "files.h"

#define BLKFS_BLOCK        512
#define BLKFS_NAME_MAX     31
#define BLKFS_MAX_ENTRIES  128     /* directory entries (format's limit) */
#define BLKFS_MAX_LEN      0xFFFFFE00u  /* a file's bytes: 2^32 less a block, so
                                       no 32-bit offset or capacity wraps */
#define BLKFS_DEF_ENTRIES  64
#define BLKFS_MAX_OPEN     64      /* open handles: the file service's
                                       (FILES_MAX_HANDLES), so one client's
                                       share cannot take them all */
#define BLKFS_VERSION      1
#define BLKFS_ENTRY_BYTES  64
#define BLKFS_META_MAX_BLOCKS ((BLKFS_ENTRY_BYTES * (1 + BLKFS_MAX_ENTRIES) + BLKFS_BLOCK - 1) / BLKFS_BLOCK)

typedef struct blkfs_dev {
    void *ctx;
    uint32_t nblocks;              /* device size in 512-byte blocks */
    int (*read)(void *ctx, uint32_t lba, void *buf, uint32_t count);
    int (*write)(void *ctx, uint32_t lba, const void *buf, uint32_t count);
    int (*flush)(void *ctx);       /* NULL: a write is durable on return */
} blkfs_dev_t;

/* Mount and format errors (a failed file operation is a FILES_E_* code). */
enum {
    BLKFS_OK = 0,
    BLKFS_E_IO = -600,        /* the device failed */
    BLKFS_E_NOTFS = -601,     /* no blkfs superblock (bad magic) */
    BLKFS_E_SUPER = -602,     /* superblock damaged (CRC) or geometry insane */
    BLKFS_E_VERSION = -603,   /* a format version this code does not know */
    BLKFS_E_META = -604,      /* neither metadata slot is valid */
    BLKFS_E_SMALL = -605,     /* format: device too small, or bad entry count */
};

typedef struct blkfs_entry {
    char name[BLKFS_NAME_MAX + 1];  /* "" : free */
    uint32_t start, cap, len, crc;
} blkfs_entry_t;

typedef struct blkfs_open {
    bool used, writer, pending, dirty;
    uint16_t entry;
    uint32_t start, cap, len;       /* the pending (new) extent */
} blkfs_open_t;

typedef struct blkfs {
    blkfs_dev_t dev;
    uint32_t total, nentries, meta_blocks, data_start;
    uint32_t slot[2];
    uint64_t gen;
    int cur;                         /* slot holding the committed state */
    blkfs_entry_t dir[BLKFS_MAX_ENTRIES];
    blkfs_entry_t stage[BLKFS_MAX_ENTRIES];
    blkfs_open_t open[BLKFS_MAX_OPEN];
    uint32_t ext_start[BLKFS_MAX_ENTRIES + BLKFS_MAX_OPEN];
    uint32_t ext_cap[BLKFS_MAX_ENTRIES + BLKFS_MAX_OPEN];
    uint8_t blk[BLKFS_BLOCK];
    uint8_t meta[BLKFS_META_MAX_BLOCKS * BLKFS_BLOCK];
} blkfs_t;

/* Write an empty file system with nentries directory entries (0: the
 * default) over the whole device.  BLKFS_OK, BLKFS_E_SMALL, BLKFS_E_IO. */
int blkfs_format(const blkfs_dev_t *dev, uint32_t nentries);

/* Check the image and load its newest valid state into fs (the device
 * table is copied).  BLKFS_OK or a BLKFS_E_* code (blkfs_strerror). */
int blkfs_mount(blkfs_t *fs, const blkfs_dev_t *dev);

/* The file service backend over a mounted fs. */
void blkfs_backend(blkfs_t *fs, files_backend_t *be);

/* Free data blocks (for df-like reports and tests). */
uint32_t blkfs_free_blocks(blkfs_t *fs);

const char *blkfs_strerror(int code);

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()): crc = 0 to start. */
uint32_t blkfs_crc32(uint32_t crc, const void *data, uint32_t n);

#endif
