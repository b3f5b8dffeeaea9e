# tests/tests-vm.mk -- the Forth VM's tests: cmocka unit tests (plain and
# under ASan+UBSan) and the Forth script tests of tests/forth/.
# Included by the top-level Makefile after forth/forth.mk (needs FVM_SRCS).

UNIT_TESTS += test_fvm_api test_fvm_throw
test_fvm_api_SRCS   := $(FVM_SRCS)
test_fvm_throw_SRCS := $(FVM_SRCS)

