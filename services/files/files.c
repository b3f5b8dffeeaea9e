/* files -- the file service (see files.h). */
#include "files.h"
#include "kstring.h"
#include "pt.h"

static const reg_uuid_t files_uuid = FILES_UUID_INIT;

const char *files_strerror(int code)
{
    switch (code) {
    case FILES_OK: return "ok";
    case FILES_E_IO: return "file I/O error";
    case FILES_E_NOENT: return "no such file";
    case FILES_E_PATH: return "path refused (outside the file root or invalid)";
    case FILES_E_HANDLE: return "not an open file";
    case FILES_E_NOHANDLES: return "too many open files";
    case FILES_E_EXIST: return "file exists";
    case FILES_E_NOSPC: return "no space left";
    case FILES_E_ACCESS: return "access denied";
    case FILES_E_ISDIR: return "is a directory";
    case FILES_E_DIRFULL: return "directory full";
    case FILES_E_BUSY: return "file busy";
    case FILES_E_INVAL: return "invalid file request";
    case FILES_E_NOSVC: return "no file service";
    case FILES_E_END: return "no more entries";
    default: return "file error";
    }
}

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

/* A client id is the registry's slot plus a generation: a live client in a
 * slot means every other id of that slot is gone -- close its files. */
static void reclaim(files_service_t *s, uint16_t client)
{
    const uint16_t mask = REG_MAX_CLIENTS - 1;
    for (int i = 0; i < FILES_MAX_HANDLES; i++) {
        files_handle_t *h = &s->h[i];
        if (h->client && h->client != client && (h->client & mask) == (client & mask)) {
            if (!h->dir)
                s->be->close(s->be->ctx, h->bh);
            h->client = 0;
        }
    }
}

static int do_open(files_service_t *s, reg_msg_t *m, const files_req_path_t *r, files_rep_t *rep)
{
    uint32_t mode = r->mode;
    if (!(mode & (FILES_M_READ | FILES_M_WRITE)) || mode > 15)
        return FILES_E_INVAL;
    if ((mode & (FILES_M_CREATE | FILES_M_TRUNC)) && !(mode & FILES_M_WRITE))
        return FILES_E_INVAL;
    int i = 0;
    while (i < FILES_MAX_HANDLES && s->h[i].client)
        i++;
    if (i == FILES_MAX_HANDLES)
        return FILES_E_NOHANDLES;
    uint32_t bh = 0;
    bool dir = false;
    int rc = s->path[0] ? s->be->open(s->be->ctx, s->path, mode, &bh) : FILES_E_ISDIR;
    if (rc == FILES_E_ISDIR && mode == FILES_M_READ) {
        files_stat_t st;                 /* is it a listable directory? */
        if ((rc = s->be->list(s->be->ctx, s->path, 0, &st)) == FILES_E_END)
            rc = FILES_OK;
        dir = rc == FILES_OK;
        kmem_copy(s->dirpath[i], s->path, kstr_len(s->path, FILES_PATH_MAX) + 1);
    }
    if (rc)
        return rc;
    s->h[i].client = m->client;
    s->h[i].dir = dir;
    s->h[i].mode = (uint8_t)mode;
    s->h[i].bh = bh;
    s->h[i].pos = 0;
    rep->handle = (uint32_t)i + 1;
    return FILES_OK;
}

/* READLN: bytes up to '\n' (or "\r\n"), at most max, from the position. */
static int do_readln(files_service_t *s, files_handle_t *h, const files_req_io_t *r, files_rep_t *rep)
{
    uint8_t chunk[128];
    uint8_t *dst = r->buf;
    uint32_t n = 0, got = 0, k = 0;
    uint64_t pos = h->pos;
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
        if (n == r->n) {
            rep->more = 1;                  /* full, and there is more */
            break;
        }
        uint8_t c = chunk[k];
        if (c == '\n') {
            k++;
            rep->eol = 1;
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
                rep->eol = 1;
                break;
            }
        }
        dst[n++] = c;
        k++;
    }
    h->pos = pos + k;
    rep->n = n;
    return FILES_OK;
}

/* READLN on a directory: the entry at the position (an index), "name" or
 * "name/"; the end of the listing is the end of the file. */
static int do_readdir(files_service_t *s, files_handle_t *h, const files_req_io_t *r, files_rep_t *rep)
{
    files_stat_t st;
    kmem_set(&st, 0, sizeof st);
    int rc = s->be->list(s->be->ctx, s->dirpath[h - s->h], (uint32_t)h->pos, &st);
    if (rc == FILES_E_END)
        return FILES_OK;                     /* n = 0, eol = 0: the end */
    if (rc)
        return rc;
    h->pos++;
    size_t n = kstr_len(st.name, FILES_NAME_MAX);
    if (st.type == FILES_T_DIR)
        st.name[n++] = '/';
    if (n > r->n)
        n = r->n;
    kmem_copy(r->buf, st.name, n);
    rep->n = (uint32_t)n;
    rep->eol = 1;
    return FILES_OK;
}

static int do_handle_op(files_service_t *s, reg_msg_t *m, files_rep_t *rep)
{
    files_req_io_t io;
    files_req_h_t hr;
    uint32_t id;
    if (m->opcode == FILES_READ || m->opcode == FILES_READLN || m->opcode == FILES_WRITE) {
        if (m->len != sizeof io)
            return FILES_E_INVAL;
        kmem_copy(&io, m->data.bytes, sizeof io);
        id = io.handle;
        if (io.n && !io.buf)
            return FILES_E_INVAL;
    } else {
        if (m->len != sizeof hr)
            return FILES_E_INVAL;
        kmem_copy(&hr, m->data.bytes, sizeof hr);
        id = hr.handle;
    }
    files_handle_t *h = handle_of(s, id, m->client);
    if (!h)
        return FILES_E_HANDLE;
    if (h->dir && m->opcode != FILES_CLOSE && m->opcode != FILES_READLN &&
        m->opcode != FILES_TELL && m->opcode != FILES_SEEK)
        return FILES_E_ISDIR;
    const files_backend_t *be = s->be;
    uint64_t size;
    int rc;
    switch (m->opcode) {
    case FILES_CLOSE:
        rc = h->dir ? FILES_OK : be->close(be->ctx, h->bh);
        h->client = 0;
        return rc;
    case FILES_READ:
        if (!(h->mode & FILES_M_READ))
            return FILES_E_ACCESS;
        rc = be->read(be->ctx, h->bh, h->pos, io.buf, io.n, &rep->n);
        if (rc == FILES_OK)
            h->pos += rep->n;
        return rc;
    case FILES_READLN:
        if (!(h->mode & FILES_M_READ))
            return FILES_E_ACCESS;
        return h->dir ? do_readdir(s, h, &io, rep) : do_readln(s, h, &io, rep);
    case FILES_WRITE:
        if (!(h->mode & FILES_M_WRITE))
            return FILES_E_ACCESS;
        rc = be->write(be->ctx, h->bh, h->pos, io.buf, io.n);
        if (rc == FILES_OK)
            h->pos += io.n;
        return rc;
    case FILES_SEEK:
        if (hr.pos > 0xffffffffull)
            return FILES_E_INVAL;
        h->pos = hr.pos;
        return FILES_OK;
    case FILES_TELL:
        rep->pos = h->pos;
        return FILES_OK;
    case FILES_SIZE:
        rc = be->size(be->ctx, h->bh, &size);
        rep->pos = size;
        return rc;
    case FILES_RESIZE:
        if (!(h->mode & FILES_M_WRITE))
            return FILES_E_ACCESS;
        if (hr.pos > 0xffffffffull)
            return FILES_E_INVAL;
        return be->resize(be->ctx, h->bh, hr.pos);
    case FILES_FLUSH:
        return be->flush(be->ctx, h->bh);
    default:
        return FILES_E_INVAL;
    }
}

static int do_path_op(files_service_t *s, reg_msg_t *m, files_rep_t *rep)
{
    files_req_path_t r;
    if (m->len != sizeof r)
        return FILES_E_INVAL;
    kmem_copy(&r, m->data.bytes, sizeof r);
    bool list = m->opcode == FILES_LIST;
    bool root_ok = list || (m->opcode == FILES_OPEN && r.mode == FILES_M_READ);
    int rc = files_path(r.path, r.len, s->path, root_ok);
    if (rc)
        return rc;
    const files_backend_t *be = s->be;
    switch (m->opcode) {
    case FILES_OPEN:
        return do_open(s, m, &r, rep);
    case FILES_DELETE:
        return be->remove(be->ctx, s->path);
    case FILES_RENAME:
        if ((rc = files_path(r.path2, r.len2, s->path2, false)))
            return rc;
        return be->rename(be->ctx, s->path, s->path2);
    case FILES_STAT: {
        files_stat_t st;
        kmem_set(&st, 0, sizeof st);
        rc = be->stat(be->ctx, s->path, &st);
        rep->pos = st.size;
        rep->type = (uint8_t)st.type;
        return rc;
    }
    case FILES_LIST:
        if (!r.out)
            return FILES_E_INVAL;
        kmem_set(r.out, 0, sizeof *r.out);
        return be->list(be->ctx, s->path, r.mode, r.out);
    default:
        return FILES_E_INVAL;
    }
}

void files_handle(files_service_t *s, reg_msg_t *m)
{
    files_rep_t rep;
    kmem_set(&rep, 0, sizeof rep);
    reclaim(s, m->client);
    int rc;
    switch (m->opcode) {
    case FILES_OPEN: case FILES_DELETE: case FILES_RENAME: case FILES_STAT: case FILES_LIST:
        rc = do_path_op(s, m, &rep);
        break;
    case FILES_CLOSE: case FILES_READ: case FILES_READLN: case FILES_WRITE: case FILES_SEEK:
    case FILES_TELL: case FILES_SIZE: case FILES_RESIZE: case FILES_FLUSH:
        rc = do_handle_op(s, m, &rep);
        break;
    default:
        rc = FILES_E_INVAL;
        break;
    }
    m->status = rc;
    m->flags = 0;
    m->len = sizeof rep;
    kmem_copy(m->data.bytes, &rep, sizeof rep);
}

static task_status_t service_poll(task_t *t)
{
    files_service_t *s = kcontainer_of(t, files_service_t, task);
    PT_BEGIN(t);
    for (;;) {
        PT_WAIT_OP(t, s->err, reg_serve(&s->svc, t, &s->req));
        if (s->err != KERR_OK)
            break;                       /* inbox closed: unregistered */
        files_handle(s, &s->req);
        reg_reply(&s->req);              /* KERR_GONE: the client gave up */
        s->served++;
    }
    PT_EXIT(t, 0);
    PT_END(t);
}

kerr_t files_start(files_service_t *s, const files_backend_t *be, uint8_t prio)
{
    kmem_set(s->h, 0, sizeof s->h);
    s->be = be;
    s->served = 0;
    s->task.flags = 0;
    s->task.on_exit = NULL;
    kerr_t err = reg_service_init(&s->svc, &files_uuid, FILES_IFACE, "files", s->inbox, 16);
    if (err == KERR_OK)
        err = reg_register(&s->svc);
    if (err == KERR_OK)
        err = task_spawn(&s->task, service_poll, prio);
    return err;
}
