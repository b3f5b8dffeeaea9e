#!/usr/bin/env bash
# tests/fuzz/run.sh [--fuzz] [harness...] -- the libFuzzer harnesses built
# by tests/fuzz/fuzz.mk ($BUILD/fuzz/<harness>).
#
# For each harness: replay every input kept in tests/fuzz/regressions/<h>/
# and every seed in tests/fuzz/corpus/<h>/ (each must run clean; the Forth
# text harness also takes the script tests in tests/forth/), then fuzz
# for FUZZ_SECONDS (default 10; `make fuzz` passes 60) starting from the
# seeds, with new inputs written to $BUILD/fuzz/corpus/<h>/ (never into the
# source tree), and print the exec count.  The Forth harnesses take
# tests/fuzz/forth.dict (words and float literals to splice in).  Runs one harness at a time.
# A crash input lands in tests/fuzz/ as crash-* (gitignored); fuzz_services
# also leaves the inputs since its last reboot in tests/fuzz/history-*/.
# Without --fuzz (the `make test` step) the same, with FUZZ_SECONDS=10.
# FUZZ_RUNS=N runs each for N executions instead (a campaign: `make fuzz
# FUZZ_RUNS=10000000`), FUZZ_MAX_LEN=N caps the input size.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
[ "${1:-}" = --fuzz ] && shift
FUZZ_SECONDS=${FUZZ_SECONDS:-10}
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(fuzz_forth_text fuzz_forth_bytes fuzz_sermux fuzz_bridge fuzz_registry fuzz_services
                                        fuzz_lframe fuzz_link)
status=0
for h in "${harnesses[@]}"; do
    bin=$BUILD/fuzz/$h
    [ -x "$bin" ] || { echo "$h: $bin not built (make fuzz-build)"; status=1; continue; }
    seeds=tests/fuzz/corpus/$h
    regs=tests/fuzz/regressions/$h
    extra=; [ "$h" = fuzz_forth_text ] && extra=tests/forth
    work=$BUILD/fuzz/corpus/$h
    export FUZZ_HISTORY=tests/fuzz/history-$h
    mkdir -p "$work"
    # 1. replay: regression inputs and seeds, each must run clean
    files=()
    for d in "$regs" "$seeds" $extra; do
        [ -d "$d" ] && while IFS= read -r f; do files+=("$f"); done < <(find "$d" -type f | sort)
    done
    if [ ${#files[@]} -gt 0 ]; then
        if ! "$bin" -runs=1 -timeout=30 "${files[@]}" > "$work.replay.log" 2>&1; then
            echo "$h: FAILED replaying regressions/seeds"; tail -n 30 "$work.replay.log"; status=1; continue
        fi
        echo "$h: ${#files[@]} regression and seed inputs replayed clean"
    fi
    # 2. a bounded fuzzing run
    log=$BUILD/fuzz/$h.log
    dirs=("$work"); [ -d "$seeds" ] && dirs+=("$seeds"); [ -n "$extra" ] && dirs+=("$extra")
    limit=(-max_total_time="$FUZZ_SECONDS")
    case $h in fuzz_forth_text|fuzz_forth_bytes) limit+=(-dict=tests/fuzz/forth.dict) ;; esac
    [ -n "${FUZZ_RUNS:-}" ] && limit=(-runs="$FUZZ_RUNS")
    [ -n "${FUZZ_MAX_LEN:-}" ] && limit+=(-max_len="$FUZZ_MAX_LEN")
    t0=$(date +%s)
    if "$bin" "${limit[@]}" -timeout=30 -rss_limit_mb=2048 \
            -artifact_prefix=tests/fuzz/ -print_final_stats=1 "${dirs[@]}" > "$log" 2>&1; then
        execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
        cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1)
        echo "$h: ${execs:-?} execs in $(( $(date +%s) - t0 )) s, $cov"
    else
        echo "$h: FAILED (log: $log)"; grep -m1 -B2 -A30 'ERROR\|fuzz check failed\|runtime error' "$log"
        ls -d tests/fuzz/crash-* tests/fuzz/leak-* tests/fuzz/timeout-* tests/fuzz/history-* 2>/dev/null
        status=1
    fi
done
exit $status
