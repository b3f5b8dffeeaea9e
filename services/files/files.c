/* files -- the file service (see files.h). */
#include "files.h"
#include "kstring.h"
#include "kwire.h"
#include "pt.h"

static const reg_uuid_t files_uuid = FILES_UUID_INIT;

int files_path(const char *path, size_t len, char *out, bool allow_root)
{
    size_t o = 0, i = 0;
    if (len > FILES_PATH_MAX || (len && !path))
        return FILES_E_PATH;
    if (len && path[0] == '/')
        return FILES_E_PATH;                 /* absolute: refused */
    while (i < len) {
        size_t s = i;
        while (i < len && path[i] != '/') {
            if (path[i] == 0)
                return FILES_E_PATH;
            i++;
        }
        size_t n = i - s;
        if (i < len)
            i++;                             /* the '/' */
        if (n == 0 || (n == 1 && path[s] == '.'))
            continue;                        /* "a//b", "./a" */
        if (n == 2 && path[s] == '.' && path[s + 1] == '.')
            return FILES_E_PATH;             /* never up */
        if (o)
            out[o++] = '/';
        kmem_copy(out + o, path + s, n);
        o += n;
    }
    out[o] = 0;
    return o || allow_root ? FILES_OK : FILES_E_PATH;
}

/* The handle table.  A Forth fileid is the index + 1. */
static files_handle_t *handle_of(files_service_t *s, uint32_t id, uint16_t client)
{
    if (id < 1 || id > FILES_MAX_HANDLES)
        return NULL;
    files_handle_t *h = &s->h[id - 1];
    return h->client && h->client == client ? h : NULL;
}

static void release(files_service_t *s, files_handle_t *h)
{
    if (!h->dir)
        s->be->close(s->be->ctx, h->bh);
    kacct_free(h->acct, h->dirpath);
    kmem_set(h, 0, sizeof *h);
}

void files_client_gone(files_service_t *s, uint16_t client)
{
    for (int i = 0; i < FILES_MAX_HANDLES; i++)
        if (s->h[i].client == client)
            release(s, &s->h[i]);
}

static void on_gone(reg_service_t *svc, uint16_t client)
{
    files_client_gone(kcontainer_of(svc, files_service_t, svc), client);
}

/* One request being answered: the decoded payload and the reply writer. */
typedef struct {
    files_service_t *s;
    reg_msg_t *m;
    kwire_rd_t in;
    kwire_wr_t out;
    kacct_t *acct;
} op_t;

static int do_open(op_t *o, uint32_t mode)
{
    files_service_t *s = o->s;
    if (!(mode & (FILES_M_READ | FILES_M_WRITE)) || mode > 15)
        return FILES_E_INVAL;
    if ((mode & (FILES_M_CREATE | FILES_M_TRUNC)) && !(mode & FILES_M_WRITE))
        return FILES_E_INVAL;
    int i = -1, mine = 0;
    const void *group = reg_client_group(o->m);
    for (int k = 0; k < FILES_MAX_HANDLES; k++) {
        if (!s->h[k].client && i < 0)
            i = k;
        mine += s->h[k].client == o->m->client || (group && s->h[k].client && s->h[k].group == group);
    }
    if (i < 0 || mine >= FILES_PER_CLIENT)
        return FILES_E_NOHANDLES;
    files_handle_t *h = &s->h[i];
    uint32_t bh = 0;
    bool dir = false;
    int rc = s->path[0] ? s->be->open(s->be->ctx, s->path, mode, &bh) : FILES_E_ISDIR;
    if (rc == FILES_E_ISDIR && mode == FILES_M_READ) {
        files_stat_t st;                 /* is it a listable directory? */
        if ((rc = s->be->list(s->be->ctx, s->path, 0, &st)) == FILES_E_END)
            rc = FILES_OK;
        dir = rc == FILES_OK;
        if (dir) {
            size_t n = kstr_len(s->path, FILES_PATH_MAX) + 1;
            if (!(h->dirpath = kacct_alloc(o->acct, n)))
                return o->acct && o->acct->used + n > o->acct->limit ? CERR_QUOTA : CERR_NOMEM;
            kmem_copy(h->dirpath, s->path, n);
        }
    }
    if (rc)
        return rc;
    h->client = o->m->client;
    h->group = group;
    h->acct = o->acct;
    h->dir = dir;
    h->mode = (uint8_t)mode;
    h->bh = bh;
    h->pos = 0;
    kwire_put_u32(&o->out, (uint32_t)i + 1);
    return FILES_OK;
}

/* READLN: bytes up to '\n' (or "\r\n"), at most max, from the position,
 * after the u8 eol, u8 more header. */
static int do_readln(op_t *o, files_handle_t *h, uint32_t max)
{
    files_service_t *s = o->s;
    uint8_t chunk[128];
    uint8_t *hdr = kwire_room(&o->out, 2);
    uint8_t *dst = o->out.p + o->out.n;
    uint32_t n = 0, got = 0, k = 0;
    uint64_t pos = h->pos;
    uint8_t eol = 0, more = 0;
    int rc;
    for (;;) {
        if (k == got) {
            pos += got;
            if ((rc = s->be->read(s->be->ctx, h->bh, pos, chunk, sizeof chunk, &got)))
                return rc;
            k = 0;
            if (got == 0)
                break;                      /* end of file */
        }
        if (n == max) {
            more = 1;                       /* full, and there is more */
            break;
        }
        uint8_t c = chunk[k];
        if (c == '\n') {
            k++;
            eol = 1;
            break;
        }
        if (c == '\r') {
            uint8_t d;
            uint32_t g2;
            if (k + 1 < got)
                d = chunk[k + 1], g2 = 1;
            else if ((rc = s->be->read(s->be->ctx, h->bh, pos + k + 1, &d, 1, &g2)))
                return rc;
            if (g2 && d == '\n') {
                k++;                        /* the '\r'; the '\n' below */
                if (k == got) {             /* the '\n' was in the next chunk */
                    pos += got;
                    got = 1;
                    k = 0;
                }
                k++;
                eol = 1;
                break;
            }
        }
        dst[n++] = c;
        k++;
    }
    h->pos = pos + k;
    hdr[0] = eol;
    hdr[1] = more;
    o->out.n += n;
    return FILES_OK;
}

/* READLN on a directory: the entry at the position (an index), "name" or
 * "name/"; the end of the listing is the end of the file. */
static int do_readdir(op_t *o, files_handle_t *h, uint32_t max)
{
    files_stat_t st;
    kmem_set(&st, 0, sizeof st);
    int rc = o->s->be->list(o->s->be->ctx, h->dirpath, (uint32_t)h->pos, &st);
    kwire_put_u8(&o->out, rc == FILES_OK);         /* eol */
    kwire_put_u8(&o->out, 0);                       /* more */
    if (rc == FILES_E_END)
        return FILES_OK;                            /* no bytes, eol 0: the end */
    if (rc)
        return rc;
    h->pos++;
    size_t n = kstr_len(st.name, FILES_NAME_MAX);
    if (st.type == FILES_T_DIR)
        st.name[n++] = '/';
    kwire_put_bytes(&o->out, st.name, (uint32_t)(n < max ? n : max));
    return FILES_OK;
}

static int do_handle_op(op_t *o)
{
    files_service_t *s = o->s;
    uint16_t op = o->m->opcode;
    uint32_t id = kwire_u32(&o->in), max = 0, n = 0;
    uint64_t pos = 0;
    const uint8_t *data = NULL;
    if (op == FILES_READ || op == FILES_READLN)
        max = kwire_u32(&o->in);
    else if (op == FILES_SEEK || op == FILES_RESIZE)
        pos = kwire_u64(&o->in);
    else if (op == FILES_WRITE)
        data = kwire_rest(&o->in, &n);
    if (!kwire_done(&o->in))
        return FILES_E_INVAL;
    files_handle_t *h = handle_of(s, id, o->m->client);
    if (!h)
        return FILES_E_HANDLE;
    if (h->dir && op != FILES_CLOSE && op != FILES_READLN && op != FILES_TELL && op != FILES_SEEK)
        return FILES_E_ISDIR;
    const files_backend_t *be = s->be;
    uint64_t size;
    uint32_t got;
    int rc;
    switch (op) {
    case FILES_CLOSE:
        release(s, h);
        return FILES_OK;
    case FILES_READ:
        if (!(h->mode & FILES_M_READ))
            return FILES_E_ACCESS;
        if (max > o->out.cap)
            max = o->out.cap;               /* what the client's buffer takes */
        rc = be->read(be->ctx, h->bh, h->pos, o->out.p, max, &got);
        if (rc == FILES_OK) {
            h->pos += got;
            o->out.n = got;
        }
        return rc;
    case FILES_READLN:
        if (!(h->mode & FILES_M_READ))
            return FILES_E_ACCESS;
        if (o->out.cap < 2)
            return FILES_E_INVAL;
        if (max > o->out.cap - 2)
            max = o->out.cap - 2;
        return h->dir ? do_readdir(o, h, max) : do_readln(o, h, max);
    case FILES_WRITE:
        if (!(h->mode & FILES_M_WRITE))
            return FILES_E_ACCESS;
        rc = n ? be->write(be->ctx, h->bh, h->pos, data, n) : FILES_OK;
        if (rc == FILES_OK)
            h->pos += n;
        return rc;
    case FILES_SEEK:
        if (pos > 0xffffffffull)
            return FILES_E_INVAL;
        h->pos = pos;
        return FILES_OK;
    case FILES_TELL:
        kwire_put_u64(&o->out, h->pos);
        return FILES_OK;
    case FILES_SIZE:
        rc = be->size(be->ctx, h->bh, &size);
        if (rc == FILES_OK)
            kwire_put_u64(&o->out, size);
        return rc;
    case FILES_RESIZE:
        if (!(h->mode & FILES_M_WRITE))
            return FILES_E_ACCESS;
        if (pos > 0xffffffffull)
            return FILES_E_INVAL;
        return be->resize(be->ctx, h->bh, pos);
    case FILES_FLUSH:
        return be->flush(be->ctx, h->bh);
    default:
        return FILES_E_INVAL;
    }
}

static int do_path_op(op_t *o)
{
    files_service_t *s = o->s;
    const files_backend_t *be = s->be;
    uint16_t op = o->m->opcode;
    uint32_t mode = 0, n = 0, n2 = 0;
    const uint8_t *p2 = NULL;
    if (op == FILES_OPEN || op == FILES_LIST)
        mode = kwire_u32(&o->in);             /* OPEN: the mode; LIST: the index */
    if (op == FILES_RENAME)
        n = kwire_u16(&o->in);
    else
        n = o->in.left;
    const uint8_t *p = kwire_take(&o->in, n);
    if (op == FILES_RENAME)
        p2 = kwire_rest(&o->in, &n2);
    if (!kwire_done(&o->in))
        return FILES_E_INVAL;
    bool root_ok = op == FILES_LIST || (op == FILES_OPEN && mode == FILES_M_READ);
    int rc = files_path((const char *)p, n, s->path, root_ok);
    if (rc == FILES_OK && op == FILES_RENAME)
        rc = files_path((const char *)p2, n2, s->path2, false);
    if (rc)
        return rc;
    files_stat_t st;
    kmem_set(&st, 0, sizeof st);
    switch (op) {
    case FILES_OPEN:
        return do_open(o, mode);
    case FILES_DELETE:
        return be->remove(be->ctx, s->path);
    case FILES_RENAME:
        return be->rename(be->ctx, s->path, s->path2);
    case FILES_STAT:
    case FILES_LIST:
        rc = op == FILES_STAT ? be->stat(be->ctx, s->path, &st) : be->list(be->ctx, s->path, mode, &st);
        if (rc == FILES_OK) {
            kwire_put_u64(&o->out, st.size);
            kwire_put_u8(&o->out, (uint8_t)st.type);
            if (op == FILES_LIST)
                kwire_put_bytes(&o->out, st.name, (uint32_t)kstr_len(st.name, FILES_NAME_MAX));
            if (o->out.bad)
                return FILES_E_INVAL;               /* the client's buffer is too small */
        }
        return rc;
    default:
        return FILES_E_INVAL;
    }
}

void files_handle(files_service_t *s, reg_msg_t *m, const uint8_t *req, kacct_t *acct,
                  uint8_t *out, uint32_t out_max)
{
    op_t o = { s, m, kwire_reader(req, m->len), kwire_writer(out, out_max), acct };
    int rc;
    switch (m->opcode) {
    case FILES_OPEN: case FILES_DELETE: case FILES_RENAME: case FILES_STAT: case FILES_LIST:
        rc = do_path_op(&o);
        break;
    case FILES_CLOSE: case FILES_READ: case FILES_READLN: case FILES_WRITE: case FILES_SEEK:
    case FILES_TELL: case FILES_SIZE: case FILES_RESIZE: case FILES_FLUSH:
        rc = do_handle_op(&o);
        break;
    default:
        rc = FILES_E_INVAL;
        break;
    }
    if (rc != FILES_OK && rc != FILES_E_END && rc != FILES_E_NOENT) {
        s->errors++;
        if (trace_nth(s->errors))
            trace_emit(TRACE_WARN, TRACE_MOD_FILES, TRACE_EV_FILE_ERROR, m->opcode, rc, s->path);
    }
    m->status = rc;
    m->flags = 0;
    m->len = rc == FILES_OK ? o.out.n : 0;
}

static task_status_t service_poll(task_t *t)
{
    files_service_t *s = kcontainer_of(t, files_service_t, task);
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, s->err, reg_serve(&s->svc, t, &s->req));
        if (s->err != KERR_OK)
            break;                       /* inbox closed: unregistered */
        {
            reg_msg_t *m = &s->req;
            const uint8_t *req = reg_payload(m);
            kacct_t *acct;
            uint32_t max;
            uint8_t *out = (m->len && !req) || reg_client_acct(m, &acct) != KERR_OK
                         ? NULL : reg_reply_area(m, &max);
            if (!out)
                continue;                /* the client has gone */
            s->path[0] = 0;
            files_handle(s, m, req, acct, out, max);
            reg_reply_from(m, out);      /* KERR_GONE: the client gave up */
            s->served++;
        }
    }
    PT_EXIT(t, 0);
    PT_END(t);
}

kerr_t files_start(files_service_t *s, const files_backend_t *be, uint8_t prio)
{
    kmem_set(s->h, 0, sizeof s->h);
    s->be = be;
    s->served = s->errors = 0;
    s->task.flags = 0;
    s->task.on_exit = NULL;
    kerr_t err = reg_service_init(&s->svc, &files_uuid, FILES_IFACE, "files", s->inbox, 16);
    s->svc.on_gone = on_gone;
    if (err == KERR_OK)
        err = reg_register(&s->svc);
    if (err == KERR_OK)
        err = task_spawn(&s->task, service_poll, prio);
    return err;
}
