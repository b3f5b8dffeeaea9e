#!/usr/bin/env bash
# suite.sh -- the Forth 2012 test suite (../shared/forth-tests, beside the
# repository) against $BUILD/forth and against the ASan+UBSan build
# $BUILD/asan/forth: all 16 integer files of the suite (CORE, CORE EXT and every
# optional word set's file), run from ../shared/forth-tests/suite where they
# live -- the project keeps no copies of them.  Passes only if every file
# reports 0 errors and none aborted, crashed or timed out, and no sanitizer
# reported anything.  Then the suite's 8 floating-point programs (fp/),
# each in its own process after fp/ttester.fs: every one must run to its
# end with no failed test, and paranoia.4th must count 0 FAILUREs and 0
# SERIOUS DEFECTs.
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

# fp_suite FORTH LOGDIR: the floating-point programs, one process each, in
# a scratch copy of fp/ (they only read it); a file passes if the line
# after its INCLUDED prints FP-DONE (an abort loses the rest of the line)
# and ttester reported no failure
fp_files=(ak-fp-test.fth fatan2-test.fs ieee-arith-test.fs ieee-fprox-test.fs fpzero-test.4th
          fpio-test.4th to-float-test.4th paranoia.4th)
fp_suite() {
    local forth=$1 logs=$2 f n ok=0 note
    local d="$tmp/fp.d"
    forth=$(cd "$(dirname "$forth")" && pwd)/$(basename "$forth")
    for f in "${fp_files[@]}"; do
        rm -rf "$d"; mkdir -p "$d"; cp "$root/../shared/forth-tests/suite/fp/"* "$d"/; chmod u+w "$d"/*
        printf 'S" ttester.fs" INCLUDED\nS" %s" INCLUDED CR .( FP-DONE) CR\nBYE\n' "$f" > "$d/in"
        (cd "$d" && timeout -k 5 120 "$forth" < in > out 2>&1)
        cp "$d/out" "$logs/fp-$f.log"
        n=$(grep -a -c -E 'INCORRECT|WRONG NUMBER' "$d/out")
        note=""
        grep -a -q '^FP-DONE' "$d/out" || note=" [did not run to its end: $(grep -a -v '^ok' "$d/out" | tail -2 | tr '\n' ' ' | cut -c1-100)]"
        if [ "$f" = paranoia.4th ]; then
            grep -a -q -E 'FAILUREs +encountered = 0' "$d/out" &&
                grep -a -q -E 'SERIOUS DEFECTs +discovered = 0' "$d/out" ||
                note="$note [paranoia: $(grep -a -E 'FAILUREs|DEFECTs' "$d/out" | tr -s ' ' | tr '\n' ';')]"
            note="$note ($(grep -a -E '^(DEFECTs|FLAWs) +discovered' "$d/out" | tr -s ' ' | tr '\n' ';'))"
        fi
        echo "fp/$f: $n errors$note"
        [ "$n" = 0 ] && [[ $note != *" ["* ]] || ok=1
    done
    return $ok
}

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
    fp_suite "$forth" "$logs" || status=1
    if grep -a -l -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$logs"/*.log 2>/dev/null; then
        echo "suite.sh: $forth: sanitizer report in the logs above:"
        grep -a -h -A5 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$logs"/*.log | head -40
        status=1
    fi
done
exit $status
