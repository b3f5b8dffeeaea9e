# tests/tests.mk -- test and benchmark steps that span the modules:
#   tests/install.sh     make install into a scratch PREFIX, build and run an
#                        embedding example against it with pkg-config
#   tests/repl.sh        build/forth as a program: files, pipes, errors, exit
#                        status, the REPL on a pty
#   tests/suite.sh       the Forth 2012 test suite (all 16 integer files, read
#                        from ../shared/forth-tests/suite) on
#                        build/forth and build/asan/forth
#   bench/forth-bench.sh build/forth vs gforth-fast and pforth (make bench)

TEST_STEPS  += tests/install.sh tests/repl.sh tests/suite.sh
BENCH_STEPS += bench/forth-bench.sh
