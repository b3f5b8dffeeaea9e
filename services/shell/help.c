/* help -- the shells' `help` (see help.h). */
#include "help.h"

static size_t slen(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

static void puts_vm(fvm_t *vm, const char *s) { fvm_type(vm, s, slen(s)); }

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static bool same(const char *a, const char *b, size_t n)
{
    if (slen(a) != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (lower((unsigned char)a[i]) != lower((unsigned char)b[i]))
            return false;
    return true;
}

static void pad_to(fvm_t *vm, size_t used, size_t col)
{
    while (used++ < col)
        fvm_type(vm, " ", 1);
}

static void entry(fvm_t *vm, const help_entry_t *e, bool topic)
{
    puts_vm(vm, e->word);
    fvm_type(vm, " ", 1);
    puts_vm(vm, e->stack);
    if (*e->text) {
        puts_vm(vm, "  ");
        puts_vm(vm, e->text);
    }
    if (topic) {
        puts_vm(vm, "  [");
        puts_vm(vm, help_topics[e->topic].name);
        puts_vm(vm, "]");
    }
    fvm_type(vm, "\n", 1);
}

static void topics(fvm_t *vm, bool clio)
{
    puts_vm(vm, "help TOPIC lists a topic's words, help WORD shows one. Topics:\n");
    for (unsigned t = 0; t < help_nwordsets_from && t < help_ntopics; t++) {
        if (help_topics[t].clio && !clio)
            continue;
        puts_vm(vm, "  ");
        puts_vm(vm, help_topics[t].name);
        pad_to(vm, slen(help_topics[t].name), 10);
        puts_vm(vm, help_topics[t].summary);
        fvm_type(vm, "\n", 1);
    }
    puts_vm(vm, "Keys: Ctrl-C interrupts a word, Up/Down recall lines, Tab completes a word\n"
                "(in build/forth, build/clio's console and the graphical shell). WORDS lists\n"
                "the words, SEE WORD shows one; BYE or Ctrl-D leaves.\n");
}

static void word_sets(fvm_t *vm)
{
    puts_vm(vm, "The word sets (help SET lists one):\n");
    size_t col = 0;
    for (unsigned t = help_nwordsets_from; t < help_ntopics; t++) {
        size_t n = slen(help_topics[t].name);
        if (col + n + 2 > fvm_columns(vm) - 2) {
            fvm_type(vm, "\n", 1);
            col = 0;
        }
        puts_vm(vm, "  ");
        puts_vm(vm, help_topics[t].name);
        col += n + 2;
    }
    puts_vm(vm, "\n");
}

void help_show(fvm_t *vm, const char *name, size_t n, bool clio)
{
    if (n == 0) {
        topics(vm, clio);
        return;
    }
    bool found = false;
    for (unsigned t = 0; t < help_ntopics; t++) {
        if (!same(help_topics[t].name, name, n) || (help_topics[t].clio && !clio))
            continue;
        found = true;
        if (t + 1 == help_nwordsets_from)
            word_sets(vm);
        for (unsigned i = 0; i < help_nentries; i++)
            if (help_entries[i].topic == t) {
                puts_vm(vm, "  ");
                entry(vm, &help_entries[i], false);
            }
    }
    for (unsigned i = 0; i < help_nentries; i++) {
        const help_entry_t *e = &help_entries[i];
        if (same(e->word, name, n) && (clio || !help_topics[e->topic].clio)) {
            entry(vm, e, true);
            found = true;
        }
    }
    bool other = false;                  /* build/forth asked for a word of clio's */
    for (unsigned i = 0; !found && !clio && i < help_nentries; i++)
        if (same(help_entries[i].word, name, n)) {
            entry(vm, &help_entries[i], true);
            other = true;
        }
    if (other)
        puts_vm(vm, "  (a word of build/clio, not of this Forth)\n");
    else if (!found) {
        puts_vm(vm, "no help for ");
        fvm_type(vm, name, n);
        puts_vm(vm, " (help lists the topics)\n");
    }
}

/* help ( "name" -- ): a listing (fvm_listing), so a long one (help core)
 * comes whole through a small output ring */
static int w_help(fvm_t *vm, void *ctx)
{
    size_t n;
    fvm_listing(vm);
    const char *s = fvm_parse_name(vm, &n);
    help_show(vm, s, n, ctx != NULL);
    return fvm_listed(vm);
}

int help_register(fvm_t *vm, bool clio)
{
    fvm_word_t w = { "help", w_help, clio ? (void *)1 : NULL, 0 };
    return fvm_register(vm, &w, 1);
}
