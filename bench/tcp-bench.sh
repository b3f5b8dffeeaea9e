#!/usr/bin/env bash
# tcp-bench.sh -- round trips over the TCP serial line (build/tcpping), in
# the same run as the plain-socket floor: an outbound line pinging the
# listening line in one kernel, a forked client against the listening line,
# and a plain blocking echo between two processes.  Each is run RUNS times
# (TCP_BENCH_RUNS, default 3) interleaved; the table shows the median of the
# runs' medians and its ratio to the floor.  Informational: exits non-zero
# only when the benchmark cannot run.
set -eu
BUILD=${BUILD:-build}
TP=$BUILD/tcpping
RUNS=${TCP_BENCH_RUNS:-3}
N=${TCP_BENCH_N:-20000}
[ -x "$TP" ] || make -s "$TP" BUILD="$BUILD" >/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tcpbench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

for _ in $(seq "$RUNS"); do
    for m in lines client raw; do
        "$TP" "$m" "$N" | awk -v m="$m" '{ print $4 }' >> "$tmp/$m"
    done
done
med() { sort -n "$tmp/$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
floor=$(med raw)
printf '%-48s %10s %8s\n' "round trip, 16 B, loopback TCP" "median us" "vs raw"
while read -r m label; do
    v=$(med "$m")
    printf '%-48s %10s %7.2fx\n' "$label" "$v" "$(awk -v a="$v" -v b="$floor" 'BEGIN { print a / b }')"
done <<'MODES'
lines  outbound line -> listening line, one kernel
client forked client -> listening line
raw    plain blocking echo, two processes (floor)
MODES
echo "($RUNS runs of $N round trips each, interleaved; median of the runs' medians)"
