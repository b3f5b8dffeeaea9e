/*
 * see.c -- SEE: a word printed back as the source it came from.  A colon
 * definition is decompiled (decomp.c) and printed with the structure's
 * keywords, indented by nesting; code with more branches than MAX_BR is
 * printed with all its branches raw (each token and its offset: its
 * structure is not matched at all), its quotations still as [: ;].
 */
#include "decomp.h"
#include "fvm_flt.h"

#define WRAP(s)   ((int)(s)->vm->columns - 8)   /* line width */

/* ---- printing ----------------------------------------------------------------- */

/* A word, after a space or at the start of a new, indented line. */
static void out(see_t *s, const char *t, ucell n)
{
    int indent = 2 * s->depth + 2;
    if (s->nl || (s->col + (int)n >= WRAP(s) && s->col > indent)) {
        fvmi_tputs(s->vm, "\n");
        for (int i = 0; i < indent; i++)
            fvmi_tputs(s->vm, " ");
        s->col = indent;
        s->nl = false;
    } else if (s->col) {
        fvmi_tputs(s->vm, " ");
        s->col++;
    }
    fvmi_type(s->vm, t, n);
    s->col += (int)n;
}

static void word(see_t *s, const char *t)
{
    ucell n = 0;
    while (t[n])
        n++;
    out(s, t, n);
}

/* Structure keywords: an opener ends its line and indents what follows, a
 * closer starts a line one level out, a middle one does both. */
static void opener(see_t *s, const char *t) { word(s, t); s->depth++; s->nl = true; }
static void closer(see_t *s, const char *t)
{
    if (s->depth)
        s->depth--;
    s->nl = true;
    word(s, t);
    s->nl = true;
}
static void middle(see_t *s, const char *t) { closer(s, t); s->depth++; }

static void odd(see_t *s, const char *what, cell v);

static void name_of(see_t *s, cell xt)
{
    ucell n;
    const char *t = fvmi_xt_name(s->vm, xt, &n);
    if (n) {
        out(s, t, n);
        return;
    }
    odd(s, "noname", xt);
}

/* v in BASE into b[0..72); returns its start */
static char *fmt(const fvm_t *vm, cell v, char *b, int *len)
{
    int k = 72;
    cell base = *fvmi_sysvar(vm, V_BASE);
    if (base < 2 || base > 36)
        base = 10;
    ucell u = v < 0 && base == 10 ? 0 - (ucell)v : (ucell)v;
    do {
        int d = (int)(u % (ucell)base);
        b[--k] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
    } while ((u /= (ucell)base) && k > 1);
    if (v < 0 && base == 10)
        b[--k] = '-';
    *len = 72 - k;
    return b + k;
}

static void number(see_t *s, cell v)
{
    char b[72];
    int n;
    const char *t = fmt(s->vm, v, b, &n);
    out(s, t, (ucell)n);
}

/* <what number> */
static void odd(see_t *s, const char *what, cell v)
{
    char b[96], nb[72];
    int n, k = 0;
    const char *t = fmt(s->vm, v, nb, &n);
    b[k++] = '<';
    while (*what)
        b[k++] = *what++;
    b[k++] = ' ';
    for (int i = 0; i < n; i++)
        b[k++] = t[i];
    b[k++] = '>';
    out(s, b, (ucell)k);
}

/* A literal that is the xt of a named word, used as one: ['] name. */
static bool tick_literal(see_t *s, cell v)
{
    ucell n;
    if ((ucell)v < FVM_VBASE || !fvmi_xt_ok(s->vm, v))
        return false;
    const char *t = fvmi_xt_name(s->vm, v, &n);
    int fl;
    if (!n || fvmi_find(s->vm, t, n, &fl) != v)
        return false;
    word(s, "[']");
    name_of(s, v);
    return true;
}

static void token(see_t *s, cell t)
{
    if ((ucell)t < NPRIM)
        name_of(s, s->vm->prim_xt[t]);
    else if (fvmi_xt_ok(s->vm, t))
        name_of(s, t);
    else {
        odd(s, "bad", t);
    }
}

static void local_name(see_t *s, cell k)
{
    char b[8] = "l";
    int n = 1;
    if (k >= 10 && k < 100)
        b[n++] = (char)('0' + k / 10);
    b[n++] = (char)('0' + (k % 10 + 10) % 10);
    out(s, b, (ucell)n);
}

static void see_code(see_t *s, ucell start, const char *end);

static void branch_word(see_t *s, br_t *b, cell tok, ucell at, ucell target)
{
    switch (b ? b->role : R_RAW) {
    case R_QUOT:
        word(s, "[:");
        if (s->nest < MAX_NEST) {
            see_t in = { .vm = s->vm, .depth = s->depth, .col = s->col, .nest = s->nest + 1 };
            see_code(&in, b->next + 3 * CELL, ";]");
            s->col = in.col;
            s->nl = in.nl;
        } else {
            word(s, "...");
            word(s, ";]");
        }
        break;
    case R_IF:     opener(s, "IF"); break;
    case R_OF:     opener(s, "OF"); break;
    case R_ELSE:   middle(s, "ELSE"); break;
    case R_WHILE:  middle(s, "WHILE"); break;
    case R_ENDOF:  closer(s, "ENDOF"); break;
    case R_REPEAT: closer(s, "REPEAT"); break;
    case R_UNTIL:  closer(s, "UNTIL"); break;
    case R_AGAIN:  closer(s, "AGAIN"); break;
    case R_LOOP:   closer(s, "LOOP"); break;
    case R_PLOOP:  closer(s, "+LOOP"); break;
    case R_DO:     opener(s, "DO"); break;
    case R_QDO:    opener(s, "?DO"); break;
    case R_LEAVE:  word(s, "LEAVE"); break;
    case R_AHEAD:  opener(s, "AHEAD"); break;
    default:                              /* raw: the token and its offset */
        token(s, tok);
        if (tok != T_DO)
            odd(s, "to", (cell)(target - at) / CELL);
    }
}

/* A string literal S" can show: printable, no '"'. */
static bool plain(const char *t, ucell n)
{
    for (ucell i = 0; i < n; i++)
        if ((unsigned char)t[i] < 32 || (unsigned char)t[i] > 126 || t[i] == '"')
            return false;
    return true;
}

/* The text of an S\" literal: \n \t \r \" \\ and \xHH for the rest. */
static void escaped(see_t *s, const char *t, ucell n)
{
    for (ucell i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        char e[5] = { '\\', (char)c, 0, 0, 0 };
        if (c == '\n' || c == '\t' || c == '\r')
            e[1] = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
        else if (c < 32 || c > 126) {
            e[1] = 'x';
            e[2] = "0123456789ABCDEF"[c >> 4];
            e[3] = "0123456789ABCDEF"[c & 15];
        } else if (c != '"' && c != '\\') {
            e[0] = (char)c;
            e[1] = 0;
        }
        ucell k = e[3] ? 4 : e[1] ? 2 : 1;
        fvmi_type(s->vm, e, k);
        s->col += (int)k - 1;
    }
}

/* Print one instruction (at in->at) with what the structure says of it. */
static void print_insn(see_t *s, ucell start, insn_t *in)
{
    br_t *b = fvmi_br_at(s, in->at);
    for (int i = 0; i < in->nparts; i++) {
        cell t = in->part[i];
        /* the parts of OF, ENDCASE and LEAVE that the keyword stands for */
        if (t == T_OVER && in->nparts == 1) {
            br_t *of = fvmi_br_at(s, in->next);
            if (of && of->role == R_OF)
                return;
        }
        if (t == T_EQ && b && b->role == R_OF)
            continue;
        if (t == T_DROP && in->nparts == 1) {
            br_t *of = fvmi_br_ending_at(s, in->at);
            if (of && of->role == R_OF)
                return;
            if (fvmi_endof_to(s, in->next)) {
                closer(s, "ENDCASE");
                return;
            }
        }
        if (t == T_UNLOOP && in->nparts == 1) {
            br_t *lv = fvmi_br_at(s, in->next);
            if (lv && lv->role == R_LEAVE)
                return;
        }
        switch (t) {
        case T_LIT: {
            insn_t nx;
            if (in->nparts == 1 && fvmi_decode(s->vm, in->next, &nx) && nx.nparts == 1 &&
                (nx.part[0] == T_COMPILEC || nx.part[0] == T_COMPSEM) &&
                fvmi_xt_ok(s->vm, in->lit[i])) {
                word(s, "POSTPONE");          /* (lit) xt COMPILE, or (compile-sem) */
                name_of(s, in->lit[i]);
                in->next = nx.next;
                break;
            }
            if (!tick_literal(s, in->lit[i]))
                number(s, in->lit[i]);
            break;
        }
        case T_FLIT: {
            char fb[48];
            out(s, fb, fvmi_ffmt(s->vm, in->flit, fb));
            break;
        }
        case T_SLIT: case T_CLIT: {
            insn_t nx;
            bool esc = !plain(in->str, in->slen);   /* S\" with escapes */
            bool typ = t == T_SLIT && !esc && fvmi_decode(s->vm, in->next, &nx) && nx.nparts == 1;
            const char *kw = t == T_CLIT ? "C\"" : typ && nx.part[0] == T_TYPE ? ".\""
                           : typ && nx.part[0] == T_ABORTQRT ? "ABORT\"" : esc ? "S\\\"" : "S\"";
            word(s, kw);
            fvmi_tputs(s->vm, " ");
            if (esc)
                escaped(s, in->str, in->slen);
            else
                fvmi_type(s->vm, in->str, in->slen);
            fvmi_tputs(s->vm, "\"");
            s->col += (int)in->slen + 2;
            if (kw[0] == '.' || kw[0] == 'A')
                in->next = nx.next;           /* TYPE / (abort") said already */
            break;
        }
        case T_LOCALS:
            word(s, "{:");
            for (cell k = 0; k < in->arg[1] && k < MAX_LOCALS; k++) {
                if (k == in->arg[0])
                    word(s, "|");
                local_name(s, k < in->arg[0] ? in->arg[0] - 1 - k : k);
            }
            word(s, ":}");
            break;
        case T_UNLOCALS:
            break;
        case T_LOCFETCH:
            local_name(s, in->arg[0]);
            break;
        case T_LOCSTORE:
            word(s, "TO");
            local_name(s, in->arg[0]);
            break;
        case T_DOES_RT:
            word(s, "DOES>");
            s->nl = true;
            break;
        case T_EXIT:
            if (in->at != s->end)
                word(s, "EXIT");
            break;
        default:
            if (fvmi_is_branch(t) || t == T_DO)
                branch_word(s, b, t, in->at, in->target);
            else
                token(s, t);
            if (b && b->role == R_QUOT)
                in->next = b->target + 2 * CELL;   /* the xt's literal: said */
        }
    }
    (void)start;
}

/* Print the code at start, up to end (";" a line, or ";]" for a
 * quotation, which goes on with the line): the header is printed already,
 * on s's line. */
static void see_code(see_t *s, ucell start, const char *end)
{
    bool top = end[1] == 0;
    if (!fvmi_scan_code(s, start)) {
        if (top)
            fvmi_tputs(s->vm, "\n");
        return;
    }
    if (!s->full)
        fvmi_match_code(s, start);
    s->nl = top;
    insn_t in;
    for (ucell a = start; a <= s->end && !s->vm->list_full && fvmi_decode(s->vm, a, &in) && !in.bad;) {
        for (int k = fvmi_thens_at(s, a); k > 0; k--)
            closer(s, "THEN");
        if (fvmi_begin_at(s, a))
            opener(s, "BEGIN");
        if (fvmi_case_at(s, a))
            opener(s, "CASE");
        if (a == s->end)
            break;
        print_insn(s, start, &in);
        if (in.next <= a)
            break;
        a = in.next;
    }
    s->nl = false;
    word(s, end);
    if (top)
        fvmi_tputs(s->vm, "\n");
}

int fc_see(fvm_t *vm)
{
    cell xt;
    int fl;
    fvmi_listing_begin(vm);                  /* a rerun parses the name again */
    int rc = fvmi_tick(vm, &xt, &fl);
    if (rc)
        return rc;
    const cell *cfa = vm_addr(vm, (ucell)xt, 3 * CELL);
    if (!cfa)
        return FVM_E_INVALID_ADDRESS;
    see_t st = { .vm = vm }, *s = &st;       /* about 4 KiB of stack */
    switch (cfa[0]) {
    case K_DOCOL:
        word(s, ":");
        name_of(s, xt);
        see_code(s, (ucell)xt + CELL, ";");
        if (fl & F_IMMEDIATE)
            fvmi_tputs(vm, "IMMEDIATE\n");
        return fvmi_listing_end(vm);
    case K_DOCREATE:
        word(s, "CREATE");
        name_of(s, xt);
        if (cfa[1]) {
            word(s, "DOES>");
            see_code(s, (ucell)cfa[1], ";");
            return fvmi_listing_end(vm);
        }
        break;
    case K_DOCON: case K_DOVALUE:
        number(s, cfa[1]);
        word(s, cfa[0] == K_DOCON ? "CONSTANT" : "VALUE");
        name_of(s, xt);
        break;
    case K_DOFCON: case K_DOFVALUE: {
        char b[48];
        out(s, b, fvmi_ffmt(vm, fvmi_fload(cfa + 1), b));
        word(s, cfa[0] == K_DOFCON ? "FCONSTANT" : "FVALUE");
        name_of(s, xt);
        break;
    }
    case K_DO2CON: case K_DO2VALUE:
        number(s, cfa[1]);
        number(s, cfa[2]);
        word(s, cfa[0] == K_DO2CON ? "2CONSTANT" : "2VALUE");
        name_of(s, xt);
        break;
    case K_DODEFER:
        word(s, "DEFER");
        name_of(s, xt);
        word(s, "IS");
        token(s, cfa[1]);
        break;
    case K_DOHOST:
        name_of(s, xt);
        word(s, "is a host word");
        break;
    case K_DOMARKER:
        word(s, "MARKER");
        name_of(s, xt);
        break;
    default:
        name_of(s, xt);
        word(s, (ucell)cfa[0] < NPRIM ? "is a primitive" : "has a bad code field");
        if (fl & F_IMMEDIATE)
            word(s, "(immediate)");
    }
    fvmi_tputs(vm, "\n");
    return fvmi_listing_end(vm);
}
