/*
 * fvm_int.h -- the inside of the Forth VM; shared by the forth/ sources only.
 *
 * Memory.  The host's block is laid out as
 *
 *   [struct fvm][host word table][data stack][return stack]
 *   [addressable memory: sysvars, dictionary ... | buffers][guard cells]
 *
 * Forth addresses are virtual: the addressable memory is [lo, hi) with
 * lo = FVM_VBASE, and host address = bias + virtual.  Small numbers are
 * therefore never valid addresses.  Everything outside [lo, hi) -- the VM
 * struct, the stacks, the host table -- cannot be named by a Forth program.
 * Only [wlo, hi) is writable: below wlo lies the system dictionary (the
 * primitives' headers, the QUIT loop, the prelude), which a program can
 * read and run but not break.  A forked VM also sees its ancestors'
 * dictionaries, as they were when it was forked, as read-only "image"
 * regions below its own (img[]): a child can neither corrupt its parent
 * nor be corrupted through shared memory; they talk by messages.
 *
 * Code.  A colon definition is a sequence of cells.  A cell below NPRIM is a
 * primitive token, anything else is the execution token (virtual address of
 * the code field) of a word to call.  A code field holds a token: a
 * primitive, or one of the "kinds" (DOCOL, DOCREATE, ...).  Every token and
 * every target the inner interpreter jumps to is checked before use, so
 * forged code can do no more than throw.
 *
 * Header:  [name bytes, padded][info: len | flags<<8][link][CFA][body...]
 * xt = address of CFA; link = xt of the previous word in the word list.
 * A word list id is the address of a head cell (the xt of its newest
 * word); a name token is an xt.
 *
 * Heap (memalloc.c).  ALLOCATE's blocks fill [limit, heap_top) at the top
 * of the data space: the dictionary grows up to `limit`, the heap grows
 * down by moving it.
 *
 * Locals (locals.c).  A frame on the return stack, found through fpd
 * (r0 - frame pointer) by (local@) k / (local!) k; CATCH frames save fpd.
 *
 * Floats (float.c, fout.c, fwords.c, run_float.h).  A float stack of
 * IEEE binary64 beside the data and return stacks (not addressable), its
 * top cached like the data stack's; CATCH frames save its depth.  A float
 * in memory or in code (FLITERAL, FCONSTANT) takes FCELLS cells and may sit
 * at any address: F@ and friends copy bytes.
 */
#ifndef FVM_INT_H
#define FVM_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "fvm.h"

typedef fvm_cell_t cell;
typedef fvm_ucell_t ucell;

#define CELL ((cell)sizeof(cell))
#define CELL_BITS (8 * (int)sizeof(cell))
#define LOG2_CELL (sizeof(cell) == 8 ? 3 : 2)
#define FVM_VBASE ((ucell)0x10000)     /* virtual address of the first byte */

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
/* Hot data-driven loops (the dictionary walk) are left out of libFuzzer's
 * coverage tracing: their compares are not program paths, and tracing them
 * would slow each fuzz input several times over. */
#if defined(__clang__)
#define FVM_NO_COVERAGE __attribute__((no_sanitize("coverage")))
#else
#define FVM_NO_COVERAGE
#endif

/* Double cells, for the mixed-precision words. */
#if UINTPTR_MAX > 0xffffffffu
typedef __int128 dcell;
typedef unsigned __int128 udcell;
#else
typedef int64_t dcell;
typedef uint64_t udcell;
#endif

/* ---- sizes ---------------------------------------------------------------- */
/* The terminal input queue and the file line area grow with the VM's
 * block (block / TQ_DIV, block / LINE_DIV) between these bounds: a clio
 * shell's 72 KiB holds 4096-character lines, a 32 KiB child half that. */
#define TQ_MIN        1024
#define TQ_MAX        4224   /* a 4096-character line, its '\n' and some more */
#define TQ_DIV        16
#define LINE_AREA_MIN 2048
#define LINE_AREA_MAX 4352   /* the line buffers of all nested files */
#define LINE_DIV      16
#define LINE_MAX_LEN  4100   /* one file's line buffer: 4098 characters */
#define FILE_NAME_MAX 255    /* a file source's name (kept for errors, (near)) */
#define MAX_SOURCES   12     /* input source nesting (files + EVALUATE) */
#define MAX_FILES     8      /* of which files */
#define WORD_BUF      260    /* WORD's counted string */
#define HOLD_SIZE     256    /* pictured numeric output */
#define PAD_SIZE      256
#define SBUF_SIZE     256    /* each of the interpreted-S" buffers */
#define SBUF_N        4      /* ... used in turn (11.3.4 asks for two) */
#define MAX_ORDER     16     /* search order */
#define MAX_NAME      31     /* longest name kept in a header */
#define ERR_CTX       128    /* fvm_error_t.context */
#define GUARD_CELLS   4
#define FVM_MAX_IMAGES 4     /* fork depth */
#define FC_SIZE       128    /* find cache entries (a power of 2) */
#define FC_WAYS       4      /* ... in sets of FC_WAYS, newest first */
#define FB_BYTES      1024   /* names_seen bits / 8 (a power of 2) */
#define OUT_BUF       256    /* output buffered before the write hook */
#define MAX_WORDLISTS 64     /* word lists a VM keeps track of (MARKER) */
#define MAX_LOCALS    32     /* locals of one definition */
#define BLK_SLOTS     4      /* block buffers (block.c) */
#define BLK_NAME_MAX  63     /* longest block file name */
#define FVM_BLOCK_MAX 65535  /* highest block number: a 64 MiB block file */
#define FCELLS ((int)(sizeof(double) / sizeof(cell)))   /* cells a float takes */
#define FVM_INTR_SLICE 65536 /* fuel between two looks at fvm_interrupt's flag */

/* ---- header flags --------------------------------------------------------- */
#define F_IMMEDIATE   0x01
#define F_HIDDEN      0x02
#define F_COMPILE_ONLY 0x04

/* ---- tokens ----------------------------------------------------------------
 * P(id, name, flags) for primitives the inner interpreter runs itself (hot),
 * C(id, name, flags, fn) for primitives written as C functions (cold).       */
#include "prims.h"

enum {
#define P(id, name, fl) T_##id,
#define C(id, name, fl, fn) T_##id,
    FVM_PRIMS
#undef P
#undef C
    NPRIM,
    /* kinds: only valid in a code field */
    K_DOCOL = NPRIM, K_DOCREATE, K_DOCON, K_DOVALUE, K_DODEFER, K_DOHOST,
    K_DO2CON, K_DO2VALUE, K_DOMARKER, K_DOFCON, K_DOFVALUE,
    NTOK
};

/* ---- sysvars: addressable cells at lo ------------------------------------- */
enum {
    V_BASE, V_STATE, V_TOIN, V_FORTH_WL,
    V_UNCATCH,             /* code: [(uncatch)] -- where CATCH's xt returns */
    V_ENTRY0, V_ENTRY1,    /* code: [xt][(halt)] -- fvm_execute */
    V_BLK, V_SCR,          /* BLK (the block being interpreted, else 0), SCR */
    V_NSYS
};

/* ---- input sources ---------------------------------------------------------- */
enum { SRC_TERM, SRC_STRING, SRC_FILE, SRC_BLOCK };   /* SRC_BLOCK: fileid = u */

typedef struct {
    int kind;
    ucell buf, len;        /* SOURCE */
    cell toin;             /* >IN, saved while another source is current */
    cell fileid;
    ucell linebuf;         /* this file's line buffer */
    unsigned line;         /* line number of the current line */
    cell pos_lo, pos_hi;   /* file position of the current line's start */
    ucell name, namelen;   /* a file's name: in the line area, below linebuf */
} src_t;

typedef struct {
    fvm_host_fn fn;
    void *ctx;
} hostword_t;

/* Host-word slots reserved for the file and facility hooks; HS_NFILE is
 * the number of reserved slots. */
enum {
    HS_OPEN, HS_CLOSE, HS_READ_LINE, HS_POSITION, HS_REPOSITION,
    HS_CREATE, HS_READ, HS_WRITE, HS_SIZE, HS_RESIZE, HS_DELETE, HS_RENAME,
    HS_FLUSH, HS_STATUS,
    HS_MS, HS_TIME_DATE, HS_KEYQ, HS_UTIME,
    HS_NFILE
};

/* Catch frame on the return stack (cells, from the top). */
enum { CF_IP, CF_PREV, CF_DEPTH, CF_NSRC, CF_FP, CF_FDEPTH, CF_SIZE };

/* A local's name at compile time (locals.c). */
typedef struct {
    unsigned char len, idx;
    char name[MAX_NAME];
} local_t;

struct fvm {
    /* inner interpreter state, saved while not running */
    cell *ip;
    cell *sp, tos;
    ucell *rp;
    cell *s0, *slim;       /* data stack: empty when sp == s0 */
    ucell *r0, *rlim;      /* return stack: empty when rp == r0 */
    double *fsp, ftos;     /* float stack (cached top as for the data stack) */
    double *f0, *flim;     /* empty when fsp == f0; flim[-1] is a spare slot */
    long fuel;
    long charge;           /* fuel a primitive or host word owes for work that
                              grows with its input (fvmi_charge, fvm_charge);
                              between runs, what the last could not pay */

    /* memory map */
    uintptr_t bias;        /* host = bias + virtual */
    ucell lo, hi;          /* own addressable range */
    ucell wlo;             /* own writable range is [wlo, hi) */
    ucell wspan, wcspan;   /* hi - wlo, in cells - 1 (fvmi_bounds) */
    /* the stack bounds a check with a small constant depth n compares
     * with in run.c (one compare with memory, no arithmetic): s0 - n,
     * slim + n, r0 - n, rlim + n, f0 - n, flim + n (fvmi_bounds) */
    cell *sneed[5], *sroom[3];
    ucell *rneed[3], *rroom[3];
    double *fneed[4], *froom[3];
    ucell sysv;            /* the sysvars (V_*), at the top */
    struct vregion { uintptr_t bias; ucell lo, hi; } img[FVM_MAX_IMAGES];
    int nimg;              /* ancestors' regions (fvm_fork) */
    /* run.c's copies: the ancestor region last used (the own one before
     * any), checked inline before the slow paths -- a fork's calls, returns
     * and branches into its parents' code mostly land in one region */
    uintptr_t ibias, ihost;  /* host = ibias + virtual; ihost = host of ilo */
    ucell ilo, ispan, icspan;  /* [ilo, ilo + ispan); cells - 2 */
    unsigned char *mem;    /* host address of lo */

    /* dictionary */
    ucell here, limit;     /* data space [here, limit) free */
    cell latest;           /* last defined xt (may be hidden) */
    cell cur_def;          /* xt being compiled (RECURSE) */
    cell current;          /* compilation word list (address of head cell) */
    cell order[MAX_ORDER];
    int norder;
    ucell leave_chain;     /* pending LEAVE branches of the innermost DO */
    ucell last_op;         /* the compiler's last instruction (peep.c) */
    ucell label;           /* a branch target: no fusion across it */
    cell colon_depth;      /* data stack depth at ':' */
    cell prim_xt[NPRIM];   /* xt of each primitive's header */
    cell wordlists[MAX_WORDLISTS];  /* every word list (address of its head) */
    int nwordlists;
    cell included;         /* REQUIRED: list of included file names */

    /* locals (locals.c): the compiler's names, the running frame */
    local_t loc[MAX_LOCALS];
    int nloc;              /* names visible in the current definition */
    int nloc_decl;         /* (LOCAL) names declared, not yet ended */
    bool loc_frame;        /* the definition being compiled has a frame */
    bool loc_locked;       /* a quotation in a definition with locals */
    ucell fpd;             /* running frame: r0 - frame pointer, 0: none */

    /* heap (memalloc.c): blocks in [limit, heap_top) */
    ucell heap_top;
    cell subst;            /* REPLACES: first substitution (heap address) */
    int host_slot;         /* RC_HOST: the reserved host slot to call */

    /* buffers (virtual addresses) */
    ucell word_buf, hold_buf, pad, sbuf[SBUF_N], tq, line_bufs;
    ucell tq_size, line_area;   /* bytes of tq, of the line area at line_bufs */
    int sbuf_next;
    ucell hld;             /* pictured output: next free char going down */

    /* input */
    src_t src[MAX_SOURCES];
    int nsrc;
    int nfiles;
    ucell tq_len;          /* bytes in the terminal queue */
    ucell tq_line;         /* length of the current terminal line incl '\n' */
    bool tq_eof;
    bool tq_skip;          /* dropping the rest of an overlong line */
    bool compsem;          /* a state-smart word runs its compilation
                            * semantics, whatever STATE is ((compile-sem)) */
    fvm_want_t want;
    ucell last_word, last_word_len;  /* last name parsed by the interpreter */

    /* find cache: the last answers, FC_WAYS per set of name hashes, the
     * most recently used first (positive only; every hit is checked against
     * the header; a new or revealed header of that name clears its
     * entries, MARKER clears all) */
    struct fcache { uint32_t key, wl, xt; } fcache[FC_SIZE];  /* 32-bit addresses only */
    /* every name this VM and its ancestors defined, as bits (two per name,
     * from its key; never cleared): a name with a bit clear is defined
     * nowhere, and a number is not looked for in every word list */
    uint8_t names_seen[FB_BYTES];

    /* block buffers (block.c): the heap area, their state, the file */
    struct {
        ucell area;        /* 0: not allocated yet */
        cell fid;
        bool open;         /* fid is the open block file */
        int cur;           /* the current buffer (UPDATE), -1: none */
        uint32_t clock;
        struct blk_slot { cell blk; uint32_t used; uint8_t state; } slot[BLK_SLOTS];
    } blk;

    /* exceptions */
    ucell handler;         /* r0 - rp of the innermost catch frame, 0: none */
    int pending_throw;     /* set by fvm_fail */
    int err_custom;        /* err_msg holds the text for this code (ABORT"'s
                              for -2, a host's fvm_throw_msg), 0: none */
    unsigned long out_lost;  /* bytes TOOLS output dropped while blocked */
    /* a listing (format.c: fvmi_listing_begin .. _end); once list_full
     * nothing more of it is written this run, and a printer may stop */
    bool listing, list_full;
    ucell list_made, list_skip;  /* bytes it gave so far; to skip on its rerun */
    ucell list_work;       /* bytes it offered this run, given or not: paid at its end */
    cell *list_sp, list_tos, list_in;  /* the stack and >IN as it began */
    cell host_xt;          /* the host word being called (FVM_AGAIN) */
    unsigned long term_lines; /* terminal lines read (SAVE-INPUT) */
    fvm_error_t err;
    char err_msg[96], err_word[MAX_NAME + 1], err_src[128], err_ctx[ERR_CTX];
    ucell err_ip;          /* where the last throw was, if the running word
                              there is to name it once uncaught; 0: none */

    /* execution entry (fvm_execute): [xt][HALT] */
    cell entry[2];
    cell quit_body;        /* virtual address of the QUIT loop's code */
    cell *quit_ip;         /* ... and its host address */
    cell exec_xt;          /* RC_EXEC */
    cell marker_xt;        /* the MARKER word being executed */
    int resume_tok;        /* primitive to run again on the next fvm_run */
    int precision;         /* PRECISION: significant digits of F. FE. FS. */
    unsigned columns;      /* the output's width (fvm_set_columns) */
    cell resume_xt;        /* a DEFER's action to run on the next fvm_run, or 0 */
    int intr;              /* fvm_interrupt: throw -28 at the next boundary
                              (written from signal handlers, other threads:
                              __atomic accesses only) */
    int deferred;          /* status held back while output drains, or -1 */

    /* host */
    hostword_t *host;
    unsigned nhost, max_host;
    unsigned nbound;       /* slots [0, nbound) have their functions; a VM
                              from an image binds the rest in fvm_register */
    fvm_config_t cfg;
    char out[OUT_BUF];
    unsigned nout;
    const char *eval_text; /* fvm_eval: the host's text not yet queued */
    size_t eval_len;
    bool eval_active, eval_ended;
};

/* ---- memory access -------------------------------------------------------- */

void *fvmi_img_addr(const fvm_t *vm, ucell a, ucell n);

/* Host pointer for writing [a, a+n), or NULL: own writable range only. */
static inline void *vm_waddr(const fvm_t *vm, ucell a, ucell n)
{
    if (a - vm->wlo <= vm->hi - vm->wlo && n <= vm->hi - a)
        return (void *)(vm->bias + a);
    return NULL;
}

/* Host pointer for reading [a, a+n), or NULL: own region, then the ancestors'. */
static inline void *vm_addr(const fvm_t *vm, ucell a, ucell n)
{
    if (a - vm->lo <= vm->hi - vm->lo && n <= vm->hi - a)
        return (void *)(vm->bias + a);
    return vm->nimg ? fvmi_img_addr(vm, a, n) : NULL;
}

/* The virtual address of host pointer p inside one of the VM's regions. */
ucell fvmi_virt(const fvm_t *vm, const void *p);
/* Bytes in all regions (bounds walks of word lists). */
ucell fvmi_span(const fvm_t *vm);

static inline int lc(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* ---- cross-file helpers (prefix fvmi_) ----------------------------------- */
/* vm.c */
fvm_t *fvmi_layout(void *mem, size_t size, const fvm_config_t *cfg, ucell vbase, ucell min_dict);
/* The copies run.c checks with (wspan, wcspan, the stack bounds, the
 * region cache), from the memory map and the stacks: after fvmi_layout,
 * a change of wlo, and fvm_image_load (the image holds another block's). */
void fvmi_bounds(fvm_t *vm);
void fvmi_set_hooks(fvm_t *vm, const fvm_config_t *cfg);
/* dict.c */
int fvmi_comma(fvm_t *vm, cell v);
int fvmi_ccomma(fvm_t *vm, int c);
int fvmi_allot(fvm_t *vm, cell n);
void fvmi_align(fvm_t *vm);
int fvmi_header(fvm_t *vm, const char *name, ucell len, cell kind, cell *xt);
cell fvmi_find(fvm_t *vm, const char *name, ucell len, int *flags);
cell fvmi_find_v(fvm_t *vm, ucell addr, ucell len, int *flags);
int fvmi_compile_xt(fvm_t *vm, cell xt);
const char *fvmi_xt_name(const fvm_t *vm, cell xt, ucell *len);
bool fvmi_xt_ok(const fvm_t *vm, cell xt);
int fvmi_build_prims(fvm_t *vm);
int fvmi_reveal(fvm_t *vm);
int fvmi_tick(fvm_t *vm, cell *xt, int *flags);
int fvmi_create(fvm_t *vm, cell kind, cell *xt);

/* peep.c: lay down an instruction token, fusing when safe; mark a target */
int fvmi_op(fvm_t *vm, cell tok);
void fvmi_label(fvm_t *vm);
bool fvmi_unfuse(cell tok, cell *first, cell *second);

/* parse.c */
void fvmi_parse(fvm_t *vm, char delim, ucell *addr, ucell *len);
void fvmi_parse_name(fvm_t *vm, ucell *addr, ucell *len);
int fvmi_number(fvm_t *vm, const char *s, ucell n, cell *lo, cell *hi, int *dbl);
int fvmi_push_source(fvm_t *vm, int kind, ucell buf, ucell len, cell fileid);
void fvmi_pop_source(fvm_t *vm);
static inline cell *fvmi_sysvar(const fvm_t *vm, int v)
{
    return (cell *)(vm->bias + vm->sysv + (ucell)v * CELL);
}

int fvmi_interpret(fvm_t *vm);      /* ( c-addr u -- ): one word; RC_EXEC */
void fvmi_reset(fvm_t *vm);         /* after an uncaught error */

/* format.c */
int fvmi_emit(fvm_t *vm, int c);
int fvmi_type(fvm_t *vm, const char *s, ucell n);
int fvmi_flush(fvm_t *vm);          /* 0 all written, 1 blocked */
void fvmi_tnum(fvm_t *vm, cell v);  /* TOOLS output: a number and a space */
void fvmi_tputs(fvm_t *vm, const char *s);
void fvmi_tdepth(fvm_t *vm, int d);       /* .S: "<d> " */

/* errors.c */
void fvmi_set_error(fvm_t *vm, int code, const char *msg, ucell msglen);
void fvmi_error_word(fvm_t *vm);    /* uncaught: name the running word */

/* float.c: a float literal in the interpreter (pushed or compiled, or
 * -13 if s is not one); FVALUE for TO; .S's float part; ENVIRONMENT?'s
 * float queries (1: not a float query) */
int fvmi_float_word(fvm_t *vm, const char *s, ucell n, bool compiling);
/* fout.c: fconv_parse that pays fuel for its scan and its big-integer work */
int fvmi_fparse(fvm_t *vm, const char *s, ucell n, int syntax, double *r);
int fvmi_fvalue_store(fvm_t *vm, cell *cfa);
int fvmi_compile_fliteral(fvm_t *vm, const cell *bits);
void fvmi_fdots(fvm_t *vm);
void fvmi_tfloat(fvm_t *vm, double r);   /* SEE: a float literal, a space */
ucell fvmi_ffmt(fvm_t *vm, double r, char buf[48]); /* ... into buf, without the space */
int fvmi_fenv(fvm_t *vm, const char *s, ucell n);
/* format.c: output all of s[0..n) or none (RC_BLOCKED); past OUT_BUF
 * bytes as the TOOLS printers do */
int fvmi_put_all(fvm_t *vm, const char *s, ucell n);
/* format.c: a TOOLS printer's output, whole however long: begin before it
 * takes its arguments; end charges LIST_PER bytes a unit for every byte
 * the run offered (written, skipped as given before, or refused) and
 * returns 0, or RC_BLOCKED with the stack and >IN as they were at begin,
 * to run again (fvm_listing in fvm.h) */
void fvmi_listing_begin(fvm_t *vm);
int fvmi_listing_end(fvm_t *vm);

/* run.c: cold primitives are int fn(fvm_t *) taking/leaving the stack via
 * fvm_pop/fvm_push; they return 0 or a THROW code. */
typedef int (*fvmi_cold_fn)(fvm_t *vm);
#define C(id, name, fl, fn) int fn(fvm_t *vm);
#define P(id, name, fl)
FVM_PRIMS
#undef C
#undef P

/* dict.c: the whole of (to) and DEFER!, whose common case run.c does itself */
int fc_setto(fvm_t *vm);
int fc_defer_store(fvm_t *vm);

/* Positive results of cold primitives: what the inner interpreter does next. */
enum {
    RC_EXEC = 1,        /* execute vm->exec_xt */
    RC_NEED_INPUT,      /* suspend; run this primitive again after input */
    RC_BLOCKED,         /* output blocked: suspend, run it again later */
    RC_BYE,
    RC_QUIT,            /* QUIT: back to the QUIT loop, no exception */
    RC_HOST             /* call the host hook in slot vm->host_slot */
};

/* locals.c */
int fvmi_local_find(fvm_t *vm, const char *s, ucell n);   /* index or -1 */
void fvmi_locals_end(fvm_t *vm);    /* the definition's locals go out of scope */
/* names.c */
cell fvmi_word_at(fvm_t *vm, ucell a);   /* the definition holding code address a, or 0 */
/* search.c */
cell fvmi_search_wl(fvm_t *vm, cell wl, const char *name, ucell len, int *flags);
/* memalloc.c */
int fvmi_allocate(fvm_t *vm, ucell size, cell *addr);   /* 0 or ior */
int fvmi_free(fvm_t *vm, cell addr);

extern const char fvm_prelude[];

/* The most a VM can owe: a debt above it is cut to it (no overflow of
 * vm->charge, and a bad charge stalls its task for a bounded time: paying
 * 2^32 units at 20000 a poll takes a fraction of a second of polls). */
#define FVM_DEBT_MAX ((long)1 << (sizeof(long) > 4 ? 32 : 29))

/* Add d >= 0 to the debt, cut at FVM_DEBT_MAX. */
static inline void fvmi_add_debt(fvm_t *vm, long d)
{
    vm->charge = vm->charge >= FVM_DEBT_MAX || d >= FVM_DEBT_MAX - vm->charge
                 ? FVM_DEBT_MAX : vm->charge + d;
}

/* Does a state-smart word (S" S\" ." TO IS ACTION-OF [:) compile?  While
 * compiling, and when POSTPONE or NAME>COMPILE asked for its compilation
 * semantics (6.1.2033: they do not depend on STATE). */
static inline bool fvmi_compiles(const fvm_t *vm)
{
    return vm->compsem || fvm_compiling(vm);
}

/* The xt's compilation semantics if it is a state-smart word: the C
 * function (compile-sem) runs with vm->compsem set; NULL for any other. */
fvmi_cold_fn fvmi_statesmart(const fvm_t *vm, cell xt);

/* The next transient string buffer (interpreted S" S\" and friends): the
 * SBUF_N are used in turn, so a string lasts until SBUF_N more are made. */
static inline ucell fvmi_sbuf(fvm_t *vm)
{
    ucell buf = vm->sbuf[vm->sbuf_next];
    vm->sbuf_next = (vm->sbuf_next + 1) % SBUF_N;
    return buf;
}

/* Helpers for cold primitives: check the depth first, then pop freely. */
/* Work that grows with its input pays fuel in proportion: n bytes
 * touched at `per` bytes a unit (a unit is about a primitive run). */
static inline void fvmi_charge(fvm_t *vm, ucell n, unsigned per)
{
    vm->charge += (long)(n / per) + 1;
}

/* A walk of a list a task makes long (word lists, heap blocks, REPLACES
 * names) pays a unit a step visited, and nothing for none: a step is a
 * load and a compare or two, ~1 ns (heap blocks; a lookup's pointer chase
 * costs more and pays two, dict.c), a unit of code run 1.1-1.4 ns. */
static inline void fvmi_charge_walk(fvm_t *vm, ucell steps)
{
    vm->charge += (long)steps;
}

#define NEEDS(n) do { if (fvm_depth(vm) < (n)) return FVM_E_STACK_UNDERFLOW; } while (0)
#define TRY(x) do { int rc_ = (x); if (rc_) return rc_; } while (0)
static inline cell fvmi_pop(fvm_t *vm)
{
    cell v = 0;
    fvm_pop(vm, &v);
    return v;
}
#define pop fvmi_pop

#endif /* FVM_INT_H */
