# tests/fuzz/fuzz.mk -- libFuzzer harnesses (clang -fsanitize=fuzzer,address,
# undefined), built into $(BUILD)/fuzz/.
#
#   make fuzz                 each harness for FUZZ_SECONDS (default 60), one
#                             after another, from its seed corpus
#                             (tests/fuzz/corpus/<harness>/, read-only: new
#                             inputs go to $(BUILD)/fuzz/corpus/<harness>/);
#                             prints the exec count of each;
#                             FUZZ_RUNS=10000000 runs each that many times
#                             instead (FUZZ_MAX_LEN=N caps input sizes)
#   make test                 tests/fuzz/run.sh: replays every regression
#                             input and seed, then a short run of each
#                             (FUZZ_SECONDS=10 unless set)
#
# A crash leaves its input as tests/fuzz/crash-* (gitignored); minimize it
# (the harness with -minimize_crash=1 -runs=10000 crash-...) and keep it
# in tests/fuzz/regressions/<harness>/ with the fix.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS   := -std=gnu11 -g -O1 -fno-omit-frame-pointer -Wall -Wextra \
                -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-sanitize=function -Wno-unknown-attributes -Iforth -Ikernel -Iservices -Ihosts/linux

FUZZ_HARNESSES := fuzz_forth_text fuzz_forth_bytes fuzz_sermux fuzz_bridge fuzz_registry fuzz_services \
                  fuzz_lframe fuzz_link
FUZZ_BINS := $(patsubst %,$(BUILD)/fuzz/%,$(FUZZ_HARNESSES))

fuzz_forth_text_SRCS  := $(FVM_SRCS)
fuzz_forth_bytes_SRCS := $(FVM_SRCS)
fuzz_sermux_SRCS      := $(SERMUX_SRCS) $(COMMON_SRCS) $(KERNEL_SRCS) hosts/linux/platform_linux.c
fuzz_bridge_SRCS      := $(SERVICES_SRCS) $(COMMON_SRCS) $(FTASK_SRCS) $(KERNEL_SRCS) \
                         kernel/example/echo.c hosts/linux/platform_linux.c
# the bridge harness makes a fresh system per input (its root VM from an
# image saved on the first input): the VM is sanitized but not
# coverage-traced there (fuzz_forth_* cover it), which makes the harness
# several times faster
fuzz_bridge_NOCOV     := $(FVM_SRCS)
fuzz_registry_SRCS    := $(KERNEL_SRCS) hosts/linux/platform_linux.c
# every service at once, through the Forth client layer (the VM as for the
# bridge: sanitized, not coverage-traced)
fuzz_services_SRCS    := $(SERVICES_SRCS) $(COMMON_SRCS) $(FTASK_SRCS) $(FILES_SRCS) \
                         $(DISPLAY_ALL_SRCS) $(KERNEL_SRCS) kernel/example/echo.c \
                         hosts/linux/platform_linux.c
fuzz_services_NOCOV   := $(FVM_SRCS)
# the link: its decoder alone, and a node's link played by the input
fuzz_lframe_SRCS      := $(LWIRE_SRCS)
fuzz_link_SRCS        := $(LINK_SRCS) $(SERVICES_SRCS) $(COMMON_SRCS) $(KERNEL_SRCS) \
                         kernel/example/echo.c hosts/linux/platform_linux.c

# library code: sanitizers and coverage, no libFuzzer main
$(BUILD)/fuzz/obj/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -MMD -MP -fsanitize=fuzzer-no-link $(FUZZ_FLAGS_$(<)) -c $< -o $@

# The inner interpreter and number output keep their edge coverage but not
# comparison tracing: their dispatch, range checks and digit loops compare
# against constants at every step, which took over half of fuzz_forth_text's
# time (perf) and tells the fuzzer nothing about the input.
FUZZ_FLAGS_forth/run.c    := -fno-sanitize-coverage=trace-cmp
FUZZ_FLAGS_forth/format.c := -fno-sanitize-coverage=trace-cmp
# The same for the kernel's memory helpers: every byte of every copy and
# fill compared its count with a constant (kmem_copy and kmem_set were 8%
# of fuzz_services in perf, called by everyone, telling the fuzzer nothing).
FUZZ_FLAGS_kernel/kstring.c := -fno-sanitize-coverage=trace-cmp

$(BUILD)/fuzz/nocov/%.o: %.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -MMD -MP -c $< -o $@

define fuzz_harness
$(BUILD)/fuzz/$(1): tests/fuzz/$(1).c $(wildcard tests/fuzz/*.h) $$(patsubst %.c,$(BUILD)/fuzz/obj/%.o,$$($(1)_SRCS)) $$(patsubst %.c,$(BUILD)/fuzz/nocov/%.o,$$($(1)_NOCOV))
	@mkdir -p $$(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -Werror -fsanitize=fuzzer -o $$@ $$(filter %.c %.o,$$^) -lpthread
endef
$(foreach h,$(FUZZ_HARNESSES),$(eval $(call fuzz_harness,$(h))))

fuzz-build: $(FUZZ_BINS)

fuzz: $(FUZZ_BINS)
	@BUILD=$(BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_RUNS=$(FUZZ_RUNS) FUZZ_MAX_LEN=$(FUZZ_MAX_LEN) \
	    tests/fuzz/run.sh --fuzz $(FUZZ_HARNESSES)

# make test builds the harnesses and runs tests/fuzz/run.sh (short runs)
test: $(FUZZ_BINS)
TEST_STEPS += tests/fuzz/run.sh

.PHONY: fuzz fuzz-build
