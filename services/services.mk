# services/services.mk -- services: sermux and its daemons, the Linux serial
# drivers, clio-term, muxd.  Included by the top-level Makefile.

# ==== sermux, daemons, serial drivers, clio-term (sermux owner) ===========
SERMUX_SRCS   := services/cobs.c services/uuid.c services/sermux.c
DAEMON_SRCS   := services/loopback.c services/hello.c services/tracedrain.c
SERVICES_SRCS := $(SERMUX_SRCS) $(DAEMON_SRCS)
SERIAL_HOST_SRCS := hosts/linux/serial_tcp.c hosts/linux/console.c

# freestanding proof: services build with the bare-metal RISC-V compiler
# against kernel/ and forth/ only
SERVICES_RV_OBJS := $(patsubst %.c,$(BUILD)/rv/%.o,$(SERVICES_SRCS))
$(BUILD)/rv/services/%.o: services/%.c
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) -MMD -MP -Ikernel -Iservices -Iforth -c $< -o $@
$(BUILD)/rv/services.ok: $(SERVICES_RV_OBJS)
	@touch $@

ALL_TARGETS += $(BUILD)/rv/services.ok

UNIT_TESTS += test_cobs test_sermux
test_cobs_SRCS := services/cobs.c services/uuid.c
test_sermux_SRCS := $(SERVICES_SRCS) $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_sermux_LIBS := -lpthread

# ==== end sermux block =====================================================
