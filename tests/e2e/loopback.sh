#!/usr/bin/env bash
# End to end: the sermux over TCP, driven by clio-term's line mode.
#   1. 1 MiB of random bytes through port 0 (loopback) comes back byte-exact
#      (prints the throughput);
#   2. port 1 says "hello from clio N" about once a second.
# Server: build/clio --serial tcp:PORT when it exists, else build/muxd
# (SERVER=muxd or SERVER=clio forces one).
set -u
BUILD=${BUILD:-build}
TERM_BIN=$BUILD/clio-term
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-e2e.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; [ -f "$tmp/server.log" ] && sed 's/^/  server| /' "$tmp/server.log" | tail -20; exit 1; }

[ -x "$TERM_BIN" ] || fail "$TERM_BIN not built"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
server=${SERVER:-auto}
if [ "$server" = auto ]; then
    if [ -x "$BUILD/clio" ] && "$BUILD/clio" --help 2>&1 | grep -q -- --serial; then server=clio; else server=muxd; fi
fi
case $server in
    clio) "$BUILD/clio" --serial "tcp:127.0.0.1:$port" < <(sleep 600) > "$tmp/server.log" 2>&1 & pid=$! ;;
    muxd) "$BUILD/muxd" --serial "tcp:127.0.0.1:$port" < /dev/null > "$tmp/server.log" 2>&1 & pid=$! ;;
    *) fail "unknown SERVER=$server" ;;
esac
echo "server: $server on 127.0.0.1:$port"

# 1. loopback, 1 MiB, byte-exact
head -c 1048576 /dev/urandom > "$tmp/in.bin"
wait_ms=1000
t0=$(date +%s%N)
"$TERM_BIN" "127.0.0.1:$port" --port 0 --window 16384 --wait $wait_ms --timeout 60000 --stats \
    < "$tmp/in.bin" > "$tmp/out.bin" 2> "$tmp/term.log" || fail "clio-term: $(cat "$tmp/term.log")"
t1=$(date +%s%N)
cmp -s "$tmp/in.bin" "$tmp/out.bin" ||
    fail "loopback: $(stat -c %s "$tmp/out.bin") of 1048576 bytes came back, or they differ; $(cat "$tmp/term.log")"
ms=$(( (t1 - t0) / 1000000 - wait_ms ))
[ $ms -gt 0 ] || ms=1
echo "loopback: 1 MiB byte-exact in ~${ms} ms (~$(( 1048576 * 1000 / ms / 1000000 )) MB/s, connect included)"

# 2. hello, about once a second
"$TERM_BIN" "127.0.0.1:$port" --port 1 --timeout 3600 < /dev/null |
    while IFS= read -r l; do echo "$(date +%s%N) $l"; done > "$tmp/hello.txt"
n=$(grep -cE '^[0-9]+ hello from clio [0-9]+$' "$tmp/hello.txt")
[ "$n" -ge 3 ] && [ "$n" -le 4 ] || fail "port 1: $n hello lines in 3.6 s: $(cat "$tmp/hello.txt")"
awk 'NR > 1 { d = ($1 - prev) / 1e6; if (d < 700 || d > 1300) { print "gap " d " ms"; bad = 1 } }
     { prev = $1 } END { exit bad }' "$tmp/hello.txt" || fail "port 1 rhythm: $(cat "$tmp/hello.txt")"
echo "hello: $n lines, about a second apart"
echo "PASS"
