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

/* Put n bytes into rx, waiting (outside the kernel) while it is full. */
static void put(const char *s, size_t n)
{
    while (n) {
        bbq_grant_t g;
        if (bbq_grant_max(&cs.con.rx, (uint32_t)n, &g) != KERR_OK) {
            usleep(RETRY_US);
            continue;
        }
        memcpy(g.ptr, s, g.len);
        bbq_commit_isr(&cs.con.rx, g.len, &cs.bh);
        s += g.len;
        n -= g.len;
    }
}

static void *reader_main(void *arg)
{
    (void)arg;
    if (cs.use_readline) {
        char *line;
        while ((line = readline("")) != NULL) {
            if (*line) {
                add_history(line);
                if (cs.history[0])
                    append_history(1, cs.history);
            }
            put(line, strlen(line));
            put("\n", 1);
            free(line);
        }
    } else {
        char buf[4096];
        for (;;) {
            ssize_t n = read(0, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            put(buf, (size_t)n);
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
    pthread_detach(cs.thread);
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
    if (cs.use_readline && rl_deprep_term_function)
        (*rl_deprep_term_function)();
}
