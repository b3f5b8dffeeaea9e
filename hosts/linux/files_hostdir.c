/* files_hostdir -- a host directory as the file service's backend (see
 * files_hostdir.h). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "files_hostdir.h"

typedef struct {
    int root;
    int fd[FILES_HOSTDIR_MAX];    /* -1: free */
} hostdir_t;

static int from_errno(int e)
{
    switch (e) {
    case ENOENT: return FILES_E_NOENT;
    case ELOOP: case ENAMETOOLONG: case EXDEV: return FILES_E_PATH;
    case EACCES: case EPERM: case EROFS: case ETXTBSY: return FILES_E_ACCESS;
    case EEXIST: case ENOTEMPTY: return FILES_E_EXIST;
    case ENOSPC: case EDQUOT: case EFBIG: return FILES_E_NOSPC;
    case EISDIR: return FILES_E_ISDIR;
    case EMFILE: case ENFILE: return FILES_E_NOHANDLES;
    case EINVAL: return FILES_E_INVAL;
    default: return FILES_E_IO;
    }
}

/* After ENOTDIR or ELOOP on `name` in dirfd: a symlink is a refused path. */
static int why(int dirfd, const char *name, int e)
{
    struct stat st;
    if ((e == ENOTDIR || e == ELOOP) &&
        fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        return FILES_E_PATH;
    return e == ENOTDIR ? FILES_E_NOENT : from_errno(e);
}

/* Resolve all but the last component of canonical path p (copied to buf):
 * *dirfd is a descriptor of the parent (close it unless it is the root),
 * *last the last component. */
static int walk(hostdir_t *d, const char *p, char *buf, int *dirfd, const char **last)
{
    size_t n = strlen(p);
    if (n > FILES_PATH_MAX)
        return FILES_E_PATH;
    memcpy(buf, p, n + 1);
    int fd = d->root;
    char *c = buf, *slash;
    while ((slash = strchr(c, '/'))) {
        *slash = 0;
        int nfd = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        int rc = nfd < 0 ? why(fd, c, e) : 0;
        if (fd != d->root)
            close(fd);
        if (nfd < 0)
            return rc;
        fd = nfd;
        c = slash + 1;
    }
    *dirfd = fd;
    *last = c;
    return FILES_OK;
}

static void unwalk(hostdir_t *d, int fd)
{
    if (fd != d->root)
        close(fd);
}

static int fd_of(hostdir_t *d, uint32_t bh)
{
    return bh < FILES_HOSTDIR_MAX ? d->fd[bh] : -1;
}

static int hd_open(void *ctx, const char *path, uint32_t mode, uint32_t *bh)
{
    hostdir_t *d = ctx;
    char buf[FILES_PATH_MAX + 1];
    const char *last;
    int dfd, slot = 0;
    while (slot < FILES_HOSTDIR_MAX && d->fd[slot] >= 0)
        slot++;
    if (slot == FILES_HOSTDIR_MAX)
        return FILES_E_NOHANDLES;
    int rc = walk(d, path, buf, &dfd, &last);
    if (rc)
        return rc;
    int fl = (mode & FILES_M_WRITE) ? ((mode & FILES_M_READ) ? O_RDWR : O_WRONLY) : O_RDONLY;
    if (mode & FILES_M_CREATE)
        fl |= O_CREAT;
    int fd = openat(dfd, last, fl | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0644);
    int e = errno;
    if (fd < 0)
        rc = why(dfd, last, e);
    unwalk(d, dfd);
    if (fd < 0)
        return rc;
    struct stat st = { 0 };
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return S_ISDIR(st.st_mode) ? FILES_E_ISDIR : FILES_E_ACCESS;
    }
    if ((mode & FILES_M_TRUNC) && ftruncate(fd, 0) != 0) {
        e = errno;
        close(fd);
        return from_errno(e);
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
    d->fd[slot] = fd;
    *bh = (uint32_t)slot;
    return FILES_OK;
}

static int hd_close(void *ctx, uint32_t bh)
{
    hostdir_t *d = ctx;
    int fd = fd_of(d, bh);
    if (fd < 0)
        return FILES_E_HANDLE;
    d->fd[bh] = -1;
    return close(fd) == 0 ? FILES_OK : FILES_E_IO;
}

static int hd_read(void *ctx, uint32_t bh, uint64_t off, void *buf, uint32_t n, uint32_t *got)
{
    int fd = fd_of(ctx, bh);
    *got = 0;
    if (fd < 0)
        return FILES_E_HANDLE;
    while (*got < n) {
        ssize_t k = pread(fd, (char *)buf + *got, n - *got, (off_t)(off + *got));
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return from_errno(errno);
        if (k == 0)
            break;
        *got += (uint32_t)k;
    }
    return FILES_OK;
}

static int hd_write(void *ctx, uint32_t bh, uint64_t off, const void *buf, uint32_t n)
{
    int fd = fd_of(ctx, bh);
    if (fd < 0)
        return FILES_E_HANDLE;
    uint32_t done = 0;
    while (done < n) {
        ssize_t k = pwrite(fd, (const char *)buf + done, n - done, (off_t)(off + done));
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return k < 0 ? from_errno(errno) : FILES_E_IO;
        done += (uint32_t)k;
    }
    return FILES_OK;
}

static int hd_size(void *ctx, uint32_t bh, uint64_t *size)
{
    int fd = fd_of(ctx, bh);
    struct stat st;
    *size = 0;
    if (fd < 0)
        return FILES_E_HANDLE;
    if (fstat(fd, &st) != 0)
        return from_errno(errno);
    *size = (uint64_t)st.st_size;
    return FILES_OK;
}

static int hd_resize(void *ctx, uint32_t bh, uint64_t size)
{
    int fd = fd_of(ctx, bh);
    if (fd < 0)
        return FILES_E_HANDLE;
    return ftruncate(fd, (off_t)size) == 0 ? FILES_OK : from_errno(errno);
}

static int hd_flush(void *ctx, uint32_t bh)
{
    int fd = fd_of(ctx, bh);
    if (fd < 0)
        return FILES_E_HANDLE;
    return fdatasync(fd) == 0 ? FILES_OK : from_errno(errno);
}

static int hd_remove(void *ctx, const char *path)
{
    hostdir_t *d = ctx;
    char buf[FILES_PATH_MAX + 1];
    const char *last;
    int dfd, rc = walk(d, path, buf, &dfd, &last);
    if (rc)
        return rc;
    if (unlinkat(dfd, last, 0) != 0)
        rc = from_errno(errno);
    unwalk(d, dfd);
    return rc;
}

static int hd_rename(void *ctx, const char *from, const char *to)
{
    hostdir_t *d = ctx;
    char b1[FILES_PATH_MAX + 1], b2[FILES_PATH_MAX + 1];
    const char *l1, *l2;
    int d1, d2, rc = walk(d, from, b1, &d1, &l1);
    if (rc)
        return rc;
    if ((rc = walk(d, to, b2, &d2, &l2))) {
        unwalk(d, d1);
        return rc;
    }
    if (renameat(d1, l1, d2, l2) != 0)
        rc = from_errno(errno);
    unwalk(d, d1);
    unwalk(d, d2);
    return rc;
}

static void fill(const struct stat *st, files_stat_t *out)
{
    out->size = (uint64_t)st->st_size;
    out->type = S_ISREG(st->st_mode) ? FILES_T_FILE : S_ISDIR(st->st_mode) ? FILES_T_DIR : FILES_T_OTHER;
}

static int hd_stat(void *ctx, const char *path, files_stat_t *out)
{
    hostdir_t *d = ctx;
    char buf[FILES_PATH_MAX + 1];
    const char *last;
    int dfd, rc = walk(d, path, buf, &dfd, &last);
    if (rc)
        return rc;
    struct stat st;
    if (fstatat(dfd, last, &st, AT_SYMLINK_NOFOLLOW) != 0)
        rc = from_errno(errno);
    else if (S_ISLNK(st.st_mode))
        rc = FILES_E_PATH;                 /* never followed, never described */
    else
        fill(&st, out);
    unwalk(d, dfd);
    return rc;
}

static int hd_list(void *ctx, const char *dir, uint32_t index, files_stat_t *out)
{
    hostdir_t *d = ctx;
    int fd;
    if (!*dir) {
        fd = openat(d->root, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return from_errno(errno);
    } else {
        char buf[FILES_PATH_MAX + 1];
        const char *last;
        int dfd, rc = walk(d, dir, buf, &dfd, &last);
        if (rc)
            return rc;
        fd = openat(dfd, last, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int e = errno;
        if (fd < 0)
            rc = why(dfd, last, e);
        unwalk(d, dfd);
        if (fd < 0)
            return rc;
    }
    DIR *dp = fdopendir(fd);
    if (!dp) {
        close(fd);
        return FILES_E_IO;
    }
    int rc = FILES_E_END;
    struct dirent *de;
    uint32_t i = 0;
    while ((de = readdir(dp))) {
        size_t n = strlen(de->d_name);
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || n > FILES_NAME_MAX)
            continue;
        if (i++ != index)
            continue;
        struct stat st;
        if (fstatat(dirfd(dp), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            rc = from_errno(errno);
            break;
        }
        fill(&st, out);
        memcpy(out->name, de->d_name, n + 1);
        rc = FILES_OK;
        break;
    }
    closedir(dp);
    return rc;
}

int files_hostdir_open(const char *dir, files_backend_t *be)
{
    int root = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return errno;
    hostdir_t *d = malloc(sizeof *d);
    if (!d) {
        close(root);
        return ENOMEM;
    }
    d->root = root;
    for (int i = 0; i < FILES_HOSTDIR_MAX; i++)
        d->fd[i] = -1;
    *be = (files_backend_t){
        .ctx = d, .open = hd_open, .close = hd_close, .read = hd_read, .write = hd_write,
        .size = hd_size, .resize = hd_resize, .flush = hd_flush, .remove = hd_remove,
        .rename = hd_rename, .stat = hd_stat, .list = hd_list,
    };
    return 0;
}

void files_hostdir_close(files_backend_t *be)
{
    hostdir_t *d = be->ctx;
    if (!d)
        return;
    for (int i = 0; i < FILES_HOSTDIR_MAX; i++)
        if (d->fd[i] >= 0)
            close(d->fd[i]);
    close(d->root);
    free(d);
    be->ctx = NULL;
}
