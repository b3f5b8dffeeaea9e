/*
 * test_spawn_eval -- the spawnulator's EVAL on the real kernel: C clients
 * (each a task with its own registry handle and account) send the request
 * by value and read the reply; a Forth shell on an in-memory port runs
 * eval-here.  Output, THROW codes, the time limit, cut output, clients
 * that go away mid-eval, malformed requests, the bound on evals at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "common/cerr.h"
#include "common/uuid.h"
#include "kernel.h"
#include "platform_linux.h"
#include "tasks/ftask.h"
#include "tasks/spawnulator.h"
#include "tport.h"

#define NCLIENTS (SPAWNULATOR_EVALS + 1)

typedef struct {
    task_t task;
    reg_handle_t h;
    kacct_t acct;
    reg_msg_t req;
    const char *text;
    uint32_t len;
    bool done;
    kerr_t err;
    int32_t status;
    uint8_t reply[SPAWNULATOR_EVAL_REPLY + 8];
    uint32_t n;
} client_t;

static client_t clients[NCLIENTS];
static tport_t port;

static int setup(void **state)
{
    (void)state;
    plat_linux_real_clock();
    assert_int_equal(kernel_init(), KERR_OK);
    ftask_config_t cfg = { .root_size = 256 * 1024, .shell_size = 64 * 1024,
                           .child_size = FVM_MIN_FORK_SIZE, .fuel = 5000 };
    const fvm_error_t *e = NULL;
    kerr_t err = ftask_init(&cfg, &e);
    if (err != KERR_OK && e)
        fprintf(stderr, "forth-lib: %s: %s\n", e->message, e->word);
    assert_int_equal(err, KERR_OK);
    assert_int_equal(spawnulator_start(), KERR_OK);
    spawnulator_test_eval_ms(0);
    memset(clients, 0, sizeof clients);
    tport_init(&port, 10);
    return 0;
}

static task_status_t client_poll(task_t *t)
{
    client_t *c = kcontainer_of(t, client_t, task);
    kerr_t e = reg_call(&c->h, t, &c->req);
    if (e == KERR_PENDING)
        return TASK_PENDING;
    c->err = e;
    if (e == KERR_OK) {
        const reg_msg_t *r = reg_response(&c->h);
        c->status = r->status;
        c->n = r->len;
        memcpy(c->reply, reg_response_data(&c->h), r->len);
    }
    c->done = true;
    return task_exit(t, 0);
}

/* Connect client i and send an EVAL of len bytes of text (its call buffer:
 * room for the reply, or reply_max when that is more). */
static client_t *send_eval(int i, const char *text, uint32_t len, uint32_t reply_max)
{
    client_t *c = &clients[i];
    memset(c, 0, sizeof *c);
    kacct_init(&c->acct, 64 * 1024);
    c->h.acct = &c->acct;
    reg_uuid_t u;
    uuid_parse(SPAWNULATOR_UUID_STR, &u);
    assert_int_equal(reg_connect(&c->h, &u, SPAWNULATOR_IFACE, NULL), KERR_OK);
    assert_int_equal(reg_reserve(&c->h, len > reply_max ? len : reply_max), KERR_OK);
    c->req.opcode = SPAWNULATOR_OP_EVAL;
    uint8_t *p = reg_request_room(&c->h, &c->req, len);
    assert_non_null(p);
    if (len)
        memcpy(p, text, len);
    assert_int_equal(task_spawn(&c->task, client_poll, 1), KERR_OK);
    return c;
}

static client_t *eval(int i, const char *text)
{
    return send_eval(i, text, (uint32_t)strlen(text), SPAWNULATOR_EVAL_REPLY);
}

/* Run the kernel until every client in [0, n) has its reply, or ms pass. */
static bool run_clients(int n, int ms)
{
    uint64_t end = plat_now() + (uint64_t)ms * 1000000u;
    while (plat_now() < end) {
        bool all = true;
        for (int i = 0; i < n; i++)
            all = all && clients[i].done;
        if (all)
            return true;
        uint64_t next = kernel_tick();
        tport_drain(&port);
        if (next && (next == KERNEL_IDLE || next > plat_now() + 1000000))
            next = plat_now() + 1000000;
        if (next)
            kernel_wait(next);
    }
    return false;
}

static void run_ms(int ms)
{
    uint64_t end = plat_now() + (uint64_t)ms * 1000000u;
    while (plat_now() < end) {
        uint64_t next = kernel_tick();
        tport_drain(&port);
        if (next && (next == KERNEL_IDLE || next > plat_now() + 1000000))
            next = plat_now() + 1000000;
        if (next)
            kernel_wait(next);
    }
}

static int32_t code_of(const client_t *c)
{
    assert_true(c->n >= 4);
    return (int32_t)((uint32_t)c->reply[0] | (uint32_t)c->reply[1] << 8 | (uint32_t)c->reply[2] << 16
                     | (uint32_t)c->reply[3] << 24);
}

/* The output, NUL-terminated (the reply buffer has room). */
static const char *out_of(client_t *c)
{
    c->reply[c->n] = 0;
    return (const char *)c->reply + 4;
}

static size_t kmem_in_use(void)
{
    kalloc_stats_t s;
    kalloc_get_stats(&s);
    return s.in_use;
}

static void test_eval__prints_and_returns_zero(void **state)
{
    (void)state;
    client_t *c = eval(0, "2 3 + .");
    assert_true(run_clients(1, 5000));
    assert_int_equal(c->err, KERR_OK);
    assert_int_equal(c->status, 0);
    assert_int_equal(code_of(c), 0);
    assert_string_equal(out_of(c), "5 ");
    run_ms(20);
    assert_int_equal(ftask_count(), 0);
    assert_null(ftask_first());              /* its record is gone too */
}

static void test_eval__error_gives_code_and_report(void **state)
{
    (void)state;
    client_t *c = eval(0, "1 2 . 1 0 /");
    assert_true(run_clients(1, 5000));
    assert_int_equal(c->status, 0);
    assert_int_equal(code_of(c), -10);
    assert_non_null(strstr(out_of(c), "2 division by zero: /\n"));
    client_t *d = eval(1, "s\" no\" exception-text-missing");
    assert_true(run_clients(2, 5000));
    assert_int_equal(code_of(d), -13);
    assert_non_null(strstr(out_of(d), "undefined word: exception-text-missing"));
}

static void test_eval__no_input_and_own_definitions(void **state)
{
    (void)state;
    /* KEY and ACCEPT see end of input instead of waiting; a definition
     * stays in the eval's own dictionary */
    client_t *c = eval(0, ": sq dup * ; 7 sq . pad 10 accept .");
    assert_true(run_clients(1, 5000));
    assert_int_equal(code_of(c), 0);
    assert_string_equal(out_of(c), "49 0 ");
    assert_int_equal(fvm_find(ftask_root(), "sq"), 0);
}

static void test_eval__runaway_killed_at_time_limit(void **state)
{
    (void)state;
    spawnulator_test_eval_ms(300);
    uint64_t t0 = plat_now();
    client_t *c = eval(0, ".( looping) : f begin again ; f");
    assert_true(run_clients(1, 5000));
    uint64_t took_ms = (plat_now() - t0) / 1000000u;
    assert_true(took_ms >= 300);
    assert_int_equal(c->status, 0);
    assert_int_equal(code_of(c), CERR_TIMEOUT);
    assert_string_equal(out_of(c), "looping");
    run_ms(20);
    assert_int_equal(ftask_count(), 0);
}

static void test_eval__killed_by_someone_else(void **state)
{
    (void)state;
    client_t *c = eval(0, ": f begin again ; f");
    run_ms(50);
    ftask_t *f = ftask_first();
    assert_non_null(f);
    assert_int_equal(ftask_mode(f), FTASK_EVAL);
    assert_int_equal(ftask_kill(f, 0), KERR_OK);
    assert_true(run_clients(1, 5000));
    assert_int_equal(code_of(c), CERR_KILLED);
}

static void test_eval__long_output_is_cut(void **state)
{
    (void)state;
    client_t *c = eval(0, ": x 3000 0 do [char] a emit loop ; x 1 0 /");
    assert_true(run_clients(1, 5000));
    assert_int_equal(c->status, 0);
    assert_int_equal(code_of(c), -10);
    assert_int_equal(c->n, 4 + SPAWNULATOR_EVAL_OUT);
    const char *o = out_of(c);
    assert_int_equal(strspn(o, "a"), SPAWNULATOR_EVAL_OUT - 4);
    assert_string_equal(o + SPAWNULATOR_EVAL_OUT - 4, "...\n");
    /* a client whose buffer is smaller gets as much as it takes, cut */
    client_t *d = send_eval(1, ": y 200 0 do [char] b emit loop ; y", 35, 64);
    assert_true(run_clients(2, 5000));
    assert_int_equal(d->status, 0);
    assert_int_equal(d->n, 64);
    assert_int_equal(code_of(d), 0);
    assert_int_equal(strspn(out_of(d), "b"), 64 - 8);
    assert_string_equal(out_of(d) + 64 - 8, "...\n");
}

static void test_eval__exactly_full_output_is_not_cut(void **state)
{
    (void)state;
    char text[64];
    snprintf(text, sizeof text, ": z %d 0 do [char] c emit loop ; z", SPAWNULATOR_EVAL_OUT);
    client_t *c = eval(0, text);
    assert_true(run_clients(1, 5000));
    assert_int_equal(c->n, 4 + SPAWNULATOR_EVAL_OUT);
    assert_int_equal(strspn(out_of(c), "c"), SPAWNULATOR_EVAL_OUT);
}

/* The client's task ends and it disconnects mid-eval: the eval task is
 * killed, its buffer (on the client's account) and its record freed. */
static void test_eval__client_disconnects_midway(void **state)
{
    (void)state;
    run_ms(10);
    size_t before = kmem_in_use();
    client_t *c = eval(0, ": f begin again ; f");
    run_ms(50);
    assert_int_equal(ftask_count(), 1);
    assert_false(c->done);
    assert_true(c->acct.used >= SPAWNULATOR_EVAL_OUT);   /* the buffer is the client's */
    assert_int_equal(task_cancel(&c->task), KERR_OK);
    reg_disconnect(&c->h);
    assert_int_equal(c->acct.used, 0);
    run_ms(50);
    assert_int_equal(ftask_count(), 0);
    assert_null(ftask_first());
    assert_int_equal(kmem_in_use(), before);
}

/* The client gives the call up but stays connected (a timeout): the eval
 * is killed within the service's next look (half a second). */
static void test_eval__client_gives_up_the_call(void **state)
{
    (void)state;
    client_t *c = eval(0, ": f begin again ; f");
    size_t base = c->acct.used;              /* its call buffer */
    run_ms(50);
    assert_true(c->acct.used > base);
    assert_int_equal(task_cancel(&c->task), KERR_OK);
    reg_abandon(&c->h);
    run_ms(700);
    assert_int_equal(ftask_count(), 0);
    assert_int_equal(c->acct.used, base);
    reg_disconnect(&c->h);
    assert_int_equal(c->acct.used, 0);
}

static void test_eval__malformed_requests_are_refused(void **state)
{
    (void)state;
    static char big[SPAWNULATOR_EVAL_MAX + 1];
    memset(big, ' ', sizeof big);
    client_t *a = send_eval(0, "", 0, SPAWNULATOR_EVAL_REPLY);
    client_t *b = send_eval(1, big, sizeof big, SPAWNULATOR_EVAL_REPLY);
    client_t *c = send_eval(2, big, SPAWNULATOR_EVAL_MAX, SPAWNULATOR_EVAL_REPLY);   /* the most */
    assert_true(run_clients(3, 5000));
    assert_int_equal(a->status, CERR_INVAL);
    assert_int_equal(a->n, 0);
    assert_int_equal(b->status, CERR_INVAL);
    assert_int_equal(c->status, 0);
    assert_int_equal(code_of(c), 0);
    assert_int_equal(ftask_count(), 0);
}

/* Nine at once: eight run side by side, the ninth is refused at once. */
static void test_eval__nine_at_once(void **state)
{
    (void)state;
    for (int i = 0; i < SPAWNULATOR_EVALS; i++)
        eval(i, "300 ms tid 0> .");
    run_ms(50);
    assert_int_equal(ftask_count(), SPAWNULATOR_EVALS);
    client_t *ninth = eval(SPAWNULATOR_EVALS, "1 .");
    run_ms(50);
    assert_true(ninth->done);
    assert_int_equal(ninth->status, CERR_BUSY);
    assert_true(run_clients(SPAWNULATOR_EVALS, 5000));
    for (int i = 0; i < SPAWNULATOR_EVALS; i++) {
        assert_int_equal(clients[i].status, 0);
        assert_int_equal(code_of(&clients[i]), 0);
        assert_string_equal(out_of(&clients[i]), "-1 ");
    }
    /* and with the slots free again, the next one runs */
    client_t *again = eval(SPAWNULATOR_EVALS, "1 .");
    assert_true(run_clients(SPAWNULATOR_EVALS + 1, 5000));
    assert_int_equal(again->status, 0);
    assert_string_equal(out_of(again), "1 ");
}

/* An eval's slot is its whole tree's: children that outlive the eval hold
 * it until they end.  (Evals that spawn and end made trees without bound,
 * each with its own quota and connections: a client could hold what every
 * other user's tasks would get.) */
static void test_eval__children_hold_the_slot(void **state)
{
    (void)state;
    for (int i = 0; i < SPAWNULATOR_EVALS; i++)
        eval(i, ": z 1500 ms ; ' z spawn 0> .");
    assert_true(run_clients(SPAWNULATOR_EVALS, 5000));
    for (int i = 0; i < SPAWNULATOR_EVALS; i++)
        assert_string_equal(out_of(&clients[i]), "-1 ");
    assert_int_equal(ftask_count(), SPAWNULATOR_EVALS);    /* the children */
    client_t *ninth = eval(SPAWNULATOR_EVALS, "1 .");
    run_ms(50);
    assert_true(ninth->done);
    assert_int_equal(ninth->status, CERR_BUSY);
    run_ms(2000);                                           /* the children end */
    client_t *again = eval(SPAWNULATOR_EVALS, "2 .");
    assert_true(run_clients(SPAWNULATOR_EVALS + 1, 5000));
    assert_int_equal(again->status, 0);
    assert_string_equal(out_of(again), "2 ");
}

static bool shell_until(const char *want, int ms)
{
    return tport_run_until(&port, 1, &port, want, ms);
}

static void test_eval_here__types_output_pushes_code(void **state)
{
    (void)state;
    assert_int_equal(ftask_start_shell(&port.port, NULL), KERR_OK);
    tport_type(&port, "s\" 2 3 + .\" eval-here .\n");
    assert_true(shell_until("5 0  ok\n", 5000));
    tport_type(&port, "s\" 1 0 /\" eval-here .\n");
    assert_true(shell_until("-10  ok\n", 5000));
    assert_non_null(strstr(port.out, "division by zero: /\n"));
    /* nested: an eval that evals */
    tport_type(&port, "s\\\" s\\\" 6 7 * .\\\" eval-here .\" eval-here .\n");
    assert_true(shell_until("42 0 0  ok\n", 5000));
    tport_type(&port, "s\" \" ' eval-here catch . 2drop\n");
    assert_true(shell_until("-521  ok\n", 5000));
}

/* Ctrl-C ends eval-here's wait at once; the eval task goes soon after. */
static void test_eval_here__ctrl_c_stops_waiting_and_the_eval(void **state)
{
    (void)state;
    ftask_t *sh;
    assert_int_equal(ftask_start_shell(&port.port, &sh), KERR_OK);
    tport_type(&port, "s\" : f begin again ; f\" eval-here .\n");
    shell_until(NULL, 100);
    assert_int_equal(ftask_count(), 2);
    uint64_t t0 = plat_now();
    assert_true(ftask_interrupt(sh));
    assert_true(shell_until("user interrupt", 2000));
    assert_true(plat_now() - t0 < 1000000000u);        /* not the 10 s limit */
    shell_until(NULL, 700);
    assert_int_equal(ftask_count(), 1);                /* the eval task is gone */
    tport_type(&port, "s\" 1 .\" eval-here .\n");
    assert_true(shell_until("1 0  ok\n", 5000));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_eval__prints_and_returns_zero, setup),
        cmocka_unit_test_setup(test_eval__error_gives_code_and_report, setup),
        cmocka_unit_test_setup(test_eval__no_input_and_own_definitions, setup),
        cmocka_unit_test_setup(test_eval__runaway_killed_at_time_limit, setup),
        cmocka_unit_test_setup(test_eval__killed_by_someone_else, setup),
        cmocka_unit_test_setup(test_eval__long_output_is_cut, setup),
        cmocka_unit_test_setup(test_eval__exactly_full_output_is_not_cut, setup),
        cmocka_unit_test_setup(test_eval__client_disconnects_midway, setup),
        cmocka_unit_test_setup(test_eval__client_gives_up_the_call, setup),
        cmocka_unit_test_setup(test_eval__malformed_requests_are_refused, setup),
        cmocka_unit_test_setup(test_eval__nine_at_once, setup),
        cmocka_unit_test_setup(test_eval_here__types_output_pushes_code, setup),
        cmocka_unit_test_setup(test_eval__children_hold_the_slot, setup),
        cmocka_unit_test_setup(test_eval_here__ctrl_c_stops_waiting_and_the_eval, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
