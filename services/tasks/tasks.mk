# services/tasks/tasks.mk -- Forth tasks, the spawnulator, the service
# bridge, the system words, and forth-lib baked in.

FTASK_SRCS := services/tasks/ftask.c services/tasks/ftask_poll.c services/tasks/ftask_out.c services/tasks/ftask_words.c services/tasks/fclient.c \
              services/tasks/spawnulator.c services/tasks/spawn_eval.c services/tasks/spawn_eval_words.c \
              services/tasks/fsys_words.c $(BUILD)/gen/forthlib.c
# clio's THROW codes as constants (from cerr.h), then forth-lib/*.fs
FORTHLIB   := $(BUILD)/gen/cerr.fs $(sort $(wildcard forth-lib/*.fs))

$(BUILD)/gen/cerr.fs: services/common/cerr.h services/common/mkcerr.sh
	@mkdir -p $(@D)
	sh services/common/mkcerr.sh $< > $@

# forth-lib is baked into every image as one C string
$(BUILD)/gen/forthlib.c: $(FORTHLIB) forth/mkprelude.sh
	@mkdir -p $(@D)
	sh forth/mkprelude.sh clio_forthlib $(FORTHLIB) > $@

UNIT_TESTS += test_ftask test_faults test_spawn_eval
test_ftask_SRCS := $(FTASK_SRCS) $(COMMON_SRCS) $(FVM_SRCS) $(KERNEL_SRCS) \
                   kernel/example/echo.c hosts/linux/platform_linux.c
test_ftask_LIBS := -lpthread
test_faults_SRCS := $(test_ftask_SRCS)
test_faults_LIBS := -lpthread
test_spawn_eval_SRCS := $(test_ftask_SRCS)
test_spawn_eval_LIBS := -lpthread

# the sermux shell-port policy (needs the mux): linked by the hosts
SHELLPORTS_SRCS := services/tasks/shellports.c
