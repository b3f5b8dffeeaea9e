/*
 * main -- clio on QEMU virt (rv64 in S-mode under OpenSBI, or rv32 in
 * M-mode without firmware): the counterpart of hosts/linux/clio_main.c.
 *
 * Three images from this file:
 *   clio-riscv64.elf      console mode: the UART is a Forth shell
 *   clio-riscv64-mux.elf  (CLIO_MUX=1) the UART carries sermux framing:
 *                         loopback, hello, trace and Forth shells on
 *                         ports 10..13, for build/clio-term
 *   clio-riscv32.elf      console mode, rv32 (-DMMODE), the root VM
 *                         compiled at boot (rootimg.h)
 * All: the echo example service, the Forth tasks with forth-lib baked in,
 * the file service on the virtio-blk disk when there is one (disk.h; else
 * the file words answer "no file service"), and the word
 * `halt ( code -- )` that ends QEMU with that exit status.
 */
#include "mux/daemons.h"
#include "disk.h"
#include "example/echo.h"
#include "files/ffiles.h"
#include "tasks/ftask.h"
#include "kernel.h"
#include "kstring.h"
#include "riscv.h"
#include "rootimg.h"
#include "tasks/shellports.h"
#include "tasks/spawnulator.h"
#include "mux/sermux.h"
#include "link/link.h"
#include "uart.h"
#include "shell/help.h"

#ifndef CLIO_MUX
#define CLIO_MUX 0
#endif

int main(unsigned long hartid, void *dtb);

#define HALT_POLL_NS 1000000ull
#define HALT_TRIES 500           /* wait at most ~0.5 s for the output to drain */

struct halt_op {
    uint64_t at;
    uint32_t code, tries;
};

/* Let the task's output reach the UART, then exit QEMU. */
static kerr_t op_halt(ftask_t *f, task_t *t, fvm_t *vm, void *args)
{
    (void)vm;
    struct halt_op *h = args;
    port_t *p = ftask_port(f);
    while (h->tries < HALT_TRIES && !(uart_tx_idle() && (!p || bbq_used(&p->tx) == 0))) {
        if (task_sleep_until(t, h->at) == KERR_PENDING)
            return KERR_PENDING;
        h->tries++;
        h->at = plat_now() + HALT_POLL_NS;
    }
    qemu_exit(h->code);
}

/* halt ( code -- ): QEMU exits with status code, 0..255. */
static int w_halt(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t code;
    if (fvm_pop(vm, &code))
        return FVM_E_STACK_UNDERFLOW;
    if (code < 0 || code > 255)
        return fvm_abort_msg(vm, "halt: the exit code must be 0..255");
    ftask_t *f = ftask_of(vm);
    if (!f)
        qemu_exit((unsigned)code);
    struct halt_op h = { plat_now() + HALT_POLL_NS, (uint32_t)code, 0 };
    return ftask_wait_op(f, op_halt, &h, sizeof h);
}

static const fvm_word_t host_words[] = {
    { "halt", w_halt, NULL, 0 },
};


/* Ctrl-C on the console (the UART's bottom half): interrupt its task,
 * never the machine. */
static ftask_t *main_task;             /* held (ftask_hold): it outlives a reap */

static __attribute__((unused)) void on_break(void *ctx)
{
    (void)ctx;
    if (main_task)
        ftask_interrupt(main_task);
}

static int die(const char *what, kerr_t err)
{
    uart_write_polled("clio: ");
    uart_write_polled(what);
    uart_write_polled(": ");
    uart_write_polled(kerr_str(err));
    uart_write_polled("\n");
    return 98;
}

static __attribute__((unused)) void put_port(port_t *p, const char *s)
{
    bbq_grant_t g;
    uint32_t n = (uint32_t)kstr_len(s, 1024);
    if (bbq_grant(&p->tx, n, &g) == KERR_OK) {
        kmem_copy(g.ptr, s, n);
        bbq_commit(&p->tx, n);
    }
}

int main(unsigned long hartid, void *dtb)
{
    (void)hartid, (void)dtb;
    uart_init();
    uint64_t t_main = plat_now();
    kerr_t err;
    if ((err = kernel_init()) != KERR_OK)
        return die("kernel_init", err);
    trace_set_level(TRACE_ERROR);
    plic_init();
    disk_init();                 /* the file service, if a disk is attached */

    static echo_service_t echo;
    if ((err = echo_start(&echo, 1)) != KERR_OK)
        return die("echo service", err);

    port_t *line;
    if ((err = uart_open(!CLIO_MUX, &line)) != KERR_OK)
        return die("uart", err);
#if CLIO_MUX
    if ((err = sermux_start(line)) != KERR_OK || (err = loopback_start()) != KERR_OK ||
        (err = hello_start()) != KERR_OK || (err = tracedrain_start()) != KERR_OK)
        return die("sermux", err);
    /* node "qemu": its link is port 5 of the UART's mux (docs/links.md) */
    if ((err = link_init("qemu")) != KERR_OK || (err = link_attach_mux()) != KERR_OK)
        return die("link", err);
#endif

    uint64_t t_root = plat_now();
    /* a shell gets 256 KiB (the heap is 32 MiB): room for programs the
     * size of the test suite's paranoia.4th */
    ftask_config_t fc = { .files = ffiles_ops(), .file_ext = ffiles_ext(),
                          .root_image = clio_root_image, .root_image_len = clio_root_image_len,
                          .shell_size = 256 * 1024 };
    const fvm_error_t *ferr = NULL;
    if ((err = ftask_init(&fc, &ferr)) != KERR_OK) {
        if (ferr) {
            uart_write_polled("clio: forth-lib: ");
            uart_write_polled(ferr->message);
            uart_write_polled(": ");
            uart_write_polled(ferr->word);
            uart_write_polled("\n");
        }
        return die("ftask_init", err);
    }
    if ((err = ftask_add_words(host_words, sizeof host_words / sizeof host_words[0])) != KERR_OK)
        return die("host words", err);
    if (help_register(ftask_root(), true) != 0)
        return die("help", KERR_NOMEM);
    if ((err = spawnulator_start()) != KERR_OK)
        return die("spawnulator", err);

#if CLIO_MUX
    (void)t_root, (void)t_main;
    if ((err = shellports_start(true)) != KERR_OK)
        return die("shells", err);
#else
    /* the banner gives the time since reset and the part spent building
     * the root VM (prelude + forth-lib compiled at boot) */
    char num[24];
    uint64_t now = plat_now();
    put_port(line, "clio " RV_NAME " (qemu virt, " RV_MODE_NAME ") up at ");
    put_port(line, kstr_udec(now / 1000000, num));
    put_port(line, " ms (main at ");
    put_port(line, kstr_udec(t_main / 1000000, num));
    put_port(line, ftask_root_from_image() ? " ms, root VM from its image " : " ms, root VM compiled ");
    put_port(line, kstr_udec((now - t_root) / 1000000, num));
    put_port(line, " ms): Forth shell ready -- help for help; Ctrl-C interrupts, "
                   "Up/Down recall lines; `0 halt` ends QEMU\n");
    uart_on_break(on_break, NULL);
    if ((err = ftask_start_shell(line, &main_task)) != KERR_OK)
        return die("shell", err);
    ftask_hold(main_task);                /* read after each tick */
#endif

    csr_set(CSR_STATUS, STATUS_IE);
    for (;;) {
        uint64_t next = kernel_tick();
        if (main_task && ftask_ended(main_task))  /* `bye` in the console shell */
            break;
        kernel_wait(next);
    }
    while (!uart_tx_idle())
        kernel_wait(kernel_tick());
    return ftask_status(main_task) == 0 ? 0 : 1;
}
