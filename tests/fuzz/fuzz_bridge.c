/*
 * fuzz_bridge -- requests through the Forth -> service bridge: a Forth shell
 * task (services/tasks/ftask.h) on an in-memory port, on a fresh kernel with the
 * echo example service and sermux registered, typed lines decoded from the
 * input.  Each operation is one Forth line:
 *
 *   0  connect     echo-service / sermux / a UUID from a small pool /
 *                  uuid" garbage" / two random cells, into h0..h3
 *   1  call        a payload of 0..47 random bytes (built with b,), a random
 *                  opcode, handle h0..h3, reply buffer size 0..511
 *   2  call big    0..299 bytes from pb (in the call buffer above 32)
 *   3  disconnect  h0..h3
 *   4  bad handle  call / disconnect with a random cell as the handle
 *   5  sermux      SERMUX_OP_OPEN with a random port and ring size, or STATS
 *   6  child       spawn a task that connects and calls, maybe kill it
 *   7  services    the registry listing
 *
 * Every line must leave the shell answering: after the input, "1 2 + ."
 * must print "3 " and the prompt.  ASan and UBSan watch the kernel, the
 * bridge, the registry, sermux and the echo service throughout.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "example/echo.h"
#include "tasks/ftask.h"
#include "kernel.h"
#include "platform_linux.h"
#include "mux/sermux.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

#define CAP 8192
static uint8_t rxb[CAP], txb[CAP], lrx[CAP], ltx[CAP];
static port_t port, line;
static echo_service_t echo;
static char out[1 << 16];
static size_t nout;

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
            run(200);                       /* let the shell read */
            if (bbq_grant_max(&port.rx, (uint32_t)n, &g) != KERR_OK)
                return;                     /* it does not: give up */
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
    "00000000-0000-0000-0000-000000000001",
    "c10f0b5e-5a3a-4e4d-9f6b-7370616e7772",
};

static int inited;
static char lbuf[4096];

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
    /* the root VM is compiled for the first input and saved; every later
     * input loads that image (as the RISC-V image boots), which makes a
     * fresh system per input several times cheaper */
    static unsigned char root_img[256 * 1024];
    static size_t root_len;
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000,
                           .root_image = root_len ? root_img : NULL, .root_image_len = root_len };
    const fvm_error_t *e = NULL;
    kerr_t err = ftask_init(&cfg, &e);
    CHECK(err == KERR_OK, "ftask_init: %s (%s line %u)", e ? e->message : "", e ? e->word : "", e ? e->line : 0);
    if (!root_len) {
        root_len = fvm_image_save(ftask_root(), root_img, sizeof root_img);
        CHECK(root_len > 0, "fvm_image_save of the root VM");
    } else {
        CHECK(ftask_root_from_image(), "the root VM image was refused");
    }
    ftask_t *f;
    CHECK(ftask_start_shell(&port, &f) == KERR_OK, "shell");
    nout = 0;
    out[0] = 0;
    type("variable h0 variable h1 variable h2 variable h3 variable n# variable lastc\n"
         "create rb 512 allot create pb 300 allot : b, pb n# @ + c! 1 n# +! ;\n"
         ": fill-pb 300 0 do i 7 * pb i + c! loop ; fill-pb\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rd_t r = { data, size };
    (void)inited;
    setup();
    int ops = 0;
    while (r.n && ops++ < 64) {
        unsigned op = rd(&r);
        int k = (int)(op >> 4) & 3;
        int n = 0;
        lbuf[0] = 0;
        switch (op & 7) {
        case 0: {
            unsigned w = rd(&r) % 6;
            if (w == 0)
                n = snprintf(lbuf, sizeof lbuf, "echo-service connect h%d !\n", k);
            else if (w == 1)
                n = snprintf(lbuf, sizeof lbuf, "sermux connect h%d !\n", k);
            else if (w < 4)
                n = snprintf(lbuf, sizeof lbuf, "uuid\" %s\" connect h%d !\n",
                             uuids[rd(&r) % 4], k);
            else if (w == 4)
                n = snprintf(lbuf, sizeof lbuf, "uuid\" %.36s\" connect h%d !\n",
                             "zz-not-a-uuid-6c696f2d-6563-686f-9a41", k);
            else
                n = snprintf(lbuf, sizeof lbuf, "%d %d connect h%d !\n", (int)rd(&r) - 128,
                             (int)(int8_t)rd(&r), k);
            break;
        }
        case 1: {
            unsigned len = rd(&r) % 48, opc = rd(&r), max = rd(&r) * 2 + (op >> 7);
            n = snprintf(lbuf, sizeof lbuf, "0 n# ! ");
            for (unsigned i = 0; i < len && n < (int)sizeof lbuf - 64; i++)
                n += snprintf(lbuf + n, sizeof lbuf - (size_t)n, "%u b, ", rd(&r));
            n += snprintf(lbuf + n, sizeof lbuf - (size_t)n,
                          "pb n# @ %u h%d @ rb %u call . .\n", opc % 6, k, max);
            break;
        }
        case 2: {
            unsigned len = (rd(&r) | (op & 0x80) << 1) % 300, opc = rd(&r), max = rd(&r) * 2;
            n = snprintf(lbuf, sizeof lbuf, "pb %u %u h%d @ rb %u call . .\n", len, opc % 6,
                         k, max);
            break;
        }
        case 3:
            n = snprintf(lbuf, sizeof lbuf, "h%d @ disconnect\n", k);
            break;
        case 4: {
            int h = (int)(int8_t)rd(&r);
            if (op & 0x80)
                n = snprintf(lbuf, sizeof lbuf, "%d disconnect\n", h);
            else
                n = snprintf(lbuf, sizeof lbuf, "pb 4 1 %d rb 8 call . .\n", h);
            break;
        }
        case 5: {
            unsigned p0 = rd(&r), p1 = rd(&r), c0 = rd(&r), c1 = rd(&r), c2 = rd(&r) & 0x3;
            n = snprintf(lbuf, sizeof lbuf,
                         "0 n# ! %u b, %u b, %u b, %u b, %u b, 0 b, pb %u %u h%d @ rb 64 call . .\n",
                         p0, p1, c0, c1, c2, (op & 0x80) ? 2u : 6u, (op & 0x40) ? 2u : 1u, k);
            break;
        }
        case 6: {
            unsigned len = rd(&r) % 64, opc = rd(&r) % 4;
            n = snprintf(lbuf, sizeof lbuf,
                         ":noname echo-service connect >r pb %u %u r@ pad 64 call 2drop "
                         "r> disconnect ; spawn lastc !%s\n",
                         len, opc, (op & 0x80) ? " lastc @ kill" : "");
            break;
        }
        case 7:
            n = snprintf(lbuf, sizeof lbuf, (op & 0x80) ? "services\n" : "lastc @ kill\n");
            break;
        }
        (void)n;
        type(lbuf);
    }
    run(2000);
    /* the shell still answers */
    nout = 0;
    out[0] = 0;
    type("\n1 2 + .\n");
    run(2000);
    if (getenv("FUZZ_VERBOSE"))
        fprintf(stderr, "--- last output: [%s]\n", out);
    CHECK(strstr(out, "3  ok") != NULL, "the shell no longer answers \"1 2 + .\": [%s]", out);
    return 0;
}
