/*
 * fuzz_fvm.h -- shared by the Forth VM fuzz harnesses (fuzz_forth_text.c,
 * fuzz_forth_bytes.c): one VM in a static block, built once per process and
 * snapshotted; every input starts from a byte-exact copy of that snapshot
 * (the VM keeps all its state in its block, so this is a fresh VM at a
 * fraction of fvm_create's cost, and every crash replays from its input
 * alone).  Output goes to a sink that can capture it.
 */
#ifndef FUZZ_FVM_H
#define FUZZ_FVM_H

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fvm.h"

#define FZ_MEM   (256u * 1024u)
#define FZ_FUEL  4000         /* per fvm_run: small, so that runaways end fast */
#define FZ_RUNS  256            /* fvm_run calls per input, at most */

static unsigned char fz_mem[FZ_MEM] __attribute__((aligned(16)));
static unsigned char fz_snap[FZ_MEM];
static fvm_t *fz_vm;

static struct {
    int capture;
    char buf[256];
    size_t len;
} fz_sink;

static size_t fz_write(void *io, const char *s, size_t n)
{
    (void)io;
    if (fz_sink.capture)
        for (size_t i = 0; i < n && fz_sink.len < sizeof fz_sink.buf - 1; i++)
            fz_sink.buf[fz_sink.len++] = s[i];
    fz_sink.buf[fz_sink.len] = 0;
    return n;
}

#define FZ_CHECK(cond, ...) do { if (!(cond)) { \
        fprintf(stderr, "fuzz check failed: %s (%s:%d): ", #cond, __FILE__, __LINE__); \
        fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* A fresh VM: fvm_create once, then the snapshot for every input. */
static void fz_fresh(void)
{
    static int made;
    if (!made) {
        fvm_config_t cfg;
        memset(&cfg, 0, sizeof cfg);
        cfg.write = fz_write;
        fz_vm = fvm_create(fz_mem, sizeof fz_mem, &cfg);
        FZ_CHECK(fz_vm != NULL, "fvm_create");
        memcpy(fz_snap, fz_mem, sizeof fz_mem);
        made = 1;
        return;
    }
    memcpy(fz_mem, fz_snap, sizeof fz_mem);
    fz_sink.capture = 0;
    fz_sink.len = 0;
}

static void fz_check_status(fvm_status_t s)
{
    FZ_CHECK((unsigned)s <= FVM_ERROR, "fvm_run returned %d", (int)s);
    if (s == FVM_ERROR) {
        const fvm_error_t *e = fvm_error(fz_vm);
        FZ_CHECK(e && e->message && e->word && e->source, "error fields");
        FZ_CHECK(strlen(e->message) < 4096 && strlen(e->word) < 4096 &&
                 strlen(e->source) < 4096, "error strings");
    }
    int d = fvm_depth(fz_vm);
    FZ_CHECK(d >= 0 && d <= 4096, "depth %d", d);
}

/* Run until the VM wants a line, feeding newlines to finish KEY/ACCEPT and
 * a partial line.  1 when it waits for a line. */
static int fz_settle(void)
{
    int fed = 0, busy = 0;
    /* buffered input may hold many lines, each ending in an error: those
     * are progress; only runs that spend all their fuel count (8 at most) */
    for (int i = 0; i < 8192 && busy < 8; i++) {
        /* a run that spends its budget on a debt is no sign of a runaway */
        long debt = fvm_debt(fz_vm) >= FZ_FUEL / 2;
        fvm_status_t s = fvm_run(fz_vm, FZ_FUEL);
        fz_check_status(s);
        if (getenv("FUZZ_VERBOSE"))
            fprintf(stderr, "settle: status %d wants %d depth %d error %d\n", (int)s,
                    (int)fvm_wants(fz_vm), fvm_depth(fz_vm),
                    s == FVM_ERROR ? fvm_error(fz_vm)->code : 0);
        if (s == FVM_BYE)
            return 0;
        if ((s == FVM_OUT_OF_FUEL && !debt) || s == FVM_WAIT)
            busy++;
        if (s == FVM_NEED_INPUT) {
            if (fvm_wants(fz_vm) == FVM_WANT_LINE && fed)
                return 1;
            if (fvm_input(fz_vm, "\n", 1) != 1)
                return 0;
            fed = 1;
        }
    }
    return 0;
}

/* "1 2 + ." -> "3 "?  1 yes, 0 no, -1 could not ask (BYE, stuck). */
static int fz_sanity(void)
{
    if (!fz_settle())
        return -1;
    fvm_cell_t v;
    while (fvm_depth(fz_vm) > 64)
        fvm_pop(fz_vm, &v);
    if (fvm_compiling(fz_vm)) {
        fvm_input(fz_vm, "[\n", 2);
        if (!fz_settle())
            return -1;
    }
    fz_sink.capture = 1;
    fz_sink.len = 0;
    fz_sink.buf[0] = 0;
    static const char line[] = "1 2 + .\n";
    int ok = 0;
    /* the VM may take the line in parts (fvm_input's contract) */
    size_t took = 0;
    fvm_status_t s = FVM_NEED_INPUT;
    for (int i = 0; i < 16 && took < sizeof line - 1 && s == FVM_NEED_INPUT; i++) {
        took += fvm_input(fz_vm, line + took, sizeof line - 1 - took);
        if (took < sizeof line - 1)
            s = fvm_run(fz_vm, FZ_FUEL);
    }
    if (took == sizeof line - 1) {
        s = FVM_OUT_OF_FUEL;
        for (int i = 0, busy = 0; i < 8192 && busy < 8 && s == FVM_OUT_OF_FUEL; i++) {
            busy += fvm_debt(fz_vm) < FZ_FUEL / 2;
            s = fvm_run(fz_vm, FZ_FUEL);
        }
        fz_check_status(s);
        ok = s == FVM_NEED_INPUT && strcmp(fz_sink.buf, "3 ") == 0;
        if (!ok && getenv("FUZZ_VERBOSE"))
            fprintf(stderr, "sanity: status %d output \"%s\" error %d %s\n", (int)s,
                    fz_sink.buf, s == FVM_ERROR ? fvm_error(fz_vm)->code : 0,
                    s == FVM_ERROR ? fvm_error(fz_vm)->word : "");
    }
    fz_sink.capture = 0;
    return ok;
}

/* Words with which a program may legitimately ruin its own VM (store,
 * define, redefine, forge control flow, change the search order). */
static const char *const fz_dangerous[] = {
    "!", "c!", "+!", "2!", ",", "c,", "2,", "allot", "move", "cmove", "cmove>", "fill",
    "erase", "blank", "to", "is", "defer!", "immediate", ":", ":noname", "create",
    "variable", "2variable", "constant", "2constant", "value", "2value", "fvalue", "defer",
    "buffer:", "marker", "does>", "evaluate", "execute", "catch", "compile,", "postpone",
    "[compile]", "literal", "2literal", "sliteral", "]", ">r", "2>r", "r>", "2r>", "rdrop",
    "unloop", "exit", "leave", "included", "include", "required", "restore-input", "forget",
    "bye", "quit", "synonym", "field:", "+field", "cfield:", "begin-structure", "end-structure",
    "place", "+place", "accept", "2rdrop", "n>r", "nr>", "set-current", "definitions",
    "wordlist", "set-order", "only", "also", "previous", "vocabulary", "include-file",
    "alias", "base", "hex", "binary", "octal", "decimal", "resize", "free", "allocate",
    "refill", "source", ">in", "parse", "word", "key", "w!", "l!", "cell+!", "dump",
    "[if]", "[else]", "[then]", "{:", "locals|", "(local)", "get-order", "search-wordlist",
    "load", "thru", "(push-block)", "(set-block)", "(push-string)", "(push-file)",
    "f!", "df!", "sf!", "fconstant", "fvariable", "fliteral", "falign", "dfalign",
    "sfalign", "ffield:", "dffield:", "sffield:", "represent",
};

static int fz_dangerous_token(const char *t, size_t n)
{
    for (size_t i = 0; i < sizeof fz_dangerous / sizeof fz_dangerous[0]; i++) {
        const char *d = fz_dangerous[i];
        if (strlen(d) != n)
            continue;
        size_t k = 0;
        while (k < n && tolower((unsigned char)t[k]) == d[k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

/* Any byte <= ' ' delimits (more than the VM's parser may: conservative). */
static int fz_tainted(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (unsigned char)s[i] <= ' ')
            i++;
        size_t b = i;
        while (i < n && (unsigned char)s[i] > ' ')
            i++;
        if (i > b && fz_dangerous_token(s + b, i - b))
            return 1;
    }
    return 0;
}

#endif
