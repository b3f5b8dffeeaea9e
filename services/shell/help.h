/*
 * help -- the `help` word of the shells (prefix help_): topics and one
 * line per word, generated at build time from docs/words.md, docs/clio.md
 * and docs/display.md (services/shell/mkhelp.py), so help and the docs
 * cannot drift.
 *
 *   help          the topics, and the keys every shell has
 *   help TOPIC    a topic's words with their stack effects (help words:
 *                 the word sets, each a topic of its own)
 *   help WORD     its stack effect and one line (case-insensitive)
 *
 * help_show() prints with fvm_type (the caller's VM, in order with its
 * output).  help_register() adds the host word `help ( "name" -- )` to a
 * VM (it parses its argument with fvm_parse_name); clio: true for clio's
 * topics too, false for the VM's words alone (build/forth).  Freestanding.
 */
#ifndef HELP_H
#define HELP_H

#include <stdbool.h>
#include <stddef.h>
#include "fvm.h"

typedef struct {
    const char *name, *summary;
    unsigned char clio;          /* a topic of clio's, not the VM's */
} help_topic_t;

typedef struct {
    const char *word, *stack, *text;
    unsigned short topic;        /* index into help_topics */
} help_entry_t;

/* generated (mkhelp.py) */
extern const help_topic_t help_topics[];
extern const unsigned help_ntopics, help_nwordsets_from;
extern const help_entry_t help_entries[];
extern const unsigned help_nentries;

void help_show(fvm_t *vm, const char *name, size_t n, bool clio);
int help_register(fvm_t *vm, bool clio);

#endif
