/* rlshell -- readline for a Forth shell: Tab completion, Ctrl-C (see rlshell.h). */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <readline/history.h>
#include <readline/readline.h>

#include "rlshell.h"

#define MATCH_BYTES (64 * 1024)

static struct {
    rlshell_words_fn words;
    void *ctx;
    char dir[4096];
    bool root;                  /* file names are a file root's (confined) */
    /* the current completion's candidates, NUL-separated */
    char *buf;
    size_t len, pos;
    int upper, lower;           /* the case the user typed in */
} c;

/* Words whose next word is a file name. */
static const char *const file_words[] = {
    "include", "required", "require", "included", "cat", "rm", "mv", "ls-dir",
    "save-line", "open-blocks",
};

/* ---- Forth words ------------------------------------------------------------ */

struct walk {
    const char *prefix;
    size_t n;
};

/* add(): keep the names that start with the prefix (any case) */
static int add_name(void *actx, const char *name, size_t len)
{
    struct walk *w = actx;
    if (len < w->n || strncasecmp(name, w->prefix, w->n) != 0)
        return 0;
    if (c.len + len + 1 > MATCH_BYTES)
        return 0;                          /* no room: leave it out */
    memcpy(c.buf + c.len, name, len);
    c.buf[c.len + len] = 0;
    c.len += len + 1;
    return 0;
}

/* A candidate in the case the user typed: all lower or all upper case
 * when the typed part was, else as the dictionary has it. */
static char *cased(const char *name)
{
    char *s = strdup(name);
    for (char *p = s; s && *p; p++) {
        if (c.lower && !c.upper)
            *p = (char)tolower((unsigned char)*p);
        else if (c.upper && !c.lower)
            *p = (char)toupper((unsigned char)*p);
    }
    return s;
}

static char *word_gen(const char *text, int state)
{
    if (!state) {
        c.len = c.pos = 0;
        c.upper = c.lower = 0;
        for (const char *p = text; *p; p++) {
            c.upper |= isupper((unsigned char)*p) != 0;
            c.lower |= islower((unsigned char)*p) != 0;
        }
        struct walk w = { text, strlen(text) };
        if (c.words && c.buf)
            c.words(c.ctx, text, w.n, add_name, &w);
    }
    while (c.pos < c.len) {
        /* skip duplicates (the same name in two word lists, any case) */
        const char *name = c.buf + c.pos;
        size_t nl = strlen(name);
        c.pos += nl + 1;
        int dup = 0;
        for (size_t q = 0; q + nl + 1 < c.pos && !dup; q += strlen(c.buf + q) + 1)
            dup = strcasecmp(c.buf + q, name) == 0;
        if (!dup)
            return cased(name);
    }
    return NULL;
}

/* ---- file names --------------------------------------------------------------- */

static DIR *fd_dir;
static char fd_base[4096], fd_pre[4096];

/* The directory part of a typed name (fd_pre, ends in '/' or is empty),
 * opened; NULL if it is none.  Confined (c.root): only a path the file
 * service would take -- no leading '/', no ".." component -- resolved
 * from files_dir one component at a time without following a symbolic
 * link (as files_hostdir does). */
static DIR *open_typed_dir(void)
{
    char path[8192];
    if (!c.root) {
        if (fd_pre[0] == '/')
            snprintf(path, sizeof path, "%s", fd_pre);
        else
            snprintf(path, sizeof path, "%s/%s", c.dir, fd_pre);
        return opendir(path);
    }
    if (fd_pre[0] == '/')
        return NULL;
    int fd = open(c.dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    snprintf(path, sizeof path, "%s", fd_pre);
    for (char *p = path, *slash; fd >= 0 && (slash = strchr(p, '/')); p = slash + 1) {
        *slash = 0;
        if (!*p)
            continue;                               /* "a//b" */
        int nfd = strcmp(p, "..") ? openat(fd, p, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
        close(fd);
        fd = nfd;
    }
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d && fd >= 0)
        close(fd);
    return d;
}

/* Names in files_dir/<the typed directory part> starting with the rest;
 * directories get a '/', dot entries only when asked for.  Confined: only
 * regular files and directories, never a symbolic link. */
static char *file_gen(const char *text, int state)
{
    if (!state) {
        if (fd_dir)
            closedir(fd_dir);
        const char *slash = strrchr(text, '/');
        size_t dl = slash ? (size_t)(slash - text) + 1 : 0;
        snprintf(fd_pre, sizeof fd_pre, "%.*s", (int)dl, text);
        snprintf(fd_base, sizeof fd_base, "%s", text + dl);
        fd_dir = open_typed_dir();
    }
    struct dirent *e;
    while (fd_dir && (e = readdir(fd_dir)) != NULL) {
        if (strncmp(e->d_name, fd_base, strlen(fd_base)) != 0)
            continue;
        if (e->d_name[0] == '.' && fd_base[0] != '.')
            continue;
        struct stat st;
        int known = fstatat(dirfd(fd_dir), e->d_name, &st, c.root ? AT_SYMLINK_NOFOLLOW : 0) == 0;
        int isdir = known && S_ISDIR(st.st_mode);
        if (c.root && !isdir && !(known && S_ISREG(st.st_mode)))
            continue;
        char *out;
        if (asprintf(&out, "%s%s%s", fd_pre, e->d_name, isdir ? "/" : "") < 0)
            return NULL;
        if (isdir)
            rl_completion_suppress_append = 1;
        return out;
    }
    if (fd_dir) {
        closedir(fd_dir);
        fd_dir = NULL;
    }
    return NULL;
}

/* ---- readline's hook ---------------------------------------------------------- */

/* Is the word before `start` in the line one that takes a file name? */
static int wants_file(int start)
{
    int e = start;
    while (e > 0 && isspace((unsigned char)rl_line_buffer[e - 1]))
        e--;
    int b = e;
    while (b > 0 && !isspace((unsigned char)rl_line_buffer[b - 1]))
        b--;
    for (size_t i = 0; i < sizeof file_words / sizeof file_words[0]; i++)
        if ((size_t)(e - b) == strlen(file_words[i]) &&
            strncasecmp(rl_line_buffer + b, file_words[i], (size_t)(e - b)) == 0)
            return 1;
    return 0;
}

static int ambiguous;                     /* the last completion had 2+ candidates */

static char **attempt(const char *text, int start, int end)
{
    (void)end;
    rl_attempted_completion_over = 1;     /* never readline's own file names */
    char **m = rl_completion_matches(text, wants_file(start) ? file_gen : word_gen);
    ambiguous = m && m[1];
    return m;
}

/* Tab: complete; a second Tab after an ambiguous one lists the candidates,
 * also when the first inserted their common prefix (readline alone wants
 * a third Tab then). */
static int on_tab(int count, int key)
{
    if (rl_last_func == on_tab && ambiguous)
        return rl_possible_completions(count, key);
    return rl_complete(count, key);
}

void rlshell_complete(rlshell_words_fn words, void *ctx, const char *files_dir, bool root)
{
    c.root = root;
    c.words = words;
    c.ctx = ctx;
    snprintf(c.dir, sizeof c.dir, "%s", files_dir && *files_dir ? files_dir : ".");
    if (!c.buf)
        c.buf = malloc(MATCH_BYTES);
    rl_attempted_completion_function = attempt;
    rl_basic_word_break_characters = " \t\n";
    rl_completer_word_break_characters = (char *)" \t\n";
    rl_completer_quote_characters = NULL;
    rl_variable_bind("completion-ignore-case", "on");
    rl_bind_key('\t', on_tab);
}

/* ---- Ctrl-C ------------------------------------------------------------------ */

static volatile int *ctrl_c_flag;
static void (*ctrl_c_then)(void);

static int on_ctrl_c(int count, int key)
{
    (void)count, (void)key;
    rl_point = rl_end;
    rl_redisplay();
    fputs("^C\n", rl_outstream);
    rl_replace_line("", 0);
    if (ctrl_c_flag)
        *ctrl_c_flag = 1;
    rl_done = 1;
    if (ctrl_c_then)
        ctrl_c_then();
    return 0;
}

void rlshell_ctrl_c(volatile int *aborted, void (*then)(void))
{
    ctrl_c_flag = aborted;
    ctrl_c_then = then;
    rl_bind_key(3, on_ctrl_c);
}

/* ---- history -------------------------------------------------------------------- */

static char *hist_path;

bool rlshell_history_open(const char *path)
{
    free(hist_path);
    hist_path = NULL;
    using_history();
    stifle_history(RLSHELL_HISTORY_LINES);
    FILE *f = fopen(path, "a");                /* append_history needs the file */
    if (!f)
        return false;
    fclose(f);
    if (!(hist_path = strdup(path)))
        return false;
    history_truncate_file(hist_path, RLSHELL_HISTORY_LINES);
    read_history(hist_path);
    return true;
}

void rlshell_history_add(const char *line)
{
    HIST_ENTRY *last = history_length ? history_get(history_base + history_length - 1) : NULL;
    if (!*line || (last && strcmp(last->line, line) == 0))
        return;
    add_history(line);
    if (hist_path)
        append_history(1, hist_path);
}

void rlshell_history_close(void)
{
    if (hist_path)
        history_truncate_file(hist_path, RLSHELL_HISTORY_LINES);
}

unsigned rlshell_columns(void)
{
    struct winsize ws;
    return ioctl(1, TIOCGWINSZ, &ws) == 0 ? ws.ws_col : 0;
}
