/* ledit -- a line editor with history (see ledit.h). */
#include "ledit.h"

enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 };

static void out(ledit_t *e, const char *s, uint32_t n)
{
    if (e->echo && n)
        e->echo(e->ctx, s, n);
}

static void outs(ledit_t *e, const char *s)
{
    uint32_t n = 0;
    while (s[n])
        n++;
    out(e, s, n);
}

/* Move the terminal's cursor n columns left or right. */
static void move(ledit_t *e, int n)
{
    char b[16];
    if (n == 0 || !e->echo)
        return;
    uint32_t u = (uint32_t)(n < 0 ? -n : n), k = sizeof b;
    b[--k] = n < 0 ? 'D' : 'C';
    do
        b[--k] = (char)('0' + u % 10);
    while ((u /= 10) && k > 2);
    b[--k] = '[';
    b[--k] = 0x1b;
    out(e, b + k, (uint32_t)sizeof b - k);
}

/* The line changed from column `from` on and had `old_len` characters:
 * redraw its tail, blank what is left of the old one, put the cursor back. */
static void redraw(ledit_t *e, uint32_t from, uint32_t old_len, uint32_t cursor_was)
{
    if (!e->echo)
        return;
    move(e, (int)from - (int)cursor_was);
    out(e, e->buf + from, e->len - from);
    uint32_t blank = old_len > e->len ? old_len - e->len : 0;
    for (uint32_t i = 0; i < blank; i++)
        out(e, " ", 1);
    move(e, (int)e->pos - (int)(e->len + blank));
}

static void set_line(ledit_t *e, const char *s, uint32_t n)
{
    uint32_t old = e->len, was = e->pos;
    if (n > LEDIT_MAX)
        n = LEDIT_MAX;
    for (uint32_t i = 0; i < n; i++)
        e->buf[i] = s[i];
    e->len = e->pos = n;
    e->buf[n] = 0;
    redraw(e, 0, old, was);
}

void ledit_init(ledit_t *e, void (*echo)(void *ctx, const char *s, uint32_t n), void *ctx)
{
    for (size_t i = 0; i < sizeof *e; i++)
        ((char *)e)[i] = 0;
    e->echo = echo;
    e->ctx = ctx;
}

void ledit_clear(ledit_t *e)
{
    e->done = false;
    e->len = e->pos = 0;
    e->buf[0] = 0;
    e->hsel = 0;
    e->esc = ESC_NONE;
}

const char *ledit_line(const ledit_t *e, uint32_t *n)
{
    *n = e->len;
    return e->buf;
}

/* ---- history ------------------------------------------------------------------ */

static void hist_add(ledit_t *e)
{
    uint32_t n = e->len;
    if (n == 0 || n + 1 > LEDIT_HIST)
        return;
    /* the same as the last line: keep one */
    uint32_t last = e->hlen ? e->hlen - 1 : 0;
    while (last > 0 && e->hist[last - 1])
        last--;
    if (e->hlen && e->hlen - 1 - last == n) {
        uint32_t i = 0;
        while (i < n && e->hist[last + i] == e->buf[i])
            i++;
        if (i == n)
            return;
    }
    while (e->hlen + n + 1 > LEDIT_HIST) {      /* drop the oldest */
        uint32_t k = 0;
        while (e->hist[k])
            k++;
        k++;
        for (uint32_t i = k; i < e->hlen; i++)
            e->hist[i - k] = e->hist[i];
        e->hlen -= k;
    }
    for (uint32_t i = 0; i < n; i++)
        e->hist[e->hlen + i] = e->buf[i];
    e->hist[e->hlen + n] = 0;
    e->hlen += n + 1;
}

/* The k-th line back (1: the newest), or NULL. */
static const char *hist_get(const ledit_t *e, int k, uint32_t *n)
{
    uint32_t end = e->hlen;
    for (int i = 0; end > 0; i++) {
        uint32_t start = end - 1;
        while (start > 0 && e->hist[start - 1])
            start--;
        if (i == k - 1) {
            *n = end - 1 - start;
            return e->hist + start;
        }
        end = start;
    }
    return NULL;
}

static void hist_walk(ledit_t *e, int dir)
{
    int k = e->hsel + dir;
    uint32_t n;
    if (k < 0)
        return;
    if (e->hsel == 0) {                          /* keep the new line */
        for (uint32_t i = 0; i < e->len; i++)
            e->saved[i] = e->buf[i];
        e->saved_len = e->len;
    }
    if (k == 0) {
        e->hsel = 0;
        set_line(e, e->saved, e->saved_len);
        return;
    }
    const char *s = hist_get(e, k, &n);
    if (!s)
        return;
    e->hsel = k;
    set_line(e, s, n);
}

/* ---- editing ----------------------------------------------------------------- */

static void insert(ledit_t *e, char c)
{
    if (e->len >= LEDIT_MAX) {
        outs(e, "\a");
        return;
    }
    uint32_t was = e->pos;
    for (uint32_t i = e->len; i > e->pos; i--)
        e->buf[i] = e->buf[i - 1];
    e->buf[e->pos++] = c;
    e->buf[++e->len] = 0;
    if (e->pos == e->len)
        out(e, &c, 1);
    else
        redraw(e, was, e->len - 1, was);
}

/* Delete n characters from at. */
static void erase(ledit_t *e, uint32_t at, uint32_t n)
{
    uint32_t old = e->len, was = e->pos;
    if (n == 0)
        return;
    for (uint32_t i = at; i + n <= e->len; i++)
        e->buf[i] = e->buf[i + n];
    e->len -= n;
    e->pos = at;
    if (was == old && at + n == old && e->echo) {   /* at the end: the common case */
        for (uint32_t i = 0; i < n; i++)
            outs(e, "\b \b");
        return;
    }
    redraw(e, at, old, was);
}

static void go(ledit_t *e, uint32_t to)
{
    move(e, (int)to - (int)e->pos);
    e->pos = to;
}

static ledit_ev_t end_line(ledit_t *e)
{
    go(e, e->len);
    outs(e, "\r\n");
    hist_add(e);
    e->hsel = 0;
    e->done = true;
    return LEDIT_LINE;
}

/* The end of an escape sequence: its final byte. */
static void escape(ledit_t *e, uint8_t c)
{
    switch (c) {
    case 'A': hist_walk(e, 1); break;
    case 'B': hist_walk(e, -1); break;
    case 'C': if (e->pos < e->len) go(e, e->pos + 1); break;
    case 'D': if (e->pos > 0) go(e, e->pos - 1); break;
    case 'H': go(e, 0); break;
    case 'F': go(e, e->len); break;
    case '~':
        if (e->esc_arg == 1 || e->esc_arg == 7)
            go(e, 0);
        else if (e->esc_arg == 4 || e->esc_arg == 8)
            go(e, e->len);
        else if (e->esc_arg == 3 && e->pos < e->len)
            erase(e, e->pos, 1);
        break;
    default: break;
    }
}

ledit_ev_t ledit_key(ledit_t *e, uint8_t c)
{
    if (e->done) {                                 /* a new line begins */
        e->done = false;
        e->len = e->pos = 0;
        e->buf[0] = 0;
    }
    if (e->esc == ESC_START) {
        e->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
        e->esc_arg = 0;
        return LEDIT_NONE;
    }
    if (e->esc == ESC_CSI || e->esc == ESC_SS3) {
        if (c >= '0' && c <= '9') {
            e->esc_arg = (uint8_t)(e->esc_arg * 10 + (c - '0'));
            return LEDIT_NONE;
        }
        if (c == ';')
            return LEDIT_NONE;
        e->esc = ESC_NONE;
        escape(e, c);
        return LEDIT_NONE;
    }
    bool after_cr = e->last_cr;
    e->last_cr = c == '\r';
    switch (c) {
    case '\n':
        if (after_cr)
            return LEDIT_NONE;                     /* the LF of a CR LF */
        return end_line(e);
    case '\r':
        return end_line(e);
    case 0x1b: e->esc = ESC_START; return LEDIT_NONE;
    case 0x03:                                     /* Ctrl-C */
        go(e, e->len);
        outs(e, "^C\r\n");
        ledit_clear(e);
        return LEDIT_INTR;
    case 0x04:                                     /* Ctrl-D */
        if (e->len == 0)
            return LEDIT_EOF;
        if (e->pos < e->len)
            erase(e, e->pos, 1);
        return LEDIT_NONE;
    case 0x08: case 0x7f:
        if (e->pos > 0)
            erase(e, e->pos - 1, 1);
        return LEDIT_NONE;
    case 0x01: go(e, 0); return LEDIT_NONE;        /* Ctrl-A */
    case 0x05: go(e, e->len); return LEDIT_NONE;   /* Ctrl-E */
    case 0x02: escape(e, 'D'); return LEDIT_NONE;  /* Ctrl-B */
    case 0x06: escape(e, 'C'); return LEDIT_NONE;  /* Ctrl-F */
    case 0x10: hist_walk(e, 1); return LEDIT_NONE; /* Ctrl-P */
    case 0x0e: hist_walk(e, -1); return LEDIT_NONE; /* Ctrl-N */
    case 0x15: erase(e, 0, e->pos); return LEDIT_NONE;  /* Ctrl-U */
    case 0x0b: erase(e, e->pos, e->len - e->pos); return LEDIT_NONE;  /* Ctrl-K */
    case 0x17: {                                   /* Ctrl-W */
        uint32_t p = e->pos;
        while (p > 0 && e->buf[p - 1] == ' ')
            p--;
        while (p > 0 && e->buf[p - 1] != ' ')
            p--;
        erase(e, p, e->pos - p);
        return LEDIT_NONE;
    }
    default:
        if (c >= 0x20)
            insert(e, (char)c);
        return LEDIT_NONE;
    }
}
