/* console -- the terminal as a port (see console.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "console.h"
#include "kernel.h"
#include "pt.h"

#define DRIVER_PRIO 5
#define RETRY_US 1000

static struct {
    port_t con;
    bool opened, use_readline;
    volatile bool eof;
    bool stop;                                 /* console_close: reader, end */
    char history[512];
    pthread_t thread;
    task_t bh, txd;
    bbq_grant_t g;
} cs;

static task_status_t bh_poll(task_t *t)
{
    (void)t;
    if (!kwaitq_empty(&cs.con.rx.consumers))
        kwaitq_wake_all(&cs.con.rx.consumers);
    return TASK_PENDING;
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

/* The reader thread runs with cancellation disabled except while it is
 * blocked in read(): console_close can then stop it without catching it
 * halfway through the history file or a commit into rx. */
static ssize_t read_cancellable(void *buf, size_t n)
{
    ssize_t r;
    pthread_setcancelstate(PTHREAD_CANCEL_ENABLE, NULL);
    r = read(0, buf, n);
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    return r;
}

static int rl_getc_cancellable(FILE *f)
{
    unsigned char c;
    (void)f;
    for (;;) {
        ssize_t n = read_cancellable(&c, 1);
        if (n == 1)
            return c;
        if (n == 0 || errno != EINTR)
            return EOF;
    }
}

static void *reader_main(void *arg)
{
    (void)arg;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, NULL);
    if (cs.use_readline) {
        rl_getc_function = rl_getc_cancellable;
        char *line;
        while ((line = readline("")) != NULL) {
            if (*line) {
                add_history(line);
                if (cs.history[0])
                    append_history(1, cs.history);
            }
            bool ok = put(line, strlen(line)) && put("\n", 1);
            free(line);
            if (!ok)
                break;
        }
    } else {
        char buf[4096];
        for (;;) {
            ssize_t n = read_cancellable(buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0 || !put(buf, (size_t)n))
                break;
        }
    }
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
    if (!home || snprintf(cs.history, sizeof cs.history, "%s/.clio_history", home) >=
                     (int)sizeof cs.history) {
        cs.history[0] = 0;
        return;
    }
    using_history();
    if (read_history(cs.history) != 0) {
        FILE *f = fopen(cs.history, "a");      /* append_history needs the file */
        if (f)
            fclose(f);
        else
            cs.history[0] = 0;
    }
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
    if (pthread_create(&cs.thread, NULL, reader_main, NULL))
        return KERR_NOMEM;
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
    pthread_cancel(cs.thread);                 /* acts only inside read() */
    pthread_join(cs.thread, NULL);
    if (cs.use_readline && rl_deprep_term_function)
        (*rl_deprep_term_function)();
}
