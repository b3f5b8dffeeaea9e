/* virtio_blk -- the virtio-blk disk over modern virtio-mmio (see virtio_blk.h).
 * Register offsets, status and feature bits from the virtio 1.1 spec
 * (4.2.2 virtio-mmio, 2.6 split virtqueues, 5.2 block device). */
#include "virtio_blk.h"
#include "platform.h"
#include "riscv.h"

/* virtio-mmio registers (offsets from the slot's base) */
#define VM_MAGIC        0x000
#define VM_VERSION      0x004
#define VM_DEVICE_ID    0x008
#define VM_DEV_FEAT     0x010
#define VM_DEV_FEAT_SEL 0x014
#define VM_DRV_FEAT     0x020
#define VM_DRV_FEAT_SEL 0x024
#define VM_QUEUE_SEL    0x030
#define VM_QUEUE_MAX    0x034
#define VM_QUEUE_NUM    0x038
#define VM_QUEUE_READY  0x044
#define VM_QUEUE_NOTIFY 0x050
#define VM_INT_STATUS   0x060
#define VM_INT_ACK      0x064
#define VM_STATUS       0x070
#define VM_DESC         0x080   /* low word; the high word follows */
#define VM_AVAIL        0x090
#define VM_USED         0x0a0
#define VM_CONFIG_GEN   0x0fc
#define VM_CONFIG       0x100   /* virtio-blk: u64 capacity (sectors) first */

#define VIRTIO_MAGIC    0x74726976u   /* "virt" */
#define VIRTIO_ID_BLOCK 2

/* device status */
#define S_ACK         1
#define S_DRIVER      2
#define S_DRIVER_OK   4
#define S_FEATURES_OK 8
#define S_FAILED      128

/* feature bits */
#define F_BLK_RO    5
#define F_BLK_FLUSH 9
#define F_VERSION_1 32
#define BIT(f) (1ull << (f))

/* request types and the status byte's success value */
#define T_IN    0
#define T_OUT   1
#define T_FLUSH 4
#define ST_OK   0

#define SECTOR 512
#define QSIZE  4                   /* one request: at most 3 descriptors */
#define D_NEXT  1
#define D_WRITE 2                  /* the device writes this buffer */
#define AVAIL_NO_INTERRUPT 1

typedef struct { uint64_t addr; uint32_t len; uint16_t flags, next; } vq_desc_t;
typedef struct { uint16_t flags, idx, ring[QSIZE], used_event; } vq_avail_t;
typedef struct { uint32_t id, len; } vq_elem_t;
typedef struct { uint16_t flags, idx; vq_elem_t ring[QSIZE]; uint16_t avail_event; } vq_used_t;
typedef struct { uint32_t type, reserved; uint64_t sector; } blk_hdr_t;

/* the ring (the device reads desc and avail, writes used) */
static vq_desc_t desc[QSIZE] __attribute__((aligned(16)));
static vq_avail_t avail __attribute__((aligned(16)));
static vq_used_t used __attribute__((aligned(16)));
static blk_hdr_t hdr __attribute__((aligned(16)));
static volatile uint8_t req_status;

static struct {
    unsigned long base;            /* the slot; 0: no device */
    uint64_t features;             /* negotiated */
    uint32_t nblocks;
    uint16_t used_seen;            /* used.idx after the last answer */
    bool dead;                     /* timed out: reset and given up */
} d;

static uint32_t rd(unsigned long off) { return mmio_r32(d.base + off); }
static void wr(unsigned long off, uint32_t v) { mmio_w32(d.base + off, v); }
static void fence(void) { __asm__ volatile("fence iorw, iorw" ::: "memory"); }

static void wr_addr(unsigned long off, const volatile void *p)
{
    uint64_t a = (uint64_t)(uintptr_t)p;
    wr(off, (uint32_t)a);
    wr(off + 4, (uint32_t)(a >> 32));
}

/* The slot of the first virtio-blk on QEMU's command line: slots are
 * handed out from the top, so scan downwards.  0: none. */
static unsigned long find(void)
{
    for (int i = VIRTIO_MMIO_SLOTS - 1; i >= 0; i--) {
        unsigned long b = VIRTIO_MMIO_BASE + VIRTIO_MMIO_STRIDE * (unsigned long)i;
        if (mmio_r32(b + VM_MAGIC) == VIRTIO_MAGIC && mmio_r32(b + VM_DEVICE_ID) == VIRTIO_ID_BLOCK)
            return b;
    }
    return 0;
}

static uint64_t capacity(void)
{
    uint32_t gen, lo, hi;
    do {                           /* a consistent snapshot of the config */
        gen = rd(VM_CONFIG_GEN);
        lo = rd(VM_CONFIG);
        hi = rd(VM_CONFIG + 4);
    } while (rd(VM_CONFIG_GEN) != gen);
    return (uint64_t)hi << 32 | lo;
}

/* Give up on the device during set-up: tell it, and answer code. */
static int refuse(int code)
{
    wr(VM_STATUS, rd(VM_STATUS) | S_FAILED);
    return code;
}

/* One request, waited for: the header, n bytes at addr (none for a
 * flush), the status byte.  0 or -1. */
static int request(uint32_t type, uint64_t sector, uintptr_t addr, uint32_t n)
{
    if (d.dead)
        return -1;
    hdr = (blk_hdr_t){ type, 0, sector };
    req_status = 0xff;
    uint16_t i = 0;
    desc[i] = (vq_desc_t){ (uintptr_t)&hdr, sizeof hdr, D_NEXT, 1 };
    if (n) {
        i++;
        desc[i] = (vq_desc_t){ addr, n, (uint16_t)(D_NEXT | (type == T_IN ? D_WRITE : 0)), 2 };
    }
    i++;
    desc[i] = (vq_desc_t){ (uintptr_t)&req_status, 1, D_WRITE, 0 };
    avail.ring[avail.idx % QSIZE] = 0;            /* the chain's head */
    fence();                                       /* the ring before its index */
    *(volatile uint16_t *)&avail.idx = (uint16_t)(avail.idx + 1);
    fence();                                       /* the index before the doorbell */
    wr(VM_QUEUE_NOTIFY, 0);

    uint64_t deadline = plat_now() + (uint64_t)VBLK_TIMEOUT_MS * 1000000u;
    while (*(volatile uint16_t *)&used.idx == d.used_seen) {
        if (plat_now() > deadline) {
            wr(VM_STATUS, 0);                      /* reset: it lets go of the ring */
            d.dead = true;
            return -1;
        }
    }
    fence();                                       /* the answer after its index */
    d.used_seen++;
    wr(VM_INT_ACK, rd(VM_INT_STATUS));             /* NO_INTERRUPT is only a hint */
    return req_status == ST_OK ? 0 : -1;
}

static int transfer(uint32_t type, uint32_t lba, uintptr_t addr, uint32_t count)
{
    if (lba >= d.nblocks || count > d.nblocks - lba)
        return -1;
    while (count) {
        uint32_t k = count < VBLK_MAX_SECTORS ? count : VBLK_MAX_SECTORS;
        if (request(type, lba, addr, k * SECTOR))
            return -1;
        lba += k;
        addr += (uintptr_t)k * SECTOR;
        count -= k;
    }
    return 0;
}

static int dev_read(void *ctx, uint32_t lba, void *buf, uint32_t count)
{
    (void)ctx;
    return transfer(T_IN, lba, (uintptr_t)buf, count);
}

static int dev_write(void *ctx, uint32_t lba, const void *buf, uint32_t count)
{
    (void)ctx;
    if (vblk_readonly())
        return -1;
    return transfer(T_OUT, lba, (uintptr_t)buf, count);
}

static int dev_flush(void *ctx)
{
    (void)ctx;
    return request(T_FLUSH, 0, 0, 0);
}

int vblk_open(blkfs_dev_t *dev)
{
    if (!(d.base = find()))
        return VBLK_E_NODEV;
    if (rd(VM_VERSION) != 2)
        return VBLK_E_LEGACY;
    wr(VM_STATUS, 0);                              /* reset */
    wr(VM_STATUS, S_ACK);
    wr(VM_STATUS, S_ACK | S_DRIVER);
    wr(VM_DEV_FEAT_SEL, 0);
    uint64_t offered = rd(VM_DEV_FEAT);
    wr(VM_DEV_FEAT_SEL, 1);
    offered |= (uint64_t)rd(VM_DEV_FEAT) << 32;
    if (!(offered & BIT(F_VERSION_1)))
        return refuse(VBLK_E_FEATURES);
    d.features = offered & (BIT(F_VERSION_1) | BIT(F_BLK_RO) | BIT(F_BLK_FLUSH));
    wr(VM_DRV_FEAT_SEL, 0);
    wr(VM_DRV_FEAT, (uint32_t)d.features);
    wr(VM_DRV_FEAT_SEL, 1);
    wr(VM_DRV_FEAT, (uint32_t)(d.features >> 32));
    wr(VM_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK);
    if (!(rd(VM_STATUS) & S_FEATURES_OK))
        return refuse(VBLK_E_FEATURES);

    wr(VM_QUEUE_SEL, 0);
    if (rd(VM_QUEUE_READY) || rd(VM_QUEUE_MAX) < QSIZE)
        return refuse(VBLK_E_QUEUE);
    wr(VM_QUEUE_NUM, QSIZE);
    avail.flags = AVAIL_NO_INTERRUPT;              /* we poll */
    avail.idx = 0;
    d.used_seen = used.idx = 0;
    wr_addr(VM_DESC, desc);
    wr_addr(VM_AVAIL, &avail);
    wr_addr(VM_USED, &used);
    fence();
    wr(VM_QUEUE_READY, 1);
    wr(VM_STATUS, S_ACK | S_DRIVER | S_FEATURES_OK | S_DRIVER_OK);

    uint64_t cap = capacity();
    d.nblocks = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
    d.dead = false;
    dev->ctx = NULL;
    dev->nblocks = d.nblocks;
    dev->read = dev_read;
    dev->write = dev_write;
    dev->flush = (d.features & BIT(F_BLK_FLUSH)) ? dev_flush : NULL;
    return VBLK_OK;
}

bool vblk_readonly(void)
{
    return (d.features & BIT(F_BLK_RO)) != 0;
}

const char *vblk_strerror(int code)
{
    switch (code) {
    case VBLK_OK: return "ok";
    case VBLK_E_NODEV: return "no virtio-blk device";
    case VBLK_E_LEGACY: return "legacy virtio-mmio (start QEMU with -global virtio-mmio.force-legacy=false)";
    case VBLK_E_FEATURES: return "virtio-blk refused the features";
    case VBLK_E_QUEUE: return "virtio-blk queue unusable";
    default: return "virtio-blk error";
    }
}
