/* complete -- Tab completion of Forth words for ledit (see complete.h). */
#include "complete.h"

#define NAME_MAX_LEN 64

struct walk {
    const char *pre;             /* the typed part */
    uint32_t n;
    char lcp[NAME_MAX_LEN];      /* the candidates' longest common prefix */
    uint32_t lcp_len;
    unsigned count;
    char *list;
    uint32_t cap, len;
    bool lo, up;                 /* the case typed: lower/upper letters in it */
};

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

/* c in the case the user typed: all lower or all upper case, else as is */
static int cased(const struct walk *w, int c)
{
    return w->lo && !w->up ? lower(c) : w->up && !w->lo ? upper(c) : c;
}

static int candidate(void *ctx, const char *name, size_t len)
{
    struct walk *w = ctx;
    if (len < w->n || len >= NAME_MAX_LEN)
        return 0;
    for (uint32_t i = 0; i < w->n; i++)
        if (lower((unsigned char)name[i]) != lower((unsigned char)w->pre[i]))
            return 0;
    if (w->count++ == 0) {
        for (size_t i = 0; i < len; i++)
            w->lcp[i] = name[i];
        w->lcp_len = (uint32_t)len;
    } else {
        uint32_t k = 0;
        while (k < w->lcp_len && k < len &&
               lower((unsigned char)w->lcp[k]) == lower((unsigned char)name[k]))
            k++;
        w->lcp_len = k;
    }
    if (w->list && w->len + len + 1 <= w->cap) {
        for (size_t i = 0; i < len; i++)
            w->list[w->len++] = (char)cased(w, (unsigned char)name[i]);
        w->list[w->len++] = ' ';
    }
    return 0;
}

complete_res_t complete_tab(ledit_t *e, fvm_t *vm, bool again, char *list, uint32_t cap,
                            uint32_t *len)
{
    *len = 0;
    uint32_t start = e->pos;
    while (start > 0 && e->buf[start - 1] != ' ')
        start--;
    if (start == e->pos || !vm)
        return COMPLETE_NONE;
    struct walk w = { .pre = e->buf + start, .n = e->pos - start, .list = list, .cap = cap };
    for (uint32_t i = 0; i < w.n; i++) {
        w.lo |= w.pre[i] >= 'a' && w.pre[i] <= 'z';
        w.up |= w.pre[i] >= 'A' && w.pre[i] <= 'Z';
    }
    fvm_each_word(vm, candidate, &w);
    if (w.count == 0)
        return COMPLETE_NONE;
    if (w.count > 1 && (again || w.lcp_len == w.n)) {
        *len = w.len;
        return COMPLETE_LIST;
    }
    for (uint32_t i = w.n; i < w.lcp_len; i++)
        ledit_key(e, (uint8_t)cased(&w, (unsigned char)w.lcp[i]));
    if (w.count == 1) {
        ledit_key(e, ' ');
        return COMPLETE_ONE;
    }
    return COMPLETE_SOME;
}
