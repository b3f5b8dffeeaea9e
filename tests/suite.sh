#!/usr/bin/env bash
# suite.sh -- the Forth 2012 test suite (../shared/forth-tests, beside the
# repository) against $BUILD/forth and against the ASan+UBSan build
# $BUILD/asan/forth: all 16 integer files of the suite (CORE, CORE EXT and every
# optional word set's file), run from ../shared/forth-tests/suite where they
# live -- the project keeps no copies of them.  Passes only if every file
# reports 0 errors and none aborted, crashed or timed out, and no sanitizer
# reported anything.
# Run from the repository root; BUILD defaults to build.
set -u
BUILD=${BUILD:-build}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
suite="$root/../shared/forth-tests/run-suite.sh"
if [ ! -x "$suite" ]; then
    echo "suite.sh: $suite not found: the shared/ directory must sit beside the repository" >&2
    exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-suite.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# the suite's own directory (run-suite.sh works on a scratch copy of it);
# required-helper1/2.fth are included by filetest.fth, not tests of their own
files=(prelimtest.fth core.fr coreplustest.fth utilities.fth errorreport.fth
       coreexttest.fth blocktest.fth doubletest.fth exceptiontest.fth facilitytest.fth
       filetest.fth localstest.fth memorytest.fth toolstest.fth searchordertest.fth
       stringtest.fth)
for f in "${files[@]}" required-helper1.fth required-helper2.fth; do
    [ -f "$root/../shared/forth-tests/suite/$f" ] ||
        { echo "suite.sh: ../shared/forth-tests/suite/$f is missing" >&2; exit 1; }
done

# sanitizer reports abort the process, so run-suite sees a crash, and they
# are kept in the logs, so one after the last test is caught too
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1
export UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1

status=0
for forth in "$BUILD/forth" "$BUILD/asan/forth"; do
    [ -x "$forth" ] || { echo "suite.sh: $forth not built" >&2; status=1; continue; }
    echo "== $forth"
    logs="$tmp/$(echo "$forth" | tr / _)"
    "$suite" -v -t 120 -s "$root/../shared/forth-tests/suite" -l "$logs" "$forth" "${files[@]}" > "$tmp/out" 2>&1
    rc=$?
    cat "$tmp/out"
    if [ $rc -ne 0 ]; then
        echo "suite.sh: $forth: run-suite.sh failed (exit $rc)"; status=1
    elif grep -a -q -E 'ABORTED|CRASHED|TIMEOUT|OUTPUT FLOOD|NO OUTPUT|missing from' "$tmp/out" ||
         ! grep -a -q -E '^TOTAL: 0 errors' "$tmp/out"; then
        echo "suite.sh: $forth: not every file completed with 0 errors"; status=1
    fi
    if grep -a -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$logs"/*.log 2>/dev/null; then
        echo "suite.sh: $forth: sanitizer report in the logs above:"
        grep -a -h -A5 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$logs"/*.log | head -40
        status=1
    fi
done
exit $status
