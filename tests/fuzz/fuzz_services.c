/*
 * fuzz_services -- random requests to every registered service through the
 * Forth client layer's `call`, as a hostile task would send them: a Forth
 * shell on an in-memory port of a fresh kernel with echo, sermux (over an
 * in-memory line), the spawnulator, files (blkfs on a 64 KiB RAM disk,
 * formatted per input), display (no backend) and keyboard registered.
 * Each operation is one Forth line:
 *
 *   0  connect     one of the services (or an unknown UUID) into h0..h3
 *   1  call        opcode 0..15, a payload of 0..64 bytes from the input
 *   2  call        a template: u16 or u32 fields from the input, then bytes
 *                  (the shapes the services decode, so the fuzzer reaches
 *                  past the length checks), a random reply size; or the
 *                  spawnulator's EVAL (opcode 5) of Forth words picked from
 *                  a list (runaways, errors, output, nested evals)
 *   3  call big    0..599 bytes of pb, any opcode
 *   4  disconnect  h0..h3, or a made-up handle
 *   5  child       a task that connects and calls, maybe killed at once
 *   6  file words  open/read/write/close through FILE-ACCESS
 *   7  listings    services, tasks, live-tasks
 *
 * Time: the fake clock jumps to the next timer when the kernel idles and
 * moves 1 ms per tick while it works, so an EVAL's time limit (10 ms
 * here) ends a runaway.
 *
 * Checks: ASan and UBSan throughout (kernel, registry, every service, the
 * client layer); the shell answers "1 2 + ." after the input; and once the
 * shell has ended (bye) and the kernel settled, the kernel heap is back to
 * what it was before the shell started: everything a task made the kernel
 * hold was charged to it and given back.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "display/display.h"
#include "display/keyboard.h"
#include "example/echo.h"
#include "files/blkfs.h"
#include "files/ffiles.h"
#include "files/files.h"
#include "kernel.h"
#include "mux/sermux.h"
#include "platform_linux.h"
#include "tasks/ftask.h"
#include "tasks/spawnulator.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

#define CAP 8192
static uint8_t rxb[CAP], txb[CAP], lrx[CAP], ltx[CAP];
static port_t port, line;
static echo_service_t echo;
static files_service_t files;
static files_backend_t be;
static blkfs_t fs;
static uint8_t disk[64 * 1024];
static char out[1 << 16];
static size_t nout;
static ftask_t *sh;

static int d_read(void *ctx, uint32_t lba, void *buf, uint32_t n)
{
    (void)ctx;
    memcpy(buf, disk + (size_t)lba * BLKFS_BLOCK, (size_t)n * BLKFS_BLOCK);
    return 0;
}

static int d_write(void *ctx, uint32_t lba, const void *buf, uint32_t n)
{
    (void)ctx;
    memcpy(disk + (size_t)lba * BLKFS_BLOCK, buf, (size_t)n * BLKFS_BLOCK);
    return 0;
}

static const blkfs_dev_t dev = { NULL, sizeof disk / BLKFS_BLOCK, d_read, d_write, NULL };

static void drain(void)
{
    bbq_grant_t g;
    while (bbq_read(&port.tx, &g) == KERR_OK && g.len) {
        for (uint32_t i = 0; i < g.len; i++) {
            if (nout >= sizeof out - 1)
                nout = 0;                   /* keep the tail only */
            out[nout++] = (char)g.ptr[i];
        }
        out[nout] = 0;
        bbq_release(&port.tx, g.len);
    }
    while (bbq_read(&line.tx, &g) == KERR_OK && g.len)
        bbq_release(&line.tx, g.len);   /* the mux's output: dropped */
}

static void run(int ticks)
{
    for (int i = 0; i < ticks; i++) {
        uint64_t next = kernel_tick();
        drain();
        if (next == KERNEL_IDLE)
            return;
        if (next)
            plat_linux_advance(next > plat_now() ? next - plat_now() : 1);
        else
            plat_linux_advance(1000000);         /* work takes time too */
    }
}

static void type(const char *s)
{
    size_t n = strlen(s);
    nout = 0;
    out[0] = 0;
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "> %s", s);
    while (n) {
        bbq_grant_t g;
        if (bbq_grant_max(&port.rx, (uint32_t)n, &g) != KERR_OK) {
            run(200);
            if (bbq_grant_max(&port.rx, (uint32_t)n, &g) != KERR_OK)
                return;
        }
        memcpy(g.ptr, s, g.len);
        bbq_commit(&port.rx, g.len);
        s += g.len;
        n -= g.len;
    }
    run(400);
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "< %s\n", out);
}

typedef struct { const uint8_t *p; size_t n; } rd_t;
static unsigned rd(rd_t *r)
{
    if (!r->n)
        return 0;
    r->n--;
    return *r->p++;
}

static const char *const uuids[] = {
    "6c696f2d-6563-686f-9a41-4e0b8c110001",   /* echo */
    "54c983fa-736f-4223-b90d-c4360a308647",   /* sermux */
    "c10f0b5e-5a3a-4e4d-9f6b-7370616e7772",   /* spawnulator */
    "66696c65-732d-7376-9a41-4e0b8c110002",   /* files */
    "c10d15b1-a7f0-4d2e-8c3b-646973706c79",   /* display */
    "c10b0a2d-6b65-7973-8a11-6b6579626f61",   /* keyboard */
    "00000000-0000-0000-0000-000000000001",   /* nobody */
};
#define NUUIDS (sizeof uuids / sizeof uuids[0])

static char lbuf[8192];
static size_t base_in_use;

static void setup(void)
{
    plat_linux_fake_clock(1000000);
    CHECK(kernel_init() == KERR_OK, "kernel_init");
    memset(&port, 0, sizeof port);
    port.num = 10;
    bbq_init(&port.rx, rxb, CAP);
    bbq_init(&port.tx, txb, CAP);
    memset(&line, 0, sizeof line);
    line.num = PORT_CONSOLE;
    bbq_init(&line.rx, lrx, CAP);
    bbq_init(&line.tx, ltx, CAP);
    CHECK(echo_start(&echo, 1) == KERR_OK, "echo_start");
    CHECK(sermux_start(&line) == KERR_OK, "sermux_start");
    memset(disk, 0, sizeof disk);
    CHECK(blkfs_format(&dev, 16) == BLKFS_OK, "format");
    CHECK(blkfs_mount(&fs, &dev) == BLKFS_OK, "mount");
    blkfs_backend(&fs, &be);
    CHECK(files_start(&files, &be, 1) == KERR_OK, "files_start");
    CHECK(display_start(NULL, 64, 32) == KERR_OK, "display_start");
    CHECK(keyboard_start(NULL) == KERR_OK, "keyboard_start");
    static unsigned char root_img[256 * 1024];
    static size_t root_len;
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000,
                           .files = ffiles_ops(), .file_ext = ffiles_ext(),
                           .root_image = root_len ? root_img : NULL, .root_image_len = root_len };
    const fvm_error_t *e = NULL;
    kerr_t err = ftask_init(&cfg, &e);
    CHECK(err == KERR_OK, "ftask_init: %s (%s line %u)", e ? e->message : "", e ? e->word : "", e ? e->line : 0);
    if (!root_len) {
        root_len = fvm_image_save(ftask_root(), root_img, sizeof root_img);
        CHECK(root_len > 0, "fvm_image_save of the root VM");
    }
    CHECK(spawnulator_start() == KERR_OK, "spawnulator_start");
    spawnulator_test_eval_ms(10);
    run(100);
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    base_in_use = st.in_use;
    CHECK(ftask_start_shell(&port, &sh) == KERR_OK, "shell");
    nout = 0;
    out[0] = 0;
    type("variable h0 variable h1 variable h2 variable h3 variable n# variable lastc variable fd\n"
         "create rb 1024 allot create pb 600 allot : b, pb n# @ + c! 1 n# +! ;\n"
         ": w, dup b, 8 rshift b, ; : l, dup w, 16 rshift w, ;\n"
         ": fill-pb 600 0 do i 7 * pb i + c! loop ; fill-pb\n");
}

/* The payload of op 1/2: `n` literal bytes from the input, appended with b, */
static int bytes(rd_t *r, int n, unsigned count)
{
    for (unsigned i = 0; i < count && n < (int)sizeof lbuf - 80; i++)
        n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%u b, ", rd(r));
    return n;
}

/* EVAL's text: n words from this list (no '"': it is typed inside s" ). */
static const char *const eval_words[] = {
    "1", "2", "+", ".", "dup", "0", "/", "emit", ": f", ";", "f", "begin", "again", "key",
    "bye", "tid .", "10 ms", "throw", "cr", "words", "tasks", "-1", "pad 9 accept", "s\\\" 7 .\\\" eval-here",
    "' f spawn", "here", "@", "abort", "1000 0 do i . loop", "live-tasks", "recurse", "exit",
    "2e", "fsqrt", "f.", "fdrop", "1e 0e f/", "fsin", "f**", "pi fs.",
};
#define NEVAL_WORDS (sizeof eval_words / sizeof eval_words[0])

static int eval_line(rd_t *r, int k, unsigned max)
{
    int n = snprintf(lbuf, sizeof lbuf, "s\\\" ");
    for (unsigned i = 0, w = 1 + rd(r) % 12; i < w; i++)
        n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%s ", eval_words[rd(r) % NEVAL_WORDS]);
    return n + snprintf(lbuf + n, sizeof lbuf - (size_t)n,
                        "\" dup n# ! pb swap move pb n# @ 5 h%d @ rb %u call . .\n", k, max);
}

static int line_for(rd_t *r, unsigned op)
{
    int k = (int)(op >> 4) & 3, n = 0;
    switch (op & 7) {
    case 0:
        return snprintf(lbuf, sizeof lbuf, "uuid\" %s\" connect h%d !\n", uuids[rd(r) % NUUIDS], k);
    case 1: {
        unsigned len = rd(r) % 65, opc = rd(r) % 16, max = rd(r) * 4;
        n = snprintf(lbuf, sizeof lbuf, "0 n# ! ");
        n = bytes(r, n, len);
        return n + snprintf(lbuf + n, sizeof lbuf - (size_t)n, "pb n# @ %u h%d @ rb %u call . .\n",
                            opc, k, max % 1024);
    }
    case 2: {
        unsigned shape = rd(r) % 5, opc = rd(r) % 16, max = rd(r) * 4 % 1024;
        if (shape == 4)
            return eval_line(r, k, max);
        n = snprintf(lbuf, sizeof lbuf, "0 n# ! ");
        if (shape == 0)                                   /* u16 port, u32 size */
            n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%u w, %u l, ", rd(r), rd(r) << 8 | rd(r));
        else if (shape == 1)                              /* u32 handle, u32 max */
            n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%u l, %u l, ", rd(r) % 70, rd(r) * 37);
        else if (shape == 2)                              /* u32 mode, a name */
            n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%u l, 102 b, %u b, ", rd(r) % 17, 48 + rd(r) % 4);
        else                                              /* u16 x y w h, pixels */
            n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%u w, %u w, %u w, %u w, ",
                          rd(r) % 70, rd(r) % 40, rd(r) % 9, rd(r) % 9);
        n = bytes(r, n, rd(r) % 24);
        return n + snprintf(lbuf + n, sizeof lbuf - (size_t)n, "pb n# @ %u h%d @ rb %u call . .\n",
                            opc, k, max);
    }
    case 3: {
        unsigned len = (rd(r) | (op & 0x80) << 2) % 600, opc = rd(r) % 16, max = rd(r) * 4 % 1024;
        return snprintf(lbuf, sizeof lbuf, "pb %u %u h%d @ rb %u call . .\n", len, opc, k, max);
    }
    case 4:
        if (op & 0x80)
            return snprintf(lbuf, sizeof lbuf, "%d disconnect\n", (int)(int8_t)rd(r));
        return snprintf(lbuf, sizeof lbuf, "h%d @ disconnect\n", k);
    case 5: {
        unsigned u = rd(r) % NUUIDS, len = rd(r) % 64, opc = rd(r) % 16;
        return snprintf(lbuf, sizeof lbuf,
                        ":noname uuid\" %s\" connect >r pb %u %u r@ pad 64 call 2drop "
                        "r> disconnect ; spawn lastc !%s\n",
                        uuids[u], len, opc, (op & 0x80) ? " lastc @ kill" : "");
    }
    case 6: {
        unsigned w = rd(r) % 5, len = rd(r) * 3;
        static const char *const fw[] = {
            "s\" f%u\" r/w create-file . fd !\n", "pb %u fd @ write-file .\n",
            "rb %u fd @ read-file . .\n", "rb %u fd @ read-line . . .\n", "fd @ close-file . %u drop\n",
        };
        return snprintf(lbuf, sizeof lbuf, fw[w], w == 0 ? len % 4 : len % 1000);
    }
    default:
        return snprintf(lbuf, sizeof lbuf, "%s\n", (op & 0x80) ? "services" : (op & 0x40) ? "tasks"
                                                                           : "live-tasks . drop");
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd_t r = { data, size };
    setup();
    for (int ops = 0; r.n && ops < 48; ops++) {
        line_for(&r, rd(&r));
        type(lbuf);
    }
    run(2000);
    nout = 0;
    out[0] = 0;
    type("\n1 2 + .\n");
    run(2000);
    CHECK(strstr(out, "3  ok") != NULL, "the shell no longer answers \"1 2 + .\": [%s]", out);
    /* everything the shell and its children made the kernel hold comes back */
    type(": end lastc @ ?dup if ['] kill catch drop then ; end bye\n");
    for (int i = 0; i < 50 && !ftask_ended(sh); i++)
        run(200);
    CHECK(ftask_ended(sh), "the shell did not end at bye");
    while (ftask_count())
        for (ftask_t *f = ftask_first(); f; f = ftask_next(f))
            if (!ftask_ended(f)) {
                ftask_kill(f, 0);
                break;
            }
    run(2000);
    ftask_reap();
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    CHECK(st.in_use == base_in_use, "kernel heap %zu after every task ended, %zu before", st.in_use,
          base_in_use);
    return 0;
}
