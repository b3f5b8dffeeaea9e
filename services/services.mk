# services/services.mk -- drivers and daemons, a folder per domain, each with
# its own fragment:
#   common/   UUIDs, the byte port shape
#   mux/      the serial multiplexer (sermux, COBS) and its daemons
#   tasks/    Forth tasks, the spawnulator, the Forth client layer, forth-lib
#   files/    the file service, its Forth hooks, blkfs
#   display/  display, keyboard, the graphical shell, the font
#   link/     links between nodes: protocol, routing, proxies
# Host binaries are defined with their hosts (hosts/linux/linux.mk,
# hosts/qemu-riscv/qemu.mk).  Included by the top-level Makefile.

# every service uses these; each link line adds them once
COMMON_SRCS := services/common/uuid.c services/common/cerr.c

include services/mux/mux.mk
include services/tasks/tasks.mk
include services/files/files.mk
include services/display/display.mk
include services/shell/shell.mk
include services/link/link.mk

# freestanding proof: every service builds with the bare-metal RISC-V
# compiler against kernel/, forth/ and services/ only
SERVICES_ALL_SRCS := $(COMMON_SRCS) $(SERVICES_SRCS) $(filter services/%,$(FTASK_SRCS)) $(SHELLPORTS_SRCS) \
                     $(FILES_SRCS) $(DISPLAY_ALL_SRCS) $(filter services/%,$(SHELL_SRCS)) \
                     $(LINK_SRCS)
$(BUILD)/rv/services/%.o: services/%.c
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) -MMD -MP -Ikernel -Iservices -Iforth -c $< -o $@
$(BUILD)/rv/services.ok: $(patsubst %.c,$(BUILD)/rv/%.o,$(filter services/%,$(SERVICES_ALL_SRCS)) $(BUILD)/gen/font.c)
	@touch $@
$(BUILD)/rv/$(BUILD)/gen/font.o: RV_CFLAGS += -Iservices
ALL_TARGETS += $(BUILD)/rv/services.ok
