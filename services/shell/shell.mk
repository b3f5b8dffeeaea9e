# services/shell/shell.mk -- what every shell has: the line editor with
# history (the QEMU console, the graphical shell, clio-term) and `help`,
# generated from the docs at build time.

SHELL_SRCS := services/shell/ledit.c services/shell/help.c $(BUILD)/gen/help_text.c
HELP_DOCS  := docs/words.md docs/clio.md docs/display.md

# help's text comes from the docs, so the two cannot drift
$(BUILD)/gen/help_text.c: services/shell/mkhelp.py $(HELP_DOCS)
	@mkdir -p $(@D)
	python3 services/shell/mkhelp.py $(HELP_DOCS) > $@

UNIT_TESTS += test_ledit
test_ledit_SRCS := services/shell/ledit.c

UNIT_TESTS += test_complete
test_complete_SRCS := services/shell/complete.c services/shell/ledit.c $(FVM_SRCS)

# Ctrl-C for a Forth task (ftask_interrupt) on the real kernel
UNIT_TESTS += test_ftask_intr
test_ftask_intr_SRCS = $(test_ftask_SRCS)
test_ftask_intr_LIBS := -lpthread
