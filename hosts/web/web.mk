# hosts/web/web.mk -- clio in a browser page: the same kernel/, forth/ and
# services/ sources compiled for wasm32 with clang and linked with wasm-ld
# (Debian's lld), no C library and no Emscripten; the JavaScript host and
# the page beside them.  Included by the top-level Makefile.
#
#   make web        build/web/: index.html, clio.wasm, clio.js, the
#                   terminal (xterm.js from npm) and examples/demo.fs
#   make web-serve  serve build/web on http://127.0.0.1:$(WEB_PORT)/
#   make web-deps   npm ci of hosts/web/package.json into build/npm
#                   (xterm.js for the page, puppeteer-core for the test)
# tests/e2e/web.sh (in make test) drives the page in headless Chromium.

WEB_DIR    := hosts/web
WEB_OUT    := $(BUILD)/web
WEB_OBJ    := $(BUILD)/wasm
WEB_NPM    := $(BUILD)/npm
WEB_PORT   ?= 8417
WASM_CC    ?= clang
WASM_LD    ?= wasm-ld
WASM_CFLAGS := --target=wasm32 -ffreestanding -nostdlib -mbulk-memory -std=gnu11 $(WARN) -MMD -MP
WASM_OPT    := -Os
WASM_CPPFLAGS := -Ikernel -Iforth -Iservices -I$(WEB_DIR)
# the stack first, so that overflowing it traps instead of writing data
WASM_LDFLAGS := --no-entry --stack-first -z stack-size=262144 --gc-sections --strip-all

WEB_PORTABLE_SRCS := $(sort $(KERNEL_SRCS) $(FVM_SRCS) $(SERVICES_SRCS) $(FTASK_SRCS) \
                     $(COMMON_SRCS) kernel/example/echo.c $(FILES_SRCS) $(DISPLAY_ALL_SRCS) \
                     $(SHELLPORTS_SRCS))
WEB_HOST_SRCS := $(filter-out $(WEB_DIR)/web_mkroot.c,$(wildcard $(WEB_DIR)/*.c))
WEB_OBJS := $(patsubst %,$(WEB_OBJ)/%.o,$(WEB_PORTABLE_SRCS) $(WEB_HOST_SRCS))
WEB_ROOTIMG := $(BUILD)/gen/web_rootimg.c

$(WEB_OBJ)/%.c.o: %.c
	@mkdir -p $(@D)
	$(WASM_CC) $(WASM_CPPFLAGS) $(WASM_CFLAGS) $(WASM_OPT) -c $< -o $@
# the inner interpreter for speed, as in the RISC-V images
$(WEB_OBJ)/forth/run.c.o: WASM_OPT := -O2

# the root VM built ahead of time (web_mkroot.c run by mkroot.js under
# node), so that a page load does not compile forth-lib
$(WEB_OBJ)/mkroot.wasm: $(WEB_OBJS:$(WEB_OBJ)/$(WEB_DIR)/web_main.c.o=$(WEB_OBJ)/$(WEB_DIR)/web_mkroot.c.o)
	$(WASM_LD) $(WASM_LDFLAGS) -o $@ $^
$(WEB_ROOTIMG): $(WEB_OBJ)/mkroot.wasm $(WEB_DIR)/mkroot.js
	node $(WEB_DIR)/mkroot.js $< clio_root_image $@

$(WEB_OUT)/clio.wasm: $(WEB_OBJS) $(WEB_OBJ)/$(WEB_ROOTIMG).o
	@mkdir -p $(@D)
	$(WASM_LD) $(WASM_LDFLAGS) -o $@ $^

# the npm packages, pinned by hosts/web/package-lock.json
$(WEB_NPM)/.installed: $(WEB_DIR)/package.json $(WEB_DIR)/package-lock.json
	@mkdir -p $(@D)
	cp $^ $(@D)/
	cd $(@D) && npm ci --no-audit --no-fund
	@touch $@

XTERM_DIR := $(WEB_NPM)/node_modules/@xterm/xterm
$(WEB_OUT)/vendor/xterm.js: $(WEB_NPM)/.installed
	@mkdir -p $(@D)
	cp $(XTERM_DIR)/lib/xterm.js $(XTERM_DIR)/css/xterm.css $(@D)/
$(WEB_OUT)/%: $(WEB_DIR)/page/%
	@mkdir -p $(@D)
	cp $< $@
$(WEB_OUT)/examples/demo.fs: examples/demo.fs
	@mkdir -p $(@D)
	cp $< $@

WEB_PAGE := $(patsubst $(WEB_DIR)/page/%,$(WEB_OUT)/%,$(wildcard $(WEB_DIR)/page/*))
WEB_ALL  := $(WEB_OUT)/clio.wasm $(WEB_PAGE) $(WEB_OUT)/vendor/xterm.js $(WEB_OUT)/examples/demo.fs

web: $(WEB_ALL)
web-deps: $(WEB_NPM)/.installed
web-serve: web
	@echo "clio in the browser: http://127.0.0.1:$(WEB_PORT)/  (Ctrl-C stops)"
	cd $(WEB_OUT) && python3 -m http.server $(WEB_PORT) --bind 127.0.0.1

# the wasm link is part of `make` (clang and lld only); the page needs npm
ALL_TARGETS += $(WEB_OUT)/clio.wasm
TEST_STEPS += tests/e2e/web.sh
.PHONY: web web-deps web-serve
