# forth/ -- the Forth VM library (libfvm.a) and the freestanding proof with the RISC-V compiler.

FMATH_SRCS := forth/fmath.c forth/fmath_exp.c forth/fmath_log.c forth/fmath_trig.c \
              forth/fmath_atan.c
FVM_CORE := forth/vm.c forth/run.c forth/dict.c forth/compile.c forth/parse.c forth/format.c \
            forth/see.c forth/decomp.c forth/errors.c forth/memory.c forth/peep.c \
            forth/double.c forth/string.c forth/search.c forth/memalloc.c \
            forth/locals.c forth/file.c forth/image.c forth/block.c forth/names.c \
            forth/float.c forth/fout.c forth/fwords.c forth/fconv.c $(FMATH_SRCS)
FVM_GEN  := $(BUILD)/gen/prelude.c
FVM_SRCS := $(FVM_CORE) $(FVM_GEN)
FVM_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(FVM_SRCS))

# The inner interpreter without SLP vectorization: GCC 12 at -O2 pairs ip
# and sp in an SSE register and packs them at every dispatch (3 instructions
# a NEXT; callgrind: fib 14.1e9 -> 12.0e9 instructions without it).  And
# without GCSE, which merges the dispatches into one computed goto and then
# gives the target a stack slot: 288 of 289 dispatches were a store and a
# jmp through memory (now a jmp through a register at each).
$(BUILD)/obj/forth/run.o $(BUILD)/aobj/forth/run.o: CFLAGS += -fno-tree-slp-vectorize -fno-gcse

# The math library's double-double steps want each product rounded on its
# own: no contraction into fused multiply-adds where a target has them.
$(patsubst %.c,$(BUILD)/obj/%.o,$(FMATH_SRCS)) $(patsubst %.c,$(BUILD)/aobj/%.o,$(FMATH_SRCS)): CFLAGS += -ffp-contract=off
$(patsubst %.c,$(BUILD)/rv/%.o,$(FMATH_SRCS)): RV_CFLAGS += -ffp-contract=off

# The prelude (Forth source compiled into every new VM) becomes a C string.
$(FVM_GEN): forth/prelude.fs forth/mkprelude.sh
	@mkdir -p $(@D)
	sh forth/mkprelude.sh fvm_prelude $< > $@

$(BUILD)/libfvm.a: $(FVM_OBJS)
	@rm -f $@
	ar rcs $@ $^

# freestanding proof: every forth/*.c with the bare-metal compiler, no -I
# beyond forth/ itself
FVM_RV_OBJS := $(patsubst %.c,$(BUILD)/rv/%.o,$(FVM_SRCS))
$(BUILD)/rv/%.o: %.c
	@mkdir -p $(@D)
	$(RV_CC) $(RV_CFLAGS) -Iforth -c $< -o $@
$(BUILD)/rv/fvm.ok: $(FVM_RV_OBJS)
	@touch $@

ALL_TARGETS += $(BUILD)/libfvm.a $(BUILD)/rv/fvm.ok

# ---- install: libfvm.a, fvm.h, fvm.pc ------------------------------------
install: $(BUILD)/libfvm.a
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 644 $(BUILD)/libfvm.a $(DESTDIR)$(PREFIX)/lib/libfvm.a
	install -m 644 forth/fvm.h $(DESTDIR)$(PREFIX)/include/fvm.h
	sed 's|@PREFIX@|$(PREFIX)|' forth/fvm.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/fvm.pc
