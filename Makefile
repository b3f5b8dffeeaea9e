# clio -- a Forth-scriptable OS for small computers.
#
#   make            build everything (Linux binaries, freestanding proofs)
#   make deps       install the Debian packages the project needs (idempotent)
#   make run        start clio with the terminal as a Forth shell
#   make test       unit tests (plain and ASan+UBSan), Forth tests, the standard suite
#   make bench      benchmarks against gforth-fast and pforth
#   make web        the browser page in build/web/ (make web-serve serves it)
#   make soak       a two-minute soak of build/clio (not part of make test)
#   make install    PREFIX=/usr/local: libfvm.a, fvm.h, fvm.pc
#
# Module fragments (forth/forth.mk, kernel/kernel.mk, ...) list their sources
# and add to ALL_TARGETS, UNIT_TESTS, TEST_STEPS and BENCH_STEPS.

BUILD    ?= build
PREFIX   ?= /usr/local
CC       ?= gcc
OPT      ?= -O2
WARN     := -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes
CFLAGS   := -std=gnu11 $(OPT) -g $(WARN) -MMD -MP
CPPFLAGS := -Iforth -Ikernel -Iservices -Ihosts/linux
SANITIZE := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# Freestanding proof: kernel/ and forth/ must build with the bare-metal
# RISC-V compiler and nothing but their own headers.
RV_CC     := riscv64-unknown-elf-gcc
RV_CFLAGS := -march=rv64imac_zicsr_zifencei -mabi=lp64 -mcmodel=medany \
             -ffreestanding -fno-pie -fno-stack-protector \
             -fno-tree-loop-distribute-patterns -std=gnu11 -O2 $(WARN)

ALL_TARGETS :=
UNIT_TESTS  :=
TEST_STEPS  :=
BENCH_STEPS :=

all: build-all

include forth/forth.mk
include kernel/kernel.mk
include tests/tests-vm.mk
include tests/tests.mk
include services/services.mk
include hosts/linux/linux.mk
include hosts/qemu-riscv/qemu.mk
include hosts/web/web.mk
include tests/fuzz/fuzz.mk

# ---- generic rules -------------------------------------------------------
$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(BUILD)/aobj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SANITIZE) -c $< -o $@

# unit_test(NAME): tests/unit/NAME.c linked with $(NAME_SRCS), plain and
# sanitized.  Fragments set NAME_SRCS and add NAME to UNIT_TESTS.
define unit_test
$(BUILD)/tests/$(1): $(BUILD)/obj/tests/unit/$(1).o $$(patsubst %.c,$(BUILD)/obj/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) -o $$@ $$^ -lcmocka $$($(1)_LIBS)
$(BUILD)/asan/tests/$(1): $(BUILD)/aobj/tests/unit/$(1).o $$(patsubst %.c,$(BUILD)/aobj/%.o,$$($(1)_SRCS))
	@mkdir -p $$(@D)
	$$(CC) $$(CFLAGS) $$(SANITIZE) -o $$@ $$^ -lcmocka $$($(1)_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test,$(t))))

UNIT_BINS := $(foreach t,$(UNIT_TESTS),$(BUILD)/tests/$(t) $(BUILD)/asan/tests/$(t))

build-all: $(ALL_TARGETS)

# ---- entry points ----------------------------------------------------------
deps:
	@tests/deps.sh

run: $(BUILD)/clio
	$(BUILD)/clio

test: $(ALL_TARGETS) $(UNIT_BINS)
	@BUILD=$(BUILD) UNIT_TESTS="$(UNIT_TESTS)" tests/run.sh $(TEST_STEPS)

# about two minutes: tasks churning, loopback at full rate, a runaway, a task
# over budget, malformed frames; memory at the end must equal the start
soak: $(BUILD)/clio
	@BUILD=$(BUILD) tests/soak/soak.sh

bench: $(ALL_TARGETS)
	@for s in $(BENCH_STEPS); do $$s || exit 1; done

clean:
	rm -rf $(BUILD)

.PHONY: all build-all deps run test soak bench install clean
.DELETE_ON_ERROR:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
