# services/files/files.mk -- the file service (files.c), the Forth hooks
# over it (ffiles.c), and blkfs, the on-disk format over a block device
# (QEMU).  The Linux backend, a confined host directory, is
# hosts/linux/files_hostdir.c.

FILES_SRCS := services/files/files.c services/files/ffiles.c services/files/blkfs.c

UNIT_TESTS += test_files test_blkfs
test_files_SRCS := $(FILES_SRCS) hosts/linux/files_hostdir.c $(FTASK_SRCS) $(COMMON_SRCS) \
                   $(FVM_SRCS) $(KERNEL_SRCS) kernel/example/echo.c hosts/linux/platform_linux.c
test_files_LIBS := -lpthread
test_blkfs_SRCS := services/files/blkfs.c services/files/files.c $(COMMON_SRCS) $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_blkfs_LIBS := -lpthread
