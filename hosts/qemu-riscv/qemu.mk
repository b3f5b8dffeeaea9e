# hosts/qemu-riscv/qemu.mk -- the RISC-V image for qemu-system-riscv64
# -machine virt (rv64, S-mode under OpenSBI, loaded at 0x80200000).
# Included by the top-level Makefile after services/services.mk.
#
#   make qemu        build/clio-riscv64.elf, the UART on this terminal as a
#                    Forth shell (quit: `0 halt`, or Ctrl-C)
#   make qemu-mux    build/clio-riscv64-mux.elf, the UART as a sermux line on
#                    tcp:127.0.0.1:$(QEMU_PORT); attach: build/clio-term 127.0.0.1:$(QEMU_PORT)
#
# Both attach $(QEMU_DISK) (default build/clio-disk.img, a sparse 1 MiB file
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
                      services/uuid.c kernel/example/echo.c $(FILES_SRCS))
QEMU_HOST_SRCS := $(filter-out $(QEMU_DIR)/main.c,$(wildcard $(QEMU_DIR)/*.c)) \
                  $(wildcard $(QEMU_DIR)/*.S)
QEMU_OBJS := $(patsubst %,$(QEMU_OBJ)/%.o,$(QEMU_PORTABLE_SRCS) $(QEMU_HOST_SRCS))

# the root VM built ahead of time: build/clio-mkroot (a Linux program with
# the same ftask/forth sources) compiles the prelude and forth-lib and saves
# the result as a position-independent image, which the image loads at boot
# instead of compiling (ftask_config_t.root_image; it compiles if the image
# does not fit).  Counted with forth-lib, apart from the code.
MKROOT_SRCS := hosts/linux/mkroot.c $(FTASK_SRCS) services/uuid.c $(FVM_SRCS) $(KERNEL_SRCS) \
               hosts/linux/platform_linux.c
$(BUILD)/clio-mkroot: $(patsubst %.c,$(BUILD)/obj/%.o,$(MKROOT_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread
$(BUILD)/gen/rootimg.c: $(BUILD)/clio-mkroot
	@mkdir -p $(@D)
	$(BUILD)/clio-mkroot clio_root_image $@
QEMU_OBJS += $(QEMU_OBJ)/$(BUILD)/gen/rootimg.c.o

QEMU_CFLAGS  := $(RV_CFLAGS) -g -ffunction-sections -fdata-sections -MMD -MP
# the image is built for size, except the inner interpreter (forth/run.c),
# which is built for speed
QEMU_OPT     := -Os
$(QEMU_OBJ)/forth/run.c.o: QEMU_OPT := -O2
QEMU_CPPFLAGS := -Ikernel -Iforth -Iservices -I$(QEMU_DIR)
# link with the plain -march so that the rv64imac/lp64 multilib of libgcc is
# used (__divti3 etc. for forth/run.c's 128-bit division)
QEMU_LDFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany -static -nostartfiles -nostdlib \
                -T $(QEMU_DIR)/link.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments \
                -Wl,--build-id=none -Wl,--defsym=LOAD_ADDR=0x80200000

$(QEMU_OBJ)/%.c.o: %.c
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) $(QEMU_OPT) -c $< -o $@
$(QEMU_OBJ)/%.S.o: %.S
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) -c $< -o $@
$(QEMU_OBJ)/console/main.o: $(QEMU_DIR)/main.c
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) $(QEMU_OPT) -DCLIO_MUX=0 -c $< -o $@
$(QEMU_OBJ)/mux/main.o: $(QEMU_DIR)/main.c
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) $(QEMU_OPT) -DCLIO_MUX=1 -c $< -o $@

$(QEMU_IMAGE): $(QEMU_OBJ)/console/main.o $(QEMU_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc
$(QEMU_MUX_IMAGE): $(QEMU_OBJ)/mux/main.o $(QEMU_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc

ALL_TARGETS += $(QEMU_IMAGE) $(QEMU_MUX_IMAGE)
TEST_STEPS  += tests/e2e/qemu.sh
BENCH_STEPS += bench/qemu-bench.sh

# the disk: a sparse file, made when missing; an existing one (the files on
# it) is kept
ifneq ($(QEMU_DISK),)
$(QEMU_DISK):
	@mkdir -p $(@D)
	truncate -s $(QEMU_DISK_SIZE) $@
endif

qemu: $(QEMU_IMAGE) $(QEMU_DISK)
	@echo "clio on $(QEMU_SYS) -machine virt: \`0 halt' (or Ctrl-C) quits"
	$(QEMU_SYS) $(QEMU_ARGS) $(QEMU_VIRTIO) $(QEMU_DRIVE) -serial stdio -kernel $<

# wait=off: the guest boots at once and clio-term attaches when it likes
# (frames sent while nobody is attached are dropped; input sent before
# OpenSBI has set the UART up would be lost, which wait=on invites)
qemu-mux: $(QEMU_MUX_IMAGE) $(BUILD)/clio-term $(QEMU_DISK)
	@echo "attach with: $(BUILD)/clio-term 127.0.0.1:$(QEMU_PORT)  "
	$(QEMU_SYS) $(QEMU_ARGS) $(QEMU_VIRTIO) $(QEMU_DRIVE) -serial tcp:127.0.0.1:$(QEMU_PORT),server=on,wait=off -kernel $<

.PHONY: qemu qemu-mux
