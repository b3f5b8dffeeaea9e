#!/usr/bin/env bash
# forth-bench.sh -- `make bench`: the CORE-only benchmarks of
# ../shared/forth-tests/bench (beside the repository) and of bench/ on
# $BUILD/forth, gforth-fast and pforth in the same run, then a table of the
# median times, the ratio of each to gforth-fast, and build/forth's target
# (<= 1.0x gforth-fast, issue 7).  A peer that is not installed is skipped.
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

echo "$RUNS timed runs per benchmark and system; times include process start-up"
declare -A med ok
for b in "${benches[@]}"; do
    dir=${b%%|*}; f=${b#*|}
    for s in "${systems[@]}"; do
        name=${s%%|*}; cmd=${s#*|}
        line=$("$dir/run-bench.sh" "$cmd" "$RUNS" "$f" 2>&1 | tail -1)
        printf '  %-12s %s\n' "$name" "$line"
        med[$f,$name]=$(awk '$2 == "median" { print $3 }' <<< "$line")
        case $line in *"output ok") ok[$f,$name]=1 ;; *) ok[$f,$name]=0 ;; esac
    done
done

echo
names=()
for s in "${systems[@]}"; do names+=("${s%%|*}"); done
printf '%-11s' benchmark
for n in "${names[@]}"; do printf ' %12s' "$n"; [ "$n" = gforth-fast ] || printf ' %6s' "x gf"; done
printf '  %-7s %s\n' target result
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
    printf '  <=%-5s %s\n' "${TARGET}x" "$result"
done
[ $miss -gt 0 ] && echo "$miss of ${#benches[@]} benchmarks miss the target (build/forth <= ${TARGET}x gforth-fast)"
[ $miss -gt 0 ] && [ "${BENCH_STRICT:-0}" = 1 ] && status=1
exit $status
