/*
 * forth_main.c -- build/forth: the standalone Forth, and the example of how
 * to embed libfvm.  It uses nothing but fvm.h, libc and GNU readline.
 *
 *   forth [--mem SIZE] [-e TEXT | FILE]... : run the TEXTs and include the
 *   FILEs in order, then read Forth from stdin -- with readline, history and
 *   "ok" prompts when it is a terminal, silently when it is a pipe or file.
 *
 * Errors go to stderr as "FILE:LINE: message: word" ("message: word" for
 * terminal input), then the line with the word marked, when there is more
 * to it than the word.  Exit status: 1 if a command-line FILE or TEXT ended
 * in an uncaught exception, else 0.
 *
 * Interactive (stdin a terminal): Ctrl-C interrupts the running word
 * (fvm_interrupt: THROW -28) or a program's ACCEPT/KEY, and clears the
 * line being typed at the prompt; Tab completes words and file names.
 */
#define _GNU_SOURCE  /* asprintf */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <poll.h>
#include <readline/readline.h>
#include "fvm.h"
#include "rlshell.h"
#include "shell/help.h"
#include "stdio_files.h"

#define VERSION "0.1.0"

/* ---- hooks: output and files -------------------------------------------- */

static int at_line_start = 1;   /* the last byte written was a newline */

static size_t write_stdout(void *io, const char *s, size_t n)
{
    (void)io;
    fwrite(s, 1, n, stdout);
    if (n) at_line_start = s[n - 1] == '\n';
    return n;   /* stdio never refuses bytes, so the VM never waits */
}

/* ---- hooks: FACILITY (MS TIME&DATE KEY?) --------------------------------- */

/* ms: ( u -- ) -- a standalone REPL may simply sleep */
static int fac_ms(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t u;
    int rc = fvm_pop(vm, &u);
    if (rc) return rc;
    fflush(stdout);
    fvm_ucell_t ms = (fvm_ucell_t)u;
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        if (fvm_interrupt_pending(vm))
            return FVM_E_INTERRUPT;        /* Ctrl-C: the VM throws -28 */
    return 0;
}

/* time_date: ( -- sec min hour day month year ), local time */
static int fac_time_date(fvm_t *vm, void *ctx)
{
    (void)ctx;
    time_t t = time(NULL);
    struct tm tm;
    localtime_r(&t, &tm);
    fvm_cell_t v[6] = { tm.tm_sec, tm.tm_min, tm.tm_hour, tm.tm_mday, tm.tm_mon + 1,
                        tm.tm_year + 1900 };
    for (int i = 0; i < 6; i++) {
        int rc = fvm_push(vm, v[i]);
        if (rc) return rc;
    }
    return 0;
}

/* utime: ( -- ud ) microseconds since the epoch */
static int fac_utime(fvm_t *vm, void *ctx)
{
    (void)ctx;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long us = (unsigned long long)ts.tv_sec * 1000000u + (unsigned long long)ts.tv_nsec / 1000u;
    int rc = fvm_push(vm, (fvm_cell_t)(fvm_ucell_t)us);
    return rc ? rc : fvm_push(vm, sizeof(fvm_cell_t) >= 8 ? 0 : (fvm_cell_t)(fvm_ucell_t)(us >> 32));
}

/* key_q: ( -- flag ) is a byte waiting on stdin? */
static int fac_key_q(fvm_t *vm, void *ctx)
{
    (void)ctx;
    struct pollfd p = { .fd = 0, .events = POLLIN };
    return fvm_push(vm, poll(&p, 1, 0) > 0 ? -1 : 0);
}

static const fvm_facility_ops_t facility_ops = { fac_ms, fac_time_date, fac_key_q, NULL };

/* ---- the host ------------------------------------------------------------ */

typedef struct {
    fvm_t *vm;
    int interactive;   /* stdin is a terminal: readline, prompts */
    int in_args;       /* running a command-line FILE or TEXT */
    int failed;        /* ... and one of them ended in an uncaught exception */
    int errors;        /* uncaught exceptions so far */
    char **args;       /* the -e TEXTs and FILEs still to run */
    int nargs;
    char *history;     /* ~/.forth_history, or NULL */
} host_t;

static void report(host_t *h)
{
    const fvm_error_t *e = fvm_error(h->vm);
    const char *msg = e->message && *e->message ? e->message : fvm_throw_text(e->code);
    if (!at_line_start) fputc('\n', stdout);   /* the message starts a line */
    if (e->code == FVM_E_INTERRUPT && h->interactive)
        fputc('\n', stdout);                     /* after the terminal's ^C */
    at_line_start = 1;
    fflush(stdout);                            /* keep stdout and stderr in order */
    if (e->source && *e->source && e->line)
        fprintf(stderr, "%s:%u: ", e->source, e->line);
    if (e->code == FVM_E_ABORT)
        fputs("aborted", stderr);
    else if (msg && *msg)
        fputs(msg, stderr);
    else
        fprintf(stderr, "error %d", e->code);
    if (e->code != FVM_E_ABORT && e->code != FVM_E_ABORTQ && e->word && *e->word)
        fprintf(stderr, ": %s", e->word);
    fputc('\n', stderr);
    if (e->context && *e->context)
        fprintf(stderr, "%s\n", e->context);
    h->errors++;
    if (h->in_args) h->failed = 1;
}

/* ---- Ctrl-C ----------------------------------------------------------------
 * SIGINT while the VM runs interrupts it (fvm_interrupt is the one call a
 * signal handler may make); a second one before the first was taken ends
 * the program as SIGINT does (a host word stuck outside the VM).  In
 * readline, the handler's EINTR makes getc_intr hand readline a ^C key,
 * bound to clear the line. */
static fvm_t *sig_vm;
static volatile sig_atomic_t in_vm, got_int;
static volatile int line_aborted;    /* readline's line ended by ^C */

static void on_sigint(int sig)
{
    if (in_vm && sig_vm) {
        if (fvm_interrupt_pending(sig_vm)) {
            signal(sig, SIG_DFL);
            raise(sig);
        }
        fvm_interrupt(sig_vm);
    } else {
        got_int = 1;
    }
}

static int getc_intr(FILE *f)
{
    for (;;) {
        if (got_int) {
            got_int = 0;
            return 3;
        }
        unsigned char ch;
        ssize_t n = read(fileno(f), &ch, 1);
        if (n == 1)
            return ch;
        if (n == 0 || errno != EINTR)
            return EOF;
    }
}

static void ctrl_c_setup(fvm_t *vm)
{
    sig_vm = vm;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;       /* no SA_RESTART: readline's read() returns */
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    rl_catch_signals = 0;
    rl_getc_function = getc_intr;
    rlshell_ctrl_c(&line_aborted, NULL);
}

/* Tab completion's words: the VM's (this thread: it is not running). */
static void vm_words(void *ctx, const char *prefix, size_t n, rlshell_add_fn add, void *actx)
{
    (void)prefix, (void)n;
    fvm_each_word(ctx, add, actx);
}

/* Run until the VM wants input (1) or has ended (0). */
static int run(host_t *h)
{
    for (;;) {
        in_vm = 1;
        fvm_status_t st = fvm_run(h->vm, 0);
        in_vm = 0;
        switch (st) {
        case FVM_NEED_INPUT:
        case FVM_DONE:
            return 1;
        case FVM_BYE:
            return 0;
        case FVM_ERROR:
            report(h);
            break;
        case FVM_OUT_OF_FUEL:
        case FVM_WAIT:      /* our hooks never suspend; just go on */
            break;
        }
    }
}

/* Hand the VM n bytes; a long text goes in pieces, running the VM between
 * them.  Returns 0 if the VM ended meanwhile. */
static int feed(host_t *h, const char *s, size_t n)
{
    int stuck = 0;
    for (;;) {
        size_t k = fvm_input(h->vm, s, n);
        s += k;
        n -= k;
        if (n == 0) return 1;
        if (k == 0 && ++stuck > 1) {
            fflush(stdout);
            fputs("input line too long: dropped\n", stderr);
            return 1;
        }
        if (k) stuck = 0;
        if (!run(h)) return 0;
    }
}

/* The Forth line that includes FILE: S" FILE" INCLUDED, or S\" ..." with
 * escapes when the name has a quote, backslash or control character. */
static char *include_line(const char *file)
{
    size_t len = strlen(file);
    char *t = malloc(4 * len + 32), *p = t;
    if (!t) return NULL;
    int plain = strcspn(file, "\"\\") == len;
    for (size_t i = 0; i < len; i++) plain &= (unsigned char)file[i] >= ' ';
    p += sprintf(p, plain ? "S\" " : "S\\\" ");
    for (const unsigned char *c = (const unsigned char *)file; *c; c++) {
        if (plain || (*c >= ' ' && *c != '"' && *c != '\\' && *c != 0x7f)) *p++ = (char)*c;
        else p += sprintf(p, "\\x%02x", *c);
    }
    strcpy(p, "\" INCLUDED\n");
    return t;
}

/* The next line of input, ending in '\n', or NULL at the end: first the
 * command-line arguments, then stdin.  The caller frees it. */
static char *next_line(host_t *h, size_t *len)
{
    char *line = NULL;
    h->in_args = h->nargs > 0;
    if (h->nargs > 0) {
        char *a = *h->args++;
        h->nargs--;
        if (strcmp(a, "-e") == 0) {
            a = *h->args++;
            h->nargs--;
            line = malloc(strlen(a) + 2);
            if (line) sprintf(line, "%s\n", a);
        } else {
            line = include_line(a);
        }
    } else if (h->interactive) {
        fflush(stdout);
        line_aborted = 0;
        line = readline("");
        at_line_start = 1;                    /* the terminal echoed a newline */
        if (!line) { putchar('\n'); return NULL; }         /* Ctrl-D */
        if (line_aborted) {                   /* ^C: the line is dropped */
            free(line);
            *len = 0;
            return strdup("");
        }
        rlshell_history_add(line);
        char *t = realloc(line, strlen(line) + 2);
        if (!t) { free(line); return NULL; }
        line = strcat(t, "\n");
    } else {
        size_t cap = 0;
        ssize_t n = getline(&line, &cap, stdin);       /* may hold NUL bytes */
        if (n <= 0) { free(line); return NULL; }
        if (line[n - 1] != '\n') {
            char *t = realloc(line, (size_t)n + 2);
            if (!t) { free(line); return NULL; }
            line = t;
            line[n++] = '\n';
        }
        *len = (size_t)n;
        return line;
    }
    if (line) *len = strlen(line);
    return line;
}

static void open_history(host_t *h)
{
    const char *home = getenv("HOME");
    if (!home || !*home) return;
    if (asprintf(&h->history, "%s/.forth_history", home) < 0) { h->history = NULL; return; }
    rlshell_history_open(h->history);              /* its last 1000 lines */
}

static size_t parse_size(const char *s)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    }
    return *end || *s == '-' ? 0 : (size_t)v;
}

static void usage(FILE *out)
{
    fputs("usage: forth [--mem SIZE] [-e TEXT | FILE]...\n"
          "  Runs each TEXT and includes each FILE in order, then reads Forth\n"
          "  from stdin (interactively with line editing if it is a terminal).\n"
          "  --mem SIZE   VM memory, e.g. 4M (default 1M)\n"
          "  -e TEXT      interpret TEXT\n"
          "  --help, --version\n"
          "Exit status 1 if a FILE or TEXT ended in an uncaught exception.\n", out);
}

int main(int argc, char **argv)
{
    size_t size = 1u << 20;
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--version") == 0) {
            puts("forth (clio) " VERSION);
            return 0;
        } else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc) {
            if ((size = parse_size(argv[++i])) < FVM_MIN_SIZE) {
                fprintf(stderr, "forth: --mem: at least %u bytes\n", FVM_MIN_SIZE);
                return 2;
            }
        } else if (strcmp(argv[i], "--") == 0) {
            i++;
            break;
        } else if (strcmp(argv[i], "-e") == 0) {
            break;                          /* -e and FILEs run in order below */
        } else {
            usage(stderr);
            return 2;
        }
    }
    for (int j = i; j < argc; j++) {
        if (strcmp(argv[j], "-e") == 0 && ++j == argc) {
            fputs("forth: -e needs an argument\n", stderr);
            return 2;
        }
    }

    fvm_config_t cfg = { .write = write_stdout, .files = stdio_files_ops(),
                         .file_ext = stdio_files_ext(), .facility = &facility_ops,
                         .utime = fac_utime };
    void *mem = malloc(size);
    fvm_t *vm = mem ? fvm_create(mem, size, &cfg) : NULL;
    if (!vm) {
        fputs("forth: cannot create the VM\n", stderr);
        return 2;
    }

    if (help_register(vm, false) != 0) {
        fputs("forth: cannot add help\n", stderr);
        return 2;
    }
    host_t h = { .vm = vm, .interactive = isatty(0), .args = argv + i, .nargs = argc - i };
    if (h.interactive) {
        open_history(&h);
        ctrl_c_setup(vm);
        rlshell_complete(vm_words, vm, ".", false);
        if (rlshell_columns())
            fvm_set_columns(vm, rlshell_columns());   /* WORDS, SEE, help fit */
        printf("clio forth " VERSION " -- help for help, BYE or Ctrl-D to leave, Ctrl-C interrupts, Tab completes\n");
    }

    /* The QUIT loop: whenever the VM wants a line, give it the next one. */
    int want_ok = 0, errors = 0, eof = 0;
    while (run(&h)) {
        if (want_ok && fvm_wants(vm) == FVM_WANT_LINE && h.errors == errors) {
            const char *ok = fvm_compiling(vm) ? " compiled\n" : " ok\n";
            write_stdout(NULL, ok, strlen(ok));
        }
        fflush(stdout);
        size_t len;
        char *line = next_line(&h, &len);
        if (!line) {
            if (eof++) break;           /* it still wants input after the end */
            fvm_input_eof(vm);
            want_ok = 0;
            continue;
        }
        if (line_aborted) {             /* ^C at the prompt: a new line; in */
            free(line);                 /* ACCEPT or KEY: interrupt the program */
            line_aborted = 0;
            if (fvm_wants(vm) != FVM_WANT_LINE)
                fvm_interrupt(vm);
            want_ok = 0;
            continue;
        }
        want_ok = h.interactive && !h.in_args;
        errors = h.errors;
        int more = feed(&h, line, len);
        free(line);
        if (!more) break;
    }
    fflush(stdout);
    if (h.history) rlshell_history_close();
    free(h.history);
    free(mem);
    return h.failed ? 1 : 0;
}
