/*
 * fconv.c -- decimal text <-> binary64, exactly (contracts in fconv.h).
 *
 * Input.  Up to MAXDIG significant digits are kept; any nonzero digit past
 * them only matters as "a little more", so it is kept as one extra digit 1
 * (a binary64 halfway point has at most 767 significant digits, so this
 * never changes a rounding).  Short numbers with small exponents take the
 * classic exact fast path (one correctly rounded multiplication or division
 * by an exact power of ten); the rest are divided out exactly with big
 * integers: value = N / D * 2^b, and 56 quotient bits plus a sticky bit are
 * enough to round.
 *
 * Output.  The shortest digits are found with the free-format algorithm of
 * Steele & White as refined by Burger & Dybvig ("Printing floating-point
 * numbers quickly and accurately", 1996): exact big-integer arithmetic on
 * the value and the halfway points to its neighbours, so the digits read
 * back as the same double (the neighbours' midpoints count as ours when the
 * mantissa is even: input rounds ties to even).  Fixed-count digits are the
 * exact expansion, rounded half to even.
 */
#include <stdbool.h>
#include <stdint.h>
#include "fconv.h"
#include "fbits.h"

#define MAXDIG   800    /* significant digits kept on input */
#define BN_LIMBS 96     /* 3072 bits: above the 2730 the worst input needs */

typedef struct {
    int n;              /* limbs in use; w[n-1] != 0 unless n == 0 */
    uint32_t w[BN_LIMBS];
} bn_t;

static void bn_set(bn_t *b, uint64_t v)
{
    b->n = 0;
    while (v) {
        b->w[b->n++] = (uint32_t)v;
        v >>= 32;
    }
}

/* b = b * m + a */
static void bn_mul_add(bn_t *b, uint32_t m, uint32_t a)
{
    uint64_t carry = a;
    for (int i = 0; i < b->n; i++) {
        uint64_t t = (uint64_t)b->w[i] * m + carry;
        b->w[i] = (uint32_t)t;
        carry = t >> 32;
    }
    if (carry && b->n < BN_LIMBS)   /* sizes are bounded by design: never full */
        b->w[b->n++] = (uint32_t)carry;
}

static void bn_mul_pow5(bn_t *b, int k)
{
    static const uint32_t p5[14] = {
        1, 5, 25, 125, 625, 3125, 15625, 78125, 390625, 1953125, 9765625,
        48828125, 244140625, 1220703125,
    };
    for (; k >= 13; k -= 13)
        bn_mul_add(b, p5[13], 0);
    if (k)
        bn_mul_add(b, p5[k], 0);
}

static void bn_shl(bn_t *b, int bits)
{
    if (b->n == 0 || bits <= 0)
        return;
    int words = bits / 32, r = bits % 32;
    int n = b->n + words + 1;
    if (n > BN_LIMBS)
        n = BN_LIMBS;
    for (int i = n - 1; i >= 0; i--) {
        int src = i - words;
        uint32_t hi = src >= 0 && src < b->n ? b->w[src] : 0;
        uint32_t lo = src - 1 >= 0 && src - 1 < b->n ? b->w[src - 1] : 0;
        b->w[i] = r ? (hi << r) | (lo >> (32 - r)) : hi;
    }
    b->n = n;
    while (b->n && !b->w[b->n - 1])
        b->n--;
}

static void bn_mul_pow10(bn_t *b, int k)
{
    bn_mul_pow5(b, k);
    bn_shl(b, k);
}

static void bn_shr1(bn_t *b)
{
    for (int i = 0; i < b->n; i++)
        b->w[i] = (b->w[i] >> 1) | (i + 1 < b->n ? b->w[i + 1] << 31 : 0);
    while (b->n && !b->w[b->n - 1])
        b->n--;
}

static int bn_cmp(const bn_t *a, const bn_t *b)
{
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return 0;
}

/* a -= b, where a >= b */
static void bn_sub(bn_t *a, const bn_t *b)
{
    uint32_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t t = (uint64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
        a->w[i] = (uint32_t)t;
        borrow = (uint32_t)(t >> 63);
    }
    while (a->n && !a->w[a->n - 1])
        a->n--;
}

/* sign of (a + b) - c */
static int bn_cmp_sum(const bn_t *a, const bn_t *b, const bn_t *c)
{
    bn_t t;
    int n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        carry += (uint64_t)(i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
        t.w[i] = (uint32_t)carry;
        carry >>= 32;
    }
    t.n = n;
    if (carry && n < BN_LIMBS)
        t.w[t.n++] = (uint32_t)carry;
    return bn_cmp(&t, c);
}

static int bitlen64(uint64_t v)
{
    int n = 0;
    while (v) {
        n++;
        v >>= 1;
    }
    return n;
}

static int bn_bitlen(const bn_t *b)
{
    return b->n ? 32 * (b->n - 1) + bitlen64(b->w[b->n - 1]) : 0;
}

/* digit = floor(r / s) for r < 10 s; r becomes the remainder */
static int bn_digit(bn_t *r, const bn_t *s)
{
    int d = 0;
    while (bn_cmp(r, s) >= 0) {
        bn_sub(r, s);
        d++;
    }
    return d;
}

double fconv_compose(uint64_t q, bool sticky, int e)
{
    int bl = bitlen64(q), p = e + bl - 1;   /* exponent of the leading bit */
    if (p > 1023)
        return f64_from(0x7ff0000000000000u);
    int shift = p >= -1022 ? bl - 53 : -1074 - e;
    uint64_t mant;
    if (shift <= 0) {
        mant = q << -shift;
    } else if (shift >= 64) {
        mant = 0;   /* below half the smallest subnormal */
    } else {
        uint64_t rem = q & (((uint64_t)1 << shift) - 1), half = (uint64_t)1 << (shift - 1);
        mant = q >> shift;
        if (rem > half || (rem == half && (sticky || (mant & 1))))
            mant++;
    }
    if (p < -1022)                      /* subnormal; 2^52 is the least normal */
        return f64_from(mant);
    uint64_t biased = (uint64_t)(e + shift + 1075);
    uint64_t u = (biased << 52) + mant - ((uint64_t)1 << 52);   /* a carry bumps the exponent */
    return f64_from(u >= 0x7ff0000000000000u ? 0x7ff0000000000000u : u);
}

/* ---- input ------------------------------------------------------------------ */

static const double exact_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
    1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* |value| = dig[0..nd) * 10^e10 exactly, nd >= 1, dig[nd-1] != 0; *work
 * as fconv_parse_work says */
static double decimal_to_double(const unsigned char *dig, int nd, long long e10,
                                unsigned long *work)
{
    *work = 0;
    if (nd + e10 > 310)
        return f64_from(0x7ff0000000000000u);
    if (nd + e10 < -324)
        return 0.0;
    if (nd <= 15 && e10 >= -22 && e10 <= 22) {   /* exact operands, one rounding */
        uint64_t d = 0;
        for (int i = 0; i < nd; i++)
            d = d * 10 + dig[i];
        double x = (double)(int64_t)d;
        return e10 >= 0 ? x * exact_pow10[e10] : x / exact_pow10[-e10];
    }
    bn_t num, den, t;
    num.n = 0;
    int i = 0;
    for (; i + 9 <= nd; i += 9) {
        uint32_t chunk = 0;
        for (int k = 0; k < 9; k++)
            chunk = chunk * 10 + dig[i + k];
        bn_mul_add(&num, 1000000000u, chunk);
    }
    if (i < nd) {
        uint32_t chunk = 0, scale = 1;
        for (; i < nd; i++) {
            chunk = chunk * 10 + dig[i];
            scale *= 10;
        }
        bn_mul_add(&num, scale, chunk);
    }
    bn_set(&den, 1);
    int b2 = (int)e10;     /* value = num / den * 2^b2 */
    if (e10 >= 0)
        bn_mul_pow5(&num, (int)e10);
    else
        bn_mul_pow5(&den, (int)-e10);
    int s = 55 - (bn_bitlen(&num) - bn_bitlen(&den));
    if (s >= 0)
        bn_shl(&num, s);
    else
        bn_shl(&den, -s);
    /* q = num / den, below 2^56 since their lengths differ by 55 bits */
    t = den;
    bn_shl(&t, 55);
    /* steps over at most t's limbs: one a 9 digits read in, one a factor
     * 5^13, then 56 quotient bits of a compare, a subtract and a shift */
    *work = (unsigned long)t.n * ((unsigned long)nd / 9 + (unsigned long)(e10 < 0 ? -e10 : e10) / 13 + 3 * 56);
    uint64_t q = 0;
    for (int bit = 55; bit >= 0; bit--) {
        if (bn_cmp(&num, &t) >= 0) {
            bn_sub(&num, &t);
            q |= (uint64_t)1 << bit;
        }
        bn_shr1(&t);
    }
    return fconv_compose(q, num.n != 0, b2 - s);
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

int fconv_parse(const char *s, size_t n, int syntax, double *r)
{
    unsigned long work;
    return fconv_parse_work(s, n, syntax, r, &work);
}

int fconv_parse_work(const char *s, size_t n, int syntax, double *r, unsigned long *work)
{
    *work = 0;
    size_t i = 0;
    if (syntax == FCONV_TOFLOAT) {
        while (i < n && s[i] == ' ')
            i++;
        if (i == n) {
            *r = 0.0;
            return 1;
        }
        i = 0;
    }
    bool neg = false;
    if (i < n && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    unsigned char dig[MAXDIG + 1];
    int nd = 0;
    long long e10 = 0;
    bool sticky = false, point = false;
    size_t ndig = 0;
    for (; i < n; i++) {
        if (s[i] == '.' && !point) {
            point = true;
            continue;
        }
        if (!is_digit(s[i]))
            break;
        unsigned char d = (unsigned char)(s[i] - '0');
        ndig++;
        if (nd == 0 && d == 0) {          /* a leading zero */
            if (point)
                e10--;
        } else if (nd < MAXDIG) {
            dig[nd++] = d;
            if (point)
                e10--;
        } else {                          /* past the kept digits */
            sticky |= d != 0;
            if (!point)
                e10++;
        }
    }
    if (ndig == 0)
        return 0;
    bool have_exp = false;
    if (i < n) {
        char c = s[i];
        bool e_char = c == 'e' || c == 'E' || (syntax == FCONV_TOFLOAT && (c == 'd' || c == 'D'));
        bool sign = syntax == FCONV_TOFLOAT && (c == '+' || c == '-');
        if (!e_char && !sign)
            return 0;
        have_exp = true;
        if (e_char)
            i++;
        bool eneg = false;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            eneg = s[i++] == '-';
        long long x = 0;
        for (; i < n && is_digit(s[i]); i++)
            if (x < 100000000)
                x = x * 10 + (s[i] - '0');
        if (i != n)
            return 0;
        e10 += eneg ? -x : x;
    }
    if (syntax == FCONV_LITERAL && !have_exp)
        return 0;
    if (sticky) {
        dig[nd++] = 1;
        e10--;
    }
    while (nd && dig[nd - 1] == 0) {
        nd--;
        e10++;
    }
    double v = nd ? decimal_to_double(dig, nd, e10, work) : 0.0;
    *r = neg ? -v : v;
    return 1;
}

/* ---- output ------------------------------------------------------------------ */

/* |v| = f * 2^e with f an integer (53 bits at most) */
static void split(double v, uint64_t *f, int *e)
{
    uint64_t u = f64_bits(v);
    int be = (int)((u >> 52) & 0x7ff);
    *f = u & (((uint64_t)1 << 52) - 1);
    if (be) {
        *f |= (uint64_t)1 << 52;
        *e = be - 1075;
    } else {
        *e = -1074;
    }
}

/* floor(log10(2^p)) or one less, for |p| < 1100: an underestimate the
 * callers correct upwards */
static int log10_pow2_low(int p)
{
    long long t = (long long)p * 1262611;   /* log10(2) * 2^22, rounded down */
    return (int)(t >= 0 ? t >> 22 : -((-t + (1 << 22) - 1) >> 22)) - 1;
}

int fconv_shortest(double v, char buf[17], int *exp10)
{
    uint64_t f;
    int e;
    split(v, &f, &e);
    bool even = !(f & 1);
    /* v = r/s; the gaps to the neighbours are mm/s below and mp/s above
     * (all doubled so the midpoints are integers) */
    bn_t r, s, mp, mm;
    bool uneven = f == (uint64_t)1 << 52 && e > -1074;   /* the gap below is half */
    bn_set(&r, f);
    bn_set(&s, 1);
    bn_set(&mm, 1);
    if (e >= 0) {
        bn_shl(&r, e + 1 + uneven);
        bn_shl(&mm, e);
        bn_shl(&s, 1 + uneven);
    } else {
        bn_shl(&r, 1 + uneven);
        bn_shl(&s, 1 - e + uneven);
    }
    mp = mm;
    if (uneven)
        bn_shl(&mp, 1);
    int k = log10_pow2_low(e + bitlen64(f) - 1);   /* 10^k <= v */
    if (k >= 0) {
        bn_mul_pow10(&s, k);
    } else {
        bn_mul_pow10(&r, -k);
        bn_mul_pow10(&mp, -k);
        bn_mul_pow10(&mm, -k);
    }
    /* the first digit: the smallest k with v + the gap above < 10^k (or
     * <= when that midpoint reads back as v) */
    while (bn_cmp_sum(&r, &mp, &s) >= (even ? 0 : 1)) {
        bn_mul_add(&s, 10, 0);
        k++;
    }
    int n = 0;
    for (;;) {
        bn_mul_add(&r, 10, 0);
        bn_mul_add(&mp, 10, 0);
        bn_mul_add(&mm, 10, 0);
        int d = bn_digit(&r, &s);
        int c = bn_cmp(&r, &mm);
        bool low = even ? c <= 0 : c < 0;
        c = bn_cmp_sum(&r, &mp, &s);
        bool high = even ? c >= 0 : c > 0;
        if (!low && !high && n < 16) {
            buf[n++] = (char)('0' + d);
            continue;
        }
        if (low && high) {             /* both ends reach: the nearer one */
            bn_t t = r;
            bn_shl(&t, 1);
            c = bn_cmp(&t, &s);
            if (c > 0 || (c == 0 && (d & 1)))
                d++;
        } else if (high) {
            d++;
        }
        buf[n++] = (char)('0' + d);
        break;
    }
    /* a carry out of the last digit (cannot happen with a correct k) */
    for (int j = n - 1; j > 0 && buf[j] > '9'; j--) {
        buf[j] = '0';
        buf[j - 1]++;
    }
    if (buf[0] > '9') {
        buf[0] = '1';
        k++;
    }
    while (n > 1 && buf[n - 1] == '0')
        n--;
    *exp10 = k;
    return n;
}

int fconv_fixed(double v, char *buf, size_t n, int *exp10)
{
    uint64_t f;
    int e;
    split(v, &f, &e);
    bn_t r, s;
    bn_set(&r, f);
    bn_set(&s, 1);
    if (e >= 0)
        bn_shl(&r, e);
    else
        bn_shl(&s, -e);
    int k = log10_pow2_low(e + bitlen64(f) - 1);   /* v >= 10^k */
    if (k >= 0)
        bn_mul_pow10(&s, k);
    else
        bn_mul_pow10(&r, -k);
    while (bn_cmp(&r, &s) >= 0) {   /* the smallest k with v < 10^k */
        bn_mul_add(&s, 10, 0);
        k++;
    }
    size_t i = 0;
    for (; i < n && r.n; i++) {
        bn_mul_add(&r, 10, 0);
        buf[i] = (char)('0' + bn_digit(&r, &s));
    }
    for (size_t j = i; j < n; j++)
        buf[j] = '0';
    bn_shl(&r, 1);
    int c = bn_cmp(&r, &s);
    if (c > 0 || (c == 0 && ((buf[n - 1] - '0') & 1))) {
        size_t j = n;
        while (j > 0 && buf[j - 1] == '9')
            buf[--j] = '0';
        if (j == 0) {
            buf[0] = '1';
            k++;
        } else {
            buf[j - 1]++;
        }
    }
    *exp10 = k;
    return (int)n;
}
