/*
 * fvm.h -- the Forth VM as an embeddable library.
 *
 * A Forth 2012 system (CORE, CORE EXT, BLOCK, DOUBLE, EXCEPTION, FACILITY,
 * FILE-ACCESS, FLOATING, LOCALS, MEMORY-ALLOCATION, SEARCH-ORDER, STRING, TOOLS;
 * with their extensions; see docs/words.md) that lives in one
 * memory block the host hands over.  It never allocates, never touches a
 * file, never blocks and never calls libc: everything it needs from the
 * outside world (output, files, host words) goes through the hooks below.
 *
 * Running model.  A VM is a coroutine.  fvm_run() executes until one of the
 * fvm_status_t events happens and returns; the VM keeps all its state in its
 * block, so the host may run something else and call fvm_run() again later.
 * The top level of a VM is the classic QUIT loop: REFILL a line from the
 * "terminal" (the host, through fvm_input), interpret it, repeat.
 *
 *     fvm_t *vm = fvm_create(mem, sizeof mem, &cfg);
 *     for (;;) {
 *         switch (fvm_run(vm, 100000)) {
 *         case FVM_NEED_INPUT:  fvm_input(vm, line, len); break;
 *         case FVM_OUT_OF_FUEL: break;                 (run others, come back)
 *         case FVM_WAIT:        (finish the async word, push results) break;
 *         case FVM_ERROR:       report(fvm_error(vm)); break;
 *         case FVM_BYE:         return;
 *         default: break;
 *         }
 *     }
 *
 * Safety.  Forth addresses are virtual: every memory access a program makes
 * is checked against the VM's own memory; stack overflow and underflow,
 * dictionary overflow, division by zero, bad execution tokens and invalid
 * addresses become the standard THROW codes.  A program can ruin its own VM
 * but cannot reach outside the block, crash the host or hang it (fuel).
 *
 * Threading.  A VM is not thread-safe; different VMs are independent.
 */
#ifndef FVM_H
#define FVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef intptr_t fvm_cell_t;   /* a Forth cell: the width of a pointer */
typedef uintptr_t fvm_ucell_t;
typedef struct fvm fvm_t;      /* opaque: lives at the start of the block */

typedef enum {
    FVM_DONE = 0,     /* fvm_execute()'s word returned, fvm_eval() consumed its text */
    FVM_NEED_INPUT,   /* the terminal wants input: fvm_input() then fvm_run() */
    FVM_OUT_OF_FUEL,  /* the budget is spent: fvm_run() again to go on */
    FVM_WAIT,         /* an async host word is pending, or output is blocked:
                         complete it (fvm_push results), then fvm_run() */
    FVM_BYE,          /* BYE: the program asked to end */
    FVM_ERROR         /* uncaught exception: see fvm_error(); the VM is back
                         at its top level and may be run again */
} fvm_status_t;

/* Why the VM wants input (valid after FVM_NEED_INPUT). */
typedef enum {
    FVM_WANT_LINE = 0,  /* the QUIT loop wants the next line ("ok" time) */
    FVM_WANT_ACCEPT,    /* a program called ACCEPT or REFILL */
    FVM_WANT_KEY        /* a program called KEY */
} fvm_want_t;

/* ---- host words ---------------------------------------------------------
 * A host word is a C function called with the VM.  It takes its arguments
 * with fvm_pop() and leaves results with fvm_push(); fvm_mem() turns a Forth
 * address into a host pointer.  It returns
 *   0             done;
 *   FVM_PENDING   the work goes on asynchronously: fvm_run() returns
 *                 FVM_WAIT; the host later pushes the results (or calls
 *                 fvm_fail()) and calls fvm_run() to continue after the word;
 *   a THROW code  (negative) the word failed; the VM throws it.
 * It must not call fvm_run() on its own VM.                                */
#define FVM_PENDING 1
#define FVM_AGAIN   2   /* fvm_listed(): run the word again (see there) */
typedef int (*fvm_host_fn)(fvm_t *vm, void *ctx);

#define FVM_IMMEDIATE 1u   /* fvm_word_t.flags */

typedef struct {
    const char *name;      /* copied into the dictionary */
    fvm_host_fn fn;
    void *ctx;             /* handed back to fn */
    unsigned flags;
} fvm_word_t;

/* File hooks for INCLUDED, INCLUDE, REQUIRED and the FILE-ACCESS words.
 * Each is a host word with the stack effect of the standard word; any may
 * be asynchronous (FVM_PENDING).  The VM checks only the stack depth: a
 * hook checks its addresses with fvm_mem()/fvm_mem_w().  A NULL hook makes
 * the word answer 0s and an ior: -38 (no file) for these five,
 *   open:       ( c-addr u fam -- fileid ior )   fam: 0 r/o, 1 w/o, 2 r/w
 *   close:      ( fileid -- ior )
 *   read_line:  ( c-addr u1 fileid -- u2 flag ior )
 *   position:   ( fileid -- ud ior )
 *   reposition: ( ud fileid -- ior )                                        */
/* The BLOCK words use these hooks too: blocks.fb (or OPEN-BLOCKS's file) is
 * opened read/write, or made with create when status says it is not there;
 * a block is read with size, reposition and read, written with size, resize
 * (to grow the file), reposition and write; SAVE-BUFFERS ends with flush.
 * Without them BLOCK throws -33 and writing a buffer back -34. */
typedef struct {
    fvm_host_fn open, close, read_line, position, reposition;
    void *ctx;
} fvm_file_ops_t;

/* ... and the rest of FILE-ACCESS (fvm_config_t.file_ext), -38 for create,
 * -21 (unsupported) for the others when NULL.  BIN is accepted and
 * ignored: fam stays 0, 1 or 2.
 *   create:  ( c-addr u fam -- fileid ior )   CREATE-FILE (empty, new or not)
 *   read:    ( c-addr u1 fileid -- u2 ior )   READ-FILE; u2 = 0 at the end
 *   write:   ( c-addr u fileid -- ior )       WRITE-FILE (and WRITE-LINE)
 *   size:    ( fileid -- ud ior )             FILE-SIZE
 *   resize:  ( ud fileid -- ior )             RESIZE-FILE
 *   remove:  ( c-addr u -- ior )              DELETE-FILE
 *   rename:  ( c-addr1 u1 c-addr2 u2 -- ior ) RENAME-FILE
 *   flush:   ( fileid -- ior )                FLUSH-FILE
 *   status:  ( c-addr u -- x ior )            FILE-STATUS                    */
typedef struct {
    fvm_host_fn create, read, write, size, resize, remove, rename, flush, status;
    void *ctx;
} fvm_file_ext_t;

/* FACILITY hooks (MS TIME&DATE KEY?), host words too; ms may be
 * asynchronous -- return FVM_PENDING and fvm_run() later -- so that a task
 * sleeps without stalling its host.
 *   ms:         ( u -- )          wait u milliseconds; NULL: MS throws -21
 *   time_date:  ( -- +n1 +n2 +n3 +n4 +n5 +n6 )  sec min hour day month year;
 *                                 NULL: TIME&DATE throws -21
 *   key_q:      ( -- flag )       a key is ready for KEY; called only when
 *                                 the VM holds no input itself; NULL: false */
typedef struct {
    fvm_host_fn ms, time_date, key_q;
    void *ctx;
} fvm_facility_ops_t;

typedef struct {
    /* Output (EMIT, TYPE, ...): returns how many bytes it took.  Taking fewer
     * than n makes fvm_run() return FVM_WAIT; the rest is offered again on
     * the next fvm_run().  NULL: output is discarded. */
    size_t (*write)(void *io, const char *s, size_t n);
    void *io;
    const fvm_file_ops_t *files;  /* NULL: no files */
    void *user;                   /* fvm_user() */
    unsigned dstack_cells;        /* 0: 256 */
    unsigned rstack_cells;        /* 0: 256 */
    unsigned host_words_max;      /* 0: 64 */
    /* newer hooks (keep them last: older hosts leave them 0) */
    const fvm_file_ext_t *file_ext;      /* NULL: only the five above */
    const fvm_facility_ops_t *facility;  /* NULL: no clock, no KEY? hook */
    unsigned fstack_floats;       /* float stack depth; 0: 64 */
    /* The text of a THROW code of the host's own (an ior of its file
     * hooks, say), or NULL; for codes the standard gives no text.  NULL
     * hook: "exception".  A fork without one uses its parent's. */
    const char *(*throw_text)(int code);
    /* UTIME ( -- ud ), gforth's: microseconds since some fixed time, a
     * host word called with ctx NULL.  NULL: UTIME throws -21. */
    fvm_host_fn utime;
} fvm_config_t;

/* ---- life cycle --------------------------------------------------------- */

/* Build a VM in mem[0..size) (any alignment; the VM aligns inside).  The
 * block belongs to the VM until the host stops using it; nothing needs to
 * be freed.  Returns NULL if the block is too small (see FVM_MIN_SIZE). */
#define FVM_MIN_SIZE (52u * 1024u)
fvm_t *fvm_create(void *mem, size_t size, const fvm_config_t *cfg);

/* Make a child VM in mem[0..size) that shares the parent's dictionary as
 * it is now -- read-only: the child runs the parent's words and reads its
 * variables but cannot change them (-20) -- and has its own stacks,
 * buffers and data space for its own definitions.  cfg NULL: the parent's configuration (output, files).
 * The parent's block must outlive the child; the parent may go on
 * running.  Forks nest up to 4 deep.  NULL if the block is too small
 * (FVM_MIN_FORK_SIZE) or the nesting too deep. */
#define FVM_MIN_FORK_SIZE (27u * 1024u)
fvm_t *fvm_fork(fvm_t *parent, void *mem, size_t size, const fvm_config_t *cfg);
/* How many more levels of forks vm allows (0: fvm_fork(vm, ...) fails for
 * the nesting, whatever the block). */
int fvm_fork_room(const fvm_t *vm);

/* Add host words to the dictionary.  Returns 0 or a THROW code (-8
 * dictionary full, -257 host word table full).  In a VM made by
 * fvm_image_load the image's host words come back without their functions:
 * the first registrations bind them, and must name them in the order they
 * were registered before fvm_image_save (-258 otherwise); later ones add
 * new words. */
int fvm_register(fvm_t *vm, const fvm_word_t *words, size_t n);

/* ---- images: a VM's dictionary built ahead of time ---------------------- */

/* Save a VM built with fvm_create (+ fvm_register, + fvm_eval of library
 * source) as a position-independent image: its dictionary, data, sysvars
 * and state, with host pointers made relative and host functions left out.
 * The VM must be idle: not a fork, no evaluation under way, no output
 * pending, no file open.  With buf NULL returns the size needed; else the
 * bytes written, 0 if the VM cannot be saved or cap is too small.  The
 * image depends on the block size, the fvm_config_t sizes (stacks, host
 * table) and this library's build (cell size, struct layout), and
 * fvm_image_load checks all of them. */
size_t fvm_image_save(const fvm_t *vm, void *buf, size_t cap);

/* Make a VM in mem[0..size) from an image (copied; the image may be
 * read-only and need not outlive the VM).  size and cfg's sizes must be
 * those the saved VM was created with; cfg's hooks, output and user
 * pointer are taken, not the image's.  The host words then need their
 * functions: fvm_register them again in their original order.  NULL when
 * the image does not fit this block, configuration or build -- the host can
 * then fall back to fvm_create.  The image is trusted: its shape is
 * checked, its dictionary is not. */
fvm_t *fvm_image_load(void *mem, size_t size, const fvm_config_t *cfg,
                      const void *image, size_t len);

/* How many of an image's host words still wait for fvm_register (0 for a
 * VM made by fvm_create).  Calling one throws -21. */
unsigned fvm_unbound(const fvm_t *vm);

/* Run for at most `fuel` units (a unit is a cell of code run, and one more
 * for a call, a return or a taken branch: straight-line code pays for its
 * length, every loop and recursion pays, even one that never returns).
 * Cells are counted where straight-line code ends, so a run may overshoot
 * by one body's length; the overshoot is a debt (fvm_debt) the next runs
 * pay first.  fuel <= 0 means no limit. */
fvm_status_t fvm_run(fvm_t *vm, long fuel);

/* Interrupt the VM (the user pressed Ctrl-C): it throws -28 (user
 * interrupt) at its next word boundary, as if the running word had done
 * -28 THROW -- a CATCH sees it, else the QUIT loop reports it with the
 * running word's name and goes on.  The only call that is safe from a
 * signal handler or another thread while fvm_run() runs: it sets a flag,
 * which a running VM looks at every few tens of thousands of fuel units
 * (within a millisecond), and an idle one at the start of the next
 * fvm_run() -- so a host at an idle prompt (FVM_WANT_LINE) should clear
 * its own input line instead: an interrupt that finds the QUIT loop
 * waiting for a line (the work has ended) is dropped.  A host word that
 * blocks (a sleep) may stop
 * early when fvm_interrupt_pending() and return FVM_E_INTERRUPT; any -28
 * thrown consumes the request. */
void fvm_interrupt(fvm_t *vm);
int fvm_interrupt_pending(const fvm_t *vm);

/* Hand the terminal up to n bytes of input (lines end in '\n').  Returns how
 * many bytes were taken (fewer if the input buffer is full).  The bytes are
 * copied. */
size_t fvm_input(fvm_t *vm, const char *s, size_t n);
/* No more terminal input will come: REFILL then returns false, and the QUIT
 * loop ends with FVM_BYE. */
void fvm_input_eof(fvm_t *vm);
fvm_want_t fvm_wants(const fvm_t *vm);

/* Interpret text (unlimited fuel).  Returns FVM_DONE once all of it is
 * interpreted, or the status that stopped it: FVM_ERROR (the rest of the
 * text is dropped), FVM_BYE, FVM_NEED_INPUT if the text itself reads more
 * input than it holds, FVM_WAIT for an async word -- then complete it and
 * call fvm_run(), which goes on with the text and returns FVM_DONE at its
 * end.  The text is not copied all at once: it must stay valid until
 * FVM_DONE, FVM_ERROR or FVM_BYE. */
fvm_status_t fvm_eval(fvm_t *vm, const char *s, size_t n);

/* Arrange for the next fvm_run() to execute xt instead of the QUIT loop;
 * fvm_run() returns FVM_DONE when it returns.  (A spawned task's body.) */
int fvm_execute(fvm_t *vm, fvm_cell_t xt);
/* The execution token of a word, or 0 if there is none. */
fvm_cell_t fvm_find(fvm_t *vm, const char *name);
/* Call fn(ctx, name, len) for every word the search order finds, first
 * word list first, newest word first: each name once (a word a newer one
 * of the same name shadows is left out), hidden words, :NONAME words and
 * internal "(...)" names left out.  fn returning nonzero stops the walk.
 * The name is valid during the call only; fn must not run the VM.  For a
 * host's Tab completion (filter by prefix there).
 * The work is bounded whatever the VM's program made of its dictionary
 * (forged links, cycles, many lists sharing words): the call returns the
 * headers it visited, at most one per cell of the VM's memory and its fork
 * ancestors' images, each costing a few dozen byte reads; the walk ends
 * there, cutting a (forged) list short. */
size_t fvm_each_word(fvm_t *vm, int (*fn)(void *ctx, const char *name, size_t len), void *ctx);

/* ---- errors -------------------------------------------------------------- */
typedef struct {
    int code;              /* the THROW code */
    const char *message;   /* text for the code (or ABORT"'s message) */
    const char *source;    /* file being included, or "" */
    unsigned line;         /* its line number (1-based), 0 for the terminal */
    const char *word;      /* the word being interpreted, or "" (for -28,
                              user interrupt, and for an xt run by
                              fvm_execute: the word that was running) */
    const char *context;   /* the input line around the failing word, with
                              the word marked gforth's way: "1 2 >>>foo<<< 3"
                              (cut to about 100 characters); "" when the line
                              holds that word alone or nothing is known */
} fvm_error_t;

/* The last uncaught error.  Strings live in the VM until the next fvm_run. */
const fvm_error_t *fvm_error(const fvm_t *vm);
/* The standard text of a THROW code ("stack underflow", ...). */
const char *fvm_throw_text(int code);
/* From an async host word's completion: make the pending word throw code. */
void fvm_fail(fvm_t *vm, int code);
/* For a host word's error with a text of its own: records msg (copied) as
 * the exception's message and returns -2, the code of ABORT", for the host
 * word to return (or to hand to fvm_fail).  CATCH sees -2. */
int fvm_abort_msg(fvm_t *vm, const char *msg);
/* The same for any (negative) THROW code: the uncaught error reports msg
 * (copied) instead of the code's standard text; CATCH sees `code`.  A code
 * >= 0 becomes -2. */
int fvm_throw_msg(fvm_t *vm, int code, const char *msg);

/* ---- stacks and memory (for host words) --------------------------------- */
int fvm_depth(const fvm_t *vm);
int fvm_push(fvm_t *vm, fvm_cell_t v);    /* 0, or -3 stack overflow */
int fvm_pop(fvm_t *vm, fvm_cell_t *v);    /* 0, or -4 stack underflow */
/* The float stack (IEEE 754 binary64), separate from the data stack: a
 * host word takes float arguments with fvm_fpop (the top first) and leaves
 * results with fvm_fpush, like cells with fvm_pop/fvm_push. */
int fvm_fdepth(const fvm_t *vm);
int fvm_fpush(fvm_t *vm, double r);       /* 0, or -44 float stack overflow */
int fvm_fpop(fvm_t *vm, double *r);       /* 0, or -45 float stack underflow */
/* Host pointer for reading the Forth address range [addr, addr+len), or
 * NULL if it is not wholly inside the VM's memory; fvm_mem_w for writing
 * (NULL also for the read-only system dictionary and, in a forked VM, its
 * ancestors' memory).  Valid until the VM runs again. */
void *fvm_mem(fvm_t *vm, fvm_cell_t addr, size_t len);
void *fvm_mem_w(fvm_t *vm, fvm_cell_t addr, size_t len);
/* ALLOT from the host: n bytes of data space at HERE, their address in
 * *addr and a host pointer for writing them (valid as fvm_mem_w's), or
 * NULL and nothing reserved if the dictionary has no room. */
void *fvm_allot(fvm_t *vm, size_t n, fvm_cell_t *addr);
void *fvm_user(const fvm_t *vm);
/* Output from a host word, in order with the VM's own output (like the
 * TOOLS words: what a blocked write hook refuses for long is dropped). */
void fvm_type(fvm_t *vm, const char *s, size_t n);
/* A host word that prints a listing with fvm_type (help, say: more than
 * the write hook may take at once) calls fvm_listing(vm) before it takes
 * its arguments or parses, and ends with `return fvm_listed(vm);`.  When
 * the hook refused part of the output, fvm_listed puts the data stack and
 * the parse position back and returns FVM_AGAIN: fvm_run() returns
 * FVM_WAIT, and the next fvm_run() runs the word again, the bytes it gave
 * the first time skipped -- nothing is lost, as with TYPE.  The word must
 * print the same each time and change nothing else (it pushes nothing).
 * A listing pays a unit of fuel per 4 bytes it offers to fvm_type, the
 * skipped ones included (so a rerun pays for remaking them); once the hook
 * refused, the rest of the run's output is not written.  WORDS SEE DUMP .S
 * ORDER are listings too. */
void fvm_listing(fvm_t *vm);
int fvm_listed(fvm_t *vm);
/* The width of the terminal the output goes to, in characters (default
 * 80, kept within 20..1000; a fork starts with its parent's): WORDS and
 * SEE keep their lines shorter, as should a host's listings. */
void fvm_set_columns(fvm_t *vm, unsigned cols);
unsigned fvm_columns(const fvm_t *vm);
/* A host word whose work grows with its input (a copy, a search, a
 * listing) charges `units` of fuel for it (a unit is about a primitive
 * run): the VM's fvm_run budget pays, so no word makes a task hold the
 * host longer than its fuel says. */
void fvm_charge(fvm_t *vm, long units);
/* The fuel the VM owes for charged work not yet paid (0: none).  Until it
 * is paid, fvm_run with a budget returns FVM_OUT_OF_FUEL at once (having
 * run nothing) after spending the budget on it. */
long fvm_debt(const fvm_t *vm);
/* For a host word that parses its argument (`help WORD`): the next name
 * of the input, as PARSE-NAME takes it (*n 0 at the end of the line).
 * Valid until the VM runs again. */
const char *fvm_parse_name(fvm_t *vm, size_t *n);
/* Nonzero while compiling (STATE). */
int fvm_compiling(const fvm_t *vm);
/* Bytes of data space left (UNUSED). */
size_t fvm_unused(const fvm_t *vm);

/* Standard THROW codes the API returns. */
enum {
    FVM_E_ABORT = -1, FVM_E_ABORTQ = -2, FVM_E_STACK_OVERFLOW = -3,
    FVM_E_STACK_UNDERFLOW = -4, FVM_E_RSTACK_OVERFLOW = -5,
    FVM_E_RSTACK_UNDERFLOW = -6, FVM_E_DICT_FULL = -8,
    FVM_E_INVALID_ADDRESS = -9, FVM_E_DIV_ZERO = -10,
    FVM_E_UNDEFINED = -13, FVM_E_COMPILE_ONLY = -14, FVM_E_INTERRUPT = -28,
    FVM_E_UNSUPPORTED = -21, FVM_E_ALIGNMENT = -23, FVM_E_NO_FILE = -38,
    FVM_E_FSTACK_OVERFLOW = -44, FVM_E_FSTACK_UNDERFLOW = -45,
    FVM_E_HOST_TABLE_FULL = -257,
    FVM_E_IMAGE = -258           /* fvm_register: not the image's next host word */
};

#ifdef __cplusplus
}
#endif
#endif /* FVM_H */
