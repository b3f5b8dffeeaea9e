/*
 * rootimg_none -- no root VM image (see rootimg.h), for the rv32 image:
 * build/clio-mkroot makes images for its own 64-bit cells, which a 32-bit
 * VM cannot load, so ftask_init() compiles the root VM at boot.
 */
#include "rootimg.h"

const unsigned char clio_root_image[1];
const size_t clio_root_image_len = 0;
