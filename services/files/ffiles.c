/* ffiles -- the VM's file hooks over the file service (see ffiles.h). */
#include "ffiles.h"
#include "files.h"
#include "tasks/ftask.h"
#include "kstring.h"

static const reg_uuid_t files_uuid = FILES_UUID_INIT;

/* What a word leaves on the stack besides its ior. */
enum { K_OPEN, K_IOR, K_READLN, K_POS, K_READ, K_STATUS };

typedef struct {
    reg_msg_t req;
    uint8_t kind, slot;
} fop_t;
_Static_assert(sizeof(fop_t) <= FTASK_SCRATCH, "scratch too small");

static int push_results(fvm_t *vm, int kind, int32_t st, const files_rep_t *r)
{
    int rc = 0;
    switch (kind) {
    case K_OPEN:
        rc = fvm_push(vm, st ? 0 : (fvm_cell_t)r->handle);
        break;
    case K_READLN:
        if ((rc = fvm_push(vm, st ? 0 : (fvm_cell_t)r->n)))
            return rc;
        rc = fvm_push(vm, st == 0 && (r->n || r->eol || r->more) ? -1 : 0);
        break;
    case K_POS:
        if ((rc = fvm_push(vm, st ? 0 : (fvm_cell_t)r->pos)))
            return rc;
        rc = fvm_push(vm, 0);
        break;
    case K_READ:
        rc = fvm_push(vm, st ? 0 : (fvm_cell_t)r->n);
        break;
    case K_STATUS:
        rc = fvm_push(vm, st ? 0 : r->type == FILES_T_DIR ? -1 : (fvm_cell_t)r->pos);
        break;
    default:
        break;
    }
    return rc ? rc : fvm_push(vm, st);
}

/* Answer at once, without the service. */
static int fail_now(fvm_t *vm, int kind, int32_t st)
{
    files_rep_t r;
    kmem_set(&r, 0, sizeof r);
    return push_results(vm, kind, st, &r);
}

/* The task's connection to the file service: its slot, or -1. */
static int connection(ftask_t *f)
{
    uint16_t idx;
    if (reg_lookup(&files_uuid, &idx) != KERR_OK)
        return -1;
    reg_handle_t **hs = ftask_handles(f);
    for (int i = 0; i < FTASK_HANDLES; i++)
        if (hs[i] && hs[i]->client && hs[i]->service == idx)
            return i;
    for (int i = FTASK_HANDLES - 1; i >= 0; i--) {
        if (hs[i] && hs[i]->client)
            continue;
        if (!hs[i] && !(hs[i] = kalloc_zero(sizeof(reg_handle_t))))
            return -1;
        return reg_connect_index(hs[i], idx, FILES_IFACE) == KERR_OK ? i : -1;
    }
    return -1;
}

static kerr_t op_files(ftask_t *f, task_t *t, fvm_t *vm, void *scratch)
{
    fop_t *a = scratch;
    reg_handle_t *h = ftask_handles(f)[a->slot];
    kerr_t err = reg_call(h, t, &a->req);
    if (err == KERR_PENDING)
        return err;
    int rc;
    if (err != KERR_OK) {
        rc = fail_now(vm, a->kind, FILES_E_NOSVC);
    } else {
        const reg_msg_t *m = reg_response(h);
        files_rep_t r;
        kmem_set(&r, 0, sizeof r);
        if (!(m->flags & REG_MSG_EXT) && m->len == sizeof r)
            kmem_copy(&r, m->data.bytes, sizeof r);
        rc = push_results(vm, a->kind, m->status, &r);
    }
    if (rc)
        fvm_fail(vm, rc);
    return KERR_OK;
}

/* Send op with payload p (n bytes) for vm's task: the word's return. */
static int send(fvm_t *vm, int kind, uint16_t op, const void *p, uint32_t n)
{
    ftask_t *f = ftask_of(vm);
    int slot = f ? connection(f) : -1;
    if (slot < 0)
        return fail_now(vm, kind, FILES_E_NOSVC);
    fop_t *a = ftask_scratch(f);
    kmem_set(a, 0, sizeof *a);
    a->kind = (uint8_t)kind;
    a->slot = (uint8_t)slot;
    a->req.opcode = op;
    a->req.len = n;
    kmem_copy(a->req.data.bytes, p, n);
    return ftask_wait_op(f, op_files);
}

/* Pop n cells into v[0..n), v[0] the deepest. */
static int pop_args(fvm_t *vm, fvm_cell_t *v, int n)
{
    if (fvm_depth(vm) < n)
        return FVM_E_STACK_UNDERFLOW;
    for (int i = n - 1; i >= 0; i--)
        fvm_pop(vm, &v[i]);
    return 0;
}

/* A name c-addr u into r: 0, a throw code (*rc), or a refused path (*st). */
static int name_of(fvm_t *vm, fvm_cell_t a, fvm_cell_t u, const char **p, uint16_t *len, int32_t *st)
{
    *st = 0;
    if (u < 0 || u > FILES_PATH_MAX) {
        *st = FILES_E_PATH;
        return 0;
    }
    *p = u ? fvm_mem(vm, a, (size_t)u) : "";
    if (!*p)
        return FVM_E_INVALID_ADDRESS;
    *len = (uint16_t)u;
    return 0;
}

static uint32_t fam_mode(fvm_cell_t fam)
{
    return fam == 0 ? FILES_M_READ : fam == 1 ? FILES_M_WRITE
         : fam == 2 ? (FILES_M_READ | FILES_M_WRITE) : 0;
}

static int do_open(fvm_t *vm, uint32_t extra)
{
    fvm_cell_t a[3];
    files_req_path_t r;
    int32_t st;
    int rc = pop_args(vm, a, 3);
    if (rc)
        return rc;
    kmem_set(&r, 0, sizeof r);
    if ((rc = name_of(vm, a[0], a[1], &r.path, &r.len, &st)))
        return rc;
    r.mode = fam_mode(a[2]);
    if (!r.mode)
        st = FILES_E_INVAL;
    r.mode |= extra;
    if (st)
        return fail_now(vm, K_OPEN, st);
    return send(vm, K_OPEN, FILES_OPEN, &r, sizeof r);
}

/* open: ( c-addr u fam -- fileid ior ) */
static int ff_open(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return do_open(vm, 0);
}

/* create: ( c-addr u fam -- fileid ior ) */
static int ff_create(fvm_t *vm, void *ctx)
{
    (void)ctx;
    return do_open(vm, FILES_M_WRITE | FILES_M_CREATE | FILES_M_TRUNC);
}

/* ( fileid -- ... ) and ( ud fileid -- ... ): a handle request */
static int handle_op(fvm_t *vm, int kind, uint16_t op, bool with_ud)
{
    fvm_cell_t a[3];
    files_req_h_t r;
    int rc = pop_args(vm, a, with_ud ? 3 : 1);
    if (rc)
        return rc;
    kmem_set(&r, 0, sizeof r);
    if (with_ud) {
        if (a[1] != 0 || a[0] < 0)
            return fail_now(vm, kind, FILES_E_INVAL);
        r.pos = (uint64_t)a[0];
        a[0] = a[2];
    }
    if (a[0] < 1 || a[0] > FILES_MAX_HANDLES)
        return fail_now(vm, kind, FILES_E_HANDLE);
    r.handle = (uint32_t)a[0];
    return send(vm, kind, op, &r, sizeof r);
}

static int ff_close(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_CLOSE, false); }
static int ff_position(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_POS, FILES_TELL, false); }
static int ff_reposition(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_SEEK, true); }
static int ff_size(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_POS, FILES_SIZE, false); }
static int ff_resize(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_RESIZE, true); }
static int ff_flush(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_FLUSH, false); }

/* ( c-addr u fileid -- ... ): a transfer to or from the VM's memory */
static int io_op(fvm_t *vm, int kind, uint16_t op, bool into_vm)
{
    fvm_cell_t a[3];
    files_req_io_t r;
    int rc = pop_args(vm, a, 3);
    if (rc)
        return rc;
    kmem_set(&r, 0, sizeof r);
    if (a[1] < 0 || (uint64_t)a[1] > 0xffffffffu)
        return FVM_E_INVALID_ADDRESS;
    r.n = (uint32_t)a[1];
    if (r.n) {
        r.buf = into_vm ? fvm_mem_w(vm, a[0], r.n) : fvm_mem(vm, a[0], r.n);
        if (!r.buf)
            return FVM_E_INVALID_ADDRESS;
    }
    if (a[2] < 1 || a[2] > FILES_MAX_HANDLES)
        return fail_now(vm, kind, FILES_E_HANDLE);
    r.handle = (uint32_t)a[2];
    return send(vm, kind, op, &r, sizeof r);
}

static int ff_read_line(fvm_t *vm, void *ctx) { (void)ctx; return io_op(vm, K_READLN, FILES_READLN, true); }
static int ff_read(fvm_t *vm, void *ctx) { (void)ctx; return io_op(vm, K_READ, FILES_READ, true); }
static int ff_write(fvm_t *vm, void *ctx) { (void)ctx; return io_op(vm, K_IOR, FILES_WRITE, false); }

/* ( c-addr u -- ... ) and ( c-addr1 u1 c-addr2 u2 -- ior ): a path request */
static int path_op(fvm_t *vm, int kind, uint16_t op, int npaths)
{
    fvm_cell_t a[4];
    files_req_path_t r;
    int32_t st, st2 = 0;
    int rc = pop_args(vm, a, 2 * npaths);
    if (rc)
        return rc;
    kmem_set(&r, 0, sizeof r);
    if ((rc = name_of(vm, a[0], a[1], &r.path, &r.len, &st)))
        return rc;
    if (npaths == 2 && (rc = name_of(vm, a[2], a[3], &r.path2, &r.len2, &st2)))
        return rc;
    if (st || st2)
        return fail_now(vm, kind, st ? st : st2);
    return send(vm, kind, op, &r, sizeof r);
}

static int ff_remove(fvm_t *vm, void *ctx) { (void)ctx; return path_op(vm, K_IOR, FILES_DELETE, 1); }
static int ff_rename(fvm_t *vm, void *ctx) { (void)ctx; return path_op(vm, K_IOR, FILES_RENAME, 2); }
static int ff_status(fvm_t *vm, void *ctx) { (void)ctx; return path_op(vm, K_STATUS, FILES_STAT, 1); }

const fvm_file_ops_t *ffiles_ops(void)
{
    static const fvm_file_ops_t ops = {
        ff_open, ff_close, ff_read_line, ff_position, ff_reposition, NULL
    };
    return &ops;
}

const fvm_file_ext_t *ffiles_ext(void)
{
    static const fvm_file_ext_t ext = {
        .create = ff_create, .read = ff_read, .write = ff_write,
        .size = ff_size, .resize = ff_resize, .remove = ff_remove,
        .rename = ff_rename, .flush = ff_flush, .status = ff_status,
        .ctx = NULL,
    };
    return &ext;
}
