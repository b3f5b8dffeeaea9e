/* term_link -- clio-term's line: connecting, frames out and in, the trace
 * port's lines decoded (see term.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "term.h"
#include "mux/sermux.h"
#include "trace.h"

#define ENC_MAX (SERMUX_FRAME_MAX - 1)

term_counts_t term_cnt;
int term_fd = -1;
bool term_keep;
void (*term_cleanup)(void);

static uint8_t acc[ENC_MAX];     /* the frame being received */
static size_t acc_len;
static bool acc_over;

uint64_t term_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void term_die(const char *what)
{
    int e = errno;
    if (term_cleanup)
        term_cleanup();
    fprintf(stderr, "clio-term: %s: %s\n", what, strerror(e));
    exit(1);
}

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
    for (uint64_t until = term_now_ms() + 3000; fd < 0 && term_now_ms() < until;) {
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

/* Write it all.  A line that fails: the end (line mode), or closed and
 * marked to reconnect (the view). */
static void write_all(int fd, const uint8_t *p, size_t n)
{
    while (n) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0 && term_keep && fd == term_fd) {
            close(term_fd);
            term_fd = -1;
            return;
        }
        if (k <= 0)
            term_die("write to the line");
        p += k;
        n -= (size_t)k;
    }
}

/* batched into few writes */
void term_send(uint16_t port, const uint8_t *data, size_t n)
{
    static uint8_t out[64 * SERMUX_FRAME_MAX];
    if (term_fd < 0)
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
        term_cnt.frames_out++;
        term_cnt.bytes_out += e;
        data += k;
        n -= k;
        if (used > sizeof out - SERMUX_FRAME_MAX) {
            write_all(term_fd, out, used);
            used = 0;
        }
    } while (n);
    if (used)
        write_all(term_fd, out, used);
}

void term_feed(const uint8_t *p, size_t n, term_frame_fn fn)
{
    uint8_t dec[2 + SERMUX_MTU];
    term_cnt.bytes_in += n;
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
                term_cnt.malformed++;
            } else {
                term_cnt.frames_in++;
                fn((uint16_t)(dec[0] | dec[1] << 8), dec + 2, (size_t)d - 2);
            }
        }
        acc_len = 0;
        acc_over = false;
    }
}

int term_open(const char *target)
{
    if (term_fd >= 0)
        close(term_fd);
    term_fd = strchr(target, '/') ? open_tty(target) : open_tcp(target);
    if (term_fd < 0)
        return -1;
    static const uint8_t sync = 0;     /* end any half frame the line holds */
    write_all(term_fd, &sync, 1);
    acc_len = 0;
    acc_over = false;
    return term_fd;
}

void term_trace_feed(const uint8_t *p, size_t n, void (*emit)(const char *s, size_t len))
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
