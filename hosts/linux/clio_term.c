/*
 * clio-term -- the host tool for a sermux line (TCP or a serial device).
 *
 *   clio-term [TARGET] [options]
 *
 * TARGET is HOST:PORT or PORT for TCP (default 127.0.0.1:9999), or the path
 * of a serial device or pty (anything with a '/'; set raw, 115200 baud).
 * Frames are COBS(port u16 LE + payload) + 0x00 (services/mux/sermux.h).
 *
 * Without --port: an ncurses view, one tab per port (0 loopback, 1 hello,
 * 2 keyboard, 3 trace, 10..13 shells, and any port that sends).  Tab /
 * Shift-Tab, F1..F12 or Alt+1..9 switch tabs.  The input line is edited
 * (services/shell/ledit: Left/Right, Home/End, Up/Down history, Ctrl-U,
 * Ctrl-W, Ctrl-K) and goes to the selected port at Enter; on the keyboard
 * tab every key goes as it is typed.  Ctrl-C sends the break byte 0x03 to
 * the selected port (a shell interrupts its running word) and clears the
 * line; Ctrl-Q quits.  The status line shows the line's state, counts
 * frames and bytes each way and malformed frames received; a window resize
 * redraws.  When the line drops, the view stays and reconnects every
 * second (TCP), showing "reconnecting".  The trace port carries events as
 * compact text lines (trace_format, services/mux/daemons.h); clio-term
 * shows them decoded (trace_describe: time since boot, level, module,
 * event, named arguments), a line it cannot parse as it came.
 *
 * With --port N (line mode, for scripts and tests): stdin bytes go to port N
 * as frames of at most SERMUX_MTU bytes (Ctrl-C, SIGINT, sends 0x03);
 * payloads from port N go to stdout raw; other ports are ignored, or with
 * --all written too, each line prefixed "N| ".  Ends at stdin's EOF, or with --wait MS once the input is
 * done and nothing has arrived from port N (any port with --all) for MS ms, or after --timeout MS overall
 * (with --timeout and no --wait, stdin's EOF does not end it).
 * --window B sends at most B bytes more than port N has sent back (for
 * echo ports such as the loopback, whose rx ring must not overflow).
 * --stats prints counters and the elapsed time to stderr at the end.
 * --decode shows port 3's trace lines decoded (with --port 3, or --all),
 * as the ncurses view does.
 * Exit status: 0, 1 for a connection error, 2 for bad usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <ncurses.h>
#include <netdb.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "mux/sermux.h"
#include "trace.h"
#include "shell/ledit.h"

#define ENC_MAX (SERMUX_FRAME_MAX - 1)
#define BREAK 0x03                     /* the break byte: Ctrl-C for a shell */
#define NTABS 16
#define SCROLLBACK (64 * 1024)

static struct {
    uint64_t frames_in, frames_out, bytes_in, bytes_out, malformed;
} cnt;

static int line_fd = -1;
static uint8_t acc[ENC_MAX];
static size_t acc_len;
static bool acc_over;

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static void die(const char *what)
{
    if (!isendwin())
        endwin();
    fprintf(stderr, "clio-term: %s: %s\n", what, strerror(errno));
    exit(1);
}

/* ---- the line ------------------------------------------------------------ */

static int open_tcp(const char *target)
{
    char host[256] = "127.0.0.1";
    const char *port = target, *colon = strrchr(target, ':');
    if (colon) {
        size_t n = (size_t)(colon - target);
        if (n >= sizeof host)
            return -1;
        memcpy(host, target, n);
        host[n] = 0;
        port = colon + 1;
    }
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res;
    if (getaddrinfo(host, port, &hints, &res) != 0) {
        errno = EINVAL;
        return -1;
    }
    int fd = -1;
    /* the server may still be starting: retry for a few seconds */
    for (uint64_t until = now_ms() + 3000; fd < 0 && now_ms() < until;) {
        for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
            fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, 0);
            if (fd >= 0 && connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
                close(fd);
                fd = -1;
            }
        }
        if (fd < 0)
            usleep(50000);
    }
    freeaddrinfo(res);
    return fd;
}

static int open_tty(const char *path)
{
    int fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    struct termios t;
    if (tcgetattr(fd, &t) == 0) {
        cfmakeraw(&t);
        cfsetspeed(&t, B115200);
        tcsetattr(fd, TCSANOW, &t);
    }
    return fd;
}

static bool keep_view;     /* the view: a line that drops is reconnected */

/* Write it all.  A line that fails: the end (line mode), or closed and
 * marked to reconnect (the view). */
static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 && keep_view && fd == line_fd) {
            close(line_fd);
            line_fd = -1;
            return;
        }
        if (k <= 0)
            die("write to the line");
        p += k;
        n -= (size_t)k;
    }
}

/* Send data to port as frames of at most SERMUX_MTU bytes, batched into
 * few writes. */
static void send_port(uint16_t port, const uint8_t *data, size_t n)
{
    static uint8_t out[64 * SERMUX_FRAME_MAX];
    if (line_fd < 0)
        return;                                  /* disconnected: dropped */
    uint8_t raw[2 + SERMUX_MTU];
    size_t used = 0;
    do {
        size_t k = n < SERMUX_MTU ? n : SERMUX_MTU;
        raw[0] = (uint8_t)port;
        raw[1] = (uint8_t)(port >> 8);
        memcpy(raw + 2, data, k);
        size_t e = cobs_encode(raw, k + 2, out + used);
        out[used + e++] = 0;
        used += e;
        cnt.frames_out++;
        cnt.bytes_out += e;
        data += k;
        n -= k;
        if (used > sizeof out - SERMUX_FRAME_MAX) {
            write_all(line_fd, out, used);
            used = 0;
        }
    } while (n);
    if (used)
        write_all(line_fd, out, used);
}

typedef void (*frame_fn)(uint16_t port, const uint8_t *p, size_t n);

/* Feed line bytes; calls fn for each good frame. */
static void feed(const uint8_t *p, size_t n, frame_fn fn)
{
    uint8_t dec[2 + SERMUX_MTU];
    cnt.bytes_in += n;
    for (size_t i = 0; i < n; i++) {
        if (p[i]) {
            if (acc_len < sizeof acc)
                acc[acc_len++] = p[i];
            else
                acc_over = true;
            continue;
        }
        if (acc_len || acc_over) {
            long d = acc_over ? -1 : cobs_decode(acc, acc_len, dec, sizeof dec);
            if (d < 2) {
                cnt.malformed++;
            } else {
                cnt.frames_in++;
                fn((uint16_t)(dec[0] | dec[1] << 8), dec + 2, (size_t)d - 2);
            }
        }
        acc_len = 0;
        acc_over = false;
    }
}

/* ---- the trace port: lines decoded --------------------------------------- */

/* Feed port 3's bytes; each complete line goes to emit(), decoded when it
 * is a trace event.  One partial line is kept between frames. */
static void trace_feed(const uint8_t *p, size_t n, void (*emit)(const char *s, size_t len))
{
    static char tl[256];
    static size_t alen;
    for (size_t i = 0; i < n; i++) {
        if (p[i] != '\n') {
            if (alen < sizeof tl - 1)
                tl[alen++] = (char)p[i];
            continue;
        }
        trace_event_t ev;
        char text[200];
        if (trace_parse(tl, alen, &ev) == 0) {
            size_t k = trace_describe(&ev, text, sizeof text - 1);
            text[k++] = '\n';
            emit(text, k);
        } else {
            tl[alen++] = '\n';
            emit(tl, alen);
        }
        alen = 0;
    }
}

/* ---- line mode ------------------------------------------------------------- */

static struct {
    long port;
    bool all, decode;
    uint64_t echoed;
    uint64_t last_rx;            /* ms: the last frame we show arrived */
    bool at_bol[65536];
} lm;

static void put_stdout(const char *s, size_t n)
{
    fwrite(s, 1, n, stdout);
}

static void put_trace_all(const char *s, size_t n)
{
    printf("%u| ", SERMUX_PORT_TRACE);
    fwrite(s, 1, n, stdout);
}

static void line_frame(uint16_t port, const uint8_t *p, size_t n)
{
    if (port == lm.port || lm.all)
        lm.last_rx = now_ms();
    if (port == lm.port) {
        lm.echoed += n;
        if (!lm.all) {
            if (lm.decode && port == SERMUX_PORT_TRACE)
                trace_feed(p, n, put_stdout);
            else
                fwrite(p, 1, n, stdout);
            return;
        }
    }
    if (!lm.all)
        return;
    if (lm.decode && port == SERMUX_PORT_TRACE) {
        trace_feed(p, n, put_trace_all);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (lm.at_bol[port])
            printf("%u| ", port);
        putchar(p[i]);
        lm.at_bol[port] = p[i] == '\n';
    }
}

static volatile sig_atomic_t breaks;

static void on_sigint(int sig)
{
    (void)sig;
    breaks++;
}

static int line_mode(long wait_ms, long timeout_ms, long window, bool stats)
{
    uint8_t buf[65536];
    bool in_done = false;
    uint64_t sent = 0, start = now_ms();
    memset(lm.at_bol, 1, sizeof lm.at_bol);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;           /* Ctrl-C: the break byte to the port */
    sigaction(SIGINT, &sa, NULL);
    for (;;) {
        while (breaks > 0) {
            static const uint8_t b = BREAK;
            breaks--;
            send_port((uint16_t)lm.port, &b, 1);
        }
        uint64_t t = now_ms();
        if (timeout_ms > 0 && t - start >= (uint64_t)timeout_ms)
            break;
        if (in_done && wait_ms > 0 && t - lm.last_rx >= (uint64_t)wait_ms)
            break;
        if (in_done && wait_ms <= 0 && timeout_ms <= 0)
            break;
        bool may_send = !in_done && (window <= 0 || sent - lm.echoed < (uint64_t)window);
        struct pollfd p[2] = { { .fd = line_fd, .events = POLLIN },
                               { .fd = 0, .events = may_send ? POLLIN : 0 } };
        int tmo = 100;
        if (poll(p, may_send ? 2 : 1, tmo) < 0 && errno != EINTR)
            die("poll");
        if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = read(line_fd, buf, sizeof buf);
            if (n <= 0)
                break;                                /* the server hung up */
            feed(buf, (size_t)n, line_frame);
            fflush(stdout);
        }
        if (may_send && (p[1].revents & (POLLIN | POLLHUP | POLLERR))) {
            size_t max = sizeof buf;
            if (window > 0 && (uint64_t)window - (sent - lm.echoed) < max)
                max = (size_t)((uint64_t)window - (sent - lm.echoed));
            ssize_t n = read(0, buf, max);
            if (n <= 0) {
                in_done = true;
                lm.last_rx = now_ms();
            } else {
                send_port((uint16_t)lm.port, buf, (size_t)n);
                sent += (uint64_t)n;
            }
        }
    }
    fflush(stdout);
    if (stats) {
        double secs = (double)(now_ms() - start) / 1000.0;
        fprintf(stderr, "clio-term: sent %llu B to port %ld, got %llu B back; frames in %llu out %llu;"
                        " malformed %llu; %.3f s\n",
                (unsigned long long)sent, lm.port, (unsigned long long)lm.echoed,
                (unsigned long long)cnt.frames_in, (unsigned long long)cnt.frames_out,
                (unsigned long long)cnt.malformed, secs);
    }
    return 0;
}

/* ---- ncurses view ------------------------------------------------------------- */

typedef struct tab {
    uint16_t port;
    char *text;                  /* scrollback, oldest bytes dropped */
    size_t len;
    uint64_t frames;
    bool unseen;
} tab_t;

static tab_t tabs[NTABS];
static int ntabs, cur;
static ledit_t ed;                       /* the input line, its history */
static const char *line_state = "connected";

static int tab_of(uint16_t port, bool add)
{
    for (int i = 0; i < ntabs; i++)
        if (tabs[i].port == port)
            return i;
    if (!add || ntabs == NTABS)
        return -1;
    tabs[ntabs].port = port;
    tabs[ntabs].text = calloc(1, SCROLLBACK);
    if (!tabs[ntabs].text)
        die("calloc");
    return ntabs++;
}

static void tab_append(tab_t *t, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = (char)p[i];
        if (c == '\r')
            continue;
        if (c != '\n' && c != '\t' && ((unsigned char)c < 32 || (unsigned char)c > 126))
            c = '.';
        if (t->len == SCROLLBACK) {
            memmove(t->text, t->text + SCROLLBACK / 2, SCROLLBACK / 2);
            t->len = SCROLLBACK / 2;
        }
        t->text[t->len++] = c;
    }
}

static void trace_tab_append(const char *s, size_t n)
{
    int i = tab_of(SERMUX_PORT_TRACE, true);
    if (i >= 0)
        tab_append(&tabs[i], (const uint8_t *)s, n);
}

static void view_frame(uint16_t port, const uint8_t *p, size_t n)
{
    int i = tab_of(port, true);
    if (i < 0)
        return;
    tabs[i].frames++;
    if (port == SERMUX_PORT_TRACE)
        trace_feed(p, n, trace_tab_append);
    else
        tab_append(&tabs[i], p, n);
    if (i != cur)
        tabs[i].unseen = true;
}

static const char *port_name(uint16_t port)
{
    switch (port) {
    case SERMUX_PORT_LOOPBACK: return "loop";
    case SERMUX_PORT_HELLO: return "hello";
    case SERMUX_PORT_KEYBOARD: return "kbd";
    case SERMUX_PORT_TRACE: return "trace";
    default: return port >= SERMUX_PORT_SHELL0 && port < SERMUX_PORT_SHELL0 + SERMUX_NSHELLS
                    ? "shell" : "port";
    }
}

static void draw(const char *target)
{
    int h, w;
    getmaxyx(stdscr, h, w);
    erase();
    /* tabs */
    move(0, 0);
    for (int i = 0; i < ntabs; i++) {
        if (i == cur)
            attron(A_REVERSE);
        else if (tabs[i].unseen)
            attron(A_BOLD);
        printw(" %d:%s%u ", i + 1, port_name(tabs[i].port), tabs[i].port);
        attroff(A_REVERSE | A_BOLD);
    }
    /* the text: the last lines that fit between the tabs and the status */
    tab_t *t = &tabs[cur];
    int rows = h - 3;
    size_t start = t->len;
    int lines = 0;
    while (start > 0 && lines < rows) {
        size_t s = start - 1;
        while (s > 0 && t->text[s - 1] != '\n')
            s--;
        int width = (int)(start - s) / (w > 0 ? w : 1) + 1;
        lines += width;
        start = s;
    }
    move(1, 0);
    for (size_t i = start; i < t->len; i++)
        addch((chtype)(unsigned char)t->text[i]);
    /* status and input */
    mvprintw(h - 2, 0, "%s %s | in %llu fr %llu B | out %llu fr %llu B | malformed %llu"
                       " | Tab: port  ^C: break  ^Q: quit",
             target, line_state, (unsigned long long)cnt.frames_in, (unsigned long long)cnt.bytes_in,
             (unsigned long long)cnt.frames_out, (unsigned long long)cnt.bytes_out,
             (unsigned long long)cnt.malformed);
    mvchgat(h - 2, 0, -1, A_REVERSE, 0, NULL);
    /* the input line, scrolled so that the cursor shows */
    char head[16];
    int hl = snprintf(head, sizeof head, "%u> ", t->port);
    int room = w - hl - 1 > 1 ? w - hl - 1 : 1;
    int from = (int)ed.pos > room ? (int)ed.pos - room : 0;
    mvprintw(h - 1, 0, "%s%.*s", head, room, ed.buf + from);
    move(h - 1, hl + (int)ed.pos - from);
    refresh();
}

static void select_tab(int i)
{
    if (i >= 0 && i < ntabs) {
        cur = i;
        tabs[i].unseen = false;
    }
}

/* A curses key as the bytes a VT100 terminal sends for it, or NULL. */
static const char *key_seq(int c)
{
    switch (c) {
    case KEY_LEFT: return "\x1b[D";
    case KEY_RIGHT: return "\x1b[C";
    case KEY_UP: return "\x1b[A";
    case KEY_DOWN: return "\x1b[B";
    case KEY_HOME: return "\x1b[H";
    case KEY_END: return "\x1b[F";
    case KEY_DC: return "\x1b[3~";
    default: return NULL;
    }
}

/* The input line: a key for the line editor (it reads a terminal's
 * bytes); Enter sends the line to the tab's port. */
static void ed_key(int c)
{
    const char *seq = c == KEY_BACKSPACE ? "\x7f" : key_seq(c);
    if (seq) {
        while (*seq)
            ledit_key(&ed, (uint8_t)*seq++);
    } else if (c >= 0 && c < 256) {
        if (ledit_key(&ed, (uint8_t)c) == LEDIT_LINE) {
            uint32_t n;
            const char *l = ledit_line(&ed, &n);
            uint8_t *out = malloc(n + 1);
            if (!out)
                die("malloc");
            memcpy(out, l, n);
            out[n] = '\n';
            send_port(tabs[cur].port, out, n + 1);
            if (tabs[cur].port != SERMUX_PORT_LOOPBACK)
                tab_append(&tabs[cur], out, n + 1);   /* local echo */
            free(out);
            ledit_clear(&ed);                        /* a new, empty line */
        }
    }
}

/* The keyboard tab: each key goes as it is typed, as a terminal sends it. */
static void kbd_key(int c)
{
    const char *seq = c == KEY_BACKSPACE ? "\x08" : c == KEY_ENTER ? "\r" : key_seq(c);
    uint8_t b = (uint8_t)(c == '\n' ? '\r' : c);
    if (seq)
        send_port(SERMUX_PORT_KEYBOARD, (const uint8_t *)seq, strlen(seq));
    else if (c >= 0 && c < 256)
        send_port(SERMUX_PORT_KEYBOARD, &b, 1);
}

static bool key(int c)
{
    if (c == 17)                                 /* ^Q */
        return false;
    if (c == 3) {                                /* ^C: the break byte */
        static const uint8_t b = BREAK;
        send_port(tabs[cur].port, &b, 1);
        ledit_clear(&ed);
        tab_append(&tabs[cur], (const uint8_t *)"^C\n", 3);
        return true;
    }
    if (c == KEY_RESIZE)
        return true;                             /* draw() sizes itself */
    if (c == '\t')
        select_tab((cur + 1) % ntabs);
    else if (c == KEY_BTAB)
        select_tab((cur + ntabs - 1) % ntabs);
    else if (c >= KEY_F(1) && c <= KEY_F(12))
        select_tab(c - KEY_F(1));
    else if (c == 27) {                          /* Alt+digit arrives as ESC digit */
        int d = getch();
        if (d >= '1' && d <= '9') {
            select_tab(d - '1');
        } else if (d == '[' || d == 'O') {       /* a key ncurses did not name */
            uint8_t seq[16] = { 27, (uint8_t)d };
            size_t n = 2;
            int e;
            while (n < sizeof seq && (e = getch()) != ERR) {
                seq[n++] = (uint8_t)e;
                if (e >= 0x40 && e <= 0x7e)
                    break;
            }
            for (size_t i = 0; i < n; i++)
                if (tabs[cur].port == SERMUX_PORT_KEYBOARD)
                    send_port(SERMUX_PORT_KEYBOARD, &seq[i], 1);
                else
                    ledit_key(&ed, seq[i]);
        }
    } else if (tabs[cur].port == SERMUX_PORT_KEYBOARD) {
        kbd_key(c);
    } else {
        ed_key(c == KEY_ENTER ? '\r' : c);
    }
    return true;
}

/* The line dropped: try again (TCP; a device is opened again too). */
static bool reconnect(const char *target)
{
    if (line_fd >= 0)
        close(line_fd);
    line_fd = strchr(target, '/') ? open_tty(target) : open_tcp(target);
    if (line_fd < 0)
        return false;
    static const uint8_t sync = 0;
    write_all(line_fd, &sync, 1);
    acc_len = 0;
    acc_over = false;
    return true;
}

static int view_mode(const char *target)
{
    static const uint16_t known[] = { 0, 1, 2, 3, 10, 11, 12, 13 };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        tab_of(known[i], true);
    ledit_init(&ed, NULL, NULL);
    keep_view = true;
    initscr();
    raw();
    noecho();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(50);
    bool run = true, dirty = true;
    uint8_t buf[65536];
    uint64_t retry_at = 0;
    while (run) {
        if (dirty)
            draw(target);
        dirty = false;
        if (line_fd < 0 && now_ms() >= retry_at) {
            line_state = "reconnecting";
            draw(target);
            if (reconnect(target))
                line_state = "connected";
            else
                retry_at = now_ms() + 1000;
            dirty = true;
        }
        struct pollfd p[2] = { { .fd = line_fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
        if (poll(p, 2, 200) < 0 && errno != EINTR)
            die("poll");
        if (line_fd >= 0 && p[0].revents) {
            ssize_t n = read(line_fd, buf, sizeof buf);
            if (n <= 0) {                        /* the line dropped: keep the view */
                close(line_fd);
                line_fd = -1;
                line_state = "disconnected";
                retry_at = now_ms() + 1000;
            } else {
                feed(buf, (size_t)n, view_frame);
            }
            dirty = true;
        }
        int c;
        while (run && (c = getch()) != ERR) {
            run = key(c);
            dirty = true;
        }
    }
    endwin();
    return 0;
}

/* ---- main ------------------------------------------------------------------------- */

static void usage(void)
{
    fprintf(stderr,
            "usage: clio-term [HOST:PORT | PORT | /dev/DEVICE] [--port N [--all] [--wait MS]\n"
            "                 [--timeout MS] [--window BYTES] [--stats] [--decode]]\n");
    exit(2);
}

static long num_arg(int argc, char **argv, int *i)
{
    if (*i + 1 >= argc)
        usage();
    char *end;
    long v = strtol(argv[++*i], &end, 10);
    if (*end || v < 0)
        usage();
    return v;
}

int main(int argc, char **argv)
{
    const char *target = "127.0.0.1:9999";
    long wait_ms = 0, timeout_ms = 0, window = 0;
    bool stats = false;
    lm.port = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port")) {
            lm.port = num_arg(argc, argv, &i);
            if (lm.port > 65535)
                usage();
        } else if (!strcmp(argv[i], "--all")) {
            lm.all = true;
        } else if (!strcmp(argv[i], "--wait")) {
            wait_ms = num_arg(argc, argv, &i);
        } else if (!strcmp(argv[i], "--timeout")) {
            timeout_ms = num_arg(argc, argv, &i);
        } else if (!strcmp(argv[i], "--window")) {
            window = num_arg(argc, argv, &i);
        } else if (!strcmp(argv[i], "--stats")) {
            stats = true;
        } else if (!strcmp(argv[i], "--decode")) {
            lm.decode = true;
        } else if (argv[i][0] != '-') {
            target = argv[i];
        } else {
            usage();
        }
    }
    signal(SIGPIPE, SIG_IGN);                   /* a closed line is an error, not a signal */
    line_fd = strchr(target, '/') ? open_tty(target) : open_tcp(target);
    if (line_fd < 0) {
        fprintf(stderr, "clio-term: cannot connect to %s: %s\n", target, strerror(errno));
        return 1;
    }
    static const uint8_t sync = 0;              /* end any half frame the line holds */
    write_all(line_fd, &sync, 1);
    if (lm.port >= 0)
        return line_mode(wait_ms, timeout_ms, window, stats);
    return view_mode(target);
}
