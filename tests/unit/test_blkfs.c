/*
 * test_blkfs -- the on-disk file system over an in-memory block device:
 * format and mount (and refusing bad images), files through the backend
 * table, a full disk and a full directory, damaged CRCs, crashes (writes
 * cut off, the last one torn) at every point of a change, and a long run
 * of random operations with random crashes checked against a model.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "files/blkfs.h"
#include "files/files.h"

/* ---- the device: memory, with a crash switch --------------------------------- */
typedef struct {
    uint8_t *mem;
    uint32_t nblocks;
    long writes_left;    /* < 0: no crash planned; 0: the device is dead */
    bool torn;           /* the write that hits the crash lands half */
    long writes, flushes;
} memdev_t;

static int md_read(void *ctx, uint32_t lba, void *buf, uint32_t count)
{
    memdev_t *d = ctx;
    assert_true(lba + count <= d->nblocks);
    memcpy(buf, d->mem + (size_t)lba * BLKFS_BLOCK, (size_t)count * BLKFS_BLOCK);
    return 0;
}

static int md_write(void *ctx, uint32_t lba, const void *buf, uint32_t count)
{
    memdev_t *d = ctx;
    assert_true(lba + count <= d->nblocks);
    for (uint32_t i = 0; i < count; i++) {
        if (d->writes_left == 0)
            return -1;
        uint8_t *dst = d->mem + (size_t)(lba + i) * BLKFS_BLOCK;
        const uint8_t *src = (const uint8_t *)buf + (size_t)i * BLKFS_BLOCK;
        if (d->writes_left == 1 && d->torn) {
            memcpy(dst, src, BLKFS_BLOCK / 2);      /* power lost mid-block */
            d->writes_left = 0;
            return -1;
        }
        memcpy(dst, src, BLKFS_BLOCK);
        d->writes++;
        if (d->writes_left > 0)
            d->writes_left--;
    }
    return 0;
}

static int md_flush(void *ctx)
{
    memdev_t *d = ctx;
    d->flushes++;
    return d->writes_left == 0 ? -1 : 0;
}

static memdev_t md;
static blkfs_dev_t dev;
static blkfs_t fs;
static files_backend_t be;

static void dev_new(uint32_t nblocks)
{
    free(md.mem);
    memset(&md, 0, sizeof md);
    md.mem = calloc(nblocks, BLKFS_BLOCK);
    md.nblocks = nblocks;
    md.writes_left = -1;
    dev = (blkfs_dev_t){ .ctx = &md, .nblocks = nblocks, .read = md_read, .write = md_write, .flush = md_flush };
}

static void remount(void)
{
    md.writes_left = -1;
    md.torn = false;
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_OK);
    blkfs_backend(&fs, &be);
}

static int teardown(void **state)
{
    (void)state;
    free(md.mem);
    md.mem = NULL;
    return 0;
}

/* ---- file helpers over the backend table ------------------------------------- */

static int put_file(const char *name, const void *data, uint32_t n)
{
    uint32_t h;
    int rc = be.open(be.ctx, name, FILES_M_WRITE | FILES_M_CREATE | FILES_M_TRUNC, &h);
    if (rc)
        return rc;
    rc = be.write(be.ctx, h, 0, data, n);
    int rc2 = be.close(be.ctx, h);
    return rc ? rc : rc2;
}

/* The file's bytes into buf (cap): its length, or a negative code. */
static long get_file(const char *name, void *buf, uint32_t cap)
{
    uint32_t h, got;
    int rc = be.open(be.ctx, name, FILES_M_READ, &h);
    if (rc)
        return rc;
    rc = be.read(be.ctx, h, 0, buf, cap, &got);
    be.close(be.ctx, h);
    return rc ? rc : (long)got;
}

static void fill(uint8_t *p, uint32_t n, uint32_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 9));
}

/* ---- tests ------------------------------------------------------------------- */

static void test_crc32__check_value(void **state)
{
    (void)state;
    assert_int_equal(blkfs_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(blkfs_crc32(blkfs_crc32(0, "1234", 4), "56789", 5), 0xCBF43926u);
}

static void test_mount__fresh_format_and_refusals(void **state)
{
    (void)state;
    dev_new(256);
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_E_NOTFS);      /* zeros */
    assert_int_equal(blkfs_format(&dev, 0), BLKFS_OK);
    remount();
    files_stat_t st;
    assert_int_equal(be.list(be.ctx, "", 0, &st), FILES_E_END);
    assert_int_equal(blkfs_free_blocks(&fs), 256 - fs.data_start);
    /* a flipped superblock bit: its CRC says so */
    md.mem[20] ^= 1;
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_E_SUPER);
    md.mem[20] ^= 1;
    /* a newer version, with a good CRC */
    md.mem[12] = 2;
    uint32_t c = blkfs_crc32(0, md.mem + 12, BLKFS_BLOCK - 12);
    memcpy(md.mem + 8, &c, 4);        /* little-endian host */
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_E_VERSION);
    md.mem[12] = 1;
    c = blkfs_crc32(0, md.mem + 12, BLKFS_BLOCK - 12);
    memcpy(md.mem + 8, &c, 4);
    remount();
    /* both metadata slots damaged */
    md.mem[BLKFS_BLOCK * fs.slot[0] + 100] ^= 0x40;
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_E_META);
    /* an image smaller than its superblock says */
    dev.nblocks = 100;
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_E_SUPER);
    /* too small to format */
    dev.nblocks = 4;
    assert_int_equal(blkfs_format(&dev, 0), BLKFS_E_SMALL);
    dev.nblocks = 256;
    assert_int_equal(blkfs_format(&dev, BLKFS_MAX_ENTRIES + 1), BLKFS_E_SMALL);
    assert_non_null(strstr(blkfs_strerror(BLKFS_E_NOTFS), "not a blkfs"));
}

static void test_files__create_write_read_delete_rename(void **state)
{
    (void)state;
    static uint8_t a[5000], b[5000];
    dev_new(512);
    assert_int_equal(blkfs_format(&dev, 16), BLKFS_OK);
    remount();
    fill(a, sizeof a, 1);
    assert_int_equal(put_file("one.fs", a, sizeof a), 0);
    assert_int_equal(get_file("one.fs", b, sizeof b), sizeof a);
    assert_memory_equal(a, b, sizeof a);
    /* it survives a remount */
    remount();
    memset(b, 0, sizeof b);
    assert_int_equal(get_file("one.fs", b, sizeof b), sizeof a);
    assert_memory_equal(a, b, sizeof a);
    /* write in the middle, past the end (a zero gap), resize */
    uint32_t h, got;
    uint64_t size;
    assert_int_equal(be.open(be.ctx, "one.fs", FILES_M_READ | FILES_M_WRITE, &h), 0);
    assert_int_equal(be.write(be.ctx, h, 600, "XYZ", 3), 0);
    assert_int_equal(be.write(be.ctx, h, 6000, "END", 3), 0);
    assert_int_equal(be.size(be.ctx, h, &size), 0);
    assert_int_equal(size, 6003);
    assert_int_equal(be.read(be.ctx, h, 599, b, 5, &got), 0);
    uint8_t want[5] = { a[599], 'X', 'Y', 'Z', a[603] };
    assert_memory_equal(b, want, 5);
    assert_int_equal(be.read(be.ctx, h, 5000, b, 1000, &got), 0);
    assert_int_equal(got, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(b[i], 0);
    assert_int_equal(be.resize(be.ctx, h, 10), 0);
    assert_int_equal(be.resize(be.ctx, h, 20), 0);
    assert_int_equal(be.read(be.ctx, h, 0, b, 100, &got), 0);
    assert_int_equal(got, 20);
    assert_memory_equal(b, a, 10);
    for (int i = 10; i < 20; i++)
        assert_int_equal(b[i], 0);
    /* one writer or many readers; busy files cannot go */
    uint32_t h2;
    assert_int_equal(be.open(be.ctx, "one.fs", FILES_M_READ, &h2), FILES_E_BUSY);
    assert_int_equal(be.remove(be.ctx, "one.fs"), FILES_E_BUSY);
    assert_int_equal(be.close(be.ctx, h), 0);
    assert_int_equal(be.open(be.ctx, "one.fs", FILES_M_READ, &h), 0);
    assert_int_equal(be.open(be.ctx, "one.fs", FILES_M_READ, &h2), 0);
    assert_int_equal(be.open(be.ctx, "one.fs", FILES_M_WRITE, &got), FILES_E_BUSY);
    assert_int_equal(be.write(be.ctx, h, 0, "x", 1), FILES_E_ACCESS);
    be.close(be.ctx, h);
    be.close(be.ctx, h2);
    assert_int_equal(be.close(be.ctx, h2), FILES_E_HANDLE);
    /* rename, replacing; list; stat; delete */
    assert_int_equal(put_file("two", "2", 1), 0);
    assert_int_equal(be.rename(be.ctx, "one.fs", "two"), 0);
    files_stat_t st;
    assert_int_equal(be.stat(be.ctx, "two", &st), 0);
    assert_int_equal(st.size, 20);
    assert_int_equal(be.stat(be.ctx, "one.fs", &st), FILES_E_NOENT);
    assert_int_equal(be.list(be.ctx, "", 0, &st), 0);
    assert_string_equal(st.name, "two");
    assert_int_equal(be.list(be.ctx, "", 1, &st), FILES_E_END);
    assert_int_equal(be.rename(be.ctx, "two", "a/b"), FILES_E_PATH);
    assert_int_equal(be.open(be.ctx, "a/b", FILES_M_READ, &h), FILES_E_PATH);
    assert_int_equal(be.open(be.ctx, "0123456789012345678901234567890123", FILES_M_WRITE | FILES_M_CREATE, &h),
                     FILES_E_PATH);
    assert_int_equal(be.remove(be.ctx, "two"), 0);
    assert_int_equal(be.remove(be.ctx, "two"), FILES_E_NOENT);
    assert_int_equal(blkfs_free_blocks(&fs), 512 - fs.data_start);
    remount();
    assert_int_equal(be.list(be.ctx, "", 0, &st), FILES_E_END);
}

static void test_files__full_disk_and_full_directory(void **state)
{
    (void)state;
    static uint8_t big[40 * 1024], b[40 * 1024];
    dev_new(64);
    assert_int_equal(blkfs_format(&dev, 4), BLKFS_OK);
    remount();
    uint32_t room = blkfs_free_blocks(&fs);
    fill(big, sizeof big, 3);
    assert_int_equal(put_file("big", big, (room + 1) * BLKFS_BLOCK), FILES_E_NOSPC);
    assert_int_equal(be.remove(be.ctx, "big"), 0);     /* created empty */
    assert_int_equal(put_file("fit", big, room / 2 * BLKFS_BLOCK), 0);
    /* rewriting needs room for the old and the new extent */
    assert_int_equal(put_file("fit", big + 1, room / 2 * BLKFS_BLOCK), 0);
    assert_int_equal(get_file("fit", b, sizeof b), room / 2 * BLKFS_BLOCK);
    assert_memory_equal(b, big + 1, room / 2 * BLKFS_BLOCK);
    uint32_t h;
    assert_int_equal(be.open(be.ctx, "fit", FILES_M_WRITE, &h), 0);
    assert_int_equal(be.write(be.ctx, h, 0, big, room * BLKFS_BLOCK), FILES_E_NOSPC);
    assert_int_equal(be.close(be.ctx, h), 0);
    assert_int_equal(get_file("fit", b, sizeof b), room / 2 * BLKFS_BLOCK);   /* unchanged */
    assert_memory_equal(b, big + 1, room / 2 * BLKFS_BLOCK);
    /* four entries: a fifth name does not fit */
    assert_int_equal(put_file("b", "b", 1), 0);
    assert_int_equal(put_file("c", "c", 1), 0);
    assert_int_equal(put_file("d", "", 0), 0);
    assert_int_equal(put_file("e", "e", 1), FILES_E_DIRFULL);
    remount();
    assert_int_equal(get_file("c", b, 10), 1);
    assert_int_equal(get_file("d", b, 10), 0);
    assert_int_equal(get_file("e", b, 10), FILES_E_NOENT);
}

static void test_crc__damaged_data_and_metadata(void **state)
{
    (void)state;
    uint8_t b[64];
    dev_new(128);
    assert_int_equal(blkfs_format(&dev, 8), BLKFS_OK);
    remount();
    assert_int_equal(put_file("f", "version one", 11), 0);
    assert_int_equal(put_file("f", "version two", 11), 0);
    /* the newest slot damaged: mount falls back to the previous state */
    int cur = fs.cur;
    md.mem[(size_t)BLKFS_BLOCK * fs.slot[cur] + 70] ^= 1;
    remount();
    assert_int_equal(get_file("f", b, sizeof b), 11);
    assert_memory_equal(b, "version one", 11);
    /* a data block damaged: opening the file says so */
    int e = 0;
    while (strcmp(fs.dir[e].name, "f"))
        e++;
    md.mem[(size_t)BLKFS_BLOCK * fs.dir[e].start + 3] ^= 0x20;
    assert_int_equal(get_file("f", b, sizeof b), FILES_E_IO);
    /* ... and it can still be replaced or deleted */
    assert_int_equal(put_file("f", "three", 5), 0);
    assert_int_equal(get_file("f", b, sizeof b), 5);
}

/* Metadata slot k's bytes on the device, and its CRC made right again
 * after a test changed them (what a crafted image has). */
static uint8_t *slot_bytes(int k)
{
    return md.mem + (size_t)BLKFS_BLOCK * fs.slot[k];
}

static void reseal(int k)
{
    uint8_t *m = slot_bytes(k);
    uint32_t c = blkfs_crc32(0, m + 12, fs.meta_blocks * BLKFS_BLOCK - 12);
    for (int i = 0; i < 4; i++)
        m[8 + i] = (uint8_t)(c >> (8 * i));
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A file is at most BLKFS_MAX_LEN bytes.  At 2^32 - 1 the CRC loop's offset
 * wrapped and it ran forever (holding the kernel on QEMU), and the
 * capacity a flush committed wrapped to 0: a crafted image with such an
 * entry is refused, and no write or resize makes one.  (A device of 2^23
 * blocks: 4 GiB of address space, only the blocks written are touched.) */
static void test_limits__no_file_reaches_4_gib(void **state)
{
    (void)state;
    uint32_t big = (1u << 23) + 64;
    dev_new(big);
    assert_int_equal(blkfs_format(&dev, 8), BLKFS_OK);
    remount();
    uint32_t h;
    assert_int_equal(be.open(be.ctx, "f", FILES_M_WRITE | FILES_M_CREATE, &h), 0);
    long w0 = md.writes;
    md.writes_left = 1000;            /* old code: zeros to 4 GiB; stop it */
    assert_int_equal(be.resize(be.ctx, h, 0xffffffffu), FILES_E_NOSPC);
    assert_int_equal(be.resize(be.ctx, h, (uint64_t)BLKFS_MAX_LEN + 1), FILES_E_NOSPC);
    assert_int_equal(be.write(be.ctx, h, BLKFS_MAX_LEN, "x", 1), FILES_E_NOSPC);
    assert_int_equal(be.write(be.ctx, h, 0xfffffffeu, "x", 1), FILES_E_NOSPC);
    assert_int_equal(md.writes, w0);
    md.writes_left = -1;
    assert_int_equal(be.write(be.ctx, h, 0, "x", 1), 0);
    assert_int_equal(be.close(be.ctx, h), 0);
    /* the entry made to claim 2^32 - 1 bytes over 2^23 blocks */
    remount();
    int e = 0;
    while (strcmp(fs.dir[e].name, "f"))
        e++;
    uint8_t *ent = slot_bytes(fs.cur) + 64 + 64 * e;
    put_le(ent + 36, 1u << 23, 4);
    put_le(ent + 40, 0xffffffffu, 4);
    reseal(fs.cur);
    int other = 1 - fs.cur;
    memset(slot_bytes(other), 0, BLKFS_BLOCK);    /* only the crafted slot */
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_E_META);
    /* one block less than 2^32 bytes is a file (its CRC unchecked here) */
    put_le(ent + 40, BLKFS_MAX_LEN, 4);
    reseal(fs.cur);
    assert_int_equal(blkfs_mount(&fs, &dev), BLKFS_OK);
}

/* Generations are serial numbers: the commit after 2^64 - 1 (generation 0)
 * is the newer state.  (Compared as plain numbers, the next mount took
 * the slot before it: a committed change rolled back.) */
static void test_commit__generation_wraps(void **state)
{
    (void)state;
    uint8_t b[16];
    dev_new(128);
    assert_int_equal(blkfs_format(&dev, 8), BLKFS_OK);
    remount();
    assert_int_equal(put_file("f", "one", 3), 0);
    put_le(slot_bytes(fs.cur) + 16, UINT64_MAX, 8);
    reseal(fs.cur);
    remount();
    assert_int_equal(put_file("f", "two", 3), 0);
    remount();
    assert_int_equal(get_file("f", b, sizeof b), 3);
    assert_memory_equal(b, "two", 3);
}

/* A change cut off after k writes, for every k (and torn): the image mounts,
 * showing the old state or the new one. */
static void test_crash__every_cut_gives_old_or_new(void **state)
{
    (void)state;
    static uint8_t v1[3000], v2[4500], b[8000];
    fill(v1, sizeof v1, 7);
    fill(v2, sizeof v2, 9);
    for (int torn = 0; torn < 2; torn++) {
        bool saw_new = false, saw_old = false;
        for (long k = 0;; k++) {
            dev_new(128);
            assert_int_equal(blkfs_format(&dev, 8), BLKFS_OK);
            remount();
            assert_int_equal(put_file("keep", "kept", 4), 0);
            assert_int_equal(put_file("f", v1, sizeof v1), 0);
            md.writes_left = k;
            md.torn = torn;
            long before = md.writes;
            int rc = put_file("f", v2, sizeof v2);
            int rc2 = be.rename(be.ctx, "keep", "kept");
            bool done = rc == 0 && rc2 == 0 && md.writes_left != 0;
            (void)before;
            remount();
            long n = get_file("f", b, sizeof b);
            if (n == (long)sizeof v2 && !memcmp(b, v2, sizeof v2)) {
                saw_new = true;
            } else {
                assert_int_equal(n, sizeof v1);
                assert_memory_equal(b, v1, sizeof v1);
                saw_old = true;
            }
            files_stat_t st;
            assert_true(be.stat(be.ctx, "keep", &st) == 0 || be.stat(be.ctx, "kept", &st) == 0);
            assert_int_equal(st.size, 4);
            if (done)
                break;
            assert_true(k < 1000);
        }
        assert_true(saw_new && saw_old);
    }
}

/* ---- random operations against a model, with crashes ---------------------------- */
#define NF 5
#define MAXLEN 6000
typedef struct {
    bool exists[NF];
    uint32_t len[NF];
    uint8_t data[NF][MAXLEN];
} model_t;

static const char *const names[NF] = { "a", "b.fs", "c", "long-name-of-31-characters-xxxx", "e" };

static bool matches(const model_t *m)
{
    static uint8_t b[MAXLEN + 10];
    for (int i = 0; i < NF; i++) {
        long n = get_file(names[i], b, sizeof b);
        if (!m->exists[i]) {
            if (n != FILES_E_NOENT)
                return false;
        } else if (n != (long)m->len[i] || memcmp(b, m->data[i], m->len[i])) {
            return false;
        }
    }
    return true;
}

/* Operation r on the file system: its status. */
static int fs_apply(const model_t *m, unsigned r)
{
    static uint8_t buf[MAXLEN];
    int f = (int)(r % NF), g = (int)((r / NF) % NF);
    uint32_t off = (r >> 8) % MAXLEN, n = (r >> 4) % 1500;
    if (off + n > MAXLEN)
        n = MAXLEN - off;
    fill(buf, n, r);
    uint32_t h;
    int rc;
    switch ((r >> 20) % 5) {
    case 0:                                   /* rewrite */
        return put_file(names[f], buf, n);
    case 1:                                   /* two writes, r/w */
        if ((rc = be.open(be.ctx, names[f], FILES_M_READ | FILES_M_WRITE | FILES_M_CREATE, &h)))
            return rc;
        rc = be.write(be.ctx, h, off, buf, n);
        if (!rc)
            rc = be.write(be.ctx, h, off / 2, "zz", 2);
        int rc2 = be.close(be.ctx, h);
        return rc ? rc : rc2;
    case 2:                                   /* resize */
        if ((rc = be.open(be.ctx, names[f], FILES_M_WRITE, &h)))
            return rc == FILES_E_NOENT && !m->exists[f] ? 0 : rc;
        rc = be.resize(be.ctx, h, off);
        rc2 = be.close(be.ctx, h);
        return rc ? rc : rc2;
    case 3:                                   /* delete */
        rc = be.remove(be.ctx, names[f]);
        return rc == FILES_E_NOENT && !m->exists[f] ? 0 : rc;
    default:                                  /* rename f over g */
        rc = be.rename(be.ctx, names[f], names[g]);
        return rc == FILES_E_NOENT && !m->exists[f] ? 0 : rc;
    }
}

/* The same operation on the model. */
static void model_apply(model_t *m, unsigned r)
{
    static uint8_t buf[MAXLEN];
    int f = (int)(r % NF), g = (int)((r / NF) % NF);
    uint32_t off = (r >> 8) % MAXLEN, n = (r >> 4) % 1500;
    if (off + n > MAXLEN)
        n = MAXLEN - off;
    fill(buf, n, r);
    switch ((r >> 20) % 5) {
    case 0:
        m->exists[f] = true;
        m->len[f] = n;
        memcpy(m->data[f], buf, n);
        return;
    case 1:
        if (!m->exists[f])
            m->len[f] = 0;
        m->exists[f] = true;
        if (n) {
            if (off > m->len[f])
                memset(m->data[f] + m->len[f], 0, off - m->len[f]);
            memcpy(m->data[f] + off, buf, n);
            if (off + n > m->len[f])
                m->len[f] = off + n;
        }
        {
            uint32_t o2 = off / 2;
            if (o2 > m->len[f])
                memset(m->data[f] + m->len[f], 0, o2 - m->len[f]);
            memcpy(m->data[f] + o2, "zz", 2);
            if (o2 + 2 > m->len[f])
                m->len[f] = o2 + 2;
        }
        return;
    case 2:
        if (!m->exists[f])
            return;
        if (off > m->len[f])
            memset(m->data[f] + m->len[f], 0, off - m->len[f]);
        m->len[f] = off;
        return;
    case 3:
        m->exists[f] = false;
        return;
    default:
        if (!m->exists[f] || f == g)
            return;
        m->exists[g] = true;
        m->len[g] = m->len[f];
        memcpy(m->data[g], m->data[f], m->len[f]);
        m->exists[f] = false;
        return;
    }
}

/* The model from what the disk holds (after a refused change). */
static void resync(model_t *m)
{
    for (int i = 0; i < NF; i++) {
        long n = get_file(names[i], m->data[i], MAXLEN);
        assert_true(n >= 0 || n == FILES_E_NOENT);
        m->exists[i] = n >= 0;
        m->len[i] = n >= 0 ? (uint32_t)n : 0;
    }
}

static void test_random__operations_and_crashes_match_a_model(void **state)
{
    (void)state;
    static model_t m, next;
    srand(12345);
    memset(&m, 0, sizeof m);
    dev_new(160);
    assert_int_equal(blkfs_format(&dev, 8), BLKFS_OK);
    remount();
    int crashes = 0, nospc = 0;
    for (int i = 0; i < 3000; i++) {
        unsigned r = (unsigned)rand() ^ ((unsigned)rand() << 16);
        bool crash = rand() % 8 == 0;
        next = m;
        if (crash) {
            md.writes_left = rand() % 12;
            md.torn = rand() & 1;
        }
        int rc = fs_apply(&m, r);
        model_apply(&next, r);
        bool died = md.writes_left == 0;
        if (died) {
            crashes++;
            remount();                       /* power back: old or new state */
            int f = (int)(r % NF);
            if (matches(&next)) {
                m = next;
            } else if (!matches(&m)) {
                next = m;                    /* or: just created, still empty */
                assert_false(m.exists[f]);
                next.exists[f] = true;
                next.len[f] = 0;
                assert_true(matches(&next));
                m = next;
            }
            continue;
        }
        md.writes_left = -1;
        if (rc == FILES_E_NOSPC) {
            nospc++;
            /* parts of it may have been done (create, truncate): what is
             * on the disk is the truth, and it survives a remount */
            remount();
            resync(&m);
            continue;
        }
        assert_int_equal(rc, 0);
        m = next;
        if (i % 50 == 0) {
            remount();
            assert_true(matches(&m));
        }
    }
    remount();
    assert_true(matches(&m));
    assert_true(crashes > 100);
    print_message("crashes %d, disk full %d\n", crashes, nospc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32__check_value),
        cmocka_unit_test_teardown(test_mount__fresh_format_and_refusals, teardown),
        cmocka_unit_test_teardown(test_files__create_write_read_delete_rename, teardown),
        cmocka_unit_test_teardown(test_files__full_disk_and_full_directory, teardown),
        cmocka_unit_test_teardown(test_crc__damaged_data_and_metadata, teardown),
        cmocka_unit_test_teardown(test_limits__no_file_reaches_4_gib, teardown),
        cmocka_unit_test_teardown(test_commit__generation_wraps, teardown),
        cmocka_unit_test_teardown(test_crash__every_cut_gives_old_or_new, teardown),
        cmocka_unit_test_teardown(test_random__operations_and_crashes_match_a_model, teardown),
    };
    return cmocka_run_group_tests_name("blkfs", tests, NULL, NULL);
}
