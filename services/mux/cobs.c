/*
 * cobs -- Consistent Overhead Byte Stuffing (declared in sermux.h).
 *
 * A frame of n bytes becomes n + 1 + n/254 bytes without any 0x00, so a
 * 0x00 can end the frame on the wire.  Each code byte c (1..255) stands for
 * c - 1 data bytes followed by an implicit zero, except after a full block
 * (c == 255) and at the end of the frame.  Freestanding: no libc.
 */
#include "sermux.h"

size_t cobs_encode(const uint8_t *src, size_t n, uint8_t *dst)
{
    uint8_t *out = dst;
    uint8_t *codep = out++;
    uint8_t code = 1;
    for (size_t i = 0; i < n; i++) {
        uint8_t b = src[i];
        if (b) {
            *out++ = b;
            code++;
        }
        if (!b || code == 0xff) {
            *codep = code;
            code = 1;
            codep = out;
            if (!b || i + 1 < n)   /* no empty block after a final full one */
                out++;
        }
    }
    *codep = code;
    return (size_t)(out - dst);
}

long cobs_decode(const uint8_t *src, size_t n, uint8_t *dst, size_t cap)
{
    size_t i = 0, o = 0;
    if (n == 0)
        return -1;                 /* even an empty frame encodes as 0x01 */
    while (i < n) {
        uint8_t code = src[i++];
        if (code == 0)
            return -1;             /* a zero inside the frame */
        for (uint8_t k = 1; k < code; k++) {
            if (i >= n)
                return -1;         /* the code runs past the end */
            uint8_t b = src[i++];
            if (b == 0 || o >= cap)
                return -1;
            dst[o++] = b;
        }
        if (code != 0xff && i < n) {
            if (o >= cap)
                return -1;
            dst[o++] = 0;
        }
    }
    return (long)o;
}
