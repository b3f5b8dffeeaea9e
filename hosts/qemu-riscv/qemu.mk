# hosts/qemu-riscv/qemu.mk -- the RISC-V image for qemu-system-riscv64
# -machine virt (rv64, S-mode under OpenSBI, loaded at 0x80200000).
# Included by the top-level Makefile after services/services.mk.
#
#   make qemu        build/clio-riscv64.elf, the UART on this terminal as a
#                    Forth shell (quit: `0 halt`, or Ctrl-C)
#   make qemu-mux    build/clio-riscv64-mux.elf, the UART as a sermux line on
#                    tcp:127.0.0.1:$(QEMU_PORT); attach: build/clio-term 127.0.0.1:$(QEMU_PORT)

QEMU_DIR   := hosts/qemu-riscv
QEMU_OBJ   := $(BUILD)/qemu
QEMU_SYS   := qemu-system-riscv64
QEMU_PORT  ?= 4440
QEMU_ARGS  := -machine virt -bios default -display none -monitor none
QEMU_IMAGE := $(BUILD)/clio-riscv64.elf
QEMU_MUX_IMAGE := $(BUILD)/clio-riscv64-mux.elf

# the same kernel/, forth/ and services/ sources as the Linux build
QEMU_PORTABLE_SRCS := $(sort $(KERNEL_SRCS) $(FVM_SRCS) $(SERVICES_SRCS) $(FTASK_SRCS) \
                      services/uuid.c kernel/example/echo.c)
QEMU_HOST_SRCS := $(filter-out $(QEMU_DIR)/main.c,$(wildcard $(QEMU_DIR)/*.c)) \
                  $(wildcard $(QEMU_DIR)/*.S)
QEMU_OBJS := $(patsubst %,$(QEMU_OBJ)/%.o,$(QEMU_PORTABLE_SRCS) $(QEMU_HOST_SRCS))

QEMU_CFLAGS  := $(RV_CFLAGS) -g -ffunction-sections -fdata-sections -MMD -MP
QEMU_CPPFLAGS := -Ikernel -Iforth -Iservices -I$(QEMU_DIR)
# link with the plain -march so that the rv64imac/lp64 multilib of libgcc is
# used (__divti3 etc. for forth/run.c's 128-bit division)
QEMU_LDFLAGS := -march=rv64imac -mabi=lp64 -mcmodel=medany -static -nostartfiles -nostdlib \
                -T $(QEMU_DIR)/link.ld -Wl,--gc-sections -Wl,--no-warn-rwx-segments \
                -Wl,--build-id=none -Wl,--defsym=LOAD_ADDR=0x80200000

$(QEMU_OBJ)/%.c.o: %.c
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) -c $< -o $@
$(QEMU_OBJ)/%.S.o: %.S
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) -c $< -o $@
$(QEMU_OBJ)/console/main.o: $(QEMU_DIR)/main.c
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) -DCLIO_MUX=0 -c $< -o $@
$(QEMU_OBJ)/mux/main.o: $(QEMU_DIR)/main.c
	@mkdir -p $(@D)
	$(RV_CC) $(QEMU_CPPFLAGS) $(QEMU_CFLAGS) -DCLIO_MUX=1 -c $< -o $@

$(QEMU_IMAGE): $(QEMU_OBJ)/console/main.o $(QEMU_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc
$(QEMU_MUX_IMAGE): $(QEMU_OBJ)/mux/main.o $(QEMU_OBJS) $(QEMU_DIR)/link.ld
	$(RV_CC) $(QEMU_LDFLAGS) -Wl,-Map=$(@:.elf=.map) -o $@ $(filter %.o,$^) -lgcc

ALL_TARGETS += $(QEMU_IMAGE) $(QEMU_MUX_IMAGE)
TEST_STEPS  += tests/e2e/qemu.sh
BENCH_STEPS += bench/qemu-bench.sh

qemu: $(QEMU_IMAGE)
	@echo "clio on $(QEMU_SYS) -machine virt: \`0 halt' (or Ctrl-C) quits"
	$(QEMU_SYS) $(QEMU_ARGS) -serial stdio -kernel $<

# wait=off: the guest boots at once and clio-term attaches when it likes
# (frames sent while nobody is attached are dropped; input sent before
# OpenSBI has set the UART up would be lost, which wait=on invites)
qemu-mux: $(QEMU_MUX_IMAGE) $(BUILD)/clio-term
	@echo "attach with: $(BUILD)/clio-term 127.0.0.1:$(QEMU_PORT)  "
	$(QEMU_SYS) $(QEMU_ARGS) -serial tcp:127.0.0.1:$(QEMU_PORT),server=on,wait=off -kernel $<

.PHONY: qemu qemu-mux
