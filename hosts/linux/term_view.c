/* term_view -- clio-term's ncurses view: a tab per port, an edited input
 * line, the line's state; reconnects when the line drops (see clio_term.c). */
#define _GNU_SOURCE
#include <errno.h>
#include <ncurses.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "term.h"
#include "mux/sermux.h"
#include "shell/ledit.h"

#define NTABS 16
#define SCROLLBACK (64 * 1024)

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
        term_die("calloc");
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
        term_trace_feed(p, n, trace_tab_append);
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
             target, line_state, (unsigned long long)term_cnt.frames_in, (unsigned long long)term_cnt.bytes_in,
             (unsigned long long)term_cnt.frames_out, (unsigned long long)term_cnt.bytes_out,
             (unsigned long long)term_cnt.malformed);
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
                term_die("malloc");
            memcpy(out, l, n);
            out[n] = '\n';
            term_send(tabs[cur].port, out, n + 1);
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
        term_send(SERMUX_PORT_KEYBOARD, (const uint8_t *)seq, strlen(seq));
    else if (c >= 0 && c < 256)
        term_send(SERMUX_PORT_KEYBOARD, &b, 1);
}

static bool key(int c)
{
    if (c == 17)                                 /* ^Q */
        return false;
    if (c == 3) {                                /* ^C: the break byte */
        static const uint8_t b = TERM_BREAK;
        term_send(tabs[cur].port, &b, 1);
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
                    term_send(SERMUX_PORT_KEYBOARD, &seq[i], 1);
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

static void end_curses(void)
{
    if (!isendwin())
        endwin();
}

int term_view(const char *target)
{
    static const uint16_t known[] = { 0, 1, 2, 3, 10, 11, 12, 13 };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        tab_of(known[i], true);
    ledit_init(&ed, NULL, NULL);
    term_keep = true;
    term_cleanup = end_curses;
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
        if (term_fd < 0 && term_now_ms() >= retry_at) {
            line_state = "reconnecting";
            draw(target);
            if (term_open(target) >= 0)
                line_state = "connected";
            else
                retry_at = term_now_ms() + 1000;
            dirty = true;
        }
        struct pollfd p[2] = { { .fd = term_fd, .events = POLLIN }, { .fd = 0, .events = POLLIN } };
        if (poll(p, 2, 200) < 0 && errno != EINTR)
            term_die("poll");
        if (term_fd >= 0 && p[0].revents) {
            ssize_t n = read(term_fd, buf, sizeof buf);
            if (n <= 0) {                        /* the line dropped: keep the view */
                close(term_fd);
                term_fd = -1;
                line_state = "disconnected";
                retry_at = term_now_ms() + 1000;
            } else {
                term_feed(buf, (size_t)n, view_frame);
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
