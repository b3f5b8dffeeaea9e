# kernel/kernel.mk -- the kernel core: library, freestanding proof, unit
# tests and benchmark.  Included by the top-level Makefile.

KERNEL_SRCS   := $(sort $(wildcard kernel/*.c))
KERNEL_OBJS   := $(patsubst %.c,$(BUILD)/obj/%.o,$(KERNEL_SRCS))
KERNEL_EXAMPLE_SRCS := $(sort $(wildcard kernel/example/*.c))
KERNEL_HOST_SRCS := hosts/linux/platform_linux.c

# ---- library ----------------------------------------------------------------
$(BUILD)/libkernel.a: $(KERNEL_OBJS)
	@mkdir -p $(@D)
	rm -f $@
	$(AR) rcs $@ $^

# ---- freestanding proof: every kernel/*.c with the bare-metal RISC-V compiler
KERNEL_RV_OBJS := $(patsubst %.c,$(BUILD)/rv/%.o,$(KERNEL_SRCS) $(KERNEL_EXAMPLE_SRCS))

$(BUILD)/rv/kernel/%.o: kernel/%.c
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) -MMD -MP -Ikernel -c $< -o $@

$(BUILD)/rv/kernel.ok: $(KERNEL_RV_OBJS)
	@touch $@

ALL_TARGETS += $(BUILD)/libkernel.a $(BUILD)/rv/kernel.ok

# ---- unit tests (tests/unit/test_<module>.c) ----------------------------------
# Every kernel test links the whole kernel (modules depend on the executor),
# the example service and the Linux platform.
KERNEL_TEST_SRCS := $(KERNEL_SRCS) $(KERNEL_EXAMPLE_SRCS) $(KERNEL_HOST_SRCS)
KERNEL_TESTS := $(patsubst tests/unit/%.c,%,$(sort $(wildcard \
    tests/unit/test_kalloc.c tests/unit/test_sched.c tests/unit/test_timer.c \
    tests/unit/test_kchan.c tests/unit/test_reply.c tests/unit/test_bbq.c \
    tests/unit/test_registry.c tests/unit/test_trace.c tests/unit/test_pt.c \
    tests/unit/test_kacct.c tests/unit/test_kstring.c)))
UNIT_TESTS += $(KERNEL_TESTS)
$(foreach t,$(KERNEL_TESTS),$(eval $(t)_SRCS := $(KERNEL_TEST_SRCS)))
$(foreach t,$(KERNEL_TESTS),$(eval $(t)_LIBS := -lpthread))

# ---- benchmark ------------------------------------------------------------------
KBENCH_SRCS := bench/kbench.c $(KERNEL_SRCS) $(KERNEL_HOST_SRCS)

$(BUILD)/kbench: $(patsubst %.c,$(BUILD)/obj/%.o,$(KBENCH_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread

ALL_TARGETS += $(BUILD)/kbench
BENCH_STEPS += bench/kernel-bench.sh
