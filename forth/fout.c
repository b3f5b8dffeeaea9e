/*
 * fout.c -- floats as text: >FLOAT, REPRESENT, F. FE. FS., PRECISION and
 * SET-PRECISION, and the float part of .S and SEE.
 *
 * F. FE. FS. show the shortest digits that read back as the same float
 * when there are at most PRECISION of them (the default, 17, is enough
 * for every binary64), else the value rounded to PRECISION digits; never
 * trailing zeros that are not the value's ("1000. " "0.5 " "1.E0 "
 * "1.5E-3 " "20.E0 ").  Infinities and NaNs print as "inf" "-inf" "nan"
 * "-nan".  The conversion itself is exact (fconv.c), whatever BASE is.
 */
#include "fvm_int.h"
#include "fvm_flt.h"
#include "fconv.h"

#define PREC_MAX 255
#define FBUF 360   /* F. of -1e-323 */

#define FNEEDS(n) do { if (fvm_fdepth(vm) < (n)) return FVM_E_FSTACK_UNDERFLOW; } while (0)

/* "inf" "-inf" "nan" "-nan" into buf; 0 for a finite r */
static ucell special(double r, char *buf)
{
    const char *s = r != r ? "nan" : (r - r != r - r) ? "inf" : NULL;
    ucell n = 0;
    if (!s)
        return 0;
    if (fvmi_fbits(r) >> 63)
        buf[n++] = '-';
    while (*s)
        buf[n++] = *s++;
    return n;
}

/* ---- fuel ---------------------------------------------------------------------- */

/* |e| of a finite r = f x 2^e (f an integer of at most 53 bits) */
static ucell bin_exp(double r)
{
    int be = (int)((fvmi_fbits(r) >> 52) & 0x7ff);
    int e = be ? be - 1075 : -1074;
    return (ucell)(e < 0 ? -e : e);
}

/* Converting r to decimal works on big integers of about |e| bits: their
 * setting up and each digit generated are steps over them (fconv.c), some
 * 25 ns a 64-bit limb (x86-64: FS. of 1.5 takes 0.15 us, of 4.9e-324
 * 3.7 us, of 1.7976931348623157e308 9.7 us): that work pays
 * (|e| / 64 + 1) x (digits + 4) x 2 units of fuel, at most 37332
 * (REPRESENT's |e| + 20 digits of 4.9e-324). */
static void charge_digits(fvm_t *vm, double r, ucell digits)
{
    if (r != 0 && r - r == 0)            /* 0, infinities and NaNs: none */
        vm->charge += (long)((bin_exp(r) / 64 + 1) * (digits + 4) * 2);
}

/* Text to a float: the scan of all n characters pays at 16 a unit, the
 * big-integer work (fconv_parse_work) at 64 limb operations a unit. */
int fvmi_fparse(fvm_t *vm, const char *s, ucell n, int syntax, double *r)
{
    unsigned long work;
    int ok = fconv_parse_work(s, (size_t)n, syntax, r, &work);
    fvmi_charge(vm, n, 16);
    vm->charge += (long)(work / 64);
    return ok;
}

/* ---- text ---------------------------------------------------------------------- */

/* The digits of |r| (finite) as 0.d1..dn x 10^k: the shortest, or rounded
 * to prec when they are more; 0 is "0" with k = 1.  *done: the digits
 * generated, for the fuel. */
static int digits_of(double r, int prec, char *d, int *k, ucell *done)
{
    double a = fvmi_fabs(r);
    *done = 0;
    if (a == 0) {
        d[0] = '0';
        *k = 1;
        return 1;
    }
    int n = fconv_shortest(a, d, k);
    *done = (ucell)n;
    if (n <= prec)
        return n;
    *done += (ucell)prec;
    n = fconv_fixed(a, d, (size_t)prec, k);
    while (n > 1 && d[n - 1] == '0')
        n--;
    return n;
}

static ucell zeros(char *buf, ucell o, long n)
{
    for (; n > 0; n--)
        buf[o++] = '0';
    return o;
}

/* F.: [-]digits.digits0, no exponent; *done as digits_of's */
static ucell fmt_fixed(double r, int prec, char *buf, ucell *done)
{
    *done = 0;
    ucell o = special(r, buf);
    if (o)
        return o;
    char d[32];
    int k, n = digits_of(r, prec, d, &k, done);
    if (fvmi_fbits(r) >> 63)
        buf[o++] = '-';
    if (k <= 0) {
        buf[o++] = '0';
        buf[o++] = '.';
        o = zeros(buf, o, -k);
        for (int i = 0; i < n; i++)
            buf[o++] = d[i];
    } else {
        for (int i = 0; i < n && i < k; i++)
            buf[o++] = d[i];
        o = zeros(buf, o, k - n);
        buf[o++] = '.';
        for (int i = k; i < n; i++)
            buf[o++] = d[i];
    }
    return o;
}

/* FS. (lead 1) and FE. (lead 1..3, the exponent a multiple of 3):
 * [-]lead-digits.digits0E[-]exp; *done as digits_of's */
static ucell fmt_exp(double r, int prec, bool eng, char *buf, ucell *done)
{
    *done = 0;
    ucell o = special(r, buf);
    if (o)
        return o;
    char d[32];
    int k, n = digits_of(r, prec, d, &k, done);
    int x = k - 1, lead = 1;                    /* r = d1.d2.. x 10^x */
    if (eng) {
        int x3 = x >= 0 ? x / 3 * 3 : -((-x + 2) / 3 * 3);
        lead = x - x3 + 1;
        x = x3;
    }
    if (fvmi_fbits(r) >> 63)
        buf[o++] = '-';
    int total = n > lead ? n : lead;
    for (int i = 0; i < total; i++) {
        if (i == lead)
            buf[o++] = '.';
        buf[o++] = i < n ? d[i] : '0';
    }
    if (total == lead)
        buf[o++] = '.';
    buf[o++] = 'E';
    if (x < 0) {
        buf[o++] = '-';
        x = -x;
    }
    char t[8];
    int m = 0;
    do
        t[m++] = (char)('0' + x % 10);
    while ((x /= 10));
    while (m)
        buf[o++] = t[--m];
    return o;
}

static int prec_of(fvm_t *vm)
{
    return vm->precision < 1 ? 1 : vm->precision > PREC_MAX ? PREC_MAX : vm->precision;
}

/* print r formatted by kind, a trailing space; nothing (RC_BLOCKED) if the
 * host will not take it now: r stays on the stack for the retry */
static int print(fvm_t *vm, int kind)
{
    FNEEDS(1);
    char buf[FBUF];
    double r = vm->ftos;
    int p = prec_of(vm);
    ucell done;
    ucell n = kind == 0 ? fmt_fixed(r, p, buf, &done) : fmt_exp(r, p, kind == 2, buf, &done);
    charge_digits(vm, r, done);
    buf[n++] = ' ';
    TRY(fvmi_put_all(vm, buf, n));
    double x;
    return fvm_fpop(vm, &x);
}

int fc_fdot(fvm_t *vm) { return print(vm, 0); }
int fc_fsdot(fvm_t *vm) { return print(vm, 1); }
int fc_fedot(fvm_t *vm) { return print(vm, 2); }

int fc_precision(fvm_t *vm) { return fvm_push(vm, prec_of(vm)); }

int fc_set_precision(fvm_t *vm)
{
    NEEDS(1);
    cell u = pop(vm);
    vm->precision = u < 1 ? 1 : u > PREC_MAX ? PREC_MAX : (int)u;
    return 0;
}

/* >FLOAT ( c-addr u -- r true | false ) */
int fc_tofloat(fvm_t *vm)
{
    NEEDS(2);
    cell n = pop(vm), a = pop(vm);
    const char *s = n == 0 ? "" : n > 0 ? vm_addr(vm, (ucell)a, (ucell)n) : NULL;
    if (!s)
        return FVM_E_INVALID_ADDRESS;
    double r;
    if (!fvmi_fparse(vm, s, (ucell)n, FCONV_TOFLOAT, &r))
        return fvm_push(vm, 0);
    TRY(fvm_fpush(vm, r));
    return fvm_push(vm, -1);
}

/* REPRESENT ( c-addr u -- n flag1 flag2 ) ( F: r -- ): u digits of r,
 * rounded to nearest (ties to even), as 0.digits x 10^n; flag1 the sign;
 * flag2 false for an infinity or NaN ("inf"/"nan" and blanks then). */
int fc_represent(fvm_t *vm)
{
    NEEDS(2);
    FNEEDS(1);
    cell u = pop(vm), a = pop(vm);
    char *p = u > 0 ? vm_waddr(vm, (ucell)a, (ucell)u) : NULL;
    if (u < 0 || (u > 0 && !p))
        return FVM_E_INVALID_ADDRESS;
    double r;
    fvm_fpop(vm, &r);
    bool neg = fvmi_fbits(r) >> 63, valid = true;
    int k = 1;
    double m = fvmi_fabs(r);
    if (m != m || m - m != 0) {
        const char *s = m != m ? "nan" : "inf";
        for (cell i = 0; i < u; i++)
            p[i] = i < 3 ? s[i] : ' ';
        valid = false;
        k = 0;
    } else if (m == 0) {
        for (cell i = 0; i < u; i++)
            p[i] = '0';
    } else {
        /* the exact expansion has at most |e| + 20 digits: past them the
         * rest is a fill with zeros */
        ucell e = bin_exp(m), big = (ucell)u < e + 20 ? (ucell)u : e + 20;
        charge_digits(vm, m, big > 0 ? big : 1);
        fvmi_charge(vm, (ucell)u, 32);
        if (u > 0) {
            fconv_fixed(m, p, (size_t)u, &k);
        } else {
            char d[1];
            fconv_fixed(m, d, 1, &k);
        }
    }
    TRY(fvm_push(vm, k));
    TRY(fvm_push(vm, neg ? -1 : 0));
    return fvm_push(vm, valid ? -1 : 0);
}

/* ---- TOOLS: .S and SEE --------------------------------------------------------- */

/* a float as a literal that reads back the same: 1.5E0; pays for the
 * conversion as F. does */
ucell fvmi_ffmt(fvm_t *vm, double r, char buf[48])
{
    ucell done;
    ucell n = fmt_exp(r, 17, false, buf, &done);
    charge_digits(vm, r, done);
    return n;
}

void fvmi_tfloat(fvm_t *vm, double r)
{
    char buf[48];
    ucell done;
    ucell n = fmt_exp(r, 17, false, buf, &done);
    charge_digits(vm, r, done);
    buf[n++] = ' ';
    fvmi_type(vm, buf, n);
}

void fvmi_fdots(fvm_t *vm)
{
    int d = fvm_fdepth(vm);
    if (d <= 0)
        return;
    fvmi_tputs(vm, "F: ");
    fvmi_tdepth(vm, d);
    for (int i = d - 1; i >= 0 && !vm->list_full; i--)
        fvmi_tfloat(vm, i == 0 ? vm->ftos : vm->fsp[i - 1]);
}
