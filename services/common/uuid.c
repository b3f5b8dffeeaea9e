/* uuid -- parse and format 8-4-4-4-12 UUID text (see uuid.h). */
#include "uuid.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int dash_at(int i)
{
    return i == 8 || i == 13 || i == 18 || i == 23;
}

int uuid_parse(const char *s, reg_uuid_t *out)
{
    reg_uuid_t u;
    int nib = 0;
    if (!s || !out)
        return -1;
    for (int i = 0; i < UUID_STR_LEN; i++) {
        char c = s[i];
        if (dash_at(i)) {
            if (c != '-')
                return -1;
            continue;
        }
        int v = hexval(c);          /* also stops at an early NUL */
        if (v < 0)
            return -1;
        if (nib & 1)
            u.b[nib / 2] = (uint8_t)(u.b[nib / 2] | v);
        else
            u.b[nib / 2] = (uint8_t)(v << 4);
        nib++;
    }
    if (s[UUID_STR_LEN] != '\0')
        return -1;
    *out = u;
    return 0;
}

void uuid_format(const reg_uuid_t *u, char out[UUID_STR_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    int o = 0;
    for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[u->b[i] >> 4];
        out[o++] = hex[u->b[i] & 15];
    }
    out[o] = '\0';
}
