#!/usr/bin/env bash
# make soak: build/clio --serial tcp under tests/soak/drive.py for SOAK_SECONDS
# (default 100; about two minutes in all).
set -u
BUILD=${BUILD:-build}
SECS=${SOAK_SECONDS:-100}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-soak.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BUILD/clio" --serial "tcp:127.0.0.1:$port" < /dev/null > "$tmp/clio.log" 2>&1 & pid=$!
for _ in $(seq 50); do grep -q sermux "$tmp/clio.log" && break; sleep 0.1; done
timeout $((SECS + 120)) python3 "$(dirname "$0")/drive.py" 127.0.0.1 "$port" "$SECS"; rc=$?
kill -0 "$pid" 2>/dev/null || { echo "FAIL: clio died"; tail "$tmp/clio.log"; exit 1; }
exit $rc
