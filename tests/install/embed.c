/*
 * embed.c -- the smallest libfvm host: a VM in a static buffer, one host
 * word, output captured through the write hook.  Built by tests/install.sh
 * against an installed libfvm with `pkg-config --cflags --libs fvm`.
 */
#include <stdio.h>
#include <string.h>
#include <fvm.h>

static char out[256];
static size_t out_len;

static size_t capture(void *io, const char *s, size_t n)
{
    (void)io;
    if (n > sizeof out - 1 - out_len) n = sizeof out - 1 - out_len;
    memcpy(out + out_len, s, n);
    out_len += n;
    return n;
}

/* SQUARE ( n -- n*n ) */
static int square(fvm_t *vm, void *ctx)
{
    fvm_cell_t n;
    int rc = fvm_pop(vm, &n);
    (void)ctx;
    return rc ? rc : fvm_push(vm, n * n);
}

int main(void)
{
    static unsigned char mem[256 * 1024];   /* any alignment will do */
    static const fvm_word_t words[] = { { "SQUARE", square, NULL, 0 } };
    fvm_config_t cfg = { .write = capture };
    fvm_t *vm = fvm_create(mem, sizeof mem, &cfg);
    if (!vm || fvm_register(vm, words, 1) != 0) {
        fprintf(stderr, "embed: cannot create the VM\n");
        return 1;
    }
    const char *text = "7 square .";
    fvm_status_t st = fvm_eval(vm, text, strlen(text));
    if (st != FVM_DONE || strcmp(out, "49 ") != 0) {
        fprintf(stderr, "embed: status %d, output \"%s\", want \"49 \"\n", (int)st, out);
        return 1;
    }
    printf("embed: 7 square . -> %s\n", out);
    return 0;
}
