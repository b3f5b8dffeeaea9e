#!/usr/bin/env bash
# Runs every test of `make test`: each unit-test binary (plain, then under
# ASan+UBSan), then each step script given as an argument.  A step is a
# script that exits 0 on success; one that runs longer than STEP_TIMEOUT
# seconds (default 600) fails.  Ends with the line "N passed, N failed".
set -u
BUILD=${BUILD:-build}
pass=0; fail=0; failed=()
log=$(mktemp -d "${TMPDIR:-/tmp}/clio-test.XXXXXX")
trap 'rm -rf "$log"' EXIT

run() {  # name command...
    local name=$1; shift
    local t0=$(date +%s%N)
    if timeout -k 10 "${STEP_TIMEOUT:-600}" "$@" > "$log/out" 2>&1; then
        pass=$((pass + 1)); printf 'PASS  %-40s %6d ms\n' "$name" $(( ($(date +%s%N) - t0) / 1000000 ))
    else
        fail=$((fail + 1)); failed+=("$name")
        printf 'FAIL  %s\n' "$name"; tail -n 40 "$log/out" | sed 's/^/    | /'
    fi
}

for t in ${UNIT_TESTS:-}; do
    run "unit/$t" "$BUILD/tests/$t"
    run "unit/$t (asan)" "$BUILD/asan/tests/$t"
done
for s in "$@"; do
    run "$s" env BUILD="$BUILD" "$s"
done

[ $fail -eq 0 ] || printf 'failed: %s\n' "${failed[*]}"
echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
