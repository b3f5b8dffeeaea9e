/* console -- the terminal as a port (see console.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/readline.h>

#include "console.h"
#include "kernel.h"
#include "pt.h"

#define DRIVER_PRIO 5
#define RETRY_US 1000

#define COMPLETE_BYTES (64 * 1024)
#define COMPLETE_WAIT_S 1

static struct {
    port_t con;
    bool opened, use_readline;
    volatile bool eof;
    bool stop;                                 /* console_close: reader, end */
    pthread_t thread;
    volatile sig_atomic_t reader_alive;        /* the thread reads (SIGINT goes there) */
    task_t bh, txd;
    bbq_grant_t g;
    /* Ctrl-C: SIGINT's handler -> reader (line dropped) -> bh -> on_break */
    volatile sig_atomic_t got_int;             /* readline: drop the line */
    int brk;                                   /* breaks for bh (__atomic) */
    volatile int line_aborted;                 /* readline's line ended by ^C */
    void (*on_break)(void *ctx);
    void *brk_ctx;
    /* Tab: the reader asks, bh answers from the kernel thread */
    pthread_mutex_t cmu;
    pthread_cond_t ccv;
    unsigned creq, cdone;                      /* request ids: asked, answered */
    char cprefix[256];
    char *cres;                                /* names, NUL-separated */
    size_t cres_len;
    rlshell_words_fn words;
    void *wctx;
} cs = { .cmu = PTHREAD_MUTEX_INITIALIZER, .ccv = PTHREAD_COND_INITIALIZER };

/* In the kernel thread: a name for the waiting reader. */
static int add_result(void *actx, const char *name, size_t len)
{
    (void)actx;
    if (cs.cres && cs.cres_len + len + 1 <= COMPLETE_BYTES) {
        memcpy(cs.cres + cs.cres_len, name, len);
        cs.cres[cs.cres_len + len] = 0;
        cs.cres_len += len + 1;
    }
    return 0;
}

static void serve_completion(void)
{
    pthread_mutex_lock(&cs.cmu);
    if (cs.creq != cs.cdone) {
        cs.cres_len = 0;
        if (cs.words)
            cs.words(cs.wctx, cs.cprefix, strlen(cs.cprefix), add_result, NULL);
        cs.cdone = cs.creq;
        pthread_cond_broadcast(&cs.ccv);
    }
    pthread_mutex_unlock(&cs.cmu);
}

static task_status_t bh_poll(task_t *t)
{
    (void)t;
    if (__atomic_exchange_n(&cs.brk, 0, __ATOMIC_ACQ_REL) && cs.on_break)
        cs.on_break(cs.brk_ctx);
    serve_completion();
    if (!kwaitq_empty(&cs.con.rx.consumers))
        kwaitq_wake_all(&cs.con.rx.consumers);
    return TASK_PENDING;
}

/* ---- Ctrl-C -------------------------------------------------------------- */

void console_on_break(void (*on_break)(void *ctx), void *ctx)
{
    cs.on_break = on_break;
    cs.brk_ctx = ctx;
}

static void deliver_break(void)
{
    __atomic_add_fetch(&cs.brk, 1, __ATOMIC_ACQ_REL);
    task_wake_isr(&cs.bh);
}

void console_interrupt(void)
{
    if (cs.opened && cs.use_readline && cs.reader_alive) {
        if (!pthread_equal(pthread_self(), cs.thread))
            pthread_kill(cs.thread, SIGINT);   /* readline's thread, to its read() */
        else
            cs.got_int = 1;                    /* it drops its line, then the break */
        return;
    }
    deliver_break();
}

/* ---- Tab ----------------------------------------------------------------- */

/* complete's words, in the reader thread: ask the kernel thread, wait. */
static void reader_words(void *ctx, const char *prefix, size_t n, rlshell_add_fn add, void *actx)
{
    (void)ctx;
    pthread_mutex_lock(&cs.cmu);
    if (!cs.cres)
        cs.cres = malloc(COMPLETE_BYTES);
    snprintf(cs.cprefix, sizeof cs.cprefix, "%.*s", (int)n, prefix);
    unsigned id = ++cs.creq;
    pthread_mutex_unlock(&cs.cmu);
    task_wake_isr(&cs.bh);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += COMPLETE_WAIT_S;
    pthread_mutex_lock(&cs.cmu);
    while (cs.cdone != id && pthread_cond_timedwait(&cs.ccv, &cs.cmu, &until) == 0)
        ;
    for (size_t i = 0; cs.cdone == id && cs.cres && i < cs.cres_len; i += strlen(cs.cres + i) + 1)
        add(actx, cs.cres + i, strlen(cs.cres + i));
    pthread_mutex_unlock(&cs.cmu);
}

void console_complete(rlshell_words_fn words, void *ctx, const char *files_dir)
{
    cs.words = words;
    cs.wctx = ctx;
    rlshell_complete(reader_words, NULL, files_dir, true);
}

/* Put n bytes into rx, waiting (outside the kernel) while it is full.
 * False when console_close asked the reader to end. */
static bool put(const char *s, size_t n)
{
    while (n) {
        bbq_grant_t g;
        if (__atomic_load_n(&cs.stop, __ATOMIC_ACQUIRE))
            return false;
        if (bbq_grant_max(&cs.con.rx, (uint32_t)n, &g) != KERR_OK) {
            if (cs.got_int) {                  /* Ctrl-C while rx is full */
                cs.got_int = 0;
                deliver_break();
            }
            usleep(RETRY_US);
            continue;
        }
        memcpy(g.ptr, s, g.len);
        bbq_commit_isr(&cs.con.rx, g.len, &cs.bh);
        s += g.len;
        n -= g.len;
    }
    return true;
}

/* The reader thread waits for stdin or for console_close's byte on the
 * wake pipe, which makes it return end of input and leave by itself (no
 * cancellation: a thread cancelled inside read() left the sanitizers'
 * stack bookkeeping behind, and ASan reported an overflow at exit).
 * Returns what read() does; -1 with EINTR for a signal. */
static int wake_fd[2] = { -1, -1 };

static ssize_t read_stoppable(void *buf, size_t n)
{
    struct pollfd p[2] = { { 0, POLLIN, 0 }, { wake_fd[0], POLLIN, 0 } };
    for (;;) {
        if (__atomic_load_n(&cs.stop, __ATOMIC_ACQUIRE))
            return 0;
        int r = poll(p, 2, -1);
        if (r < 0)
            return -1;                         /* EINTR: the callers' business */
        if (p[1].revents)
            return 0;
        if (p[0].revents)
            return read(0, buf, n);
    }
}

static int rl_getc_stoppable(FILE *f)
{
    unsigned char c;
    (void)f;
    for (;;) {
        if (cs.got_int) {                      /* SIGINT: readline's ^C key, */
            cs.got_int = 0;                    /* which then interrupts the task */
            return 3;
        }
        ssize_t n = read_stoppable(&c, 1);
        if (n == 1)
            return c;
        if (n == 0 || errno != EINTR)
            return EOF;
    }
}

static void *reader_main(void *arg)
{
    (void)arg;
    sigset_t intr;
    sigemptyset(&intr);
    sigaddset(&intr, SIGINT);
    pthread_sigmask(SIG_UNBLOCK, &intr, NULL);
    if (cs.use_readline) {
        rl_getc_function = rl_getc_stoppable;
        rlshell_ctrl_c(&cs.line_aborted, deliver_break);
        char *line;
        while ((line = readline("")) != NULL) {
            if (cs.line_aborted) {             /* ^C: nothing reaches rx */
                cs.line_aborted = 0;
                free(line);
                continue;
            }
            rlshell_history_add(line);
            bool ok = put(line, strlen(line)) && put("\n", 1);
            free(line);
            if (!ok)
                break;
        }
    } else {
        char buf[4096];
        for (;;) {
            ssize_t n = read_stoppable(buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0 || !put(buf, (size_t)n))
                break;
        }
    }
    cs.reader_alive = 0;
    cs.eof = true;
    cs.con.eof = 1;
    task_wake_isr(&cs.bh);
    return NULL;
}

static task_status_t txd_poll(task_t *t)
{
    kerr_t e;
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_UNTIL(t, (e = bbq_read_wait(&cs.con.tx, t, &cs.g)) != KERR_PENDING);
        if (e != KERR_OK)
            PT_EXIT(t, (int32_t)e);
        fwrite(cs.g.ptr, 1, cs.g.len, stdout);
        fflush(stdout);
        bbq_release(&cs.con.tx, cs.g.len);
    }
    PT_END(t);
}

static void history_setup(void)
{
    const char *home = getenv("HOME");
    char path[512];
    if (home && snprintf(path, sizeof path, "%s/.clio_history", home) < (int)sizeof path)
        rlshell_history_open(path);
}

kerr_t console_open(int interactive, port_t **con)
{
    if (cs.opened || !con)
        return KERR_INVAL;
    uint8_t *rx = malloc(CONSOLE_RX_CAP), *tx = malloc(CONSOLE_TX_CAP);
    if (!rx || !tx) {
        free(rx);
        free(tx);
        return KERR_NOMEM;
    }
    memset(&cs.con, 0, sizeof cs.con);
    cs.con.num = PORT_CONSOLE;
    bbq_init(&cs.con.rx, rx, CONSOLE_RX_CAP);
    bbq_init(&cs.con.tx, tx, CONSOLE_TX_CAP);
    cs.use_readline = interactive && isatty(0);
    if (cs.use_readline) {
        rl_catch_signals = 0;                  /* the host keeps its own handlers */
        rl_catch_sigwinch = 0;
        history_setup();
    }
    memset(&cs.bh, 0, sizeof cs.bh);
    memset(&cs.txd, 0, sizeof cs.txd);
    kerr_t e = task_spawn(&cs.bh, bh_poll, DRIVER_PRIO);
    if (e == KERR_OK)
        e = task_spawn(&cs.txd, txd_poll, DRIVER_PRIO);
    if (e != KERR_OK)
        return e;
    if (wake_fd[0] < 0 && pipe2(wake_fd, O_CLOEXEC) != 0)
        return KERR_NOMEM;
    cs.reader_alive = 1;
    if (pthread_create(&cs.thread, NULL, reader_main, NULL)) {
        cs.reader_alive = 0;
        return KERR_NOMEM;
    }
    cs.opened = true;
    *con = &cs.con;
    return KERR_OK;
}

bool console_eof(void)
{
    return cs.eof;
}

void console_close(port_t *con)
{
    bbq_grant_t g;
    if (!cs.opened || con != &cs.con)
        return;
    while (bbq_read(&cs.con.tx, &g) == KERR_OK) {
        fwrite(g.ptr, 1, g.len, stdout);
        bbq_release(&cs.con.tx, g.len);
    }
    fflush(stdout);
    __atomic_store_n(&cs.stop, true, __ATOMIC_RELEASE);   /* a full rx */
    if (write(wake_fd[1], "x", 1) < 0)         /* out of its poll() */
        perror("clio: console");
    pthread_join(cs.thread, NULL);
    cs.reader_alive = 0;
    pthread_mutex_lock(&cs.cmu);
    free(cs.cres);
    cs.cres = NULL;
    pthread_mutex_unlock(&cs.cmu);
    if (cs.use_readline)
        rlshell_history_close();
    if (cs.use_readline && rl_deprep_term_function)
        (*rl_deprep_term_function)();
}
