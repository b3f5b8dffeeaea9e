# services/mux/mux.mk -- the serial multiplexer and the daemons on its
# well-known ports (loopback, hello, trace).

SERMUX_SRCS   := services/mux/cobs.c services/mux/sermux.c
DAEMON_SRCS   := services/mux/loopback.c services/mux/hello.c services/mux/tracedrain.c
SERVICES_SRCS := $(SERMUX_SRCS) $(DAEMON_SRCS)

UNIT_TESTS += test_cobs test_sermux
test_cobs_SRCS := services/mux/cobs.c $(COMMON_SRCS)
test_sermux_SRCS := $(SERVICES_SRCS) $(COMMON_SRCS) $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_sermux_LIBS := -lpthread
