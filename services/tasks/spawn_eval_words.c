/* spawn_eval_words -- eval-here (see spawn_eval_words.h): marshalling
 * only; the client layer does the rest. */
#include "spawn_eval_words.h"
#include "spawnulator.h"
#include "ftask.h"
#include "fclient.h"
#include "common/cerr.h"
#include "kstring.h"
#include "kwire.h"

static const fclient_svc_t spawn_svc = {
    .name = "eval", .uuid = SPAWNULATOR_UUID_INIT, .iface = SPAWNULATOR_IFACE,
    .slot = FCLIENT_SLOT_TASKS,
};

/* A THROW code with "eval: why" as its message. */
static int fail(fvm_t *vm, int code, const char *why)
{
    char msg[80] = "eval: ";
    size_t k = 6;
    for (const char *t = why ? why : cerr_text(code); *t && k < sizeof msg - 1; t++)
        msg[k++] = *t;
    msg[k] = 0;
    return fvm_throw_msg(vm, code, msg);
}

int spawn_eval_done(fvm_t *vm, int32_t status, const uint8_t *p, uint32_t n, const void *arg)
{
    (void)arg;
    if (status == CERR_BUSY)
        return fail(vm, status, "too many evals running");
    if (status == CERR_INVAL)
        return fail(vm, status, "the text must be 1..1024 characters");
    if (status)
        return fail(vm, status < 0 && status >= -4095 ? status : CERR_INVAL, NULL);
    if (n < 4)
        return fail(vm, CERR_INVAL, "malformed reply");
    kwire_rd_t r = kwire_reader(p, n);
    int32_t code = (int32_t)kwire_u32(&r);
    uint32_t k;
    const uint8_t *out = kwire_rest(&r, &k);
    if (k)
        fvm_type(vm, (const char *)out, k);
    return fvm_push(vm, code);
}

/* eval-here ( c-addr u -- code ) */
static int w_eval_here(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t a, u;
    if (fvm_depth(vm) < 2)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &u);
    fvm_pop(vm, &a);
    if (u <= 0 || u > SPAWNULATOR_EVAL_MAX)
        return fail(vm, CERR_INVAL, "the text must be 1..1024 characters");
    const char *text = fvm_mem(vm, a, (size_t)u);
    if (!text)
        return FVM_E_INVALID_ADDRESS;
    uint8_t *pl;
    int rc = fclient_begin(vm, &spawn_svc, SPAWNULATOR_OP_EVAL, (uint32_t)u, SPAWNULATOR_EVAL_REPLY,
                           spawn_eval_done, NULL, 0, &pl);
    if (!pl)
        return rc;
    kmem_copy(pl, text, (size_t)u);
    return fclient_send_intr(vm);
}

static const fvm_word_t words[] = {
    { "eval-here", w_eval_here, NULL, 0 },
};

kerr_t spawn_eval_words_init(void)
{
    return ftask_add_words(words, sizeof words / sizeof words[0]);
}
