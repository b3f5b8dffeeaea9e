/*
 * file.c -- the FILE-ACCESS and FACILITY words that go to the host:
 * CREATE-FILE READ-FILE WRITE-FILE FILE-SIZE RESIZE-FILE DELETE-FILE
 * RENAME-FILE FLUSH-FILE FILE-STATUS, MS TIME&DATE KEY? UTIME.  (OPEN-FILE
 * CLOSE-FILE READ-LINE FILE-POSITION REPOSITION-FILE are the hot
 * (open-file) ... primitives of run.c; WRITE-LINE and the fam words are
 * Forth in prelude.fs.)
 *
 * Each word leaves its arguments on the stack and returns RC_HOST: the
 * inner interpreter then calls the hook in the reserved host slot exactly
 * like a host word, so a hook may be asynchronous (FVM_PENDING).  Without
 * a hook, the word takes its arguments and answers 0s and its ior.
 */
#include "fvm_int.h"

static int hook(fvm_t *vm, int slot, int nin, int nout, cell ior)
{
    NEEDS(nin);
    if (vm->host[slot].fn) {
        vm->host_slot = slot;
        return RC_HOST;
    }
    cell v;
    for (int i = 0; i < nin; i++)
        fvm_pop(vm, &v);
    for (int i = 1; i < nout; i++)
        if (fvm_push(vm, 0))
            return FVM_E_STACK_OVERFLOW;
    return fvm_push(vm, ior);
}

#define NOSUP FVM_E_UNSUPPORTED
int fc_create_file(fvm_t *vm) { return hook(vm, HS_CREATE, 3, 2, FVM_E_NO_FILE); }
int fc_read_file(fvm_t *vm) { return hook(vm, HS_READ, 3, 2, NOSUP); }
int fc_write_file(fvm_t *vm) { return hook(vm, HS_WRITE, 3, 1, NOSUP); }
int fc_file_size(fvm_t *vm) { return hook(vm, HS_SIZE, 1, 3, NOSUP); }
int fc_resize_file(fvm_t *vm) { return hook(vm, HS_RESIZE, 3, 1, NOSUP); }
int fc_delete_file(fvm_t *vm) { return hook(vm, HS_DELETE, 2, 1, NOSUP); }
int fc_rename_file(fvm_t *vm) { return hook(vm, HS_RENAME, 4, 1, NOSUP); }
int fc_flush_file(fvm_t *vm) { return hook(vm, HS_FLUSH, 1, 1, NOSUP); }
int fc_file_status(fvm_t *vm) { return hook(vm, HS_STATUS, 2, 2, NOSUP); }

int fc_ms(fvm_t *vm)
{
    NEEDS(1);
    if (!vm->host[HS_MS].fn)
        return NOSUP;
    vm->host_slot = HS_MS;
    return RC_HOST;
}

int fc_utime(fvm_t *vm)
{
    if (!vm->host[HS_UTIME].fn)
        return NOSUP;
    vm->host_slot = HS_UTIME;
    return RC_HOST;
}

int fc_time_date(fvm_t *vm)
{
    if (!vm->host[HS_TIME_DATE].fn)
        return NOSUP;
    vm->host_slot = HS_TIME_DATE;
    return RC_HOST;
}

/* KEY? is true when KEY would not wait: input the VM holds already, the
 * end of input (KEY then gives 4), or the host's hook says so. */
int fc_keyq(fvm_t *vm)
{
    if (vm->tq_len > vm->tq_line || vm->tq_eof)
        return fvm_push(vm, -1);
    if (!vm->host[HS_KEYQ].fn)
        return fvm_push(vm, 0);
    vm->host_slot = HS_KEYQ;
    return RC_HOST;
}
