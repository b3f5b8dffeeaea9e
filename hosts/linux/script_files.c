/* script_files -- command-line scripts from the host (see script_files.h). */
#include <stdlib.h>
#include <string.h>
#include "script_files.h"
#include "stdio_files.h"

#define MAX_SCRIPTS 64

static struct {
    char *name[MAX_SCRIPTS];
    int n;
    const fvm_file_ops_t *inner;
    fvm_file_ops_t ops;
} sf;

bool script_files_add(const char *name)
{
    if (sf.n == MAX_SCRIPTS || !(sf.name[sf.n] = strdup(name)))
        return false;
    sf.n++;
    return true;
}

static const fvm_file_ops_t *host(void) { return stdio_files_ops(); }

/* The fileid on top of the stack: one of ours (made the host's, true) or
 * the service's (left as it is). */
static bool ours(fvm_t *vm)
{
    fvm_cell_t id;
    if (fvm_pop(vm, &id))
        return false;
    bool mine = id > SCRIPT_FILES_FID && id <= SCRIPT_FILES_FID + STDIO_FILES_MAX;
    fvm_push(vm, mine ? id - SCRIPT_FILES_FID : id);
    return mine;
}

/* ( c-addr u fam -- fileid ior ) */
static int s_open(fvm_t *vm, void *ctx)
{
    (void)ctx;
    fvm_cell_t fam, u, a;
    if (fvm_depth(vm) < 3)
        return FVM_E_STACK_UNDERFLOW;
    fvm_pop(vm, &fam);
    fvm_pop(vm, &u);
    fvm_pop(vm, &a);
    const char *s = u > 0 ? fvm_mem(vm, a, (size_t)u) : NULL;
    bool mine = false;
    for (int i = 0; s && fam == 0 && i < sf.n && !mine; i++)
        mine = strlen(sf.name[i]) == (size_t)u && memcmp(sf.name[i], s, (size_t)u) == 0;
    fvm_push(vm, a);
    fvm_push(vm, u);
    fvm_push(vm, fam);
    if (!mine)
        return sf.inner->open(vm, sf.inner->ctx);
    int rc = host()->open(vm, host()->ctx);
    fvm_cell_t id, ior;
    if (rc || fvm_pop(vm, &ior) || fvm_pop(vm, &id))
        return rc ? rc : FVM_E_STACK_UNDERFLOW;
    fvm_push(vm, ior ? 0 : id + SCRIPT_FILES_FID);
    return fvm_push(vm, ior);
}

#define WRAP(name, field)                                               \
    static int name(fvm_t *vm, void *ctx)                               \
    {                                                                   \
        (void)ctx;                                                      \
        return ours(vm) ? host()->field(vm, host()->ctx)                \
                        : sf.inner->field(vm, sf.inner->ctx);           \
    }
WRAP(s_close, close)
WRAP(s_read_line, read_line)
WRAP(s_position, position)
WRAP(s_reposition, reposition)

const fvm_file_ops_t *script_files_ops(const fvm_file_ops_t *inner)
{
    sf.inner = inner;
    sf.ops = (fvm_file_ops_t){ s_open, s_close, s_read_line, s_position, s_reposition, NULL };
    return &sf.ops;
}
