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

# clio-term: the host tool for a sermux line
$(BUILD)/clio-term: $(BUILD)/obj/hosts/linux/clio_term.o $(BUILD)/obj/services/cobs.o
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lncurses

# muxd: kernel + sermux + daemons over TCP, a standalone demo and e2e server
MUXD_SRCS := tests/e2e/muxd.c $(SERVICES_SRCS) $(SERIAL_HOST_SRCS) \
             $(KERNEL_SRCS) hosts/linux/platform_linux.c
$(BUILD)/muxd: $(patsubst %.c,$(BUILD)/obj/%.o,$(MUXD_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread -lreadline

ALL_TARGETS += $(BUILD)/rv/services.ok $(BUILD)/clio-term $(BUILD)/muxd

UNIT_TESTS += test_cobs test_sermux
test_cobs_SRCS := services/cobs.c services/uuid.c
test_sermux_SRCS := $(SERVICES_SRCS) $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_sermux_LIBS := -lpthread

TEST_STEPS += tests/e2e/loopback.sh tests/e2e/console_pty.sh tests/e2e/term_view.sh

# ==== end sermux block =====================================================

# ==== Forth tasks, the spawnulator, the service bridge, clio ===============
FTASK_SRCS := services/ftask.c services/ftask_words.c services/fbridge.c services/spawnulator.c \
              services/fsys_words.c $(BUILD)/gen/forthlib.c
FORTHLIB   := $(sort $(wildcard forth-lib/*.fs))

# forth-lib is baked into every image as one C string
$(BUILD)/gen/forthlib.c: $(FORTHLIB) forth/mkprelude.sh
	@mkdir -p $(@D)
	sh forth/mkprelude.sh clio_forthlib $(FORTHLIB) > $@

CLIO_SRCS := hosts/linux/clio_main.c hosts/linux/stdio_files.c $(SERIAL_HOST_SRCS) \
             $(SERVICES_SRCS) $(FTASK_SRCS) $(FVM_SRCS) $(KERNEL_SRCS) \
             kernel/example/echo.c hosts/linux/platform_linux.c
$(BUILD)/clio: $(patsubst %.c,$(BUILD)/obj/%.o,$(CLIO_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $^ -lpthread -lreadline $(CLIO_LIBS)
$(BUILD)/asan/clio: $(patsubst %.c,$(BUILD)/aobj/%.o,$(CLIO_SRCS))
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SANITIZE) -o $@ $^ -lpthread -lreadline $(CLIO_LIBS)

FTASK_RV_OBJS := $(patsubst %.c,$(BUILD)/rv/%.o,$(filter services/%,$(FTASK_SRCS)))
$(BUILD)/rv/ftask.ok: $(FTASK_RV_OBJS)
	@touch $@

ALL_TARGETS += $(BUILD)/clio $(BUILD)/asan/clio $(BUILD)/rv/ftask.ok
# ==== end Forth tasks block ================================================

UNIT_TESTS += test_ftask test_faults
test_ftask_SRCS := $(FTASK_SRCS) services/uuid.c $(FVM_SRCS) $(KERNEL_SRCS) \
                   kernel/example/echo.c hosts/linux/platform_linux.c
test_ftask_LIBS := -lpthread
test_faults_SRCS := $(test_ftask_SRCS)
test_faults_LIBS := -lpthread

TEST_STEPS += tests/e2e/clio_script.sh tests/e2e/clio_serial.sh tests/e2e/clio_valgrind.sh

# ==== display, keyboard, graphical shell (display owner) ==================
DISPLAY_SRCS := services/display.c $(BUILD)/gen/font.c
# the font: Terminus 6x12 from Debian's console-setup-linux, converted here
FONT_PSF := /usr/share/consolefonts/Lat15-Terminus12x6.psf.gz
$(BUILD)/gen/font.c: services/mkfont.py services/font.h
	@mkdir -p $(@D)
	@[ -f $(FONT_PSF) ] || { echo "$(FONT_PSF) missing: make deps installs console-setup-linux" >&2; exit 1; }
	python3 services/mkfont.py $(FONT_PSF) 6 12 > $@
$(BUILD)/rv/$(BUILD)/gen/font.o: RV_CFLAGS += -Iservices
DISPLAY_RV_OBJS := $(patsubst %.c,$(BUILD)/rv/%.o,$(DISPLAY_SRCS))
$(BUILD)/rv/display.ok: $(DISPLAY_RV_OBJS)
	@touch $@
ALL_TARGETS += $(BUILD)/rv/display.ok

# clio --display: the service, keyboard mux, Forth drawing words, the
# graphical shell, and the SDL2 / headless backends (hosts/linux/display_*)
DISPLAY_ALL_SRCS := $(DISPLAY_SRCS) services/keyboard.c services/fdisplay.c services/gfxterm.c
DISPLAY_HOST_SRCS := hosts/linux/display_host.c hosts/linux/display_sdl.c hosts/linux/display_headless.c
SDL_CFLAGS := $(shell sdl2-config --cflags 2>/dev/null)
SDL_LIBS   := $(or $(shell sdl2-config --libs 2>/dev/null),-lSDL2)
CLIO_LIBS  += $(SDL_LIBS)
$(BUILD)/obj/hosts/linux/display_sdl.o $(BUILD)/aobj/hosts/linux/display_sdl.o: CPPFLAGS += $(SDL_CFLAGS)
$(BUILD)/clio: $(patsubst %.c,$(BUILD)/obj/%.o,$(DISPLAY_ALL_SRCS) $(DISPLAY_HOST_SRCS))
$(BUILD)/asan/clio: $(patsubst %.c,$(BUILD)/aobj/%.o,$(DISPLAY_ALL_SRCS) $(DISPLAY_HOST_SRCS))
$(BUILD)/rv/display.ok: $(patsubst %.c,$(BUILD)/rv/%.o,services/keyboard.c services/fdisplay.c services/gfxterm.c)
TEST_STEPS += tests/e2e/display.sh

UNIT_TESTS += test_display
test_display_SRCS := $(DISPLAY_SRCS) services/keyboard.c services/uuid.c $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_display_LIBS := -lpthread
# ==== end display block ====================================================

# ==== the file service, its backends, FILE-ACCESS for Forth tasks ==========
# services/files.c the service, services/ffiles.c the Forth hooks,
# services/blkfs.c the on-disk format over a block device (QEMU), and
# hosts/linux/files_hostdir.c a confined host directory (build/clio --files).
FILES_SRCS := services/files.c services/ffiles.c services/blkfs.c
$(BUILD)/clio: $(patsubst %.c,$(BUILD)/obj/%.o,$(FILES_SRCS) hosts/linux/files_hostdir.c)
$(BUILD)/asan/clio: $(patsubst %.c,$(BUILD)/aobj/%.o,$(FILES_SRCS) hosts/linux/files_hostdir.c)

FILES_RV_OBJS := $(patsubst %.c,$(BUILD)/rv/%.o,$(FILES_SRCS))
$(BUILD)/rv/files.ok: $(FILES_RV_OBJS)
	@touch $@
ALL_TARGETS += $(BUILD)/rv/files.ok

UNIT_TESTS += test_files test_blkfs
test_files_SRCS := $(FILES_SRCS) hosts/linux/files_hostdir.c $(FTASK_SRCS) services/uuid.c \
                   $(FVM_SRCS) $(KERNEL_SRCS) kernel/example/echo.c hosts/linux/platform_linux.c
test_files_LIBS := -lpthread
test_blkfs_SRCS := services/blkfs.c services/files.c $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_blkfs_LIBS := -lpthread

TEST_STEPS += tests/e2e/clio_files.sh
# ==== end file service block ===============================================
