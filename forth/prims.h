/*
 * prims.h -- the primitive table (an X-macro; include only from fvm_int.h).
 *
 * P(id, name, flags): run by the inner interpreter itself (forth/run.c).
 * C(id, name, flags, fn): a C function `int fn(fvm_t *)` (cold words).
 * The order is the token numbering; names starting with '(' are internal.
 */
#include "fprims.h"
#define FVM_PRIMS \
    /* inner interpreter machinery */ \
    P(LIT, "(lit)", 0) P(BRANCH, "(branch)", 0) P(ZBRANCH, "(0branch)", 0) \
    P(EXIT, "EXIT", F_COMPILE_ONLY) P(EXECUTE, "EXECUTE", 0) \
    P(DO, "(do)", 0) P(QDO, "(?do)", 0) P(LOOP, "(loop)", 0) \
    P(PLOOP, "(+loop)", 0) P(UNLOOP, "UNLOOP", F_COMPILE_ONLY) \
    P(I, "I", F_COMPILE_ONLY) P(J, "J", F_COMPILE_ONLY) \
    P(HALT, "(halt)", 0) P(GUARD, "(guard)", 0) \
    P(SLIT, "(s\")", 0) P(CLIT, "(c\")", 0) P(DOES_RT, "(does>)", 0) \
    P(CATCH, "CATCH", 0) P(UNCATCH, "(uncatch)", 0) P(THROW, "THROW", 0) P(RETHROW, "(rethrow)", 0) \
    P(INTERP, "(interpret)", 0) P(BYE, "BYE", 0) \
    P(XOPEN, "(open-file)", 0) P(XCLOSE, "(close-file)", 0) \
    P(XREADLINE, "(read-line)", 0) P(XPOS, "(file-position)", 0) \
    P(XREPOS, "(reposition-file)", 0) \
    /* stack */ \
    P(DUP, "DUP", 0) P(DROP, "DROP", 0) P(SWAP, "SWAP", 0) P(OVER, "OVER", 0) \
    P(ROT, "ROT", 0) P(MROT, "-ROT", 0) P(NIP, "NIP", 0) P(TUCK, "TUCK", 0) \
    P(QDUP, "?DUP", 0) P(TWODUP, "2DUP", 0) P(TWODROP, "2DROP", 0) \
    P(TWOSWAP, "2SWAP", 0) P(TWOOVER, "2OVER", 0) P(PICK, "PICK", 0) \
    P(ROLL, "ROLL", 0) P(DEPTH, "DEPTH", 0) \
    P(TOR, ">R", F_COMPILE_ONLY) P(RFROM, "R>", F_COMPILE_ONLY) \
    P(RFETCH, "R@", F_COMPILE_ONLY) P(TWOTOR, "2>R", F_COMPILE_ONLY) \
    P(TWORFROM, "2R>", F_COMPILE_ONLY) P(TWORFETCH, "2R@", F_COMPILE_ONLY) \
    P(RDROP, "RDROP", F_COMPILE_ONLY) \
    /* arithmetic */ \
    P(PLUS, "+", 0) P(MINUS, "-", 0) P(STAR, "*", 0) P(SLASH, "/", 0) \
    P(MOD, "MOD", 0) P(SLMOD, "/MOD", 0) P(STARSLASH, "*/", 0) \
    P(STARSLMOD, "*/MOD", 0) P(UMSTAR, "UM*", 0) P(UMSLMOD, "UM/MOD", 0) \
    P(MSTAR, "M*", 0) P(SMREM, "SM/REM", 0) P(FMMOD, "FM/MOD", 0) \
    P(NEGATE, "NEGATE", 0) P(ABS, "ABS", 0) P(MIN, "MIN", 0) P(MAX, "MAX", 0) \
    P(ONEPLUS, "1+", 0) P(ONEMINUS, "1-", 0) P(TWOSTAR, "2*", 0) \
    P(TWOSLASH, "2/", 0) P(LSHIFT, "LSHIFT", 0) P(RSHIFT, "RSHIFT", 0) \
    P(AND, "AND", 0) P(OR, "OR", 0) P(XOR, "XOR", 0) P(INVERT, "INVERT", 0) \
    P(CELLS, "CELLS", 0) P(CELLPLUS, "CELL+", 0) P(CHARPLUS, "CHAR+", 0) \
    P(CHARS, "CHARS", 0) P(ALIGNED, "ALIGNED", 0) P(STOD, "S>D", 0) \
    P(DPLUS, "D+", 0) P(DNEGATE, "DNEGATE", 0) \
    /* comparison */ \
    P(EQ, "=", 0) P(NE, "<>", 0) P(LT, "<", 0) P(GT, ">", 0) P(ULT, "U<", 0) \
    P(UGT, "U>", 0) P(ZEQ, "0=", 0) P(ZLT, "0<", 0) P(ZNE, "0<>", 0) \
    P(ZGT, "0>", 0) P(WITHIN, "WITHIN", 0) P(TRUE, "TRUE", 0) \
    P(FALSE, "FALSE", 0) \
    /* memory */ \
    P(FETCH, "@", 0) P(STORE, "!", 0) P(CFETCH, "C@", 0) P(CSTORE, "C!", 0) \
    P(PSTORE, "+!", 0) P(TWOFETCH, "2@", 0) P(TWOSTORE, "2!", 0) \
    P(COUNT, "COUNT", 0) P(BASE, "BASE", 0) P(STATE, "STATE", 0) \
    P(TOIN, ">IN", 0) P(HERE, "HERE", 0) \
    /* superinstructions made by the compiler (forth/peep.c) */ \
    P(LITPLUS, "(lit+)", 0) P(LITMINUS, "(lit-)", 0) P(LITAND, "(litand)", 0) \
    P(LITEQ, "(lit=)", 0) P(LITNE, "(lit<>)", 0) P(LITLT, "(lit<)", 0) \
    P(LITGT, "(lit>)", 0) P(LITSTAR, "(lit*)", 0) \
    P(EQ0BR, "(=0branch)", 0) P(NE0BR, "(<>0branch)", 0) \
    P(LT0BR, "(<0branch)", 0) P(GT0BR, "(>0branch)", 0) \
    P(ULT0BR, "(u<0branch)", 0) P(ZEQ0BR, "(0=0branch)", 0) \
    P(ZLT0BR, "(0<0branch)", 0) P(ZGT0BR, "(0>0branch)", 0) \
    P(LITEQ0BR, "(lit=0branch)", 0) P(LITNE0BR, "(lit<>0branch)", 0) \
    P(LITLT0BR, "(lit<0branch)", 0) P(LITGT0BR, "(lit>0branch)", 0) \
    P(ICFETCH, "(i-c@)", 0) P(ICSTORE, "(i-c!)", 0) P(IFETCH, "(i-@)", 0) \
    P(IPLUS, "(i-+)", 0) P(DUPPLOOP, "(dup-+loop)", 0) P(LITFETCH, "(lit-@)", 0) \
    P(LITSTORE, "(lit-!)", 0) P(LITPSTORE, "(lit-+!)", 0) P(OVERPLUS, "(over-+)", 0) \
    P(CELLSPLUS, "(cells-+)", 0) P(RFROMDROP, "(r>-drop)", 0) \
    P(GE, "(>=)", 0) P(LE, "(<=)", 0) P(GE0BR, "(>=0branch)", 0) P(LE0BR, "(<=0branch)", 0) \
    P(ICFETCH0BR, "(i-c@-0branch)", 0) P(TWODUPLT, "(2dup-<)", 0) P(TWODUPGT, "(2dup->)", 0) \
    P(TWODUPLT0BR, "(2dup-<0branch)", 0) P(TWODUPGT0BR, "(2dup->0branch)", 0) \
    P(LITPLOOP, "(lit-+loop)", 0) P(OVERFETCH, "(over-@)", 0) P(RFROMPLUS, "(r>-+)", 0) \
    P(RFROMPLUSTOR, "(r>-+->r)", 0) P(SWAPCELLPLUS, "(swap-cell+)", 0) \
    P(UNDERCELLPLUS, "(swap-cell+-swap)", 0) P(LITPICK, "(lit-pick)", 0) \
    P(NIPNIP, "(nip-nip)", 0) P(ISTORE, "(i-!)", 0) P(ICELLPLUS, "(i-cell+)", 0) \
    P(ICELLFETCH, "(i-cell+-@)", 0) P(ICELLSTORE, "(i-cell+-!)", 0) \
    P(DUPLIT, "(dup-lit)", 0) P(DUPLITLT, "(dup-lit<)", 0) P(DUPLITGT, "(dup-lit>)", 0) \
    P(DUPLITEQ, "(dup-lit=)", 0) P(DUPLITLT0BR, "(dup-lit<0branch)", 0) \
    P(DUPLITGT0BR, "(dup-lit>0branch)", 0) P(DUPLITEQ0BR, "(dup-lit=0branch)", 0) \
    P(DUPZEQ, "(dup-0=)", 0) P(DUPZLT, "(dup-0<)", 0) P(DUPZGT, "(dup-0>)", 0) \
    P(DUPZEQ0BR, "(dup-0=0branch)", 0) P(DUPZLT0BR, "(dup-0<0branch)", 0) \
    P(DUPZGT0BR, "(dup-0>0branch)", 0) P(CELLSLIT, "(cells-lit)", 0) \
    P(CELLSLITPLUS, "(cells-lit+)", 0) P(ACELLFETCH, "(cells-lit+-@)", 0) \
    P(ACELLSTORE, "(cells-lit+-!)", 0) \
    P(LITI, "(lit-i)", 0) P(LITICSTORE, "(lit-i-c!)", 0) P(LITISTORE, "(lit-i-!)", 0) \
    P(NIP3, "(nip-nip-nip)", 0) P(LITPICKONEMINUS, "(lit-pick-1-)", 0) \
    P(OVERFETCHSTAR, "(over-@-*)", 0) P(DUPONEMINUS, "(dup-1-)", 0) \
    P(SWAPLIT, "(swap-lit)", 0) P(SWAPLITMINUS, "(swap-lit-)", 0) P(SWAPLITPLUS, "(swap-lit+)", 0) \
    P(OVERLIT, "(over-lit)", 0) P(OVERLITEQ, "(over-lit=)", 0) P(OVERLITEQOR, "(over-lit=-or)", 0) \
    /* cold: compiler */ \
    C(COLON, ":", 0, fc_colon) C(SEMI, ";", F_IMMEDIATE | F_COMPILE_ONLY, fc_semi) \
    C(NONAME, ":NONAME", 0, fc_noname) C(CREATE, "CREATE", 0, fc_create) \
    C(DOES, "DOES>", F_IMMEDIATE | F_COMPILE_ONLY, fc_does) \
    C(IMMEDIATE, "IMMEDIATE", 0, fc_immediate) \
    C(LBRACKET, "[", F_IMMEDIATE, fc_lbracket) C(RBRACKET, "]", 0, fc_rbracket) \
    C(TICK, "'", 0, fc_tick) C(BRTICK, "[']", F_IMMEDIATE | F_COMPILE_ONLY, fc_brtick) \
    C(POSTPONE, "POSTPONE", F_IMMEDIATE | F_COMPILE_ONLY, fc_postpone) \
    C(BRCOMPILE, "[COMPILE]", F_IMMEDIATE | F_COMPILE_ONLY, fc_brcompile) \
    C(LITERAL, "LITERAL", F_IMMEDIATE | F_COMPILE_ONLY, fc_literal) \
    C(COMPILEC, "COMPILE,", 0, fc_compile_comma) \
    C(COMPSEM, "(compile-sem)", 0, fc_compsem) \
    C(RECURSE, "RECURSE", F_IMMEDIATE | F_COMPILE_ONLY, fc_recurse) \
    C(CHAR, "CHAR", 0, fc_char) C(BRCHAR, "[CHAR]", F_IMMEDIATE | F_COMPILE_ONLY, fc_brchar) \
    C(SQUOTE, "S\"", F_IMMEDIATE, fc_squote) C(SBQUOTE, "S\\\"", F_IMMEDIATE, fc_sbquote) \
    C(CQUOTE, "C\"", F_IMMEDIATE | F_COMPILE_ONLY, fc_cquote) \
    C(DOTQUOTE, ".\"", F_IMMEDIATE, fc_dotquote) \
    C(DOTPAREN, ".(", F_IMMEDIATE, fc_dotparen) C(PAREN, "(paren)", 0, fc_paren) \
    C(BACKSLASH, "\\", F_IMMEDIATE, fc_backslash) \
    C(IF, "IF", F_IMMEDIATE | F_COMPILE_ONLY, fc_if) \
    C(ELSE, "ELSE", F_IMMEDIATE | F_COMPILE_ONLY, fc_else) \
    C(THEN, "THEN", F_IMMEDIATE | F_COMPILE_ONLY, fc_then) \
    C(BEGIN, "BEGIN", F_IMMEDIATE | F_COMPILE_ONLY, fc_begin) \
    C(UNTIL, "UNTIL", F_IMMEDIATE | F_COMPILE_ONLY, fc_until) \
    C(WHILE, "WHILE", F_IMMEDIATE | F_COMPILE_ONLY, fc_while) \
    C(REPEAT, "REPEAT", F_IMMEDIATE | F_COMPILE_ONLY, fc_repeat) \
    C(AGAIN, "AGAIN", F_IMMEDIATE | F_COMPILE_ONLY, fc_again) \
    C(AHEAD, "AHEAD", F_IMMEDIATE | F_COMPILE_ONLY, fc_ahead) \
    C(CDO, "DO", F_IMMEDIATE | F_COMPILE_ONLY, fc_do) \
    C(CQDO, "?DO", F_IMMEDIATE | F_COMPILE_ONLY, fc_qdo) \
    C(CLOOP, "LOOP", F_IMMEDIATE | F_COMPILE_ONLY, fc_loop) \
    C(CPLOOP, "+LOOP", F_IMMEDIATE | F_COMPILE_ONLY, fc_ploop) \
    C(LEAVE, "LEAVE", F_IMMEDIATE | F_COMPILE_ONLY, fc_leave) \
    C(CASE, "CASE", F_IMMEDIATE | F_COMPILE_ONLY, fc_case) \
    C(OF, "OF", F_IMMEDIATE | F_COMPILE_ONLY, fc_of) \
    C(ENDOF, "ENDOF", F_IMMEDIATE | F_COMPILE_ONLY, fc_endof) \
    C(ENDCASE, "ENDCASE", F_IMMEDIATE | F_COMPILE_ONLY, fc_endcase) \
    C(ABORTQ, "ABORT\"", F_IMMEDIATE | F_COMPILE_ONLY, fc_abortq) \
    C(QUOTOPEN, "[:", F_IMMEDIATE, fc_quot_open) \
    C(QUOTCLOSE, ";]", F_IMMEDIATE | F_COMPILE_ONLY, fc_quot_close) \
    C(CONSTANT, "CONSTANT", 0, fc_constant) C(VARIABLE, "VARIABLE", 0, fc_variable) \
    C(VALUE, "VALUE", 0, fc_value) C(TO, "TO", F_IMMEDIATE, fc_to) \
    C(TWOCONSTANT, "2CONSTANT", 0, fc_2constant) \
    C(TWOVARIABLE, "2VARIABLE", 0, fc_2variable) \
    C(DEFER, "DEFER", 0, fc_defer) C(IS, "IS", F_IMMEDIATE, fc_is) \
    C(ACTIONOF, "ACTION-OF", F_IMMEDIATE, fc_action_of) \
    P(DEFERSTORE, "DEFER!", 0) C(DEFERFETCH, "DEFER@", 0, fc_defer_fetch) \
    C(TOBODY, ">BODY", 0, fc_tobody) C(BUFFERC, "BUFFER:", 0, fc_buffer_colon) \
    C(MARKER, "MARKER", 0, fc_marker) C(FIND, "FIND", 0, fc_find) \
    C(ALLOT, "ALLOT", 0, fc_allot) C(COMMA, ",", 0, fc_comma) \
    C(CCOMMA, "C,", 0, fc_ccomma) C(ALIGN, "ALIGN", 0, fc_align) \
    C(UNUSED, "UNUSED", 0, fc_unused) C(PAD, "PAD", 0, fc_pad) \
    P(SETTO, "(to)", 0) C(LATEST, "LATESTXT", 0, fc_latestxt) \
    C(ABORT, "ABORT", 0, fc_abort) C(ABORTQRT, "(abort\")", 0, fc_abortq_rt) \
    C(QUIT, "QUIT", 0, fc_quit) C(ENVQ, "ENVIRONMENT?", 0, fc_environmentq) \
    C(INCLUDEDQ, "(included?)", 0, fc_includedq) C(NOFILE, "(no-file)", 0, fc_nofile) \
    C(NEAR, "(near)", 0, fc_near) \
    /* cold: memory */ \
    C(FILL, "FILL", 0, fc_fill) C(MOVE, "MOVE", 0, fc_move) \
    C(CMOVE, "CMOVE", 0, fc_cmove) C(CMOVEUP, "CMOVE>", 0, fc_cmoveup) \
    C(ERASE, "ERASE", 0, fc_erase) C(COMPARE, "COMPARE", 0, fc_compare) \
    C(NAMEEQ, "(name=)", 0, fc_name_eq) \
    /* cold: input */ \
    C(PARSE, "PARSE", 0, fc_parse) C(PARSENAME, "PARSE-NAME", 0, fc_parse_name) \
    C(WORD, "WORD", 0, fc_word) C(SOURCE, "SOURCE", 0, fc_source) \
    C(SOURCEID, "SOURCE-ID", 0, fc_source_id) \
    C(REFILLTERM, "(refill-term)", 0, fc_refill_term) \
    C(REFILLQUIT, "(refill-quit)", 0, fc_refill_quit) \
    C(ACCEPT, "ACCEPT", 0, fc_accept) C(KEY, "KEY", 0, fc_key) \
    C(TONUMBER, ">NUMBER", 0, fc_tonumber) \
    C(PUSHSTR, "(push-string)", 0, fc_push_string) \
    C(PUSHFILE, "(push-file)", 0, fc_push_file) \
    C(POPSRC, "(pop-source)", 0, fc_pop_source) \
    C(SRCLINE, "(source-line)", 0, fc_source_line) \
    C(SETLINE, "(set-line)", 0, fc_set_line) \
    C(SETPOS, "(set-pos)", 0, fc_set_pos) C(SETLINENO, "(set-line#)", 0, fc_set_lineno) \
    C(SAVEINPUT, "SAVE-INPUT", 0, fc_save_input) \
    C(RESTOREINPUT, "(restore-input)", 0, fc_restore_input) \
    /* cold: BLOCK (block.c; the I/O is Forth in prelude.fs) */ \
    C(BLK, "BLK", 0, fc_blk) C(SCR, "SCR", 0, fc_scr) C(UPDATE, "UPDATE", 0, fc_update) \
    C(EMPTYBUFFERS, "EMPTY-BUFFERS", 0, fc_empty_buffers) \
    C(BLKFIND, "(blk-find)", 0, fc_blk_find) C(BLKDONE, "(blk-done)", 0, fc_blk_done) \
    C(BLKDIRTY, "(blk-dirty)", 0, fc_blk_dirty) \
    C(BLKFID, "(blk-fid)", 0, fc_blk_fid) C(BLKSETFID, "(blk-fid!)", 0, fc_blk_set_fid) \
    C(BLKNAME, "(blk-name)", 0, fc_blk_name) C(BLKSETNAME, "(blk-name!)", 0, fc_blk_set_name) \
    C(PUSHBLK, "(push-block)", 0, fc_push_block) C(SETBLK, "(set-block)", 0, fc_set_block) \
    /* cold: output */ \
    C(EMIT, "EMIT", 0, fc_emit) C(TYPE, "TYPE", 0, fc_type) C(CR, "CR", 0, fc_cr) \
    C(SPACE, "SPACE", 0, fc_space) \
    C(DOT, ".", 0, fc_dot) C(UDOT, "U.", 0, fc_udot) C(DOTR, ".R", 0, fc_dotr) \
    C(UDOTR, "U.R", 0, fc_udotr) C(LESSNUM, "<#", 0, fc_lessnum) \
    C(NUM, "#", 0, fc_num) C(NUMS, "#S", 0, fc_nums) \
    C(NUMGREATER, "#>", 0, fc_numgreater) C(HOLD, "HOLD", 0, fc_hold) \
    C(HOLDS, "HOLDS", 0, fc_holds) C(SIGN, "SIGN", 0, fc_sign) \
    C(DECIMAL, "DECIMAL", 0, fc_decimal) C(HEX, "HEX", 0, fc_hex) \
    C(DOTS, ".S", 0, fc_dots) C(DUMP, "DUMP", 0, fc_dump) \
    C(WORDS, "WORDS", 0, fc_words) C(SEE, "SEE", 0, fc_see) \
    /* locals (hot: locals.c compiles them, run.c runs them) */ \
    P(LOCALS, "(locals)", 0) P(UNLOCALS, "(unlocals)", 0) \
    P(LOCFETCH, "(local@)", 0) P(LOCSTORE, "(local!)", 0) \
    C(BRACECOLON, "{:", F_IMMEDIATE | F_COMPILE_ONLY, fc_brace_colon) \
    C(BRACE, "{", F_IMMEDIATE | F_COMPILE_ONLY, fc_brace) \
    C(PLOCAL, "(LOCAL)", 0, fc_paren_local) \
    /* cold: DOUBLE (double.c) */ \
    C(TWOLITERAL, "2LITERAL", F_IMMEDIATE | F_COMPILE_ONLY, fc_2literal) \
    C(DMINUS, "D-", 0, fc_dminus) C(DZLT, "D0<", 0, fc_dzlt) C(DZEQ, "D0=", 0, fc_dzeq) \
    C(DTWOSTAR, "D2*", 0, fc_d2star) C(DTWOSLASH, "D2/", 0, fc_d2slash) \
    C(DLT, "D<", 0, fc_dlt) C(DEQ, "D=", 0, fc_deq) C(DULT, "DU<", 0, fc_dult) \
    C(DTOS, "D>S", 0, fc_dtos) C(DABS, "DABS", 0, fc_dabs) C(DMAX, "DMAX", 0, fc_dmax) \
    C(DMIN, "DMIN", 0, fc_dmin) C(MSTARSLASH, "M*/", 0, fc_mstarslash) \
    C(MPLUS, "M+", 0, fc_mplus) C(TWOROT, "2ROT", 0, fc_2rot) \
    C(TWOVALUE, "2VALUE", 0, fc_2value) \
    /* cold: STRING (string.c) */ \
    C(DTRAILING, "-TRAILING", 0, fc_dtrailing) C(SEARCH, "SEARCH", 0, fc_search) \
    C(SLITERAL, "SLITERAL", F_IMMEDIATE | F_COMPILE_ONLY, fc_sliteral) \
    C(REPLACES, "REPLACES", 0, fc_replaces) C(SUBSTITUTE, "SUBSTITUTE", 0, fc_substitute) \
    C(UNESCAPE, "UNESCAPE", 0, fc_unescape) \
    /* cold: SEARCH-ORDER and TOOLS EXT (search.c) */ \
    C(WORDLIST, "WORDLIST", 0, fc_wordlist) C(FORTHWL, "FORTH-WORDLIST", 0, fc_forth_wordlist) \
    C(GETORDER, "GET-ORDER", 0, fc_get_order) C(SETORDER, "SET-ORDER", 0, fc_set_order) \
    C(GETCURRENT, "GET-CURRENT", 0, fc_get_current) \
    C(SETCURRENT, "SET-CURRENT", 0, fc_set_current) \
    C(SEARCHWL, "SEARCH-WORDLIST", 0, fc_search_wordlist) \
    C(ONLY, "ONLY", 0, fc_only) C(ALSO, "ALSO", 0, fc_also) \
    C(PREVIOUS, "PREVIOUS", 0, fc_previous) C(DEFINITIONS, "DEFINITIONS", 0, fc_definitions) \
    C(FORTH, "FORTH", 0, fc_forth) C(ORDER, "ORDER", 0, fc_order) \
    C(NTOR, "N>R", F_COMPILE_ONLY, fc_n_to_r) C(NRFROM, "NR>", F_COMPILE_ONLY, fc_n_r_from) \
    C(SYNONYM, "SYNONYM", 0, fc_synonym) \
    C(WLFIRST, "(wl-first)", 0, fc_wl_first) C(NTNEXT, "(nt-next)", 0, fc_nt_next) \
    C(NAMESTRING, "NAME>STRING", 0, fc_name_string) \
    C(NAMEINTERP, "NAME>INTERPRET", 0, fc_name_interpret) \
    C(NAMECOMPILE, "NAME>COMPILE", 0, fc_name_compile) \
    /* cold: MEMORY-ALLOCATION (memalloc.c) */ \
    C(ALLOCATE, "ALLOCATE", 0, fc_allocate) C(FREE, "FREE", 0, fc_free) \
    C(RESIZE, "RESIZE", 0, fc_resize) \
    /* cold: FACILITY and FILE-ACCESS through host hooks (file.c) */ \
    C(MS, "MS", 0, fc_ms) C(TIMEDATE, "TIME&DATE", 0, fc_time_date) C(KEYQ, "KEY?", 0, fc_keyq) \
    C(UTIME, "UTIME", 0, fc_utime) C(WHERE, "(where)", 0, fc_where) \
    C(CREATEFILE, "CREATE-FILE", 0, fc_create_file) C(READFILE, "READ-FILE", 0, fc_read_file) \
    C(WRITEFILE, "WRITE-FILE", 0, fc_write_file) C(FILESIZE, "FILE-SIZE", 0, fc_file_size) \
    C(RESIZEFILE, "RESIZE-FILE", 0, fc_resize_file) \
    C(DELETEFILE, "DELETE-FILE", 0, fc_delete_file) \
    C(RENAMEFILE, "RENAME-FILE", 0, fc_rename_file) \
    C(FLUSHFILE, "FLUSH-FILE", 0, fc_flush_file) C(FILESTATUS, "FILE-STATUS", 0, fc_file_status) \
    FVM_FLOAT_PRIMS

#define FVM_NCOLD_FIRST T_COLON
