/*
 * fuzz_forth_text -- Forth source text through the QUIT loop.
 *
 * The input is text: it is cut into lines at '\n' and handed to the VM with
 * fvm_input whenever fvm_run asks (FVM_NEED_INPUT, for a line, ACCEPT or
 * KEY), with FZ_FUEL per fvm_run and at most FZ_RUNS runs.  Every status is
 * handled; fvm_run must return an fvm_status_t, an FVM_ERROR must carry
 * readable error fields, the depth must stay sane.  After the input, the VM
 * must answer "1 2 + ." with "3 " -- unless the input holds a word with
 * which a program may legitimately ruin its VM (fuzz_fvm.h's list).  Each
 * input starts from a fresh VM (the snapshot).
 */
#include "fuzz_fvm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    size_t off = 0;
    int runs = 0, fuel_runs = 0, zero_takes = 0, done = 0;
    fz_fresh();
    while (!done && runs < FZ_RUNS) {
        fvm_status_t st = fvm_run(fz_vm, FZ_FUEL);
        runs++;
        fz_check_status(st);
        switch (st) {
        case FVM_NEED_INPUT: {
            fuel_runs = 0;
            if (off >= size) {
                done = 1;
                break;
            }
            size_t end = off;
            while (end < size && s[end] != '\n')
                end++;
            if (end < size)
                end++;                          /* with its newline */
            size_t took = fvm_input(fz_vm, s + off, end - off);
            FZ_CHECK(took <= end - off, "fvm_input took %zu of %zu", took, end - off);
            off += took;
            if (took == 0 && ++zero_takes > 16)
                FZ_CHECK(0, "fvm_input takes nothing at NEED_INPUT (wants %d)",
                         (int)fvm_wants(fz_vm));
            if (took)
                zero_takes = 0;
            break;
        }
        case FVM_OUT_OF_FUEL:
        case FVM_WAIT:              /* no async words; output never blocks */
            if (++fuel_runs > 8)
                return 0;           /* a runaway program: fine, give up */
            break;
        case FVM_BYE:
            return 0;
        case FVM_ERROR:
        case FVM_DONE:
            break;
        }
    }
    if (!done)
        return 0;                   /* ran out of runs */
    int ok = fz_sanity();
    if (!fz_tainted(s, size))
        FZ_CHECK(ok == 1, "the VM no longer answers \"1 2 + .\" with \"3 \" (%d) after input "
                 "with no storing/defining word", ok);
    return 0;
}
