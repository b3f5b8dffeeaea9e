/*
 * test_fvm_fuzz.c -- megabytes of hostile input, deterministic (xorshift with
 * fixed seeds), fed through fvm_input in chunks with fvm_run and a bounded
 * fuel budget in between, handling every status:
 *
 *   random bytes       pure random bytes, and random printable tokens;
 *   safe words         random lines of words that cannot write memory or
 *                      forge control flow (stack, arithmetic, reads,
 *                      pictured output, errors of every kind);
 *   all words          the safe words plus the dangerous ones (! MOVE FILL
 *                      EXECUTE >R R> ALLOT , : ; CREATE DOES> EVALUATE ...).
 *
 * After each batch the VM must still answer "1 2 + ." with "3 " -- asserted
 * whenever the batch held no word that may legitimately ruin the VM (a store,
 * a definition, EXECUTE of a random xt, ...); otherwise counted and the VM is
 * recreated.  A crash, a hang (watchdog), a status outside fvm_status_t, a
 * VM that stops taking input, or a failed asserted sanity check fails.
 */
#include "fvm_test.h"
#include <ctype.h>
#include <stdlib.h>
#include <time.h>

static unsigned char mem[1 << 20];
static fvm_t *vm;

/* ---- output: discarded, except while a sanity check captures it ---------- */

static struct {
    int capture;
    char buf[256];
    size_t len;
    unsigned long long bytes;
} sink;

static size_t sink_write(void *io, const char *s, size_t n)
{
    (void)io;
    sink.bytes += n;
    if (sink.capture)
        for (size_t i = 0; i < n && sink.len < sizeof sink.buf - 1; i++)
            sink.buf[sink.len++] = s[i];
    sink.buf[sink.len] = 0;
    return n;
}

/* ---- statistics ---------------------------------------------------------------- */

static struct {
    unsigned long long bytes_in, runs, errors, byes, stuck, waits, recreated;
    unsigned long long batches, checked, tainted_ok, tainted_bad, skipped, error_loops;
    unsigned long long codes[64];   /* -1 .. -63; [0] others */
    unsigned stalls;
} st_;

static void count_code(int code)
{
    if (code < 0 && code > -64)
        st_.codes[-code]++;
    else
        st_.codes[0]++;
}

static void new_vm(void)
{
    fvm_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.write = sink_write;
    vm = fvm_create(mem, sizeof mem, &cfg);
    assert_non_null(vm);
    st_.recreated++;
}

/* ---- PRNG ------------------------------------------------------------------------------- */

static uint64_t rng;
static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}
static unsigned rn(unsigned n) { return (unsigned)(rnd() % n); }

/* ---- driving the VM -------------------------------------------------------------------- */

#define FUEL 20000
#define MAX_FUEL_RUNS 40      /* then the program is "stuck": a new VM */

static void check_status(fvm_status_t s)
{
    if ((unsigned)s > FVM_ERROR) {
        print_error("fvm_run returned %d, not an fvm_status_t\n", (int)s);
        fail();
    }
}

static void check_error_fields(void)
{
    const fvm_error_t *e = fvm_error(vm);
    assert_non_null(e);
    assert_non_null(e->message);
    assert_non_null(e->word);
    assert_non_null(e->source);
    /* the strings are readable (ASan checks the bytes) */
    assert_true(strlen(e->message) < 4096);
    assert_true(strlen(e->word) < 4096);
    assert_true(strlen(e->source) < 4096);
    count_code(e->code);
}

/* Feed data[0..n) through the QUIT loop.  Returns 0, or 1 if the VM had to
 * be recreated (BYE, stuck program): the caller's batch is then "tainted"
 * as far as the sanity check is concerned; 2 if the VM only returned
 * FVM_ERROR, over and over, without taking input (it was recreated). */
static int feed(const char *data, size_t n)
{
    size_t off = 0;
    int fuel_runs = 0, zero_takes = 0, recreated = 0, error_runs = 0;
    while (off < n) {
        fvm_status_t s = fvm_run(vm, FUEL);
        st_.runs++;
        check_status(s);
        switch (s) {
        case FVM_NEED_INPUT: {
            size_t chunk = 1 + rn(512);
            if (chunk > n - off)
                chunk = n - off;
            size_t took = fvm_input(vm, data + off, chunk);
            assert_true(took <= chunk);
            off += took;
            st_.bytes_in += took;
            fuel_runs = 0;
            if (took)
                error_runs = 0;
            if (took == 0 && ++zero_takes > 100) {
                /* the VM wants input but takes none: it can never go on */
                st_.stalls++;
                print_error("input stall: fvm_input takes nothing at NEED_INPUT (wants %d)\n",
                            (int)fvm_wants(vm));
                new_vm();
                recreated = 1;
                zero_takes = 0;
            } else if (took) {
                zero_takes = 0;
            }
            break;
        }
        case FVM_OUT_OF_FUEL:
            if (++fuel_runs > MAX_FUEL_RUNS) {
                st_.stuck++;
                new_vm();
                recreated = 1;
                fuel_runs = 0;
            }
            break;
        case FVM_ERROR:
            st_.errors++;
            check_error_fields();
            fuel_runs = 0;
            if (++error_runs > 1000) {
                print_message("     error loop: FVM_ERROR %d again and again, no input taken\n",
                              fvm_error(vm)->code);
                st_.error_loops++;
                new_vm();
                return 2;
            }
            break;
        case FVM_BYE:
            st_.byes++;
            new_vm();
            recreated = 1;
            break;
        case FVM_WAIT:          /* no async words, output never blocks */
            st_.waits++;
            if (++fuel_runs > MAX_FUEL_RUNS) {
                new_vm();
                recreated = 1;
                fuel_runs = 0;
            }
            break;
        case FVM_DONE:
            break;
        }
        int d = fvm_depth(vm);
        assert_true(d >= 0 && d <= 4096);
    }
    return recreated;
}

/* Run until the VM wants a line; feed newlines to finish KEY/ACCEPT and a
 * pending partial line.  Returns 1 when the VM waits for a line. */
static int settle(void)
{
    int fed = 0;     /* a newline ends a partial last line of the batch */
    for (int i = 0; i < 200; i++) {
        fvm_status_t s = fvm_run(vm, FUEL);
        check_status(s);
        if (s == FVM_ERROR) {
            check_error_fields();
            continue;
        }
        if (s == FVM_BYE)
            return 0;
        if (s == FVM_NEED_INPUT) {
            if (fvm_wants(vm) == FVM_WANT_LINE && fed)
                return 1;
            if (fvm_input(vm, "\n", 1) != 1)
                return 0;
            fed = 1;
        }
    }
    return 0;
}

/* "1 2 + ." -> "3 " on this VM?  1: yes, 0: no, -1: could not even ask. */
static int sanity(void)
{
    if (!settle())
        return -1;
    /* room for "1 2" (the VM's own items at the bottom stay untouched) */
    fvm_cell_t v;
    while (fvm_depth(vm) > 64)
        fvm_pop(vm, &v);
    if (fvm_compiling(vm)) {
        fvm_input(vm, "[\n", 2);
        if (!settle())
            return -1;
    }
    sink.capture = 1;
    sink.len = 0;
    sink.buf[0] = 0;
    const char *line = "1 2 + .\n";
    int ok = 0;
    if (fvm_input(vm, line, strlen(line)) == strlen(line)) {
        fvm_status_t s = FVM_OUT_OF_FUEL;
        for (int i = 0; i < 50 && s == FVM_OUT_OF_FUEL; i++)
            s = fvm_run(vm, FUEL);
        ok = s == FVM_NEED_INPUT && strcmp(sink.buf, "3 ") == 0;
        if (!ok)
            print_message("     sanity: %s %d \"%s\" (word \"%.40s\")\n", status_name(s),
                          s == FVM_ERROR ? fvm_error(vm)->code : 0, sink.buf,
                          s == FVM_ERROR ? fvm_error(vm)->word : "");
    }
    sink.capture = 0;
    return ok;
}

/* ---- which input may ruin a VM ------------------------------------------------------ */

static const char *const dangerous[] = {
    "!", "c!", "+!", "2!", ",", "c,", "2,", "allot", "move", "cmove", "cmove>", "fill",
    "erase", "blank", "to", "is", "defer!", "immediate", ":", ":noname", "create",
    "variable", "2variable", "constant", "2constant", "value", "2value", "fvalue", "defer",
    "buffer:", "marker", "does>", "evaluate", "execute", "catch", "compile,", "postpone",
    "[compile]", "literal", "2literal", "sliteral", "]", ">r", "2>r", "r>", "2r>", "rdrop",
    "unloop", "exit", "leave", "included", "include", "required", "restore-input", "forget",
    "bye", "quit", "synonym", "field:", "+field", "cfield:", "begin-structure", "end-structure",
    "place", "+place", "accept", "2rdrop", "n>r", "nr>", "set-current", "definitions",
    "wordlist", "set-order", "only", "also", "previous", "vocabulary", "include-file",
    "alias",
};

static int is_dangerous_token(const char *t, size_t n)
{
    for (size_t i = 0; i < sizeof dangerous / sizeof dangerous[0]; i++) {
        const char *d = dangerous[i];
        if (strlen(d) == n) {
            size_t k = 0;
            while (k < n && tolower((unsigned char)t[k]) == d[k])
                k++;
            if (k == n)
                return 1;
        }
    }
    return 0;
}

/* Any byte <= ' ' delimits (more than the VM's parser may: conservative). */
static int is_tainted(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (i < n && (unsigned char)s[i] <= ' ')
            i++;
        size_t b = i;
        while (i < n && (unsigned char)s[i] > ' ')
            i++;
        if (i > b && is_dangerous_token(s + b, i - b))
            return 1;
    }
    return 0;
}

/* One batch: feed, then the sanity check (asserted when untainted). */
static void batch(const char *data, size_t n, const char *kind)
{
    int tainted = is_tainted(data, n);
    st_.batches++;
    int fed = feed(data, n);
    if (fed == 2 && !tainted) {
        print_error("%s batch %llu: the VM is stuck in an error loop after input with no "
                    "storing/defining word\n", kind, st_.batches);
        fail();
    }
    tainted |= fed;
    int ok = sanity();
    if (!tainted) {
        if (ok != 1) {
            print_error("%s batch %llu: the VM no longer answers \"1 2 + .\" with \"3 \" "
                        "after input with no storing/defining word\n", kind, st_.batches);
            /* show the start of the batch's last lines */
            size_t from = n > 400 ? n - 400 : 0;
            print_error("last input: <");
            for (size_t i = from; i < n; i++)
                print_error("%c", isprint((unsigned char)data[i]) || data[i] == '\n' ? data[i] : '?');
            print_error(">\n");
            fail();
        }
        st_.checked++;
    } else {
        if (ok == 1) st_.tainted_ok++;
        else if (ok == 0) st_.tainted_bad++;
        else st_.skipped++;
        new_vm();
    }
    /* the API answers on whatever state the VM is in */
    (void)fvm_find(vm, "dup");
    (void)fvm_unused(vm);
    (void)fvm_compiling(vm);
}

/* ---- generators ------------------------------------------------------------------------------- */

static char buf[1 << 16];

static void gen_random_bytes(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rnd();
        /* a few more newlines and spaces than uniform, so lines end */
        switch (r & 15) {
        case 0: buf[i] = '\n'; break;
        case 1: case 2: buf[i] = ' '; break;
        default: buf[i] = (char)(r >> 8); break;
        }
    }
}

static void gen_printable(size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint64_t r = rnd();
        unsigned k = (unsigned)(r & 31);
        buf[i] = k == 0 ? '\n' : k < 6 ? ' ' : (char)(33 + (r >> 8) % 94);
    }
}

static const char *const safe_words[] = {
    "dup", "drop", "swap", "over", "rot", "nip", "tuck", "pick", "roll", "?dup", "2dup",
    "2drop", "2swap", "2over", "depth", "+", "-", "*", "/", "mod", "/mod", "*/", "*/mod",
    "negate", "abs", "min", "max", "1+", "1-", "2*", "2/", "lshift", "rshift", "and", "or",
    "xor", "invert", "=", "<>", "<", ">", "u<", "u>", "0=", "0<", "0>", "0<>", "within",
    "@", "c@", "2@", "count", ".", "u.", ".r", "u.r", "emit", "type", "cr", "space", "here",
    "pad", "unused", "cells", "cell+", "chars", "char+", "s>d", "m*", "um*", "um/mod",
    "fm/mod", "sm/rem", "<#", "#", "#s", "#>", "hold", "holds", "sign", "bl", "true",
    "false", "throw", "abort", ">body", "source", "hex", "decimal", ".s", "?", "dump",
    "i", "j", "r@", "if", "else", "then", "begin", "until", "while", "repeat", "again",
    "do", "?do", "loop", "+loop", "case", "of", "endof", "endcase", "(", ")", "\\",
    "parse-name", "word", "parse", "action-of", "defer@", "save-input", "source-id",
    "nosuchword", "2@", "0", "-1", "s\" 1 2 +\"", "s\" abc\"", "s\" \"",
    ".(", "x)", "depth", "pad", "here", "aligned",
};

static const char *const danger_words[] = {
    "!", "c!", "+!", "2!", ",", "c,", "allot", "move", "cmove", "cmove>", "fill", "erase",
    "execute", "catch", "evaluate", ">r", "r>", "2>r", "2r>", "exit", "unloop", "leave",
    "does>", "]", "[", "literal", "compile,", "immediate", "restore-input", "key", "accept",
    "refill", "spaces", "recurse", "base", ">in", "state", "' dup", "' +", "['] dup",
    "postpone dup", "postpone if", "' drop", "' w0", "' w1", "' w2", "quit", ";", "abort\" x\"",
    ".\" y\"", "char a", "[char] b", "align", "find",
};

static size_t put(size_t len, const char *s)
{
    size_t n = strlen(s);
    if (len + n + 1 < sizeof buf) {
        memcpy(buf + len, s, n);
        len += n;
        buf[len++] = ' ';
    }
    return len;
}

static size_t put_number(size_t len)
{
    char t[64];
    static const char *const special[] = {
        "0", "-1", "1", "8", "16", "255", "256", "1024", "4096", "65536", "1000000",
        "minint", "maxint", "$7fffffffffffffff", "-9223372036854775808", "$ff", "%101",
        "#99", "'a'", "-$10", "1.", "-5.", "99999999999999999999",
    };
    switch (rn(6)) {
    case 0: case 1: snprintf(t, sizeof t, "%u", rn(20)); break;
    case 2: snprintf(t, sizeof t, "%d", (int)rn(11) - 5); break;
    case 3: snprintf(t, sizeof t, "%lld", (long long)(int32_t)rnd()); break;
    case 4: snprintf(t, sizeof t, "%lld", (long long)rnd()); break;
    default: {
        const char *s = special[rn(sizeof special / sizeof special[0])];
        if (!strcmp(s, "minint")) s = "-9223372036854775808";
        if (!strcmp(s, "maxint")) s = "9223372036854775807";
        snprintf(t, sizeof t, "%s", s);
    }
    }
    return put(len, t);
}

static unsigned nwords;   /* w0 .. w(nwords-1) defined in this VM (maybe) */

static size_t put_token(size_t len, int danger)
{
    unsigned r = rn(100);
    if (r < 30)
        return put_number(len);
    if (danger && r < 50)
        return put(len, danger_words[rn(sizeof danger_words / sizeof danger_words[0])]);
    if (danger && r < 55 && nwords) {
        char t[16];
        snprintf(t, sizeof t, "w%u", rn(nwords));
        return put(len, t);
    }
    return put(len, safe_words[rn(sizeof safe_words / sizeof safe_words[0])]);
}

static size_t gen_line(size_t len, int danger)
{
    unsigned kind = danger ? rn(10) : 9;
    char t[32];
    unsigned ntok = 1 + rn(12);
    if (kind < 4) {
        /* a definition, sometimes with structure, sometimes unfinished */
        static const char *const open[] = { ": %s", ": %s begin", ": %s 10 0 do", ": %s if",
                                            "create %s 16 allot does>", ":noname" };
        static const char *const close[] = { ";", "0= until ;", "loop ;", "else 1 then ;",
                                             ";", "; drop" };
        unsigned k = rn(6);
        snprintf(t, sizeof t, "w%u", nwords++);
        char head[64];
        snprintf(head, sizeof head, open[k], t);
        len = put(len, head);
        for (unsigned i = 0; i < ntok; i++)
            len = put_token(len, danger);
        if (rn(8))
            len = put(len, close[k]);
        if (rn(2)) {
            len = put(len, t);
        }
    } else if (kind == 4) {
        static const char *const defs[] = { "variable %s", "constant %s", "value %s",
                                            "defer %s", "marker %s", "2 cells buffer: %s" };
        snprintf(t, sizeof t, "w%u", nwords++);
        char head[64];
        snprintf(head, sizeof head, defs[rn(6)], t);
        len = put_number(len);
        len = put(len, head);
        for (unsigned i = 0; i < ntok; i++)
            len = put_token(len, danger);
    } else {
        for (unsigned i = 0; i < ntok; i++)
            len = put_token(len, danger);
    }
    if (len < sizeof buf)
        buf[len ? len - 1 : len++] = '\n';
    return len;
}

static size_t gen_words(size_t n, int danger)
{
    size_t len = 0;
    while (len + 600 < n)
        len = gen_line(len, danger);
    return len;
}

/* ---- the tests -------------------------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    watchdog(60);
    memset(&st_, 0, sizeof st_);
    new_vm();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const char *name, double t0)
{
    print_message("%s: %.2f MB in %.2f s; %llu batches, %llu sanity-checked, tainted "
                  "%llu still ok / %llu ruined / %llu unanswerable; %llu errors, %llu bye, "
                  "%llu stuck, %llu error loops, %llu waits, %llu VMs, %llu bytes out\n",
                  name, st_.bytes_in / 1e6, now() - t0, st_.batches, st_.checked,
                  st_.tainted_ok, st_.tainted_bad, st_.skipped, st_.errors, st_.byes,
                  st_.stuck, st_.error_loops, st_.waits, st_.recreated, sink.bytes);
    char codes[512];
    size_t len = 0;
    for (int c = 1; c < 64; c++)
        if (st_.codes[c] && len < sizeof codes)
            len += (size_t)snprintf(codes + len, sizeof codes - len, " %d:%llu", -c, st_.codes[c]);
    if (st_.codes[0] && len < sizeof codes)
        snprintf(codes + len, sizeof codes - len, " other:%llu", st_.codes[0]);
    print_message("    THROW codes seen:%s\n", codes);
}

/* Sizes (bytes of input per test); FVM_FUZZ_SCALE multiplies them. */
static double scale(void)
{
    const char *s = getenv("FVM_FUZZ_SCALE");
    double f = s ? atof(s) : 1.0;
    return f > 0 ? f : 1.0;
}

static void test_fuzz__random_bytes(void **state)
{
    (void)state;
    double t0 = now();
    size_t total = (size_t)(8e6 * scale());
    rng = 0x9E3779B97F4A7C15ull;
    for (size_t done = 0; done < total; ) {
        size_t n = 256 + rn(768);
        gen_random_bytes(n);
        batch(buf, n, "random-bytes");
        done += n;
    }
    report("random bytes", t0);
    assert_int_equal(st_.stalls, 0);
    assert_true(st_.checked * 10 >= st_.batches);   /* the check really ran */
}

static void test_fuzz__random_printable(void **state)
{
    (void)state;
    double t0 = now();
    size_t total = (size_t)(3e6 * scale());
    rng = 0xD1B54A32D192ED03ull;
    for (size_t done = 0; done < total; ) {
        size_t n = 256 + rn(768);
        gen_printable(n);
        batch(buf, n, "random-printable");
        done += n;
    }
    report("random printable", t0);
    assert_int_equal(st_.stalls, 0);
    assert_true(st_.checked * 10 >= st_.batches);
}

static void test_fuzz__safe_words_one_vm(void **state)
{
    (void)state;
    double t0 = now();
    size_t total = (size_t)(4e6 * scale());
    rng = 0x2545F4914F6CDD1Dull;
    nwords = 0;
    for (size_t done = 0; done < total; ) {
        size_t n = gen_words(4096 + rn(8192), 0);
        batch(buf, n, "safe-words");
        done += n;
    }
    report("safe words", t0);
    assert_int_equal(st_.stalls, 0);
    assert_true(st_.checked * 2 >= st_.batches);
}

static void test_fuzz__all_words(void **state)
{
    (void)state;
    double t0 = now();
    size_t total = (size_t)(4e6 * scale());
    rng = 0xA0761D6478BD642Full;
    for (size_t done = 0; done < total; ) {
        nwords = 0;
        size_t n = gen_words(2048 + rn(8192), 1);
        batch(buf, n, "all-words");
        done += n;
    }
    report("all words", t0);
    assert_int_equal(st_.stalls, 0);
}

static void test_fuzz__one_long_line_of_everything(void **state)
{
    (void)state;
    /* no newline for a long time: the VM must keep taking input or fail
     * the line, never stall */
    double t0 = now();
    rng = 0x1234567ull;
    for (int round = 0; round < 20; round++) {
        size_t n = sizeof buf;
        gen_printable(n);
        for (size_t i = 0; i < n; i++)
            if (buf[i] == '\n')
                buf[i] = ' ';
        batch(buf, n, "long-line");
    }
    report("long lines", t0);
    assert_int_equal(st_.stalls, 0);
}

int main(void)
{
    /* FVM_TEST_FILTER=test_fuzz__random_bytes runs just that one */
    if (getenv("FVM_TEST_FILTER"))
        cmocka_set_test_filter(getenv("FVM_TEST_FILTER"));
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_fuzz__random_bytes),
        T(test_fuzz__random_printable),
        T(test_fuzz__safe_words_one_vm),
        T(test_fuzz__all_words),
        T(test_fuzz__one_long_line_of_everything),
    };
    return cmocka_run_group_tests_name("fvm_fuzz", tests, NULL, NULL);
}
