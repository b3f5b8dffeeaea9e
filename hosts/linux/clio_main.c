/*
 * clio_main.c -- build/clio: the OS in a Linux process.
 *
 *   clio                        the terminal is a Forth shell (readline:
 *                               history, Tab completion, Ctrl-C interrupts)
 *   clio FILE.fs...             run the scripts in a Forth task; exit status
 *                               0 if they all ran without an uncaught error
 *                               (a FILE outside the file root -- /abs/x.fs,
 *                               ../x.fs, /dev/stdin -- is read whole from
 *                               the host as given, before the kernel
 *                               starts; what it includes comes from the
 *                               root)
 *   clio --serial tcp:[HOST:]PORT
 *                               the sermux line on TCP (127.0.0.1) instead of
 *                               the terminal: loopback, hello, trace and
 *                               Forth shells on ports 10..13; clio-term
 *                               attaches to it
 *   --files DIR                 the file service's root (default: the
 *                               current directory): FILE.fs names, INCLUDED
 *                               and FILE-ACCESS in every task are paths
 *                               inside DIR and cannot leave it
 *   --trace LEVEL               0 debug .. 4 off (default 1, info): what
 *                               port 3 carries (with --serial)
 *   --node NAME                 this node's name on links, 1..15 of
 *                               A-Z a-z 0-9 - _ (default: the host name,
 *                               or "clio"); docs/links.md
 *   --link tcp:HOST:PORT        a link to the node serving that line
 *                               (repeatable); with --serial, port 5 of
 *                               this node's own line is a link too
 *
 * The host's job is small: bring the kernel up, start the services, then
 * sleep in kernel_wait() until the next timer or "interrupt" (a host thread
 * reading the terminal or the socket wakes a task).
 *
 * Signals: SIGINT is Ctrl-C for the console's task (console_interrupt:
 * the running word throws -28; the third while the task has not taken the
 * first ends clio); with no console, and always for SIGTERM, clio stops
 * with status 128 + signal.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "console.h"
#include "mux/daemons.h"
#include "display_host.h"
#include "example/echo.h"
#include "files/ffiles.h"
#include "files/files.h"
#include "files_hostdir.h"
#include "tasks/ftask.h"
#include "kernel.h"
#include "mux/sermux.h"
#include "platform_linux.h"
#include "serial_tcp.h"
#include "tasks/shellports.h"
#include "tasks/spawnulator.h"
#include "display/fdisplay.h"
#include "shell/help.h"
#include "script_files.h"
#include "link/link.h"
#include "link/lwire.h"

#define VERSION "0.1.0"

static volatile sig_atomic_t stop;      /* the signal that ends clio */
static volatile sig_atomic_t have_console;

static void on_signal(int sig)
{
    if (sig == SIGINT && have_console)
        console_interrupt();
    else
        stop = sig;
}

/* The console's task (shell or script), for Ctrl-C and Tab. */
static ftask_t *main_task;             /* held (ftask_hold): it outlives a reap */

/* Kernel thread: Ctrl-C.  A third while the task has not yet taken the
 * first (stuck in a service call) ends clio. */
static void on_break(void *ctx)
{
    static int untaken;
    (void)ctx;
    fvm_t *vm = main_task && !ftask_ended(main_task) ? ftask_vm(main_task) : NULL;
    untaken = vm && fvm_interrupt_pending(vm) ? untaken + 1 : 0;
    if (untaken >= 2)
        stop = SIGINT;
    else if (main_task)
        ftask_interrupt(main_task);
}

/* Tab completion's words: the console task's VM (kernel thread, between
 * polls: see console.h). */
static void console_words(void *ctx, const char *prefix, size_t n, rlshell_add_fn add, void *actx)
{
    (void)ctx, (void)prefix, (void)n;
    fvm_t *vm = main_task && !ftask_ended(main_task) ? ftask_vm(main_task) : NULL;
    if (vm)
        fvm_each_word(vm, add, actx);
}

/* A command-line script outside the file root: the host reads it. */
static bool outside_root(const char *dir, const char *file)
{
    char path[8192];
    if (file[0] == '/' || strstr(file, ".."))
        return true;
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return access(path, R_OK) != 0 && access(file, R_OK) == 0;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: clio [--serial tcp:[HOST:]PORT] [--files DIR] [--display sdl[:SCALE]|headless:FILE.ppm]\n"
               "            [--trace LEVEL] [--node NAME] [--link tcp:HOST:PORT]... [FILE.fs...]\n"
               "  no FILE: the terminal is a Forth shell (or, with --serial, the\n"
               "  shells are on sermux ports 10..13 of the TCP line)\n"
               "  FILE...: run the scripts in a Forth task, exit with their status\n"
               "  --files DIR: the tasks' files live in DIR (default: the current\n"
               "  directory); FILE names and every path in Forth are inside DIR\n"
               "  --display: a screen (SDL2 window, or a PPM file for tests) with a\n"
               "  graphical Forth shell when no FILE is given\n"
               "  --trace LEVEL: 0 debug .. 4 off (default 1: info; port 3 carries it)\n"
               "  --node NAME: this node's name; --link tcp:HOST:PORT: a link to the\n"
               "  node serving that serial line (docs/links.md)\n");
}

/* The command line: the two lists point into argv and are owned by main. */
typedef struct {
    const char *serial, *display, *files_dir, *node;
    const char **links, **files;
    int nlinks, nfiles, trace;
} clio_opts_t;

/* Read argv into o: -1 to go on, or the status to exit with. */
static int parse_args(int argc, char **argv, clio_opts_t *o)
{
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(argv[i], "--serial") && i + 1 < argc) {
            o->serial = argv[++i];
        } else if (!strcmp(argv[i], "--files") && i + 1 < argc) {
            o->files_dir = argv[++i];
        } else if (!strcmp(argv[i], "--display") && i + 1 < argc) {
            o->display = argv[++i];   /* sdl[:SCALE] | headless:FILE.ppm (display_host.h) */
        } else if (!strcmp(argv[i], "--node") && i + 1 < argc) {
            o->node = argv[++i];
        } else if (!strcmp(argv[i], "--link") && i + 1 < argc) {
            o->links[o->nlinks++] = argv[++i];
        } else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
            o->trace = atoi(argv[++i]);
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clio: unknown option %s\n", argv[i]);
            usage(stderr);
            return 2;
        } else {
            o->files[o->nfiles++] = argv[i];
        }
    }
    if (o->serial && strncmp(o->serial, "tcp:", 4)) {
        fprintf(stderr, "clio: --serial wants tcp:[HOST:]PORT\n");
        return 2;
    }
    for (int i = 0; i < o->nlinks; i++)
        if (strncmp(o->links[i], "tcp:", 4) || !strchr(o->links[i] + 4, ':')) {
            fprintf(stderr, "clio: --link wants tcp:HOST:PORT\n");
            return 2;
        }
    if (o->node && !lwire_name_ok((const uint8_t *)o->node, strlen(o->node))) {
        fprintf(stderr, "clio: --node wants 1 to 15 of A-Z a-z 0-9 - _\n");
        return 2;
    }
    /* A script the host reads is read whole now, before anything runs: a
     * pipe or a terminal waits here, never in the kernel thread. */
    for (int i = 0; i < o->nfiles; i++) {
        const char *why = outside_root(o->files_dir, o->files[i]) ? script_files_add(o->files[i]) : NULL;
        if (why) {
            fprintf(stderr, "clio: %s: %s\n", o->files[i], why);
            return 2;
        }
    }
    return -1;
}

/* Start the kernel, the services and the console or the serial line, and
 * run until the console's task ends or a signal: the exit status. */
static int run(const clio_opts_t *o)
{
    const char *serial = o->serial, *display = o->display, *files_dir = o->files_dir;
    const char *node = o->node;
    const char **links = o->links, **files = o->files;
    int nlinks = o->nlinks, nfiles = o->nfiles, trace = o->trace;
    char host[64] = "clio";
    if (!node) {
        if (gethostname(host, sizeof host) == 0) {
            host[sizeof host - 1] = 0;
            host[15] = 0;                        /* a node name is at most 15 */
            for (char *p = host; *p; p++)
                if (*p == '.') {
                    *p = 0;
                    break;
                }
        }
        node = host;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;            /* no SA_RESTART: readline's read() returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (kernel_init() != KERR_OK) {
        fprintf(stderr, "clio: kernel_init failed\n");
        return 1;
    }
    trace_set_level(trace < 0 ? 0 : trace > TRACE_OFF ? TRACE_OFF : (trace_level_t)trace);

    static echo_service_t echo;
    echo_start(&echo, 1);
    if (link_init(node) != KERR_OK) {
        fprintf(stderr, "clio: links: cannot start\n");
        return 1;
    }

    static files_backend_t hostdir;
    static files_service_t files_svc;
    int e = files_hostdir_open(files_dir, &hostdir);
    if (e) {
        fprintf(stderr, "clio: --files %s: %s\n", files_dir, strerror(e));
        return 2;
    }
    files_start(&files_svc, &hostdir, 1);

    port_t *line = NULL, *con = NULL;
    kerr_t err = KERR_OK;
    if (serial) {
        err = serial_tcp_open(serial + 4, &line);
        if (err == KERR_OK)
            err = sermux_start(line);
        if (err == KERR_OK)
            err = loopback_start();
        if (err == KERR_OK)
            err = hello_start();
        if (err == KERR_OK)
            err = tracedrain_start();
        if (err == KERR_OK)
            err = link_attach_mux();
        if (err != KERR_OK) {
            fprintf(stderr, "clio: serial %s: %s\n", serial, kerr_str(err));
            return 1;
        }
    }

    for (int i = 0; i < nlinks; i++) {
        port_t *out = NULL;
        err = serial_tcp_connect(links[i] + 4, &out);
        if (err == KERR_OK)
            err = link_attach_line(out, links[i] + 4);
        if (err != KERR_OK) {
            fprintf(stderr, "clio: --link %s: %s\n", links[i], kerr_str(err));
            return 1;
        }
    }

    ftask_config_t fc = { .files = script_files_ops(ffiles_ops()), .file_ext = ffiles_ext() };
    const fvm_error_t *ferr = NULL;
    if ((err = ftask_init(&fc, &ferr)) != KERR_OK) {
        fprintf(stderr, "clio: forth-lib: %s", kerr_str(err));
        if (ferr)
            fprintf(stderr, ": %s:%u: %s: %s", ferr->source, ferr->line, ferr->message, ferr->word);
        fputc('\n', stderr);
        return 1;
    }

    if ((err = script_files_start()) != KERR_OK) {
        fprintf(stderr, "clio: scripts: %s\n", kerr_str(err));
        return 1;
    }
    int hrc = help_register(ftask_root(), true);
    if (hrc) {
        fprintf(stderr, "clio: help: %s\n", fvm_throw_text(hrc));
        return 1;
    }
    if ((err = spawnulator_start()) != KERR_OK || (err = fdisplay_init()) != KERR_OK ||
        (serial && (err = shellports_start(!nfiles)) != KERR_OK)) {
        fprintf(stderr, "clio: starting the services: %s\n", kerr_str(err));
        return 1;
    }
    if (display && (err = display_host_start(display, serial != NULL, nfiles == 0)) != KERR_OK) {
        fprintf(stderr, "clio: --display %s: %s\n", display, kerr_str(err));
        return 1;
    }

    if (nfiles || !serial) {
        int interactive = nfiles == 0 && isatty(0);
        err = console_open(interactive, &con);
        if (err == KERR_OK) {
            console_on_break(on_break, NULL);
            if (interactive) {
                console_complete(console_words, NULL, files_dir);
                printf("clio " VERSION " (Linux): a Forth shell -- help for help, BYE or Ctrl-D "
                       "to leave,\nCtrl-C interrupts, Tab completes, Up/Down recall lines\n");
                fflush(stdout);
            }
            err = nfiles ? ftask_start_script(con, files, nfiles, &main_task)
                         : ftask_start_shell(con, &main_task);
            if (err == KERR_OK)
                ftask_hold(main_task);     /* read after each tick: never freed under us */
            if (err == KERR_OK && interactive && rlshell_columns())
                fvm_set_columns(ftask_vm(main_task), rlshell_columns());
            have_console = 1;
        }
    } else {
        fprintf(stderr, "clio: sermux on tcp:%s (ports 0 loopback, 1 hello, 3 trace, 10-13 shells)\n",
                serial + 4);
    }
    if (err != KERR_OK) {
        fprintf(stderr, "clio: starting: %s\n", kerr_str(err));
        return 1;
    }

    for (;;) {
        uint64_t next = kernel_tick();
        if (stop || (main_task && ftask_ended(main_task)))
            break;
        if (next == 0)
            plat_linux_io_poll();         /* busy: the sockets are serviced too */
        kernel_wait(next);
    }

    int status = stop ? 128 + stop : main_task ? (ftask_status(main_task) == 0 ? 0 : 1) : 0;
    if (con)
        console_close(con);
    files_hostdir_close(&hostdir);
    return status;
}

int main(int argc, char **argv)
{
    clio_opts_t o = {
        .files_dir = ".",
        .trace = TRACE_INFO,
        .links = calloc((size_t)argc, sizeof *o.links),
        .files = calloc((size_t)argc, sizeof *o.files),
    };
    int status = 1;
    if (!o.links || !o.files)
        fprintf(stderr, "clio: out of memory\n");
    else if ((status = parse_args(argc, argv, &o)) < 0)
        status = run(&o);
    free(o.files);
    free(o.links);
    return status;
}
