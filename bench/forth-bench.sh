#!/usr/bin/env bash
# forth-bench.sh -- `make bench`: the CORE-only benchmarks of
# ../shared/forth-tests/bench (beside the repository) and of bench/ on
# $BUILD/forth, gforth-fast and pforth in the same run, then a table of the
# median times, the ratio of each to gforth-fast (and of the minimum times,
# less sensitive to load), and build/forth's target (<= 1.0x gforth-fast,
# issue 7).  A peer that is not installed is skipped.
#
# Timing and the output check are the shared run-bench.sh's (for bench/'s
# files a copy of it runs beside them).  Environment: BUILD (default build),
# BENCH_RUNS (timed runs per benchmark, default 5), BENCH_STRICT=1 (exit 1
# when a benchmark misses the target; wrong output always fails).
set -u
BUILD=${BUILD:-build}
RUNS=${BENCH_RUNS:-5}
TARGET=1.0
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
shared="$root/../shared/forth-tests/bench"
if [ ! -x "$shared/run-bench.sh" ]; then
    echo "forth-bench.sh: $shared/run-bench.sh not found: shared/ must sit beside the repository" >&2
    exit 1
fi
case $BUILD in /*) forth=$BUILD/forth ;; *) forth=$PWD/$BUILD/forth ;; esac
[ -x "$forth" ] || { echo "forth-bench.sh: $forth not built (make first)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# bench/'s own files, with a copy of the shared script beside them
mkdir "$tmp/own"
cp "$shared/run-bench.sh" "$root/bench/expected.txt" "$root"/bench/*.fs "$tmp/own/"
benches=()
for f in $(awk '{print $1}' "$shared/expected.txt"); do benches+=("$shared|$f"); done
for f in $(awk '{print $1}' "$root/bench/expected.txt"); do benches+=("$tmp/own|$f"); done

# the systems: name|command
systems=("build/forth|$forth")
if command -v gforth-fast > /dev/null; then systems+=("gforth-fast|gforth-fast")
else echo "note: gforth-fast is not installed (apt-get install gforth): skipped"; fi
if command -v pforth > /dev/null; then
    # pforth's stock dictionary has 40 KB free; save one with 4 MB of code space
    printf 'c" %s/pfbig.dic" 0 300000 4000000 (SAVE-FORTH) . BYE\n' "$tmp" |
        timeout 10 pforth -q > /dev/null 2>&1
    if [ -f "$tmp/pfbig.dic" ]; then systems+=("pforth|pforth -q -d$tmp/pfbig.dic")
    else systems+=("pforth|pforth -q"); fi
else echo "note: pforth is not installed (apt-get install pforth): skipped"; fi

# One run of a system on a benchmark, in milliseconds of wall time.
time_one() {
    local t0 t1
    t0=$(date +%s%N)
    (cd "$1" && timeout 300 bash -c "exec $2 $3" < /dev/null > /dev/null 2>&1)
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000000 ))
}

# The output is checked by the shared run-bench.sh (one run); the timed
# runs then alternate between the systems (A B C A B C ...), so that a
# burst of load on a shared machine falls on all of them and not on one
# system's whole series.
echo "$RUNS timed runs per benchmark and system, alternating; times include process start-up"
declare -A med lo ok
for b in "${benches[@]}"; do
    dir=${b%%|*}; f=${b#*|}
    declare -A ts=()
    for s in "${systems[@]}"; do
        name=${s%%|*}; cmd=${s#*|}
        line=$("$dir/run-bench.sh" "$cmd" 1 "$f" 2>&1 | tail -1)
        case $line in *"output ok") ok[$f,$name]=1 ;; *) ok[$f,$name]=0 ;; esac
    done
    for ((r = 0; r < RUNS; r++)); do
        for s in "${systems[@]}"; do
            name=${s%%|*}; cmd=${s#*|}
            ts[$name]+="$(time_one "$dir" "$cmd" "$f") "
        done
    done
    for s in "${systems[@]}"; do
        name=${s%%|*}
        read -r m l h < <(tr ' ' '\n' <<< "${ts[$name]}" | grep . | sort -n |
            awk '{ v[NR] = $1 } END { m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
                  printf "%.3f %.3f %.3f\n", m / 1000, v[1] / 1000, v[NR] / 1000 }')
        med[$f,$name]=$m; lo[$f,$name]=$l
        printf '  %-12s %-10s median %6.3f s  (min %.3f, max %.3f, %d runs)  output %s\n' \
            "$name" "$f" "$m" "$l" "$h" "$RUNS" "$([ "${ok[$f,$name]}" = 1 ] && echo ok || echo WRONG)"
    done
    unset ts
done

echo
names=()
for s in "${systems[@]}"; do names+=("${s%%|*}"); done
printf '%-11s' benchmark
for n in "${names[@]}"; do printf ' %12s' "$n"; [ "$n" = gforth-fast ] || printf ' %6s' "x gf"; done
printf '  %-7s %-7s %s\n' target "min x gf" result
status=0; miss=0
for b in "${benches[@]}"; do
    f=${b#*|}
    printf '%-11s' "$f"
    gf=${med[$f,gforth-fast]:-}
    [ "${ok[$f,gforth-fast]:-0}" = 1 ] || gf=""
    for n in "${names[@]}"; do
        m=${med[$f,$n]:-}
        if [ "${ok[$f,$n]}" = 1 ] && [ -n "$m" ]; then printf ' %11.3fs' "$m"; else printf ' %12s' WRONG; fi
        if [ "$n" != gforth-fast ]; then
            if [ -n "$gf" ] && [ -n "$m" ] && [ "${ok[$f,$n]}" = 1 ]; then
                printf ' %5.2fx' "$(awk -v a="$m" -v b="$gf" 'BEGIN { print (b > 0 ? a / b : 0) }')"
            else printf ' %6s' -; fi
        fi
    done
    m=${med[$f,build/forth]:-}
    if [ "${ok[$f,build/forth]}" != 1 ]; then result="FAIL (wrong output)"; status=1
    elif [ -z "$gf" ]; then result="n/a (no gforth-fast)"
    elif awk -v a="$m" -v b="$gf" -v t="$TARGET" 'BEGIN { exit !(a <= t * b) }'; then result=PASS
    else result=MISS; miss=$((miss + 1)); fi
    lr=-
    if [ -n "$gf" ] && [ "${ok[$f,build/forth]}" = 1 ]; then
        lr=$(awk -v a="${lo[$f,build/forth]}" -v b="${lo[$f,gforth-fast]}" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
    fi
    printf '  <=%-5s %-8s %s\n' "${TARGET}x" "$lr" "$result"
done
[ $miss -gt 0 ] && echo "$miss of ${#benches[@]} benchmarks miss the target (build/forth <= ${TARGET}x gforth-fast)"
[ $miss -gt 0 ] && [ "${BENCH_STRICT:-0}" = 1 ] && status=1
exit $status
