/*
 * rootimg.h -- the root VM image made at build time by build/clio-mkroot
 * (hosts/linux/mkroot.c) into build/gen/rootimg.c; read-only, passed to
 * ftask_init() as ftask_config_t.root_image.  An image whose cells are not
 * 64 bits has none (rootimg_none.c: its length is 0) and compiles the root
 * VM at boot.
 */
#ifndef ROOTIMG_H
#define ROOTIMG_H

#include <stddef.h>

extern const unsigned char clio_root_image[];
extern const size_t clio_root_image_len;

#endif
