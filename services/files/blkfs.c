/* blkfs -- a tiny crash-safe file system over a block device (see blkfs.h
 * and docs/files.md for the format). */
#include "blkfs.h"
#include "kstring.h"

#define B BLKFS_BLOCK
static const char sb_magic[8] = { 'C', 'L', 'I', 'O', 'B', 'L', 'K', 'F' };
static const char meta_magic[8] = { 'C', 'L', 'I', 'O', 'M', 'E', 'T', 'A' };

/* ---- little helpers -------------------------------------------------------- */

uint32_t blkfs_crc32(uint32_t crc, const void *data, uint32_t n)
{
    static const uint32_t t[16] = {
        0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
        0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
        0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c,
    };
    const uint8_t *p = data;
    crc = ~crc;
    while (n--) {
        crc ^= *p++;
        crc = (crc >> 4) ^ t[crc & 15];
        crc = (crc >> 4) ^ t[crc & 15];
    }
    return ~crc;
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put64(uint8_t *p, uint64_t v)
{
    put32(p, (uint32_t)v);
    put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

const char *blkfs_strerror(int code)
{
    switch (code) {
    case BLKFS_OK: return "ok";
    case BLKFS_E_IO: return "block device error";
    case BLKFS_E_NOTFS: return "not a blkfs image (bad magic)";
    case BLKFS_E_SUPER: return "blkfs superblock damaged (CRC or geometry)";
    case BLKFS_E_VERSION: return "blkfs version not supported";
    case BLKFS_E_META: return "blkfs directory damaged (no valid metadata slot)";
    case BLKFS_E_SMALL: return "device too small for blkfs (or bad entry count)";
    default: return files_strerror(code);
    }
}

static int dev_read(const blkfs_dev_t *d, uint32_t lba, void *buf, uint32_t count)
{
    if (lba >= d->nblocks || count > d->nblocks - lba)
        return -1;
    return d->read(d->ctx, lba, buf, count);
}

static int dev_write(const blkfs_dev_t *d, uint32_t lba, const void *buf, uint32_t count)
{
    if (lba >= d->nblocks || count > d->nblocks - lba)
        return -1;
    return d->write(d->ctx, lba, buf, count);
}

static int dev_flush(const blkfs_dev_t *d)
{
    return d->flush ? d->flush(d->ctx) : 0;
}

/* ---- geometry, superblock, metadata slots ----------------------------------- */

static uint32_t meta_blocks_for(uint32_t nentries)
{
    return (BLKFS_ENTRY_BYTES * (1 + nentries) + B - 1) / B;
}

static void geometry(blkfs_t *fs, uint32_t total, uint32_t nentries)
{
    fs->total = total;
    fs->nentries = nentries;
    fs->meta_blocks = meta_blocks_for(nentries);
    fs->slot[0] = 1;
    fs->slot[1] = 1 + fs->meta_blocks;
    fs->data_start = 1 + 2 * fs->meta_blocks;
}

/* Serialize entries into fs->meta (with generation gen). */
static void meta_build(blkfs_t *fs, const blkfs_entry_t *dir, uint64_t gen)
{
    uint32_t bytes = fs->meta_blocks * B;
    kmem_set(fs->meta, 0, bytes);
    kmem_copy(fs->meta, meta_magic, 8);
    put32(fs->meta + 12, BLKFS_VERSION);
    put64(fs->meta + 16, gen);
    put32(fs->meta + 24, fs->nentries);
    for (uint32_t i = 0; i < fs->nentries; i++) {
        uint8_t *e = fs->meta + BLKFS_ENTRY_BYTES * (1 + i);
        if (!dir[i].name[0])
            continue;
        kmem_copy(e, dir[i].name, BLKFS_NAME_MAX + 1);
        put32(e + 32, dir[i].start);
        put32(e + 36, dir[i].cap);
        put32(e + 40, dir[i].len);
        put32(e + 44, dir[i].crc);
    }
    put32(fs->meta + 8, blkfs_crc32(0, fs->meta + 12, bytes - 12));
}

static bool name_ok(const char *s, uint32_t n)
{
    if (n == 0 || n > BLKFS_NAME_MAX)
        return false;
    for (uint32_t i = 0; i < n; i++)
        if ((uint8_t)s[i] < 0x20 || s[i] == '/' || s[i] == 0x7f)
            return false;
    return !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

/* Parse and check fs->meta into dir: true if it is a valid slot. */
static bool meta_parse(blkfs_t *fs, blkfs_entry_t *dir, uint64_t *gen)
{
    uint32_t bytes = fs->meta_blocks * B;
    if (!kmem_eq(fs->meta, meta_magic, 8) || get32(fs->meta + 8) != blkfs_crc32(0, fs->meta + 12, bytes - 12) ||
        get32(fs->meta + 12) != BLKFS_VERSION || get32(fs->meta + 24) != fs->nentries)
        return false;
    *gen = get64(fs->meta + 16);
    for (uint32_t i = 0; i < fs->nentries; i++) {
        const uint8_t *e = fs->meta + BLKFS_ENTRY_BYTES * (1 + i);
        blkfs_entry_t *d = &dir[i];
        kmem_set(d, 0, sizeof *d);
        if (!e[0])
            continue;
        uint32_t n = (uint32_t)kstr_len((const char *)e, BLKFS_NAME_MAX + 1);
        if (n > BLKFS_NAME_MAX || !name_ok((const char *)e, n))
            return false;
        kmem_copy(d->name, e, n);
        d->start = get32(e + 32);
        d->cap = get32(e + 36);
        d->len = get32(e + 40);
        d->crc = get32(e + 44);
        if (d->cap == 0 ? (d->len || d->start)
                        : (d->start < fs->data_start || d->start > fs->total || d->cap > fs->total - d->start ||
                           d->len > (uint64_t)d->cap * B || d->len > BLKFS_MAX_LEN))
            return false;
        for (uint32_t j = 0; j < i; j++) {          /* unique names, no overlap */
            const blkfs_entry_t *o = &dir[j];
            if (!o->name[0])
                continue;
            if (kmem_eq(o->name, d->name, BLKFS_NAME_MAX + 1))
                return false;
            if (o->cap && d->cap && d->start < o->start + o->cap && o->start < d->start + d->cap)
                return false;
        }
    }
    return true;
}

int blkfs_format(const blkfs_dev_t *dev, uint32_t nentries)
{
    static blkfs_t fs;                 /* big: not on the stack */
    if (nentries == 0)
        nentries = BLKFS_DEF_ENTRIES;
    if (nentries > BLKFS_MAX_ENTRIES)
        return BLKFS_E_SMALL;
    kmem_set(&fs, 0, sizeof fs);
    geometry(&fs, dev->nblocks, nentries);
    if (dev->nblocks < fs.data_start + 1)
        return BLKFS_E_SMALL;
    /* slot B: zeros (no stale metadata survives); slot A: empty, gen 1 */
    kmem_set(fs.meta, 0, sizeof fs.meta);
    if (dev_write(dev, fs.slot[1], fs.meta, fs.meta_blocks))
        return BLKFS_E_IO;
    meta_build(&fs, fs.dir, 1);
    if (dev_write(dev, fs.slot[0], fs.meta, fs.meta_blocks) || dev_flush(dev))
        return BLKFS_E_IO;
    uint8_t *sb = fs.blk;
    kmem_set(sb, 0, B);
    kmem_copy(sb, sb_magic, 8);
    put32(sb + 12, BLKFS_VERSION);
    put32(sb + 16, B);
    put32(sb + 20, fs.total);
    put32(sb + 24, fs.nentries);
    put32(sb + 28, fs.meta_blocks);
    put32(sb + 32, fs.slot[0]);
    put32(sb + 36, fs.slot[1]);
    put32(sb + 40, fs.data_start);
    put32(sb + 8, blkfs_crc32(0, sb + 12, B - 12));
    if (dev_write(dev, 0, sb, 1) || dev_flush(dev))
        return BLKFS_E_IO;
    return BLKFS_OK;
}

int blkfs_mount(blkfs_t *fs, const blkfs_dev_t *dev)
{
    kmem_set(fs, 0, sizeof *fs);
    fs->dev = *dev;
    uint8_t *sb = fs->blk;
    if (dev_read(dev, 0, sb, 1))
        return BLKFS_E_IO;
    if (!kmem_eq(sb, sb_magic, 8))
        return BLKFS_E_NOTFS;
    if (get32(sb + 8) != blkfs_crc32(0, sb + 12, B - 12))
        return BLKFS_E_SUPER;
    if (get32(sb + 12) != BLKFS_VERSION)
        return BLKFS_E_VERSION;
    uint32_t total = get32(sb + 20), n = get32(sb + 24);
    if (get32(sb + 16) != B || n == 0 || n > BLKFS_MAX_ENTRIES || total > dev->nblocks)
        return BLKFS_E_SUPER;
    geometry(fs, total, n);
    if (get32(sb + 28) != fs->meta_blocks || get32(sb + 32) != fs->slot[0] ||
        get32(sb + 36) != fs->slot[1] || get32(sb + 40) != fs->data_start || total <= fs->data_start)
        return BLKFS_E_SUPER;
    /* the valid slot with the highest generation */
    uint64_t gen[2] = { 0, 0 };
    bool ok[2];
    for (int s = 0; s < 2; s++) {
        ok[s] = dev_read(dev, fs->slot[s], fs->meta, fs->meta_blocks) == 0 &&
                meta_parse(fs, fs->stage, &gen[s]);
    }
    if (!ok[0] && !ok[1])
        return BLKFS_E_META;
    /* generations are serial numbers: a commit's slot is the newer one
     * even where gen + 1 wrapped past 2^64 - 1 */
    int best = ok[0] && ok[1] ? ((int64_t)(gen[1] - gen[0]) > 0 ? 1 : 0) : ok[0] ? 0 : 1;
    if (dev_read(dev, fs->slot[best], fs->meta, fs->meta_blocks) || !meta_parse(fs, fs->dir, &fs->gen))
        return BLKFS_E_IO;                          /* it changed under us */
    fs->cur = best;
    return BLKFS_OK;
}

/* Write stage as the new state: data already written; barrier; the other
 * slot; barrier.  FILES_OK (fs->dir = stage) or FILES_E_IO (unchanged). */
static int commit(blkfs_t *fs)
{
    int target = 1 - fs->cur;
    meta_build(fs, fs->stage, fs->gen + 1);
    if (dev_flush(&fs->dev) || dev_write(&fs->dev, fs->slot[target], fs->meta, fs->meta_blocks) ||
        dev_flush(&fs->dev))
        return FILES_E_IO;
    kmem_copy(fs->dir, fs->stage, sizeof fs->dir);
    fs->gen++;
    fs->cur = target;
    return FILES_OK;
}

static void stage_begin(blkfs_t *fs)
{
    kmem_copy(fs->stage, fs->dir, sizeof fs->stage);
}

/* ---- space ---------------------------------------------------------------- */

/* Used extents (committed and pending), sorted by start, into ext_*. */
static uint32_t used_extents(blkfs_t *fs)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < fs->nentries; i++)
        if (fs->dir[i].name[0] && fs->dir[i].cap) {
            fs->ext_start[n] = fs->dir[i].start;
            fs->ext_cap[n++] = fs->dir[i].cap;
        }
    for (int i = 0; i < BLKFS_MAX_OPEN; i++)
        if (fs->open[i].used && fs->open[i].pending && fs->open[i].cap) {
            fs->ext_start[n] = fs->open[i].start;
            fs->ext_cap[n++] = fs->open[i].cap;
        }
    for (uint32_t i = 1; i < n; i++) {              /* insertion sort */
        uint32_t s = fs->ext_start[i], c = fs->ext_cap[i], j = i;
        while (j && fs->ext_start[j - 1] > s) {
            fs->ext_start[j] = fs->ext_start[j - 1];
            fs->ext_cap[j] = fs->ext_cap[j - 1];
            j--;
        }
        fs->ext_start[j] = s;
        fs->ext_cap[j] = c;
    }
    return n;
}

/* First fit: *start of a free run of want blocks, or false. */
static bool alloc(blkfs_t *fs, uint32_t want, uint32_t *start)
{
    uint32_t n = used_extents(fs), at = fs->data_start;
    for (uint32_t i = 0; i <= n; i++) {
        uint32_t end = i < n ? fs->ext_start[i] : fs->total;
        if (end >= at && end - at >= want) {
            *start = at;
            return true;
        }
        if (i < n && fs->ext_start[i] + fs->ext_cap[i] > at)
            at = fs->ext_start[i] + fs->ext_cap[i];
    }
    return false;
}

uint32_t blkfs_free_blocks(blkfs_t *fs)
{
    uint32_t n = used_extents(fs), used = 0;
    for (uint32_t i = 0; i < n; i++)
        used += fs->ext_cap[i];
    return fs->total - fs->data_start - used;
}

/* ---- files ---------------------------------------------------------------- */

static int find(blkfs_t *fs, const char *name)
{
    uint32_t n = (uint32_t)kstr_len(name, BLKFS_NAME_MAX + 2);
    if (n > BLKFS_NAME_MAX)
        return -1;
    for (uint32_t i = 0; i < fs->nentries; i++)
        if (fs->dir[i].name[0] && kmem_eq(fs->dir[i].name, name, n + 1))
            return (int)i;
    return -1;
}

static bool is_open(blkfs_t *fs, int e, bool writers_only)
{
    for (int i = 0; i < BLKFS_MAX_OPEN; i++)
        if (fs->open[i].used && fs->open[i].entry == e && (!writers_only || fs->open[i].writer))
            return true;
    return false;
}

static blkfs_open_t *handle(blkfs_t *fs, uint32_t bh)
{
    return bh < BLKFS_MAX_OPEN && fs->open[bh].used ? &fs->open[bh] : NULL;
}

/* What a handle sees: its pending extent, else the committed one. */
static void view(blkfs_t *fs, const blkfs_open_t *h, uint32_t *start, uint32_t *len)
{
    if (h->pending) {
        *start = h->start;
        *len = h->len;
    } else {
        *start = fs->dir[h->entry].start;
        *len = fs->dir[h->entry].len;
    }
}

/* CRC of len bytes from block start. */
static int data_crc(blkfs_t *fs, uint32_t start, uint32_t len, uint32_t *crc)
{
    uint32_t c = 0;
    for (uint64_t off = 0; off < len; off += B) {       /* len <= BLKFS_MAX_LEN */
        if (dev_read(&fs->dev, start + (uint32_t)(off / B), fs->blk, 1))
            return FILES_E_IO;
        c = blkfs_crc32(c, fs->blk, len - off < B ? (uint32_t)(len - off) : B);
    }
    *crc = c;
    return FILES_OK;
}

_Static_assert(BLKFS_MAX_OPEN >= FILES_MAX_HANDLES,
               "the service's limit per client must be what bounds a client");

static int bf_open(void *ctx, const char *path, uint32_t mode, uint32_t *bh)
{
    blkfs_t *fs = ctx;
    uint32_t n = (uint32_t)kstr_len(path, FILES_PATH_MAX + 1);
    if (!name_ok(path, n))
        return FILES_E_PATH;
    int slot = 0;
    while (slot < BLKFS_MAX_OPEN && fs->open[slot].used)
        slot++;
    if (slot == BLKFS_MAX_OPEN)
        return FILES_E_NOHANDLES;
    bool writer = (mode & FILES_M_WRITE) != 0;
    int e = find(fs, path);
    if (e >= 0 && is_open(fs, e, !writer))
        return FILES_E_BUSY;
    if (e < 0) {
        if (!(mode & FILES_M_CREATE))
            return FILES_E_NOENT;
        uint32_t i = 0;
        while (i < fs->nentries && fs->dir[i].name[0])
            i++;
        if (i == fs->nentries)
            return FILES_E_DIRFULL;
        stage_begin(fs);
        kmem_set(&fs->stage[i], 0, sizeof fs->stage[i]);
        kmem_copy(fs->stage[i].name, path, n);
        int rc = commit(fs);
        if (rc)
            return rc;
        e = (int)i;
    } else if (fs->dir[e].len && !(mode & FILES_M_TRUNC)) {
        uint32_t crc;
        int rc = data_crc(fs, fs->dir[e].start, fs->dir[e].len, &crc);
        if (rc)
            return rc;
        if (crc != fs->dir[e].crc)
            return FILES_E_IO;                     /* damaged data */
    }
    blkfs_open_t *h = &fs->open[slot];
    kmem_set(h, 0, sizeof *h);
    h->used = true;
    h->writer = writer;
    h->entry = (uint16_t)e;
    if ((mode & FILES_M_TRUNC) && fs->dir[e].len) {
        h->pending = true;                         /* empty, committed at close */
        h->dirty = true;
    }
    *bh = (uint32_t)slot;
    return FILES_OK;
}

/* Make h's pending extent hold at least need bytes, keeping its first
 * keep bytes (copy on write). */
static int make_room(blkfs_t *fs, blkfs_open_t *h, uint32_t need, uint32_t keep)
{
    uint32_t blocks = (uint32_t)(((uint64_t)need + B - 1) / B);
    if (h->pending && h->cap >= blocks)
        return FILES_OK;
    uint32_t from, len, start = 0, cap = blocks;
    view(fs, h, &from, &len);
    if (keep > len)
        keep = len;
    if (blocks) {
        uint32_t roomy = blocks + blocks / 2 + 1;     /* slack for appends */
        if (roomy > blocks && alloc(fs, roomy, &start))
            cap = roomy;
        else if (!alloc(fs, blocks, &start))
            return FILES_E_NOSPC;
    }
    for (uint64_t off = 0; off < keep; off += B) {
        uint32_t k = (uint32_t)(off / B);
        if (dev_read(&fs->dev, from + k, fs->blk, 1) || dev_write(&fs->dev, start + k, fs->blk, 1))
            return FILES_E_IO;
    }
    h->start = start;
    h->cap = cap;
    h->len = keep;
    h->pending = true;
    return FILES_OK;
}

/* Write n bytes (buf, or zeros when buf is NULL) at off of h's pending
 * extent, which has room. */
static int put(blkfs_t *fs, blkfs_open_t *h, uint32_t off, const uint8_t *buf, uint32_t n)
{
    while (n) {
        uint32_t lba = h->start + off / B, o = off % B, k = B - o < n ? B - o : n;
        if (k < B && dev_read(&fs->dev, lba, fs->blk, 1))
            return FILES_E_IO;
        if (buf)
            kmem_copy(fs->blk + o, buf, k);
        else
            kmem_set(fs->blk + o, 0, k);
        if (dev_write(&fs->dev, lba, fs->blk, 1))
            return FILES_E_IO;
        off += k;
        n -= k;
        if (buf)
            buf += k;
    }
    return FILES_OK;
}

static int bf_read(void *ctx, uint32_t bh, uint64_t off, void *buf, uint32_t n, uint32_t *got)
{
    blkfs_t *fs = ctx;
    blkfs_open_t *h = handle(fs, bh);
    *got = 0;
    if (!h)
        return FILES_E_HANDLE;
    uint32_t start, len;
    view(fs, h, &start, &len);
    if (off >= len)
        return FILES_OK;
    if (n > len - off)
        n = (uint32_t)(len - off);
    uint8_t *dst = buf;
    uint32_t o = (uint32_t)off;
    while (*got < n) {
        uint32_t k = B - o % B < n - *got ? B - o % B : n - *got;
        if (dev_read(&fs->dev, start + o / B, fs->blk, 1))
            return FILES_E_IO;
        kmem_copy(dst + *got, fs->blk + o % B, k);
        *got += k;
        o += k;
    }
    return FILES_OK;
}

/* Set the length of h's file to size (zeros when it grows). */
static int set_len(blkfs_t *fs, blkfs_open_t *h, uint64_t size, uint32_t keep)
{
    if (size > BLKFS_MAX_LEN)
        return FILES_E_NOSPC;
    uint32_t start, len;
    view(fs, h, &start, &len);
    (void)start;
    int rc = make_room(fs, h, (uint32_t)size, keep < len ? keep : len);
    if (rc == FILES_OK && size > h->len)
        rc = put(fs, h, h->len, NULL, (uint32_t)size - h->len);
    if (rc == FILES_OK) {
        h->len = (uint32_t)size;
        h->dirty = true;
    }
    return rc;
}

static int bf_write(void *ctx, uint32_t bh, uint64_t off, const void *buf, uint32_t n)
{
    blkfs_t *fs = ctx;
    blkfs_open_t *h = handle(fs, bh);
    if (!h)
        return FILES_E_HANDLE;
    if (!h->writer)
        return FILES_E_ACCESS;
    if (n == 0)
        return FILES_OK;
    uint64_t end = off + n;
    if (end > BLKFS_MAX_LEN)
        return FILES_E_NOSPC;
    uint32_t start, len;
    view(fs, h, &start, &len);
    int rc = off > len ? set_len(fs, h, off, len) : FILES_OK;   /* the gap reads as zeros */
    if (rc == FILES_OK) {
        view(fs, h, &start, &len);
        rc = make_room(fs, h, end > len ? (uint32_t)end : len, len);
    }
    if (rc == FILES_OK)
        rc = put(fs, h, (uint32_t)off, buf, n);
    if (rc == FILES_OK) {
        if ((uint32_t)end > h->len)
            h->len = (uint32_t)end;
        h->dirty = true;
    }
    return rc;
}

static int bf_size(void *ctx, uint32_t bh, uint64_t *size)
{
    blkfs_t *fs = ctx;
    blkfs_open_t *h = handle(fs, bh);
    uint32_t start, len = 0;
    if (!h)
        return FILES_E_HANDLE;
    view(fs, h, &start, &len);
    *size = len;
    return FILES_OK;
}

static int bf_resize(void *ctx, uint32_t bh, uint64_t size)
{
    blkfs_t *fs = ctx;
    blkfs_open_t *h = handle(fs, bh);
    if (!h)
        return FILES_E_HANDLE;
    if (!h->writer)
        return FILES_E_ACCESS;
    return set_len(fs, h, size, size > UINT32_MAX ? UINT32_MAX : (uint32_t)size);
}

static int bf_flush(void *ctx, uint32_t bh)
{
    blkfs_t *fs = ctx;
    blkfs_open_t *h = handle(fs, bh);
    if (!h)
        return FILES_E_HANDLE;
    if (!h->dirty)
        return FILES_OK;
    uint32_t crc = 0;
    int rc = data_crc(fs, h->start, h->len, &crc);
    if (rc)
        return rc;
    stage_begin(fs);
    blkfs_entry_t *e = &fs->stage[h->entry];
    uint32_t cap = (uint32_t)(((uint64_t)h->len + B - 1) / B);   /* the slack goes back */
    e->start = cap ? h->start : 0;
    e->cap = cap;
    e->len = h->len;
    e->crc = crc;
    if ((rc = commit(fs)))
        return rc;
    h->pending = false;                     /* committed: the next change copies */
    h->dirty = false;
    return FILES_OK;
}

static int bf_close(void *ctx, uint32_t bh)
{
    blkfs_t *fs = ctx;
    blkfs_open_t *h = handle(fs, bh);
    if (!h)
        return FILES_E_HANDLE;
    int rc = bf_flush(ctx, bh);
    h->used = false;
    return rc;
}

static int bf_remove(void *ctx, const char *path)
{
    blkfs_t *fs = ctx;
    int e = find(fs, path);
    if (e < 0)
        return name_ok(path, (uint32_t)kstr_len(path, FILES_PATH_MAX + 1)) ? FILES_E_NOENT : FILES_E_PATH;
    if (is_open(fs, e, false))
        return FILES_E_BUSY;
    stage_begin(fs);
    kmem_set(&fs->stage[e], 0, sizeof fs->stage[e]);
    return commit(fs);
}

static int bf_rename(void *ctx, const char *from, const char *to)
{
    blkfs_t *fs = ctx;
    uint32_t n = (uint32_t)kstr_len(to, FILES_PATH_MAX + 1);
    int e = find(fs, from);
    if (e < 0)
        return FILES_E_NOENT;
    if (!name_ok(to, n))
        return FILES_E_PATH;
    int t = find(fs, to);
    if (t == e)
        return FILES_OK;
    if (t >= 0 && is_open(fs, t, false))
        return FILES_E_BUSY;
    stage_begin(fs);
    if (t >= 0)
        kmem_set(&fs->stage[t], 0, sizeof fs->stage[t]);   /* replaced, atomically */
    kmem_set(fs->stage[e].name, 0, sizeof fs->stage[e].name);
    kmem_copy(fs->stage[e].name, to, n);
    return commit(fs);
}

static int bf_stat(void *ctx, const char *path, files_stat_t *st)
{
    blkfs_t *fs = ctx;
    int e = find(fs, path);
    if (e < 0)
        return FILES_E_NOENT;
    st->size = fs->dir[e].len;
    st->type = FILES_T_FILE;
    return FILES_OK;
}

static int bf_list(void *ctx, const char *dir, uint32_t index, files_stat_t *st)
{
    blkfs_t *fs = ctx;
    if (dir[0])
        return find(fs, dir) >= 0 ? FILES_E_INVAL : FILES_E_NOENT;   /* flat */
    for (uint32_t i = 0; i < fs->nentries; i++) {
        if (!fs->dir[i].name[0] || index--)
            continue;
        kmem_copy(st->name, fs->dir[i].name, BLKFS_NAME_MAX + 1);
        st->size = fs->dir[i].len;
        st->type = FILES_T_FILE;
        return FILES_OK;
    }
    return FILES_E_END;
}

void blkfs_backend(blkfs_t *fs, files_backend_t *be)
{
    be->ctx = fs;
    be->open = bf_open;
    be->close = bf_close;
    be->read = bf_read;
    be->write = bf_write;
    be->size = bf_size;
    be->resize = bf_resize;
    be->flush = bf_flush;
    be->remove = bf_remove;
    be->rename = bf_rename;
    be->stat = bf_stat;
    be->list = bf_list;
}
