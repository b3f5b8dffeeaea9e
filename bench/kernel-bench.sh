#!/usr/bin/env bash
# kernel-bench.sh -- per-operation costs of the kernel core.
#
# Instructions: build/kbench runs each operation N times inside its own
# op_* function under `valgrind --tool=callgrind`; the inclusive Ir of that
# function divided by the number of runs is the cost per operation
# (deterministic).  Time: the same functions in a timed loop (ns per op; this
# machine, noisy).  Prints target and measured side by side.  Informational:
# exits non-zero only when the benchmark cannot run.
set -eu
BUILD=${BUILD:-build}
KB=$BUILD/kbench
N=${KBENCH_N:-10000}
[ -x "$KB" ] || make -s "$KB" BUILD="$BUILD" >/dev/null
command -v valgrind >/dev/null || { echo "kernel-bench: valgrind missing"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

"$KB" ns 1000000 > "$tmp/ns"
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg" "$KB" ir "$N" > /dev/null 2> "$tmp/vg.log"
callgrind_annotate --inclusive=yes "$tmp/cg" > "$tmp/ann" 2>/dev/null
runs=$(( N + N / 10 + 1 ))          # measured runs plus kbench's warm-up run

ir_of() {   # function name -> inclusive Ir
    grep -E "^ *[0-9,]+ .*kbench\.c:$1 \[" "$tmp/ann" | head -n 1 | awk '{ gsub(",", "", $1); print $1 }'
}

printf '%-28s %8s %10s %9s  %s\n' "kernel operation" "target" "instr/op" "ns/op" "verdict"
while read -r fn target label; do
    ir=$(ir_of "$fn")
    ns=$(awk -v f="$fn" '$1 == f { print $2 }' "$tmp/ns")
    per=$(awk -v a="${ir:-0}" -v b="$runs" 'BEGIN { printf "%.1f", a / b }')
    if [ "$target" = "-" ]; then
        verdict="(no target)"
    elif awk -v p="$per" -v t="$target" 'BEGIN { exit !(p <= t) }'; then
        verdict="ok"
    else
        verdict="OVER target"
    fi
    printf '%-28s %8s %10s %9s  %s\n' "$label" "${target/#-/ -}" "$per" "$ns" "$verdict"
done <<'OPS'
op_switch 40 task wake + poll (switch)
op_sendrecv 80 queue send + receive (16 B)
op_rpc 300 request -> reply (8 B)
op_alloc 60 small alloc + free (32 B)
op_timer - timer arm + fire
op_spawn 200 spawn + exit
op_baseline - harness: loop, 2 empty calls
OPS
echo "(instructions: callgrind Ir, x86-64 gcc -O2, $runs runs each, harness included;"
echo " ns: timed loop of 1e6 runs on this machine)"
