/*
 * test_fvm_image -- fvm_image_save / fvm_image_load / fvm_unbound: a VM
 * saved after definitions, variables, heap use and host words comes back in
 * another block at another address and behaves the same; images that do
 * not fit are refused whole.
 */
#include <stdlib.h>
#include "fvm_test.h"

#define SIZE (128u * 1024u)

static unsigned char mem_a[SIZE + 64] __attribute__((aligned(16)));
static unsigned char mem_b[SIZE + 64] __attribute__((aligned(16)));
static unsigned char img[SIZE];
static outcap_t oa, ob;

static int w_seven(fvm_t *vm, void *ctx)
{
    return fvm_push(vm, (fvm_cell_t)(intptr_t)ctx);
}

static int w_twice(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t v;
    int rc = fvm_pop(vm, &v);
    return rc ? rc : fvm_push(vm, 2 * v);
}

static const fvm_word_t words_a[] = {
    { "seven", w_seven, (void *)7, 0 },
    { "twice", w_twice, NULL, 0 },
};

static fvm_config_t cfg_for(outcap_t *o)
{
    fvm_config_t c;
    memset(&c, 0, sizeof c);
    c.write = outcap_write;
    c.io = o;
    c.host_words_max = 8;
    memset(o, 0, sizeof *o);
    return c;
}

/* A VM with host words, colon definitions, a variable, a value, a word
 * list, heap memory: saved into img. */
static size_t build_and_save(void)
{
    fvm_config_t c = cfg_for(&oa);
    fvm_t *a = fvm_create(mem_a, SIZE, &c);
    assert_non_null(a);
    assert_int_equal(fvm_register(a, words_a, 2), 0);
    assert_int_equal(eval(a, &oa,
        ": sq dup * ;  variable v  42 v !  5 value w  : use  seven twice sq ; "
        "wordlist constant extra  get-current extra set-current : hidden-one 99 ; set-current "
        "100 allocate throw constant blk  s\" kept\" blk swap move "
        "create tbl 1 , 2 , 3 ,  : .all  v @ . w . use . tbl 2 cells + @ . blk 4 type ; "),
        FVM_DONE);
    size_t need = fvm_image_save(a, NULL, 0);
    assert_true(need > 0 && need < SIZE);
    assert_int_equal(fvm_image_save(a, img, need - 1), 0);
    assert_int_equal(fvm_image_save(a, img, sizeof img), need);
    return need;
}

static void test_fvm_image__round_trip_elsewhere(void **state)
{
    (void)state;
    size_t n = build_and_save();
    /* mem_a is wiped: the image must not point into it */
    memset(mem_a, 0xa5, sizeof mem_a);
    fvm_config_t c = cfg_for(&ob);
    fvm_t *b = fvm_image_load(mem_b + 16, SIZE, &c, img, n);
    assert_non_null(b);
    assert_int_equal(fvm_unbound(b), 2);
    assert_int_equal(fvm_register(b, words_a, 2), 0);
    assert_int_equal(fvm_unbound(b), 0);
    assert_int_equal(eval(b, &ob, ".all"), FVM_DONE);
    assert_string_equal(ob.buf, "42 5 196 3 kept");
    /* it goes on working: new definitions, search order, its heap, more words */
    assert_int_equal(eval(b, &ob, ": cube dup sq * ; 3 cube . get-order extra swap 1+ set-order hidden-one . "
                                  "blk 200 resize throw 4 type"), FVM_DONE);
    assert_string_equal(ob.buf, "27 99 kept");
    static const fvm_word_t more[] = { { "eight", w_seven, (void *)8, 0 } };
    assert_int_equal(fvm_register(b, more, 1), 0);
    assert_int_equal(eval(b, &ob, "eight seven + ."), FVM_DONE);
    assert_string_equal(ob.buf, "15 ");
    /* the system part stays read-only, as in the VM it came from */
    assert_int_equal(eval(b, &ob, "1 ' dup !"), FVM_ERROR);
    assert_int_equal(fvm_error(b)->code, -20);
    /* the stack checks are this block's (the image held the other's) */
    static const struct { const char *text; int code; } bad[] = {
        { "drop", -4 }, { "1 2 3 2drop 2drop", -4 }, { "fdrop", -45 },
        { ": fill 300 0 do i loop ; fill", -3 }, { ": deep recurse ; deep", -5 },
        { ": ffill 100 0 do 1e loop ; ffill", -44 },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(eval(b, &ob, bad[i].text), FVM_ERROR);
        assert_int_equal(fvm_error(b)->code, bad[i].code);
        assert_int_equal(fvm_depth(b), 0);
    }
    assert_int_equal(eval(b, &ob, "1 2 3 + + ."), FVM_DONE);
    assert_string_equal(ob.buf, "6 ");
}

static void test_fvm_image__forks_and_input(void **state)
{
    (void)state;
    size_t n = build_and_save();
    fvm_config_t c = cfg_for(&ob);
    fvm_t *b = fvm_image_load(mem_b, SIZE, &c, img, n);
    assert_non_null(b);
    assert_int_equal(fvm_register(b, words_a, 2), 0);
    /* the QUIT loop takes lines */
    assert_int_equal(run_line(b, &ob, "use ."), FVM_NEED_INPUT);
    assert_non_null(strstr(ob.buf, "196 "));
    /* a child shares the loaded dictionary */
    static unsigned char cm[48 * 1024] __attribute__((aligned(16)));
    static outcap_t oc;
    fvm_config_t cc = cfg_for(&oc);
    fvm_t *ch = fvm_fork(b, cm, sizeof cm, &cc);
    assert_non_null(ch);
    assert_int_equal(eval(ch, &oc, "use . v @ ."), FVM_DONE);
    assert_string_equal(oc.buf, "196 42 ");
}

static void test_fvm_image__unbound_words_throw(void **state)
{
    (void)state;
    size_t n = build_and_save();
    fvm_config_t c = cfg_for(&ob);
    fvm_t *b = fvm_image_load(mem_b, SIZE, &c, img, n);
    assert_non_null(b);
    assert_int_equal(eval(b, &ob, "seven"), FVM_ERROR);
    assert_int_equal(eval(b, &ob, "2 3 + ."), FVM_DONE);
    assert_string_equal(ob.buf, "5 ");
}

static void test_fvm_image__wrong_words_refused(void **state)
{
    (void)state;
    size_t n = build_and_save();
    fvm_config_t c = cfg_for(&ob);
    fvm_t *b = fvm_image_load(mem_b, SIZE, &c, img, n);
    assert_non_null(b);
    static const fvm_word_t swapped[] = {
        { "twice", w_twice, NULL, 0 }, { "seven", w_seven, (void *)7, 0 },
    };
    assert_int_equal(fvm_register(b, swapped, 2), FVM_E_IMAGE);
    assert_int_equal(fvm_unbound(b), 2);
    static const fvm_word_t longer[] = { { "sevenx", w_seven, NULL, 0 } };
    assert_int_equal(fvm_register(b, longer, 1), FVM_E_IMAGE);
    /* case does not matter, as for any Forth name */
    static const fvm_word_t upper[] = { { "SEVEN", w_seven, (void *)7, 0 } };
    assert_int_equal(fvm_register(b, upper, 1), 0);
    assert_int_equal(fvm_unbound(b), 1);
}

static void test_fvm_image__misfits_refused(void **state)
{
    (void)state;
    size_t n = build_and_save();
    fvm_config_t c = cfg_for(&ob);
    /* another block size, another stack size, another host table */
    assert_null(fvm_image_load(mem_b, SIZE - 4096, &c, img, n));
    c.dstack_cells = 300;
    assert_null(fvm_image_load(mem_b, SIZE, &c, img, n));
    c = cfg_for(&ob);
    c.host_words_max = 9;
    assert_null(fvm_image_load(mem_b, SIZE, &c, img, n));
    c = cfg_for(&ob);
    /* truncated, padded, damaged header, nothing */
    assert_null(fvm_image_load(mem_b, SIZE, &c, img, n - 1));
    assert_null(fvm_image_load(mem_b, SIZE, &c, img, n + 1));
    assert_null(fvm_image_load(mem_b, SIZE, &c, img, 10));
    assert_null(fvm_image_load(mem_b, SIZE, &c, NULL, n));
    for (size_t i = 0; i < 24; i += 4) {
        img[i] ^= 0x40;
        assert_null(fvm_image_load(mem_b, SIZE, &c, img, n));
        img[i] ^= 0x40;
    }
    assert_non_null(fvm_image_load(mem_b, SIZE, &c, img, n));
}

static void test_fvm_image__busy_vm_not_saved(void **state)
{
    (void)state;
    fvm_config_t c = cfg_for(&oa);
    fvm_t *a = fvm_create(mem_a, SIZE, &c);
    assert_non_null(a);
    /* a line under way: out of fuel inside a definition */
    assert_int_equal(run_line_fuel(a, &oa, ": spin begin again ; spin", 10, 5),
                     FVM_OUT_OF_FUEL);
    assert_int_equal(fvm_image_save(a, img, sizeof img), 0);
    /* a fork */
    fvm_t *b = fvm_create(mem_b, SIZE, &c);
    assert_non_null(b);
    static unsigned char cm[48 * 1024] __attribute__((aligned(16)));
    fvm_t *ch = fvm_fork(b, cm, sizeof cm, NULL);
    assert_non_null(ch);
    assert_int_equal(fvm_image_save(ch, NULL, 0), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fvm_image__round_trip_elsewhere),
        cmocka_unit_test(test_fvm_image__forks_and_input),
        cmocka_unit_test(test_fvm_image__unbound_words_throw),
        cmocka_unit_test(test_fvm_image__wrong_words_refused),
        cmocka_unit_test(test_fvm_image__misfits_refused),
        cmocka_unit_test(test_fvm_image__busy_vm_not_saved),
    };
    return cmocka_run_group_tests_name("fvm_image", tests, NULL, NULL);
}
