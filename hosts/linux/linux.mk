# hosts/linux/linux.mk -- the Linux host's programs:
#   build/forth        the Forth VM alone, with a readline REPL (+ asan/)
#   build/clio         the OS in a Linux process (+ asan/)
#   build/clio-term    the ncurses host tool for a sermux line
#   build/muxd         kernel + sermux + daemons over TCP (a demo, e2e server)
#   build/clio-mkroot  saves the root VM as an image for the RISC-V images
# and their end-to-end tests.  Included after the services' fragments.

SERIAL_HOST_SRCS := hosts/linux/serial_tcp.c hosts/linux/console.c hosts/linux/rlshell.c

FORTH_HOST_SRCS := hosts/linux/forth_main.c hosts/linux/stdio_files.c hosts/linux/rlshell.c \
                   services/shell/help.c $(BUILD)/gen/help_text.c
$(BUILD)/forth: $(patsubst %.c,$(BUILD)/obj/%.o,$(FORTH_HOST_SRCS)) $(BUILD)/libfvm.a
	$(CC) $(CFLAGS) -o $@ $^ -lreadline
$(BUILD)/asan/forth: $(patsubst %.c,$(BUILD)/aobj/%.o,$(FORTH_HOST_SRCS) $(FVM_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ -lreadline

# clio: every service, the VM, the kernel, and the Linux drivers
DISPLAY_HOST_SRCS := hosts/linux/display_host.c hosts/linux/display_sdl.c hosts/linux/display_headless.c
CLIO_SRCS := hosts/linux/clio_main.c hosts/linux/script_files.c \
             $(SERIAL_HOST_SRCS) $(SHELL_SRCS) \
             $(SERVICES_SRCS) $(COMMON_SRCS) $(FTASK_SRCS) $(SHELLPORTS_SRCS) $(FVM_SRCS) $(KERNEL_SRCS) \
             kernel/example/echo.c hosts/linux/platform_linux.c \
             $(DISPLAY_ALL_SRCS) $(DISPLAY_HOST_SRCS) $(FILES_SRCS) hosts/linux/files_hostdir.c \
             $(LINK_SRCS)
SDL_CFLAGS := $(shell sdl2-config --cflags 2>/dev/null)
SDL_LIBS   := $(or $(shell sdl2-config --libs 2>/dev/null),-lSDL2)
CLIO_LIBS  := -lpthread -lreadline $(SDL_LIBS)
$(BUILD)/obj/hosts/linux/display_sdl.o $(BUILD)/aobj/hosts/linux/display_sdl.o: CPPFLAGS += $(SDL_CFLAGS)
$(BUILD)/clio: $(patsubst %.c,$(BUILD)/obj/%.o,$(CLIO_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ $(CLIO_LIBS)
$(BUILD)/asan/clio: $(patsubst %.c,$(BUILD)/aobj/%.o,$(CLIO_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ $(CLIO_LIBS)

TERM_SRCS := hosts/linux/clio_term.c hosts/linux/term_link.c hosts/linux/term_lmode.c \
             hosts/linux/term_view.c services/mux/cobs.c kernel/trace_names.c services/shell/ledit.c
$(BUILD)/clio-term: $(patsubst %.c,$(BUILD)/obj/%.o,$(TERM_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lncurses

MUXD_SRCS := tests/e2e/muxd.c $(SERVICES_SRCS) $(COMMON_SRCS) $(SERIAL_HOST_SRCS) \
             $(KERNEL_SRCS) hosts/linux/platform_linux.c
$(BUILD)/muxd: $(patsubst %.c,$(BUILD)/obj/%.o,$(MUXD_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread -lreadline

UNIT_TESTS += test_serial_tcp
test_serial_tcp_SRCS := hosts/linux/serial_tcp.c $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_serial_tcp_LIBS := -lpthread

# round trips over a TCP serial line (bench/tcpping.c; a measurement tool)
TCPPING_SRCS := bench/tcpping.c hosts/linux/serial_tcp.c $(KERNEL_SRCS) hosts/linux/platform_linux.c
$(BUILD)/tcpping: $(patsubst %.c,$(BUILD)/obj/%.o,$(TCPPING_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread

# the root VM built ahead of time for the RISC-V images (hosts/qemu-riscv)
MKROOT_SRCS := hosts/linux/mkroot.c $(FTASK_SRCS) $(COMMON_SRCS) $(FVM_SRCS) $(KERNEL_SRCS) \
               hosts/linux/platform_linux.c
$(BUILD)/clio-mkroot: $(patsubst %.c,$(BUILD)/obj/%.o,$(MKROOT_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread

BENCH_STEPS += bench/link-bench.sh

ALL_TARGETS += $(BUILD)/forth $(BUILD)/asan/forth $(BUILD)/clio $(BUILD)/asan/clio \
               $(BUILD)/clio-term $(BUILD)/muxd $(BUILD)/tcpping

BENCH_STEPS += bench/tcp-bench.sh

TEST_STEPS += tests/e2e/loopback.sh tests/e2e/console_pty.sh tests/e2e/term_view.sh \
              tests/e2e/clio_script.sh tests/e2e/clio_serial.sh tests/e2e/clio_valgrind.sh \
              tests/e2e/display.sh tests/e2e/gfxshell.sh tests/e2e/clio_files.sh tests/e2e/boundary.sh \
              tests/e2e/links.sh tests/attack/links/run.sh
