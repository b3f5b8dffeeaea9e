/*
 * uuid -- text form of registry UUIDs (prefix uuid_).
 *
 * uuid_parse() reads the canonical 8-4-4-4-12 hex form
 * ("54c983fa-736f-4223-b90d-c4360a308647", either case, nothing before or
 * after) into the 16 bytes of a reg_uuid_t, most significant first.  It
 * returns 0, or -1 for anything else (wrong length, a missing dash, a
 * non-hex digit, NULL); *out is left untouched on error.
 * uuid_format() writes the lower-case canonical form and a NUL into out.
 * Freestanding, no allocation, any context.
 */
#ifndef UUID_H
#define UUID_H

#include "registry.h"

#define UUID_STR_LEN 36

int uuid_parse(const char *s, reg_uuid_t *out);
void uuid_format(const reg_uuid_t *u, char out[UUID_STR_LEN + 1]);

#endif
