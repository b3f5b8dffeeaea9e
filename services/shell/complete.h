/*
 * complete -- Tab completion of Forth words for a line edited with ledit
 * (prefix complete_).  Freestanding; the graphical shell uses it.
 *
 * complete_tab(e, vm, again, list, cap, &len) completes the word before
 * the cursor in e (from the space before it to the cursor) from vm's
 * search order (fvm_each_word), case-insensitively, in the case it was
 * typed (all lower or all upper case when the typed part was, else as the
 * dictionary has it): one candidate is inserted whole with a space after
 * it, several their longest common prefix.  When several add nothing --
 * or `again`, the key before this Tab was a Tab that found several -- the
 * candidates go into list (separated by spaces, at most cap bytes, *len
 * of them) for the caller to show.  Nothing typed before the cursor:
 * nothing happens.  The insertion goes through ledit_key, so an echoing
 * editor shows it.
 *
 * Context: wherever vm may be read (between its runs, not inside one).
 */
#ifndef COMPLETE_H
#define COMPLETE_H

#include <stdbool.h>
#include <stdint.h>
#include "fvm.h"
#include "shell/ledit.h"

typedef enum {
    COMPLETE_NONE = 0,       /* no candidate (or nothing typed) */
    COMPLETE_ONE,            /* the only one, inserted */
    COMPLETE_SOME,           /* several: their common prefix inserted */
    COMPLETE_LIST            /* several: listed in list */
} complete_res_t;

complete_res_t complete_tab(ledit_t *e, fvm_t *vm, bool again, char *list, uint32_t cap,
                            uint32_t *len);

#endif
