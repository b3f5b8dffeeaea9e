/*
 * fbits.h -- a binary64 as its 64 bits and back (fconv.c, fmath.c, the
 * VM's float code).  Freestanding; copies, so no aliasing questions.
 */
#ifndef FBITS_H
#define FBITS_H

#include <stdint.h>

static inline uint64_t f64_bits(double d)
{
    uint64_t u;
    __builtin_memcpy(&u, &d, sizeof u);
    return u;
}

static inline double f64_from(uint64_t u)
{
    double d;
    __builtin_memcpy(&d, &u, sizeof d);
    return d;
}

#endif /* FBITS_H */
