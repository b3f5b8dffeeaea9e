# hosts/qemu-riscv/qemu.mk -- the RISC-V images for QEMU -machine virt:
# rv64 in S-mode under OpenSBI (qemu-system-riscv64 -bios default, loaded at
# 0x80200000) and rv32 in M-mode without firmware (qemu-system-riscv32
# -bios none, loaded at 0x80000000), from the same sources (riscv.h: -DMMODE
# picks the mode's CSRs; the timer is timer_sbi.c or timer_clint.c).
# Included by the top-level Makefile after hosts/linux/linux.mk (clio-mkroot).
#
#   make qemu        build/clio-riscv64.elf, the UART on this terminal as a
#                    Forth shell (quit: bye, Ctrl-D or `0 halt`; Ctrl-C
#                    interrupts a word; Ctrl-A x ends QEMU at once)
#   make qemu-mux    build/clio-riscv64-mux.elf, the UART as a sermux line on
#                    tcp:127.0.0.1:$(QEMU_PORT); attach: build/clio-term 127.0.0.1:$(QEMU_PORT),
#                    or link a Linux node to it (node "qemu", port 5):
#                    build/clio --link tcp:127.0.0.1:$(QEMU_PORT)
#   make qemu32      build/clio-riscv32.elf, as `make qemu` (the root VM is
#                    compiled at boot: no 32-bit root image)
#
# All attach $(QEMU_DISK) (default build/clio-disk.img, a sparse 1 MiB file
# made on first use, never committed) as a virtio-blk disk: the tasks' files
# (FILE-ACCESS, INCLUDED, ls).  A blank image is formatted at first boot.
# QEMU_DISK=path uses another image; `make qemu QEMU_DISK=` runs without.

QEMU_DIR   := hosts/qemu-riscv
QEMU_OBJ   := $(BUILD)/qemu
QEMU_SYS   := qemu-system-riscv64
QEMU_PORT  ?= 4440
QEMU_ARGS  := -machine virt -bios default -display none -monitor none
QEMU_IMAGE := $(BUILD)/clio-riscv64.elf
QEMU_MUX_IMAGE := $(BUILD)/clio-riscv64-mux.elf
QEMU_DISK  ?= $(BUILD)/clio-disk.img
QEMU_DISK_SIZE ?= 1M
# virtio-mmio version 2 (modern): QEMU 7.2 defaults to legacy, which
# hosts/qemu-riscv/virtio_blk.c does not drive
QEMU_VIRTIO := -global virtio-mmio.force-legacy=false
QEMU_DRIVE_ARGS = -drive file=$(QEMU_DISK),if=none,format=raw,id=hd0 -device virtio-blk-device,drive=hd0
QEMU_DRIVE  = $(if $(QEMU_DISK),$(QEMU_DRIVE_ARGS))

# the same kernel/, forth/ and services/ sources as the Linux build
QEMU_PORTABLE_SRCS := $(sort $(KERNEL_SRCS) $(FVM_SRCS) $(SERVICES_SRCS) $(FTASK_SRCS) \
                      $(COMMON_SRCS) kernel/example/echo.c $(FILES_SRCS) $(SHELLPORTS_SRCS) $(SHELL_SRCS) \
                      $(LINK_SRCS))
# the host's own, for both images; each adds its timer and root image
QEMU_HOST_SRCS := $(filter-out $(QEMU_DIR)/main.c $(QEMU_DIR)/timer_%.c $(QEMU_DIR)/rootimg_none.c, \
                    $(wildcard $(QEMU_DIR)/*.c)) $(wildcard $(QEMU_DIR)/*.S)
QEMU_OBJS := $(patsubst %,$(QEMU_OBJ)/%.o,$(QEMU_PORTABLE_SRCS) $(QEMU_HOST_SRCS) $(QEMU_DIR)/timer_sbi.c)

# the root VM built ahead of time: build/clio-mkroot (a Linux program with
# the same ftask/forth sources) compiles the prelude and forth-lib and saves
# the result as a position-independent image, which the image loads at boot
# instead of compiling (ftask_config_t.root_image; it compiles if the image
# does not fit).  Counted with forth-lib, apart from the code.
$(BUILD)/gen/rootimg.c: $(BUILD)/clio-mkroot
	@mkdir -p $(@D)
	$(BUILD)/clio-mkroot clio_root_image $@
QEMU_OBJS += $(QEMU_OBJ)/$(BUILD)/gen/rootimg.c.o

# the flags of both images; each tree adds its -march/-mabi (and mode)
QEMU_CFLAGS  := $(filter-out -march=% -mabi=%,$(RV_CFLAGS)) -g -ffunction-sections -fdata-sections -MMD -MP
# the image is built for size, except the inner interpreter (forth/run.c),
# which is built for speed
QEMU_OPT     := -Os
QEMU_CPPFLAGS := -Ikernel -Iforth -Iservices -I$(QEMU_DIR)
QEMU_LDFLAGS := -static -nostartfiles -nostdlib -T $(QEMU_DIR)/link.ld -Wl,--gc-sections \
                -Wl,--no-warn-rwx-segments -Wl,--build-id=none
# link with the plain -march so that the rv64imac/lp64 (rv32imac/ilp32)
# multilib of libgcc is used (__divti3 etc. for forth/run.c's 128-bit
# division; __udivdi3 etc. on rv32)
QEMU64_ARCH  := -march=rv64imac_zicsr_zifencei -mabi=lp64
QEMU64_LDFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany $(QEMU_LDFLAGS) \
                  -Wl,--defsym=LOAD_ADDR=0x80200000

# rv_tree(OBJDIR, FLAGS): the compile rules of one object tree, its sources
# built with FLAGS (the ISA, the ABI, the mode)
define rv_tree
$(1)/%.c.o: %.c
	@mkdir -p $$(@D)
	$$(RV_CC) $$(QEMU_CPPFLAGS) $$(QEMU_CFLAGS) $(2) $$(QEMU_OPT) -c $$< -o $$@
$(1)/%.S.o: %.S
	@mkdir -p $$(@D)
	$$(RV_CC) $$(QEMU_CPPFLAGS) $$(QEMU_CFLAGS) $(2) -c $$< -o $$@
$(1)/console/main.o: $(QEMU_DIR)/main.c
	@mkdir -p $$(@D)
	$$(RV_CC) $$(QEMU_CPPFLAGS) $$(QEMU_CFLAGS) $(2) $$(QEMU_OPT) -DCLIO_MUX=0 -c $$< -o $$@
$(1)/mux/main.o: $(QEMU_DIR)/main.c
	@mkdir -p $$(@D)
	$$(RV_CC) $$(QEMU_CPPFLAGS) $$(QEMU_CFLAGS) $(2) $$(QEMU_OPT) -DCLIO_MUX=1 -c $$< -o $$@
$(1)/forth/run.c.o: QEMU_OPT := -O2
endef
$(eval $(call rv_tree,$(QEMU_OBJ),$(QEMU64_ARCH)))

$(QEMU_IMAGE): $(QEMU_OBJ)/console/main.o $(QEMU_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU64_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc
$(QEMU_MUX_IMAGE): $(QEMU_OBJ)/mux/main.o $(QEMU_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU64_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc

# ---- rv32, M-mode without firmware -----------------------------------------
# QEMU's reset code jumps to 0x80000000 on every hart (start.S parks all but
# hart 0); the CLINT is the timer, the PLIC's M-mode context the interrupts.
# No root VM image (clio-mkroot's are 64-bit): forth-lib compiles at boot.
QEMU32_OBJ   := $(BUILD)/qemu32
QEMU32_SYS   := qemu-system-riscv32
QEMU32_ARGS  := -machine virt -bios none -display none -monitor none
QEMU32_IMAGE := $(BUILD)/clio-riscv32.elf
QEMU32_ARCH  := -march=rv32imac_zicsr_zifencei -mabi=ilp32 -DMMODE
QEMU32_LDFLAGS := -march=rv32imac -mabi=ilp32 -mcmodel=medany $(QEMU_LDFLAGS) \
                  -Wl,--defsym=LOAD_ADDR=0x80000000
QEMU32_OBJS  := $(patsubst %,$(QEMU32_OBJ)/%.o,$(QEMU_PORTABLE_SRCS) $(QEMU_HOST_SRCS) \
                  $(QEMU_DIR)/timer_clint.c $(QEMU_DIR)/rootimg_none.c)
$(eval $(call rv_tree,$(QEMU32_OBJ),$(QEMU32_ARCH)))

$(QEMU32_IMAGE): $(QEMU32_OBJ)/console/main.o $(QEMU32_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU32_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc

ALL_TARGETS += $(QEMU_IMAGE) $(QEMU_MUX_IMAGE) $(QEMU32_IMAGE)
TEST_STEPS  += tests/e2e/qemu.sh tests/e2e/qemu32.sh tests/e2e/qemu_links.sh
BENCH_STEPS += bench/qemu-bench.sh

# the disk: a sparse file, made when missing; an existing one (the files on
# it) is kept.  Both images use it (blkfs is the same on rv32 and rv64).
ifneq ($(QEMU_DISK),)
$(QEMU_DISK):
	@mkdir -p $(@D)
	truncate -s $(QEMU_DISK_SIZE) $@
endif

# the terminal as the console: Ctrl-C goes to the guest (signal=off: it
# interrupts a word, never the machine); mux=on gives QEMU's Ctrl-A x to
# end a machine that no longer answers
QEMU_CONSOLE := -chardev stdio,id=con,mux=on,signal=off -serial chardev:con
qemu: $(QEMU_IMAGE) $(QEMU_DISK)
	@echo "clio on $(QEMU_SYS) -machine virt: bye, Ctrl-D or \`0 halt' quits (Ctrl-A x: QEMU at once)"
	$(QEMU_SYS) $(QEMU_ARGS) $(QEMU_VIRTIO) $(QEMU_DRIVE) $(QEMU_CONSOLE) -kernel $<

# wait=off: the guest boots at once and clio-term attaches when it likes
# (frames sent while nobody is attached are dropped; input sent before
# OpenSBI has set the UART up would be lost, which wait=on invites)
qemu-mux: $(QEMU_MUX_IMAGE) $(BUILD)/clio-term $(QEMU_DISK)
	@echo "attach with: $(BUILD)/clio-term 127.0.0.1:$(QEMU_PORT)  "
	$(QEMU_SYS) $(QEMU_ARGS) $(QEMU_VIRTIO) $(QEMU_DRIVE) -serial tcp:127.0.0.1:$(QEMU_PORT),server=on,wait=off -kernel $<

qemu32: $(QEMU32_IMAGE) $(QEMU_DISK)
	@echo "clio on $(QEMU32_SYS) -machine virt -bios none: bye, Ctrl-D or \`0 halt' quits (Ctrl-A x: QEMU at once)"
	$(QEMU32_SYS) $(QEMU32_ARGS) $(QEMU_VIRTIO) $(QEMU_DRIVE) $(QEMU_CONSOLE) -kernel $<

.PHONY: qemu qemu-mux qemu32
