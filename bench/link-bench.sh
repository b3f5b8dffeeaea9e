#!/usr/bin/env bash
# link-bench.sh -- `make bench`: calls over links (docs/links.md) on
# loopback TCP.  Three build/clio nodes in a line, A - B - C; A runs
# bench/link-bench.fs: C's echo service through B (two hops) and B's (one
# hop): median and 90th percentile microseconds per call, calls per second
# with 1 and 8 callers.  The peer in the same run: bench/tcpping's round
# trip over a plain TCP socket (when built), the floor one hop stands on.
set -u
BUILD=${BUILD:-build}
CLIO=$PWD/$BUILD/clio
[ -x "$CLIO" ] || { echo "link-bench.sh: $CLIO not built (make first)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-lbench.XXXXXX")
pids=()
trap 'kill "${pids[@]}" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pb=$(free); pc=$(free)
"$CLIO" --node C --serial "tcp:$pc" < /dev/null > "$tmp/C.log" 2>&1 & pids+=($!)
"$CLIO" --node B --serial "tcp:$pb" --link "tcp:127.0.0.1:$pc" < /dev/null > "$tmp/B.log" 2>&1 & pids+=($!)
cp "$(dirname "$0")/link-bench.fs" "$tmp/"
(cd "$tmp" && timeout 300 "$CLIO" --node A --link "tcp:127.0.0.1:$pb" link-bench.fs) | tee "$tmp/out" ||
    { echo "link-bench.sh: the benchmark failed"; exit 1; }
grep -q 'two hops' "$tmp/out" || exit 1
if [ -x "$BUILD/tcpping" ]; then
    raw=$("$BUILD/tcpping" raw 2000 2>&1 | tail -1)
    echo "peer (same run): $raw"
    rmed=$(echo "$raw" | awk '{for (i = 1; i < NF; i++) if ($i == "median") print $(i + 1)}')
    awk -v r="$rmed" '/median/ { for (i = 1; i < NF; i++) if ($i == "median") m = $(i + 1);
        printf "%s: %.1fx a plain TCP round trip (%s us)\n", substr($0, 1, 16), m / r, r }' "$tmp/out"
fi
