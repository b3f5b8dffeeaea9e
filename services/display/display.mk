# services/display/display.mk -- the display service, the keyboard mux, the
# Forth drawing words, the graphical shell and the font.  The backends (SDL2
# window, headless PPM) are the host's (hosts/linux/display_*).

DISPLAY_SRCS := services/display/display.c $(BUILD)/gen/font.c
DISPLAY_ALL_SRCS := $(DISPLAY_SRCS) services/display/keyboard.c services/display/fdisplay.c \
                    services/display/gfxterm.c services/shell/ledit.c services/shell/complete.c

# the font: Terminus 6x12 from Debian's console-setup-linux, converted here
FONT_PSF := /usr/share/consolefonts/Lat15-Terminus12x6.psf.gz
$(BUILD)/gen/font.c: services/display/mkfont.py services/display/font.h
	@mkdir -p $(@D)
	@[ -f $(FONT_PSF) ] || { echo "$(FONT_PSF) missing: make deps installs console-setup-linux" >&2; exit 1; }
	python3 services/display/mkfont.py $(FONT_PSF) 6 12 > $@

UNIT_TESTS += test_display
test_display_SRCS := $(DISPLAY_SRCS) services/display/keyboard.c $(COMMON_SRCS) \
                     $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_display_LIBS := -lpthread

# the drawing words in a shell task (tests/unit/test_fdisplay.c)
UNIT_TESTS += test_fdisplay
test_fdisplay_SRCS := $(DISPLAY_SRCS) services/display/fdisplay.c $(FTASK_SRCS) $(COMMON_SRCS) \
                      $(FVM_SRCS) $(KERNEL_SRCS) hosts/linux/platform_linux.c
test_fdisplay_LIBS := -lpthread
