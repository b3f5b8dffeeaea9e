/*
 * ftask -- Forth tasks (see ftask.h): the root VM, starting and ending
 * tasks (the poll loop that runs a VM against the kernel: ftask_poll.c).
 */
#include "ftask_int.h"
#include "common/cerr.h"
#include "fsys_words.h"
#include "ftask_words.h"
#include "spawn_eval_words.h"
#include "kstring.h"

#define ROOT_WORDS_MAX 192
#define KMEM_QUOTA (128u * 1024)

static struct {
    ftask_config_t cfg;
    fvm_t *root;
    unsigned char *root_mem;
    bool from_image;          /* root made from cfg.root_image */
    fvm_cell_t evaluate;      /* EVALUATE's xt in the root, once looked up */
    ftask_t *all;
    void (*on_end[8])(ftask_t *f);
    unsigned non_end;
    uint32_t next_id;
    unsigned live, zombies;
    unsigned op_shells;       /* live spawnulator shells */
    ftask_ports_t ports;
} sys;

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

/* ---- life cycle -------------------------------------------------------------- */

static void free_block(ftask_t *f)
{
    /* a VM block is freed when its task has ended and no child uses it */
    while (f && f->ended && f->children == 0 && f->mem) {
        kacct_free(f->payer, f->mem);
        f->mem = NULL;
        f->vm = NULL;
        ftask_t *p = f->parent;
        f->parent = NULL;
        if (p)
            p->children--;
        f = p;
    }
}

static bool collectable(const ftask_t *f)
{
    return f->ended && !f->mem && !f->holds && kwaitq_empty(&f->task.joiners);
}

void ftask_hold(ftask_t *f)
{
    f->holds++;
}

void ftask_unhold(ftask_t *f)
{
    if (f->holds)
        f->holds--;
}

static void unlink_free(ftask_t **pp)
{
    ftask_t *f = *pp;
    *pp = f->next;
    kfree(f);
    sys.zombies--;
}

static void reap_zombies(void)
{
    while (sys.zombies > FTASK_ZOMBIES) {
        /* free the oldest ended task that nobody waits for and nobody uses */
        ftask_t **pp = &sys.all, **lastp = NULL;
        for (; *pp; pp = &(*pp)->next)
            if (collectable(*pp))
                lastp = pp;
        if (!lastp)
            return;
        unlink_free(lastp);
    }
}

void ftask_forget(ftask_t *f)
{
    if (!collectable(f))
        return;
    for (ftask_t **pp = &sys.all; *pp; pp = &(*pp)->next)
        if (*pp == f) {
            unlink_free(pp);
            return;
        }
}

kerr_t ftask_on_end(void (*fn)(ftask_t *f))
{
    if (sys.non_end == sizeof sys.on_end / sizeof sys.on_end[0])
        return KERR_REG_FULL;
    sys.on_end[sys.non_end++] = fn;
    return KERR_OK;
}

unsigned ftask_reap(void)
{
    unsigned n = 0;
    for (ftask_t **pp = &sys.all; *pp;) {
        if (collectable(*pp)) {
            unlink_free(pp);
            n++;
        } else {
            pp = &(*pp)->next;
        }
    }
    return n;
}

static void on_exit(task_t *t)
{
    ftask_t *f = kcontainer_of(t, ftask_t, task);
    for (unsigned i = 0; i < sys.non_end; i++)
        sys.on_end[i](f);
    kchan_close(&f->mbox);
    fclient_end(&f->client);           /* services give back what they held */
    if (f->port_acquired && sys.ports.release)
        sys.ports.release(f->port);
    f->port_acquired = false;
    f->port = NULL;                    /* released: it may be freed now */
    if (f->op_shell)
        sys.op_shells--;
    f->op_shell = false;
    f->ended = true;
    f->status = t->exit_code == KERR_CANCELLED ? CERR_KILLED : t->exit_code;
    trace_emit(TRACE_INFO, TRACE_MOD_TASKS, TRACE_EV_TASK_END, (int32_t)f->id, f->status, NULL);
    if (f->sink.end) {
        ftask_sink_t k = f->sink;
        kmem_set(&f->sink, 0, sizeof f->sink);
        k.end(k.ctx, f->status);
    }
    sys.live--;
    sys.zombies++;
    kfree(f->script);
    f->script = NULL;
    free_block(f);
    reap_zombies();
}

/* The next id: never 0, never one a task or record has now. */
static uint32_t new_id(void)
{
    do
        sys.next_id = sys.next_id >= FTASK_ID_MAX ? 1 : sys.next_id + 1;
    while (ftask_find(sys.next_id));
    return sys.next_id;
}

void ftask_test_next_id(uint32_t id)
{
    sys.next_id = id;
}

/* A record for a task on port, in the tree of root (NULL: its own). */
static ftask_t *new_task(port_t *port, ftask_mode_t mode, ftask_t *root)
{
    ftask_t *f = kalloc_zero(sizeof *f);
    if (!f)
        return NULL;
    f->port = port;
    f->port_num = port ? port->num : PORT_CONSOLE;
    f->mode = (uint8_t)mode;
    f->id = new_id();
    kacct_init(&f->acct, sys.cfg.kmem_quota);
    kacct_init(&f->tree, sys.cfg.tree_quota);
    f->root = root ? root : f;
    f->payer = root ? &root->tree : NULL;
    fclient_init(&f->client, &f->acct, &f->root->conns);
    f->cfg.write = ftask_out_write;
    f->cfg.io = f;
    f->cfg.user = f;
    f->cfg.files = sys.cfg.files;
    f->cfg.file_ext = sys.cfg.file_ext;
    kchan_init(&f->mbox, f->mbox_buf, sizeof(fvm_cell_t), FTASK_MBOX);
    return f;
}

static const char *const mode_names[] = { "shell", "script", "task", "eval" };

/* Give f (not yet started) a VM block charged to f->payer, fork parent_vm
 * into it and start it; on failure f is freed. */
static kerr_t start(ftask_t *f, fvm_t *parent_vm, ftask_t *parent, size_t size)
{
    f->mem = kacct_alloc(f->payer, size);
    if (!f->mem) {
        kfree(f);
        return KERR_NOMEM;
    }
    f->vm = fvm_fork(parent_vm, f->mem, size, &f->cfg);
    if (!f->vm) {
        kacct_free(f->payer, f->mem);
        kfree(f);
        return KERR_NOMEM;
    }
    f->parent = parent;
    if (parent)
        parent->children++;
    f->task.on_exit = on_exit;
    f->task.ctx = f;
    kerr_t err = task_spawn(&f->task, ftask_poll, sys.cfg.prio);
    if (err != KERR_OK) {
        if (parent)
            parent->children--;
        kacct_free(f->payer, f->mem);
        kfree(f);
        return err;
    }
    f->next = sys.all;
    sys.all = f;
    sys.live++;
    f->parent_id = parent ? parent->id : 0;
    trace_emit(TRACE_INFO, TRACE_MOD_TASKS, TRACE_EV_TASK_SPAWN, (int32_t)f->id, (int32_t)f->parent_id,
               mode_names[f->mode]);
    return KERR_OK;
}

kerr_t ftask_start_shell(port_t *port, ftask_t **out)
{
    ftask_t *f = new_task(port, FTASK_SHELL, NULL);
    if (!f)
        return KERR_NOMEM;
    f->reader = true;
    kerr_t err = start(f, sys.root, NULL, sys.cfg.shell_size);
    if (err == KERR_OK && out)
        *out = f;
    return err;
}

kerr_t ftask_start_script(port_t *port, const char *const *files, int nfiles, ftask_t **out)
{
    ftask_t *f = new_task(port, FTASK_SCRIPT, NULL);
    if (!f)
        return KERR_NOMEM;
    size_t n = 8;
    for (int i = 0; i < nfiles; i++)
        n += 4 * slen(files[i]) + 24;
    f->script = kalloc(n);
    if (!f->script) {
        kfree(f);
        return KERR_NOMEM;
    }
    /* each file: S\" name" INCLUDED, the name escaped as \xHH */
    char *p = f->script;
    for (int i = 0; i < nfiles; i++) {
        kmem_copy(p, "S\\\" ", 4);
        p += 4;
        for (const unsigned char *c = (const unsigned char *)files[i]; *c; c++) {
            if (*c >= ' ' && *c != '"' && *c != '\\' && *c < 127) {
                *p++ = (char)*c;
            } else {
                *p++ = '\\';
                *p++ = 'x';
                *p++ = "0123456789abcdef"[*c >> 4];
                *p++ = "0123456789abcdef"[*c & 15];
            }
        }
        kmem_copy(p, "\" INCLUDED\n", 11);
        p += 11;
    }
    f->script_len = (size_t)(p - f->script);
    kerr_t err = start(f, sys.root, NULL, sys.cfg.shell_size);
    if (err == KERR_OK && out)
        *out = f;
    else if (err != KERR_OK)
        kfree(f->script);
    return err;
}

/* Put text into f's data space and make EVALUATE of it the task's body. */
static bool load_eval(ftask_t *f, const char *text, size_t len)
{
    if (!sys.evaluate)                   /* the root's, for every task */
        sys.evaluate = fvm_find(sys.root, "evaluate");
    fvm_cell_t a, xt = sys.evaluate;
    char *dst = fvm_allot(f->vm, len, &a);
    if (!xt || !dst)
        return false;
    kmem_copy(dst, text, len);
    return fvm_push(f->vm, a) == 0 && fvm_push(f->vm, (fvm_cell_t)len) == 0
        && fvm_execute(f->vm, xt) == 0;
}

/* Eval trees alive: an eval's block lives while any of its tree does. */
static unsigned eval_trees(void)
{
    unsigned n = 0;
    for (const ftask_t *f = sys.all; f; f = f->next)
        n += f->mode == FTASK_EVAL && f->mem;
    return n;
}

kerr_t ftask_start_eval(const char *text, size_t len, const ftask_sink_t *sink, ftask_t **out)
{
    if (!sys.root || len == 0 || len > FTASK_EVAL_MAX)
        return KERR_INVAL;
    if (eval_trees() >= FTASK_EVAL_TREES)
        return KERR_BUSY;
    ftask_t *f = new_task(NULL, FTASK_EVAL, NULL);
    if (!f)
        return KERR_NOMEM;
    kerr_t err = start(f, sys.root, NULL, sys.cfg.shell_size);
    if (err != KERR_OK)
        return err;
    if (!load_eval(f, text, len)) {
        ftask_kill(f, 0);                /* not yet run: no sink to tell */
        ftask_forget(f);
        return KERR_NOMEM;
    }
    f->sink = *sink;
    if (out)
        *out = f;
    return KERR_OK;
}

void ftask_set_ports(const ftask_ports_t *ports)
{
    if (ports)
        sys.ports = *ports;
    else
        kmem_set(&sys.ports, 0, sizeof sys.ports);
}

static port_t *acquire(uint16_t wanted)
{
    return sys.ports.acquire ? sys.ports.acquire(wanted) : NULL;
}

static void release(port_t *p)
{
    if (p && sys.ports.release)
        sys.ports.release(p);
}

/* Why a block of size bytes cannot be charged to payer: over its limit,
 * else the heap (or its reserve). */
static int refusal(const kacct_t *payer, size_t size)
{
    return payer->used + size > payer->limit ? CERR_QUOTA : CERR_NOMEM;
}

int ftask_spawn(ftask_t *parent, fvm_cell_t xt, uint16_t wanted, ftask_t **out)
{
    if (fvm_fork_room(parent->vm) <= 0)
        return CERR_FORK_DEPTH;
    kacct_t *payer = &parent->root->tree;
    size_t size = sys.cfg.child_size;
    if (payer->used + size > payer->limit || !kacct_leaves_reserve(size))
        return refusal(payer, size);
    port_t *port = acquire(wanted);
    if (!port && wanted != FTASK_ANY_PORT)
        return CERR_NOPORT;
    bool own = port != NULL;
    if (!own && parent->port_acquired) {
        /* sharing a port its parent holds: hold it too (the parent may end
         * first, and its release would free the port under the child) */
        if (!sys.ports.retain || !sys.ports.retain(parent->port))
            return CERR_NOPORT;
        port = parent->port;
    }
    ftask_t *f = new_task(port ? port : parent->port, FTASK_EXEC, parent->root);
    if (!f) {
        release(port);
        return CERR_NOMEM;
    }
    f->reader = own;
    f->port_acquired = port != NULL;
    if (start(f, parent->vm, parent, size) != KERR_OK) {
        release(port);
        return refusal(payer, size);
    }
    fvm_execute(f->vm, xt);
    if (out)
        *out = f;
    return 0;
}

kerr_t ftask_start_shell_on(uint16_t wanted, ftask_t **out)
{
    if (sys.op_shells >= FTASK_OP_SHELLS)
        return KERR_REG_FULL;
    if (!kacct_leaves_reserve(sys.cfg.shell_size))
        return KERR_NOMEM;
    port_t *port = acquire(wanted);
    if (!port)
        return KERR_NOT_FOUND;
    ftask_t *f;
    kerr_t err = ftask_start_shell(port, &f);
    if (err != KERR_OK) {
        release(port);
        return err;
    }
    f->port_acquired = true;
    f->op_shell = true;
    sys.op_shells++;
    if (out)
        *out = f;
    return KERR_OK;
}

kerr_t ftask_kill(ftask_t *f, uint32_t by)
{
    if (f->ended)
        return KERR_INVAL;
    trace_emit(TRACE_INFO, TRACE_MOD_TASKS, TRACE_EV_TASK_KILL, (int32_t)f->id, (int32_t)by, NULL);
    return task_cancel(&f->task);
}

uint32_t ftask_id(const ftask_t *f) { return f->id; }
task_t *ftask_task(ftask_t *f) { return &f->task; }
int32_t ftask_status(const ftask_t *f) { return f->status; }
unsigned ftask_count(void) { return sys.live; }
port_t *ftask_port(const ftask_t *f) { return f->port; }
uint16_t ftask_port_num(const ftask_t *f) { return f->port_num; }
kchan_t *ftask_mbox(ftask_t *f) { return &f->mbox; }
fclient_t *ftask_client(ftask_t *f) { return &f->client; }
kacct_t *ftask_acct(ftask_t *f) { return &f->acct; }
size_t ftask_mem_size(const ftask_t *f) { return f->mem ? kalloc_usable(f->mem) : 0; }

ftask_t *ftask_find(uint32_t id)
{
    for (ftask_t *f = sys.all; f; f = f->next)
        if (f->id == id)
            return f;
    return NULL;
}

ftask_t *ftask_of(fvm_t *vm)
{
    return vm == sys.root ? NULL : fvm_user(vm);
}

int ftask_wait_op(ftask_t *f, ftask_op_t op, const void *args, size_t n)
{
    if (n > sizeof f->args)
        return FVM_E_UNSUPPORTED;            /* a binding's bug: caught in tests */
    if (n)
        kmem_copy(f->args, args, n);
    f->op = op;
    f->op_intr = false;
    f->op_cancel = NULL;
    return FVM_PENDING;
}

int ftask_wait_op_intr(ftask_t *f, ftask_op_t op, const void *args, size_t n)
{
    int rc = ftask_wait_op(f, op, args, n);
    f->op_intr = rc == FVM_PENDING;
    return rc;
}

int ftask_wait_op_cancel(ftask_t *f, ftask_op_t op, ftask_cancel_t cancel, const void *args, size_t n)
{
    int rc = ftask_wait_op_intr(f, op, args, n);
    f->op_cancel = cancel;
    return rc;
}

fvm_t *ftask_vm(const ftask_t *f) { return f->vm; }
long ftask_fuel(void) { return sys.cfg.fuel; }

void ftask_interrupt_port(port_t *p)
{
    for (ftask_t *f = sys.all; f; f = f->next)
        if (!f->ended && f->reader && f->port == p)
            ftask_interrupt(f);
}

bool ftask_interrupt(ftask_t *f)
{
    if (f->ended || !f->vm || (f->waiting_line && !f->op))
        return false;
    fvm_interrupt(f->vm);            /* taken at the VM's next word boundary */
    f->intr = true;
    task_wake(&f->task);
    return true;
}

/* Iterate over tasks for the `tasks` word. */
ftask_t *ftask_first(void) { return sys.all; }
ftask_t *ftask_next(const ftask_t *f) { return f->next; }
bool ftask_ended(const ftask_t *f) { return f->ended; }
int ftask_mode(const ftask_t *f) { return f->mode; }
uint32_t ftask_parent_id(const ftask_t *f) { return f->parent_id; }

/* ---- the root VM ----------------------------------------------------------------- */

/* UTIME ( -- ud ): microseconds since boot */
static int utime(fvm_t *vm, void *ctx)
{
    (void)ctx;
    uint64_t us = plat_now() / 1000u;
    int rc = fvm_push(vm, (fvm_cell_t)(fvm_ucell_t)us);
    return rc ? rc : fvm_push(vm, sizeof(fvm_cell_t) >= 8 ? 0 : (fvm_cell_t)(fvm_ucell_t)(us >> 32));
}

kerr_t ftask_add_words(const fvm_word_t *words, size_t n)
{
    if (!sys.root)
        return KERR_INVAL;
    int rc = fvm_register(sys.root, words, n);
    return rc == 0 ? KERR_OK : rc == FVM_E_HOST_TABLE_FULL ? KERR_REG_FULL : KERR_NOMEM;
}

/* The words every root VM has, in the order an image expects them. */
static kerr_t root_words_init(void)
{
    kerr_t e = ftask_words_init();
    if (e == KERR_OK)
        e = fclient_words_init();
    if (e == KERR_OK)
        e = fsys_words_init();
    if (e == KERR_OK)
        e = spawn_eval_words_init();
    return e;
}

/* A root VM from an image: give its host words their functions; false if
 * the image's words are not exactly these (another build's image). */
static bool bind_image(void)
{
    return root_words_init() == KERR_OK && fvm_unbound(sys.root) == 0;
}

fvm_t *ftask_root(void)
{
    return sys.root;
}

bool ftask_root_from_image(void)
{
    return sys.from_image;
}

kerr_t ftask_init(const ftask_config_t *cfg, const fvm_error_t **err)
{
    kmem_set(&sys, 0, sizeof sys);    /* after kernel_init(): nothing survives */
    sys.cfg = *cfg;
    if (!sys.cfg.root_size)
        sys.cfg.root_size = 512 * 1024;
    if (!sys.cfg.shell_size)
        sys.cfg.shell_size = 72 * 1024;   /* 64 KiB + the 4096-character line buffers */
    if (!sys.cfg.child_size)
        sys.cfg.child_size = 32 * 1024;
    if (!sys.cfg.fuel)
        sys.cfg.fuel = 20000;
    if (!sys.cfg.kmem_quota)
        sys.cfg.kmem_quota = KMEM_QUOTA;
    kalloc_stats_t st;
    kalloc_get_stats(&st);
    if (!sys.cfg.tree_quota)
        sys.cfg.tree_quota = st.total / 2;
    if (!sys.cfg.heap_reserve)
        sys.cfg.heap_reserve = st.total / 8;
    kacct_set_reserve(sys.cfg.heap_reserve);   /* every task's account too */
    if (!sys.cfg.prio)
        sys.cfg.prio = 1;             /* no service below: none is starved */
    sys.root_mem = kalloc(sys.cfg.root_size);
    if (!sys.root_mem)
        return KERR_NOMEM;
    fvm_config_t rc = { 0 };
    rc.files = sys.cfg.files;
    rc.file_ext = sys.cfg.file_ext;
    rc.throw_text = ftask_out_throw_text;            /* forks inherit both */
    rc.utime = utime;
    rc.host_words_max = ROOT_WORDS_MAX;
    if (sys.cfg.root_image)
        sys.root = fvm_image_load(sys.root_mem, sys.cfg.root_size, &rc,
                                  sys.cfg.root_image, sys.cfg.root_image_len);
    if (sys.root && !bind_image())
        sys.root = NULL;                 /* not this build's image: compile */
    sys.from_image = sys.root != NULL;
    if (!sys.root)
        sys.root = fvm_create(sys.root_mem, sys.cfg.root_size, &rc);
    if (!sys.root)
        return KERR_NOMEM;
    if (sys.from_image)
        return KERR_OK;
    kerr_t e = root_words_init();
    if (e != KERR_OK)
        return e;
    if (fvm_eval(sys.root, clio_forthlib, slen(clio_forthlib)) != FVM_DONE) {
        if (err)
            *err = fvm_error(sys.root);
        return KERR_INVAL;
    }
    return KERR_OK;
}
