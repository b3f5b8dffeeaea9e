/*
 * disk -- the file service on the QEMU image's virtio-blk disk (prefix
 * disk_): the counterpart of build/clio's `--files DIR`.
 *
 * disk_init() finds the disk (virtio_blk.h), mounts its blkfs
 * (services/files/blkfs.h) and starts the file service over it.  A disk without
 * a blkfs superblock (a blank image: first boot) is formatted first; any
 * other mount error (damaged superblock or directory, unknown version,
 * device error) leaves the disk untouched and the system without files.
 * It says what it did on one line, polled on the UART ("disk: 2048 blocks,
 * formatted", "disk: 2048 blocks, 3 files, 1900 blocks free", "disk:
 * none ...").
 *
 * Call once, in init context, after kernel_init() and before any task
 * runs.  true: the file service runs; false: none (file words answer
 * "no file service", as ffiles.h says).  The state is static.
 */
#ifndef DISK_H
#define DISK_H

#include <stdbool.h>

bool disk_init(void);

#endif
