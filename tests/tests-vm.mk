# tests/tests-vm.mk -- the Forth VM's tests: cmocka unit tests (plain and
# under ASan+UBSan) and the Forth script tests of tests/forth/.
# Included by the top-level Makefile after forth/forth.mk (needs FVM_SRCS)
# and before the unit_test expansion.

UNIT_TESTS += test_fvm_api test_fvm_throw test_fvm_fuzz test_fvm_words test_fvm_image \
              test_fvm_float test_fconv test_fmath test_fvm_shell
test_fvm_api_SRCS   := $(FVM_SRCS)
test_fvm_float_SRCS := $(FVM_SRCS)
# exactness against glibc's strtod and printf
test_fconv_SRCS     := forth/fconv.c
test_fconv_LIBS     := -lm
# within 1 ulp of glibc's libm
test_fmath_SRCS     := $(FMATH_SRCS) forth/fconv.c
test_fmath_LIBS     := -lm
test_fvm_words_SRCS := $(FVM_SRCS)
test_fvm_throw_SRCS := $(FVM_SRCS)
test_fvm_fuzz_SRCS  := $(FVM_SRCS)
test_fvm_image_SRCS := $(FVM_SRCS)
test_fvm_shell_SRCS := $(FVM_SRCS)
test_fvm_shell_LIBS := -lpthread

# tests/forth.sh pipes tests/forth/*.fs into $(BUILD)/forth (BUILD comes
# from tests/run.sh)
TEST_STEPS += tests/forth.sh
