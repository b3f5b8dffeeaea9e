/*
 * fuzz_services -- random requests to every registered service through the
 * Forth client layer's `call`, as a hostile task would send them: a Forth
 * shell on an in-memory port of a kernel with echo, sermux (over an
 * in-memory line), the spawnulator, files (blkfs on a 64 KiB RAM disk),
 * display (no backend) and keyboard registered.
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
 * The system lives across inputs: the kernel, the services and the root VM
 * are made once and kept for REBOOT_EVERY inputs (FUZZ_REBOOT=n in the
 * environment: every n inputs; 1 gives each input a fresh system, which an
 * input replayed alone always has -- a failure that needs what earlier
 * inputs left behind shows when the corpus is replayed with it in one
 * process).  Each input gets a new shell task on a clean port, the RAM
 * disk as it was right after formatting (the image and the mounted state
 * restored), and ends with every task gone; the echo service, which quits
 * on request (ECHO_OP_QUIT), is started again.  The harness's Forth words
 * are compiled into the root VM once (see words[] below), so a shell only
 * makes its data block.
 *
 * Cost: tasks get 50 fuel units a poll, so a tick in which a runaway takes
 * all 256 polls costs 12,800 units.  Time: the fake clock jumps to the
 * next timer when the kernel idles and moves 1 ms per tick while it works,
 * so an EVAL's time limit (1 ms here) ends a runaway within two ticks.  A
 * line runs until the shell has answered it (a marker line typed after it
 * has printed) and the kernel idles, or SETTLE ticks after the answer if
 * something keeps running (a runaway child), at most 400 ticks.
 *
 * Checks: ASan and UBSan throughout (kernel, registry, every service, the
 * client layer); the shell answers "1 2 + ." after the input, unless it
 * was killed (a request may name its own id); and once the
 * shell has ended (bye) and the kernel settled: every service is still
 * registered, the kernel heap is back to what it was when the system was
 * made (everything a task made the kernel hold was charged to it and given
 * back, over any number of inputs), and no file is open in the file service
 * or the file system.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
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
#include "common/cerr.h"
#include "common/uuid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void keep_history(void);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); keep_history(); abort(); } } while (0)

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
static uint32_t sh_id;       /* the input's shell (by id: a record may go) */
static char lbuf[8192];

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

/* What this input typed and the shell answered (the last 64 KiB of it),
 * written beside the history when a check fails. */
static char tlog[1 << 16];
static size_t ntlog;
static bool tlog_wrapped;

static void log_add(const char *a, const char *b, const char *c)
{
    const char *parts[3] = { a, b, c };
    for (int k = 0; k < 3; k++)
        for (const char *p = parts[k]; *p; p++) {
            if (ntlog == sizeof tlog) {
                ntlog = 0;
                tlog_wrapped = true;
            }
            tlog[ntlog++] = *p;
        }
}

/* The shell, or NULL once its record is gone (FTASK_ZOMBIES later ends). */
static ftask_t *shell(void)
{
    return ftask_find(sh_id);
}

static bool shell_ended(void)
{
    ftask_t *f = shell();
    return !f || ftask_ended(f);
}

#define MARK "~@~"
static bool marked;          /* MARK has printed since the last type() */

/* The shell's output into out (the tail of it, NUL bytes as '?'). */
static void drain(void)
{
    bbq_grant_t g;
    while (bbq_read(&port.tx, &g) == KERR_OK && g.len) {
        size_t n = g.len, from = nout > 2 ? nout - 2 : 0;
        const uint8_t *p = g.ptr;
        if (n > sizeof out - 1) {
            p += n - (sizeof out - 1);
            n = sizeof out - 1;
        }
        if (nout + n > sizeof out - 1)
            nout = from = 0;                /* keep the tail only */
        memcpy(out + nout, p, n);
        for (char *z = out + nout; (z = memchr(z, 0, n - (size_t)(z - (out + nout)))) != NULL;)
            *z = '?';
        nout += n;
        out[nout] = 0;
        if (strstr(out + from, MARK))
            marked = true;
        bbq_release(&port.tx, g.len);
    }
    while (bbq_read(&line.tx, &g) == KERR_OK && g.len)
        bbq_release(&line.tx, g.len);   /* the mux's output: dropped */
}

/* One tick; false once the kernel idles (nothing ready, no timer). */
static bool tick(void)
{
    uint64_t next = kernel_tick();
    drain();
    if (next == KERNEL_IDLE)
        return false;
    if (next)
        plat_linux_advance(next > plat_now() ? next - plat_now() : 1);
    else
        plat_linux_advance(1000000);         /* work takes time too */
    return true;
}

static void run(int ticks)
{
    for (int i = 0; i < ticks && tick(); i++)
        ;
}

#define SETTLE 2

/* Type s (whole lines) and a marker line into the shell; run until the
 * marker has printed (the shell is done with s) and the kernel idles, or
 * SETTLE ticks after the marker, or the shell has ended, or 400 ticks. */
static void type(const char *s)
{
    static char buf[sizeof lbuf + 16];
    size_t n = (size_t)snprintf(buf, sizeof buf, "%s.( " MARK ")\n", s);
    const char *p = buf;
    nout = 0;
    out[0] = 0;
    marked = false;
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "> %s", s);
    log_add("> ", s, "");
    while (n) {
        bbq_grant_t g;
        if (bbq_grant_max(&port.rx, (uint32_t)n, &g) != KERR_OK) {
            run(200);
            if (bbq_grant_max(&port.rx, (uint32_t)n, &g) != KERR_OK)
                return;
        }
        memcpy(g.ptr, p, g.len);
        bbq_commit(&port.rx, g.len);
        p += g.len;
        n -= g.len;
    }
    int i = 0;
    for (int after = 0; i < 400 && after <= SETTLE && !shell_ended() && tick(); i++)
        if (after || marked)
            after++;
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "< %s\n", out);
    char ticks[48];
    snprintf(ticks, sizeof ticks, "\n(%d ticks%s)\n", i, shell_ended() ? ", the shell has ended" : "");
    log_add("< ", out, ticks);
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

static size_t base_in_use;

/* The harness's words, compiled into the root VM at boot so that every
 * shell (a fork of it) has them without compiling them.  A shell's data
 * must be its own (a fork reads its parent's data but may not write it)
 * and out of the way of the system's words (the listings use PAD), so each
 * shell makes one block, v, and the words take it: v h0..h3 (handles),
 * v n# (pb's length), v lastc, v fd, v pb (600 bytes, filled with i*7 by
 * fz-init from the root's pb0), v rb (the 1024-byte reply buffer).  cl and
 * go make a call with handle k and print its two results. */
static const char words[] =
    ": h0 ; : h1 cell+ ; : h2 2 cells + ; : h3 3 cells + ;\n"
    ": n# 4 cells + ; : lastc 5 cells + ; : fd 6 cells + ; : pb 8 cells + ; : rb pb 600 + ;\n"
    "create pb0 600 allot : fill-pb0 600 0 do i 7 * pb0 i + c! loop ; fill-pb0\n"
    ": fz-init ( v -- ) dup 8 cells erase pb0 swap pb 600 move ;\n"
    ": cl {: a u opc k max v :} a u opc v k cells + @ v rb max call . . ;\n"
    ": go {: c u opc k max v :} u v n# !  c v pb u move  v pb u opc k max v cl ;\n"
    ": end ( v -- ) lastc @ ?dup if ['] kill catch drop then ;\n";

#define REBOOT_EVERY 500
static uint8_t disk0[sizeof disk];   /* the disk and the mount, freshly formatted */
static blkfs_t fs0;

/* A fresh kernel with every service, the root VM, a formatted disk. */
static void boot(void)
{
    plat_linux_fake_clock(1000000);
    CHECK(kernel_init() == KERR_OK, "kernel_init");
    memset(&line, 0, sizeof line);
    line.num = PORT_CONSOLE;
    bbq_init(&line.rx, lrx, CAP);
    bbq_init(&line.tx, ltx, CAP);
    CHECK(echo_start(&echo, 1) == KERR_OK, "echo_start");
    CHECK(sermux_start(&line) == KERR_OK, "sermux_start");
    memset(disk, 0, sizeof disk);
    CHECK(blkfs_format(&dev, 16) == BLKFS_OK, "format");
    CHECK(blkfs_mount(&fs, &dev) == BLKFS_OK, "mount");
    memcpy(disk0, disk, sizeof disk);
    fs0 = fs;
    blkfs_backend(&fs, &be);
    CHECK(files_start(&files, &be, 1) == KERR_OK, "files_start");
    CHECK(display_start(NULL, 64, 32) == KERR_OK, "display_start");
    CHECK(keyboard_start(NULL) == KERR_OK, "keyboard_start");
    static unsigned char root_img[256 * 1024];
    static size_t root_len;
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 50,
                           .files = ffiles_ops(), .file_ext = ffiles_ext(),
                           .root_image = root_len ? root_img : NULL, .root_image_len = root_len };
    const fvm_error_t *e = NULL;
    kerr_t err = ftask_init(&cfg, &e);
    CHECK(err == KERR_OK, "ftask_init: %s (%s line %u)", e ? e->message : "", e ? e->word : "", e ? e->line : 0);
    if (!root_len) {
        root_len = fvm_image_save(ftask_root(), root_img, sizeof root_img);
        CHECK(root_len > 0, "fvm_image_save of the root VM");
    }
    fvm_status_t fst = fvm_eval(ftask_root(), words, strlen(words));
    CHECK(fst == FVM_DONE, "the harness's words: %d %s", (int)fst, fvm_error(ftask_root())->message);
    CHECK(spawnulator_start() == KERR_OK, "spawnulator_start");
    spawnulator_test_eval_ms(1);
    run(100);
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    base_in_use = st.in_use;
}

/* The inputs run since the last boot, this one last: a failed check
 * writes them to FUZZ_HISTORY (a directory; default fuzz-history-<pid>)
 * as 000000, 000001, ..., which `fuzz_services -detect_leaks=0 -runs=1
 * DIR/0\*` replays in one process from a fresh boot -- the state the
 * failure needed.  (An input is there twice when libFuzzer ran it again
 * to look for a leak; with leak detection on, a replay would add runs of
 * its own and give the tasks other ids.) */
static struct { uint8_t *p; size_t *len; size_t n, used, cap, ncap; } hist;

static void history_add(const uint8_t *data, size_t size, bool booted)
{
    if (booted)
        hist.n = hist.used = 0;
    if (hist.n == hist.ncap) {
        hist.ncap = hist.ncap ? 2 * hist.ncap : 512;
        hist.len = realloc(hist.len, hist.ncap * sizeof *hist.len);
    }
    while (!hist.p || hist.used + size > hist.cap) {
        hist.cap = hist.cap ? 2 * hist.cap : 1 << 16;
        hist.p = realloc(hist.p, hist.cap);
    }
    if (!hist.len || !hist.p)
        abort();
    memcpy(hist.p + hist.used, data, size);
    hist.used += size;
    hist.len[hist.n++] = size;
}

static void keep_history(void)
{
    char dir[256], name[300];
    const char *d = getenv("FUZZ_HISTORY");
    if (d)
        snprintf(dir, sizeof dir, "%s", d);
    else
        snprintf(dir, sizeof dir, "fuzz-history-%ld", (long)getpid());
    mkdir(dir, 0755);
    const uint8_t *p = hist.p;
    for (size_t i = 0; i < hist.n; p += hist.len[i++]) {
        snprintf(name, sizeof name, "%s/%06zu", dir, i);
        FILE *f = fopen(name, "wb");
        if (!f || fwrite(p, 1, hist.len[i], f) != hist.len[i] || fclose(f) != 0) {
            fprintf(stderr, "could not write %s\n", name);
            return;
        }
    }
    snprintf(name, sizeof name, "%s/transcript", dir);
    FILE *f = fopen(name, "w");
    if (f) {
        if (tlog_wrapped)
            fwrite(tlog + ntlog, 1, sizeof tlog - ntlog, f);
        fwrite(tlog, 1, ntlog, f);
        fclose(f);
    }
    fprintf(stderr, "the %zu inputs since the last boot are in %s/ (the last one's transcript "
            "in %s): "
            "replay them with fuzz_services -detect_leaks=0 -runs=1 %s/0*\n", hist.n, dir, name, dir);
}

/* This input's shell on a clean port, over the disk as formatted; true if
 * the system was made afresh for it. */
static bool setup(void)
{
    static unsigned inputs, every;
    if (!every) {
        const char *v = getenv("FUZZ_REBOOT");
        every = v && atoi(v) > 0 ? (unsigned)atoi(v) : REBOOT_EVERY;
    }
    bool booted = inputs++ % every == 0;
    if (booted) {
        boot();
    } else {
        memcpy(disk, disk0, sizeof disk);   /* no file is open (checked) */
        fs = fs0;
    }
    memset(&port, 0, sizeof port);
    port.num = 10;
    bbq_init(&port.rx, rxb, CAP);
    bbq_init(&port.tx, txb, CAP);
    ftask_t *sh;
    CHECK(ftask_start_shell(&port, &sh) == KERR_OK, "shell");
    sh_id = ftask_id(sh);
    char id[40];
    snprintf(id, sizeof id, "(the shell is task %u)\n", (unsigned)sh_id);
    log_add(id, "", "");
    if (getenv("FUZZ_VERBOSE"))
        fputs(id, stderr);
    type("create v 1700 allot v fz-init\n");
    return booted;
}

/* The payload of op 1/2, built here and typed as one string of \x escapes
 * (a number per byte made the shell look each one up in the whole
 * dictionary, a fifth of the harness's time): into pb, its length in n#. */
static uint8_t pay[128];
static unsigned npay;

static void put(unsigned v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes && npay < sizeof pay; i++, v >>= 8)
        pay[npay++] = (uint8_t)v;
}

static void put_input(rd_t *r, unsigned count)
{
    for (unsigned i = 0; i < count; i++)
        put(rd(r), 1);
}

static int pay_line(int k, unsigned opc, unsigned max)
{
    int n = snprintf(lbuf, sizeof lbuf, "s\\\" ");
    for (unsigned i = 0; i < npay; i++)
        n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "\\x%02x", pay[i]);
    return n + snprintf(lbuf + n, sizeof lbuf - (size_t)n,
                        "\" %u %d %u v go\n", opc, k, max);
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
                        "\" 5 %d %u v go\n", k, max);
}

static int line_for(rd_t *r, unsigned op)
{
    int k = (int)(op >> 4) & 3;
    switch (op & 7) {
    case 0:
        return snprintf(lbuf, sizeof lbuf, "uuid\" %s\" connect v h%d !\n", uuids[rd(r) % NUUIDS], k);
    case 1: {
        unsigned len = rd(r) % 65, opc = rd(r) % 16, max = rd(r) * 4;
        npay = 0;
        put_input(r, len);
        return pay_line(k, opc, max % 1024);
    }
    case 2: {
        unsigned shape = rd(r) % 5, opc = rd(r) % 16, max = rd(r) * 4 % 1024;
        if (shape == 4)
            return eval_line(r, k, max);
        npay = 0;
        if (shape == 0) {                                 /* u16 port, u32 size */
            put(rd(r), 2);
            unsigned hi = rd(r);
            put(hi << 8 | rd(r), 4);
        } else if (shape == 1) {                          /* u32 handle, u32 max */
            put(rd(r) % 70, 4);
            put(rd(r) * 37, 4);
        } else if (shape == 2) {                          /* u32 mode, a name */
            put(rd(r) % 17, 4);
            put(102, 1);
            put(48 + rd(r) % 4, 1);
        } else {                                          /* u16 x y w h, pixels */
            put(rd(r) % 70, 2);
            put(rd(r) % 40, 2);
            put(rd(r) % 9, 2);
            put(rd(r) % 9, 2);
        }
        put_input(r, rd(r) % 24);
        return pay_line(k, opc, max);
    }
    case 3: {
        unsigned len = (rd(r) | (op & 0x80) << 2) % 600, opc = rd(r) % 16, max = rd(r) * 4 % 1024;
        return snprintf(lbuf, sizeof lbuf, "v pb %u %u %d %u v cl\n", len, opc, k, max);
    }
    case 4:
        if (op & 0x80)
            return snprintf(lbuf, sizeof lbuf, "%d disconnect\n", (int)(int8_t)rd(r));
        return snprintf(lbuf, sizeof lbuf, "v h%d @ disconnect\n", k);
    case 5: {
        unsigned u = rd(r) % NUUIDS, len = rd(r) % 64, opc = rd(r) % 16;
        return snprintf(lbuf, sizeof lbuf,
                        ":noname uuid\" %s\" connect >r [ v pb ] literal %u %u r@ pad 64 call 2drop "
                        "r> disconnect ; spawn v lastc !%s\n",
                        uuids[u], len, opc, (op & 0x80) ? " v lastc @ kill" : "");
    }
    case 6: {
        unsigned w = rd(r) % 5, len = rd(r) * 3;
        static const char *const fw[] = {
            "s\" f%u\" r/w create-file . v fd !\n", "v pb %u v fd @ write-file .\n",
            "v rb %u v fd @ read-file . .\n", "v rb %u v fd @ read-line . . .\n",
            "v fd @ close-file . %u drop\n",
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
    ntlog = 0;
    tlog_wrapped = false;
    history_add(data, size, setup());
    for (int ops = 0; r.n && ops < 48; ops++) {
        line_for(&r, rd(&r));
        type(lbuf);
    }
    /* A shell may have been killed on request -- its own KILL of its own
     * id (a payload is any bytes: `go` leaves them in pb, which children
     * send too); any other end is a failure. */
    bool ended = shell_ended();
    CHECK(!ended || (shell() && ftask_status(shell()) == CERR_KILLED),
          "the shell ended unasked (status %d; 0: its record is gone)", shell() ? (int)ftask_status(shell()) : 0);
    if (!ended) {
        type("\n1 2 + .\n");
        CHECK(strstr(out, "3  ok") != NULL, "the shell no longer answers \"1 2 + .\": [%s]", out);
        /* everything the shell and its children made the kernel hold comes back */
        type("v end bye\n");
    }
    for (int i = 0; i < 10000 && !shell_ended(); i++)
        tick();
    CHECK(shell_ended(), "the shell did not end at bye");
    while (ftask_count())
        for (ftask_t *f = ftask_first(); f; f = ftask_next(f))
            if (!ftask_ended(f)) {
                ftask_kill(f, 0);
                break;
            }
    run(2000);
    ftask_reap();
    if (task_done(&echo.task)) {             /* ECHO_OP_QUIT: it may stop */
        CHECK(echo_start(&echo, 1) == KERR_OK, "echo_start again");
        run(100);
    }
    for (unsigned i = 0; i + 1 < NUUIDS; i++) {
        reg_uuid_t u;
        uint16_t at;
        CHECK(uuid_parse(uuids[i], &u) == 0 && reg_lookup(&u, &at) == KERR_OK,
              "service %s is gone", uuids[i]);
    }
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    CHECK(st.in_use == base_in_use, "kernel heap %zu after every task ended, %zu when the system was made",
          st.in_use, base_in_use);
    for (unsigned i = 0; i < FILES_MAX_HANDLES; i++)
        CHECK(!files.h[i].client, "file handle %u still open (client %u)", i, files.h[i].client);
    for (unsigned i = 0; i < BLKFS_MAX_OPEN; i++)
        CHECK(!fs.open[i].used, "blkfs file %u still open", i);
    return 0;
}
