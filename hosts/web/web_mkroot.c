/*
 * web_mkroot -- build tool, the wasm32 counterpart of hosts/linux/mkroot.c:
 * a module of its own (build/wasm/mkroot.wasm) whose export clio_mkroot()
 * builds clio's root VM exactly as clio_start() does (default root size,
 * no words added before ftask_init()) and saves it with fvm_image_save().
 * hosts/web/mkroot.js runs it under node at build time and writes the image
 * as C source (clio_root_image, clio_root_image_len), which clio.wasm
 * loads instead of compiling forth-lib at every page load.  The image has
 * wasm32's 32-bit cells and layout; fvm_image_load refuses any other.
 *
 *   clio_mkroot()      the image's address, 0 on failure
 *   clio_mkroot_len()  its length in bytes
 */
#include "kernel.h"
#include "tasks/ftask.h"
#include "web.h"

WEB_EXPORT("clio_mkroot") unsigned char *clio_mkroot(void);
WEB_EXPORT("clio_mkroot_len") uint32_t clio_mkroot_len(void);

static uint32_t len;

unsigned char *clio_mkroot(void)
{
    ftask_config_t fc = { .root_size = 0 };
    if (kernel_init() != KERR_OK || ftask_init(&fc, NULL) != KERR_OK)
        return 0;
    size_t n = fvm_image_save(ftask_root(), NULL, 0);
    unsigned char *img = n ? kalloc(n) : NULL;
    if (!img || fvm_image_save(ftask_root(), img, n) != n)
        return 0;
    len = (uint32_t)n;
    return img;
}

uint32_t clio_mkroot_len(void)
{
    return len;
}
