/* ffiles -- the VM's file hooks over the file service (see ffiles.h):
 * marshalling only; the client layer does the rest. */
#include "ffiles.h"
#include "files.h"
#include "kstring.h"
#include "kwire.h"
#include "tasks/fclient.h"

static const fclient_svc_t files_svc = {
    .name = "files", .uuid = FILES_UUID_INIT, .iface = FILES_IFACE,
    .slot = FCLIENT_SLOT_FILES, .iors = true, .absent = FILES_E_NOSVC,
};

/* What a word leaves on the stack besides its ior. */
enum { K_OPEN, K_IOR, K_READLN, K_POS, K_READ, K_STATUS };

/* The word being answered; the transfers' progress.  At most
 * FCLIENT_ARG_MAX bytes. */
typedef struct {
    uint8_t kind;
    uint8_t eol;              /* READLN: the line ended */
    uint8_t more;             /* READLN: the last chunk was full and the line goes on */
    uint32_t handle;
    fvm_cell_t addr;          /* READ, READLN, WRITE: where in the VM */
    uint32_t left, done;      /* bytes still to move, bytes moved */
} fop_t;
_Static_assert(sizeof(fop_t) <= FCLIENT_ARG_MAX, "fop_t fits a done() argument");

static int push2(fvm_t *vm, fvm_cell_t a, fvm_cell_t b)
{
    int rc = fvm_push(vm, a);
    return rc ? rc : fvm_push(vm, b);
}

/* The word's results: kind's values (0s on an error) and the ior; p, n:
 * the reply's payload (empty for a transfer's last chunk). */
static int results(fvm_t *vm, const fop_t *o, int32_t st, const uint8_t *p, uint32_t n)
{
    kwire_rd_t rd = kwire_reader(p, n), *r = &rd;
    int rc = 0;
    switch (o->kind) {
    case K_OPEN:
        rc = fvm_push(vm, st ? 0 : (fvm_cell_t)kwire_u32(r));
        break;
    case K_READLN:
        rc = push2(vm, st ? 0 : (fvm_cell_t)o->done, st == 0 && (o->done || o->eol || o->more) ? -1 : 0);
        break;
    case K_POS:
        rc = push2(vm, st ? 0 : (fvm_cell_t)kwire_u64(r), 0);
        break;
    case K_READ:
        rc = fvm_push(vm, st ? 0 : (fvm_cell_t)o->done);
        break;
    case K_STATUS: {
        uint64_t size = kwire_u64(r);
        uint8_t type = kwire_u8(r);
        rc = fvm_push(vm, st ? 0 : type == FILES_T_DIR ? -1 : (fvm_cell_t)size);
        break;
    }
    default:
        break;
    }
    return rc ? rc : fvm_push(vm, st);
}

static int done_simple(fvm_t *vm, int32_t st, const uint8_t *p, uint32_t n, const void *arg)
{
    return results(vm, arg, st, p, n);
}

/* Open a request for the word o describes: fclient_begin's return; *pl
 * NULL when it already answered (an ior). */
static int begin(fvm_t *vm, fop_t *o, uint16_t op, uint32_t len, uint32_t reply_max,
                 fclient_done_t done, uint8_t **pl)
{
    return fclient_begin(vm, &files_svc, op, len, reply_max, done, o, sizeof *o, pl);
}

/* Answer at once, without the service. */
static int fail_now(fvm_t *vm, int kind, int32_t st)
{
    fop_t o = { .kind = (uint8_t)kind };
    return results(vm, &o, st, NULL, 0);
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

/* A name c-addr u in the VM: its bytes, or *rc (a THROW) / *st (refused). */
static const char *name_of(fvm_t *vm, fvm_cell_t a, fvm_cell_t u, int *rc, int32_t *st)
{
    *rc = 0;
    *st = 0;
    if (u < 0 || u > FILES_PATH_MAX) {
        *st = FILES_E_PATH;
        return NULL;
    }
    const char *p = u ? fvm_mem(vm, a, (size_t)u) : "";
    if (!p)
        *rc = FVM_E_INVALID_ADDRESS;
    return p;
}

static uint32_t fam_mode(fvm_cell_t fam)
{
    return fam == 0 ? FILES_M_READ : fam == 1 ? FILES_M_WRITE
         : fam == 2 ? (FILES_M_READ | FILES_M_WRITE) : 0;
}

/* ---- names ------------------------------------------------------------------- */

static int do_open(fvm_t *vm, uint32_t extra)
{
    fvm_cell_t a[3];
    int32_t st;
    int rc = pop_args(vm, a, 3);
    if (rc)
        return rc;
    const char *name = name_of(vm, a[0], a[1], &rc, &st);
    if (rc)
        return rc;
    uint32_t mode = fam_mode(a[2]);
    if (!st && !mode)
        st = FILES_E_INVAL;
    if (st)
        return fail_now(vm, K_OPEN, st);
    fop_t o = { .kind = K_OPEN };
    uint8_t *pl;
    uint32_t n = (uint32_t)a[1];
    rc = begin(vm, &o, FILES_OPEN, 4 + n, 4, done_simple, &pl);
    if (!pl)
        return rc;
    kwire_wr_t w = kwire_writer(pl, 4 + n);
    kwire_put_u32(&w, mode | extra);
    kwire_put_bytes(&w, name, n);
    return fclient_send(vm);
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

/* ( c-addr u -- ... ) and ( c-addr1 u1 c-addr2 u2 -- ior ): a path request */
static int path_op(fvm_t *vm, int kind, uint16_t op, int npaths)
{
    fvm_cell_t a[4];
    int32_t st, st2 = 0;
    int rc = pop_args(vm, a, 2 * npaths);
    if (rc)
        return rc;
    const char *p1 = name_of(vm, a[0], a[1], &rc, &st), *p2 = NULL;
    if (rc)
        return rc;
    if (npaths == 2 && (p2 = name_of(vm, a[2], a[3], &rc, &st2), rc))
        return rc;
    if (st || st2)
        return fail_now(vm, kind, st ? st : st2);
    uint32_t n1 = (uint32_t)a[1], n2 = npaths == 2 ? (uint32_t)a[3] : 0;
    uint32_t len = (npaths == 2 ? 2 : 0) + n1 + n2;
    fop_t o = { .kind = (uint8_t)kind };
    uint8_t *pl;
    rc = begin(vm, &o, op, len, 9, done_simple, &pl);
    if (!pl)
        return rc;
    kwire_wr_t w = kwire_writer(pl, len);
    if (npaths == 2)
        kwire_put_u16(&w, (uint16_t)n1);
    kwire_put_bytes(&w, p1, n1);
    kwire_put_bytes(&w, p2, n2);
    return fclient_send(vm);
}

static int ff_remove(fvm_t *vm, void *ctx) { (void)ctx; return path_op(vm, K_IOR, FILES_DELETE, 1); }
static int ff_rename(fvm_t *vm, void *ctx) { (void)ctx; return path_op(vm, K_IOR, FILES_RENAME, 2); }
static int ff_status(fvm_t *vm, void *ctx) { (void)ctx; return path_op(vm, K_STATUS, FILES_STAT, 1); }

/* ---- handles ------------------------------------------------------------------- */

/* ( fileid -- ... ) and ( ud fileid -- ... ): a handle request */
static int handle_op(fvm_t *vm, int kind, uint16_t op, bool with_ud)
{
    fvm_cell_t a[3];
    uint64_t pos = 0;
    int rc = pop_args(vm, a, with_ud ? 3 : 1);
    if (rc)
        return rc;
    if (with_ud) {
        if (a[1] != 0 || a[0] < 0)
            return fail_now(vm, kind, FILES_E_INVAL);
        pos = (uint64_t)a[0];
        a[0] = a[2];
    }
    if (a[0] < 1 || a[0] > FILES_MAX_HANDLES)
        return fail_now(vm, kind, FILES_E_HANDLE);
    fop_t o = { .kind = (uint8_t)kind, .handle = (uint32_t)a[0] };
    uint8_t *pl;
    uint32_t len = with_ud ? 12 : 4;
    rc = begin(vm, &o, op, len, 8, done_simple, &pl);
    if (!pl)
        return rc;
    kwire_wr_t w = kwire_writer(pl, len);
    kwire_put_u32(&w, o.handle);
    if (with_ud)
        kwire_put_u64(&w, pos);
    return fclient_send(vm);
}

static int ff_close(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_CLOSE, false); }
static int ff_position(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_POS, FILES_TELL, false); }
static int ff_reposition(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_SEEK, true); }
static int ff_size(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_POS, FILES_SIZE, false); }
static int ff_resize(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_RESIZE, true); }
static int ff_flush(fvm_t *vm, void *ctx) { (void)ctx; return handle_op(vm, K_IOR, FILES_FLUSH, false); }

/* ---- transfers, FFILES_CHUNK bytes a request ------------------------------------ */

static int send_chunk(fvm_t *vm, fop_t *o);

/* A reply to one chunk: its bytes into the VM, then the next chunk or the
 * word's results. */
static int done_chunk(fvm_t *vm, int32_t st, const uint8_t *p, uint32_t n, const void *arg)
{
    fop_t o = *(const fop_t *)arg;
    kwire_rd_t r = kwire_reader(p, n);
    bool more = false, last;
    if (st)
        return results(vm, &o, st, NULL, 0);
    if (o.kind == K_IOR) {                      /* WRITE: the chunk went */
        uint32_t k = o.left < FFILES_CHUNK ? o.left : FFILES_CHUNK;
        o.done += k;
        o.left -= k;
        last = o.left == 0;
    } else {
        if (o.kind == K_READLN) {
            o.eol = kwire_u8(&r);
            o.more = more = kwire_u8(&r);
        }
        uint32_t got;
        const uint8_t *data = kwire_rest(&r, &got);
        if (got > o.left)
            return results(vm, &o, FILES_E_IO, NULL, 0);     /* never more than asked */
        uint8_t *dst = got ? fvm_mem_w(vm, o.addr + (fvm_cell_t)o.done, got) : NULL;
        if (got && !dst)
            return FVM_E_INVALID_ADDRESS;
        if (got)
            kmem_copy(dst, data, got);
        o.done += got;
        o.left -= got;
        last = o.left == 0 || (o.kind == K_READ ? got == 0 : !more);
    }
    if (last)
        return results(vm, &o, 0, NULL, 0);
    return send_chunk(vm, &o);
}

static int send_chunk(fvm_t *vm, fop_t *o)
{
    uint32_t k = o->left < FFILES_CHUNK ? o->left : FFILES_CHUNK;
    uint16_t op = o->kind == K_IOR ? FILES_WRITE : o->kind == K_READ ? FILES_READ : FILES_READLN;
    uint32_t len = op == FILES_WRITE ? 4 + k : 8;
    uint32_t reply = op == FILES_WRITE ? 0 : op == FILES_READ ? k : k + 2;
    const uint8_t *src = NULL;
    if (op == FILES_WRITE && k && !(src = fvm_mem(vm, o->addr + (fvm_cell_t)o->done, k)))
        return FVM_E_INVALID_ADDRESS;
    uint8_t *pl;
    int rc = begin(vm, o, op, len, reply, done_chunk, &pl);
    if (!pl)
        return rc;
    kwire_wr_t w = kwire_writer(pl, len);
    kwire_put_u32(&w, o->handle);
    if (op == FILES_WRITE)
        kwire_put_bytes(&w, src, k);
    else
        kwire_put_u32(&w, k);
    return fclient_send(vm);
}

/* ( c-addr u fileid -- ... ): a transfer to or from the VM's memory */
static int io_op(fvm_t *vm, int kind, bool into_vm)
{
    fvm_cell_t a[3];
    int rc = pop_args(vm, a, 3);
    if (rc)
        return rc;
    if (a[1] < 0 || (uint64_t)a[1] > 0xffffffffu)
        return FVM_E_INVALID_ADDRESS;
    if (a[1] && !(into_vm ? fvm_mem_w(vm, a[0], (size_t)a[1]) : fvm_mem(vm, a[0], (size_t)a[1])))
        return FVM_E_INVALID_ADDRESS;
    if (a[2] < 1 || a[2] > FILES_MAX_HANDLES)
        return fail_now(vm, kind, FILES_E_HANDLE);
    fop_t o = { .kind = (uint8_t)kind, .handle = (uint32_t)a[2], .addr = a[0],
                .left = (uint32_t)a[1] };
    if (o.left == 0 && kind == K_IOR)
        return fvm_push(vm, 0);                 /* writing nothing */
    return send_chunk(vm, &o);
}

static int ff_read_line(fvm_t *vm, void *ctx) { (void)ctx; return io_op(vm, K_READLN, true); }
static int ff_read(fvm_t *vm, void *ctx) { (void)ctx; return io_op(vm, K_READ, true); }
static int ff_write(fvm_t *vm, void *ctx) { (void)ctx; return io_op(vm, K_IOR, false); }

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
