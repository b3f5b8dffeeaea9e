#!/usr/bin/env bash
# End to end on QEMU: boot build/clio-riscv64.elf (rv64, OpenSBI, virt),
# wait for the Forth prompt, play a Forth script through the UART and check
# each answer, then `0 halt` must end QEMU with status 0.  Two more boots:
# `3 halt` gives status 3; `300 halt` and `-1 halt` are refused with an
# error (the shell goes on) before `0 halt`.  Every QEMU run is bounded by
# `timeout` and by the driver's own deadline.
set -u
BUILD=${BUILD:-build}
IMAGE=${IMAGE:-$BUILD/clio-riscv64.elf}
DRIVE="python3 tests/e2e/qemu_drive.py --timeout 60"
QEMU="timeout -k 5 90 qemu-system-riscv64 -machine virt -bios default -kernel $IMAGE"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-qemu.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for t in qemu-system-riscv64 python3 timeout; do
    command -v $t >/dev/null || { echo "FAIL: $t not installed (make deps)"; exit 1; }
done
[ -f "$IMAGE" ] || { echo "FAIL: no $IMAGE"; exit 1; }
fails=0

# 1. the script: arithmetic, a definition, the echo service by UUID (through
# forth-lib's `upper` and by hand), a spawned task waited for, a 100 ms
# sleep measured with uptime, errors that must not kill the shell, halt 0
cat > "$tmp/1.fs" <<'FS'
2 3 + . ||| ^5  ok$
: sq ( n -- n*n ) dup * ; ||| ok$
7 sq . ||| ^49  ok$
s" abc" upper type cr ||| ^ABC$
uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" connect value echo ||| ok$
s" xyz" 2 echo pad 10 call . pad swap type cr ||| ^0 XYZ$
: child ( -- ) ." child ran " ; ||| ok$
' child spawn wait . ||| child ran 0  ok$
uptime 100 ms uptime swap - dup . 100 250 within . ||| ^1[0-9][0-9] -1  ok$
nosuchword ||| ^undefined word: nosuchword$
1 0 / ||| ^division by zero: /$
uuid" 00000000-0000-0000-0000-00000000abcd" connect ||| unknown service 00000000-0000-0000-0000-00000000abcd
6 7 * . ||| ^42  ok$
0 halt
FS
if $DRIVE --script "$tmp/1.fs" --expect-rc 0 -- $QEMU > "$tmp/1.out" 2>&1; then
    echo "1. script on the UART, 0 halt -> status 0: $(tail -1 "$tmp/1.out")"
else
    echo "1. FAIL"; sed 's/^/   | /' "$tmp/1.out"; fails=$((fails + 1))
fi

# 2. 3 halt -> status 3
printf '3 halt\n' > "$tmp/2.fs"
if $DRIVE --script "$tmp/2.fs" --expect-rc 3 -- $QEMU > "$tmp/2.out" 2>&1; then
    echo "2. 3 halt -> status 3"
else
    echo "2. FAIL"; sed 's/^/   | /' "$tmp/2.out"; fails=$((fails + 1))
fi

# 3. codes outside 0..255 are refused, not truncated (300 would exit 44)
cat > "$tmp/3.fs" <<'FS'
300 halt ||| halt: the exit code must be 0..255
-1 halt ||| halt: the exit code must be 0..255
1 2 + . ||| ^3  ok$
0 halt
FS
if $DRIVE --script "$tmp/3.fs" --expect-rc 0 -- $QEMU > "$tmp/3.out" 2>&1; then
    echo "3. 300 halt and -1 halt refused, shell alive, 0 halt -> 0"
else
    echo "3. FAIL"; sed 's/^/   | /' "$tmp/3.out"; fails=$((fails + 1))
fi

# 4. the mux image: the UART carries sermux on TCP; clio-term talks to the
# shell on port 10, reads hello on port 1 (first, so the guest is up), and `0 halt` from port 11 ends QEMU
MUX=${MUX_IMAGE:-$BUILD/clio-riscv64-mux.elf}
T=$BUILD/clio-term
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
timeout -k 5 60 qemu-system-riscv64 -machine virt -bios default -display none -monitor none \
    -serial "tcp:127.0.0.1:$port,server=on,wait=on" -kernel "$MUX" > "$tmp/4.qemu" 2>&1 & qpid=$!
for _ in $(seq 100); do grep -q 'waiting for connection' "$tmp/4.qemu" && break; sleep 0.05; done
ok4=1
# first attach: port 1 (this connection starts the guest; input sent before
# OpenSBI has set the UART up would be lost -- recipe gotcha 6)
timeout 20 "$T" "127.0.0.1:$port" --port 1 --timeout 2500 < /dev/null > "$tmp/4.p1" 2>&1
grep -q 'hello from clio' "$tmp/4.p1" || { ok4=0; echo "4. port 1: $(cat "$tmp/4.p1")"; }
printf '2 3 + .\ns" abc" upper type cr\n' | timeout 20 "$T" "127.0.0.1:$port" --port 10 --wait 1000 --timeout 10000 > "$tmp/4.p10" 2>&1
grep -q '^5  ok' "$tmp/4.p10" && grep -q '^ABC' "$tmp/4.p10" || { ok4=0; echo "4. port 10: $(cat "$tmp/4.p10")"; }
printf '0 halt\n' | timeout 20 "$T" "127.0.0.1:$port" --port 11 --wait 500 --timeout 5000 > /dev/null 2>&1
wait $qpid; rc=$?
[ $rc -eq 0 ] || { ok4=0; echo "4. mux QEMU exit status $rc"; sed 's/^/   | /' "$tmp/4.qemu"; }
if [ $ok4 -eq 1 ]; then
    echo "4. mux image over TCP: port 10 shell, port 1 hello, 0 halt from port 11 -> 0"
else
    echo "4. FAIL"; fails=$((fails + 1))
fi

[ $fails -eq 0 ] && echo PASS
exit $fails
