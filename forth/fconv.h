/*
 * fconv.h -- exact conversion between decimal text and IEEE 754 binary64,
 * for the FLOATING word set (>FLOAT, float literals, REPRESENT, F. FE. FS.).
 *
 * Freestanding and allocation-free: the big-integer arithmetic it needs
 * (a few KiB at most) lives on the caller's C stack.  Every function is
 * exact: input is correctly rounded (round to nearest, ties to even) for
 * any number of digits, output digits are the exact decimal expansion of
 * the double, rounded to nearest-even where asked to be short.
 */
#ifndef FCONV_H
#define FCONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Syntax of fconv_parse. */
enum {
    FCONV_LITERAL,   /* the text interpreter: [+|-]{d[.d]|.d}E[+|-][d]; the E
                        is required; no blanks */
    FCONV_TOFLOAT    /* >FLOAT: the exponent marker may be E e D d or a bare
                        sign, and may be left out; all blanks is zero */
};

/* Convert s[0..n) as syntax says.  1 and *r on success, 0 if the text is
 * not a float in that syntax (then *r is untouched).  Out of range values
 * become +-inf or +-0 (they are still floats: IEEE rounding). */
int fconv_parse(const char *s, size_t n, int syntax, double *r);

/* fconv_parse, and in *work the big-integer work it did beyond its scan of
 * the n characters, in 32-bit limb operations (about: a multiply-add, a
 * compare, a subtract or a shift of one limb); 0 when it needed none.  It
 * grows with the product of the significant digits kept (at most 801)
 * and the decimal exponent, bounded so by the range of a double. */
int fconv_parse_work(const char *s, size_t n, int syntax, double *r, unsigned long *work);

/* The digits of |v| (finite, nonzero) as 0.d1d2...dk x 10^*exp10:
 *   fconv_shortest: the fewest digits (1..17) that read back as v, closest
 *     to v; returns k.
 *   fconv_fixed: exactly n digits (n >= 1), the exact value rounded to
 *     nearest, ties to even (digits past the exact expansion are 0);
 *     returns n.  When rounding carries into a new digit (9.99 -> 10.0),
 *     *exp10 is one more.
 * buf receives the ASCII digits, no terminator. */
int fconv_shortest(double v, char buf[17], int *exp10);
int fconv_fixed(double v, char *buf, size_t n, int *exp10);

/* Round (q + a fraction) * 2^e to binary64, ties to even, where the
 * fraction in [0, 1) is nonzero iff sticky.  q > 0; a nonzero fraction
 * must lie below q's last surviving bit (q longer than 53 bits, or the
 * result subnormal).  Out of range: inf or 0. */
double fconv_compose(uint64_t q, bool sticky, int e);

#endif /* FCONV_H */
