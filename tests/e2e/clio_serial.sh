#!/usr/bin/env bash
# End to end: build/clio --serial tcp:PORT driven by clio-term's line mode.
#   1. the shell on port 10 answers `2 3 + .` and float words;
#   2. a script on port 11 calls a service by UUID; an unknown UUID is a
#      clear error and the shell goes on;
#   3. 100 spawned tasks each write to their own port and end;
#   4. a runaway task on port 13 while port 1 keeps its 1-second rhythm,
#      then it is killed from port 12;
#   5. the break byte 0x03 interrupts the running word of that port's
#      shell only;
#   6. bye on a shell port: a fresh shell answers there;
#   7. clio-term's line mode sends the break byte on Ctrl-C (SIGINT);
#   8. listings longer than a port's ring (help core, WORDS) come whole.
set -u
BUILD=${BUILD:-build}
CLIO=${CLIO:-$BUILD/clio}
T=$BUILD/clio-term
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-serial.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; sed 's/^/  clio| /' "$tmp/clio.log" | tail -20; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$CLIO" --serial "tcp:127.0.0.1:$port" < /dev/null > "$tmp/clio.log" 2>&1 & pid=$!
for _ in $(seq 50); do grep -q sermux "$tmp/clio.log" && break; sleep 0.1; done
term() { "$T" "127.0.0.1:$port" "$@"; }

# 1
printf '2 3 + .\npi 4e f/ ftan 1e30 fsin f. f.\n' | term --port 10 --wait 500 --timeout 5000 > "$tmp/1.out" || fail "clio-term port 10"
grep -q '5  ok' "$tmp/1.out" || fail "port 10: $(cat "$tmp/1.out")"
grep -q '0.009331468931175825 0.9999999999999999  ok' "$tmp/1.out" || fail "port 10 floats: $(cat "$tmp/1.out")"
echo "1. port 10 shell: $(tr -d '\n' < "$tmp/1.out")"

# 2
cat > "$tmp/2.in" <<'FS'
uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" connect value echo
s" abc" 2 echo pad 10 call . pad swap type cr
uuid" 00000000-0000-0000-0000-00000000abcd" connect
7 .
FS
term --port 11 --wait 500 --timeout 5000 < "$tmp/2.in" > "$tmp/2.out" || fail "clio-term port 11"
grep -q '^0 ABC' "$tmp/2.out" || fail "service call by UUID: $(cat "$tmp/2.out")"
grep -q 'no such service 00000000-0000-0000-0000-00000000abcd' "$tmp/2.out" || fail "unknown UUID: $(cat "$tmp/2.out")"
grep -q '7  ok' "$tmp/2.out" || fail "shell after the error: $(cat "$tmp/2.out")"
echo "2. service by UUID and unknown UUID: ok"

# 3
printf ": w my-port . cr ;\n: go 100 0 do ['] w 100 i + spawn-on drop loop ; go\n" |
    term --port 12 --all --wait 1500 --timeout 10000 > "$tmp/3.out" || fail "clio-term --all"
n=$(grep -cE '^(1[0-9][0-9])\| \1 $' "$tmp/3.out")
[ "$n" -eq 100 ] || fail "100 tasks: $n ports answered: $(head -c 600 "$tmp/3.out")"
echo "3. 100 spawned tasks each wrote to their port"

# 4
printf ': x begin again ; x\n' | term --port 13 --wait 300 --timeout 3000 > /dev/null
term --port 1 --timeout 3600 < /dev/null | while IFS= read -r l; do echo "$(date +%s%N) $l"; done > "$tmp/4.hello"
n=$(grep -cE 'hello from clio' "$tmp/4.hello")
[ "$n" -ge 3 ] || fail "port 1 under a runaway: $n lines: $(cat "$tmp/4.hello")"
awk 'NR > 1 { d = ($1 - prev) / 1e6; if (d < 700 || d > 1300) { print "gap " d " ms"; bad = 1 } }
     { prev = $1 } END { exit bad }' "$tmp/4.hello" || fail "port 1 rhythm under a runaway"
printf '4 kill tasks\n' | term --port 12 --wait 700 --timeout 5000 > "$tmp/4.out"
grep -qE '^ +4 +0 +13 shell +ended' "$tmp/4.out" || fail "kill: $(cat "$tmp/4.out")"
echo "4. runaway on 13: port 1 kept $n lines ~1 s apart; killed"
# 5: the break byte (0x03, clio-term's Ctrl-C) on a shell port interrupts
# that shell's running word only; another shell's loop runs on
printf ': spin2 begin again ; spin2\n' | term --port 10 --wait 300 --timeout 2000 > /dev/null
{ printf ': spin begin again ; spin\n'; sleep 0.5; printf '\003'; sleep 0.5; printf '7 .\n'; } |
    term --port 11 --wait 800 --timeout 6000 > "$tmp/5.out"
grep -q '^user interrupt: spin$' "$tmp/5.out" && grep -q '^7  ok' "$tmp/5.out" ||
    fail "break on port 11: $(cat "$tmp/5.out")"
printf '1 .\n' | term --port 10 --wait 800 --timeout 2000 > "$tmp/5b.out"
grep -q 'ok' "$tmp/5b.out" && fail "port 10 answered while it should still spin: $(cat "$tmp/5b.out")"
{ printf '\003'; sleep 0.5; printf '2 .\n'; } | term --port 10 --wait 800 --timeout 5000 > "$tmp/5c.out"
grep -q '^user interrupt: spin2$' "$tmp/5c.out" && grep -q '2  ok' "$tmp/5c.out" ||
    fail "break on port 10: $(cat "$tmp/5c.out")"
echo "5. break byte: port 11's loop interrupted, port 10's ran on until its own break"

# 6: bye ends a shell's session; a fresh shell answers on the port
{ printf 'bye\n'; sleep 0.8; printf '3 .\n'; } | term --port 11 --wait 800 --timeout 5000 > "$tmp/6.out"
grep -q '3  ok' "$tmp/6.out" || fail "a fresh shell after bye: $(cat "$tmp/6.out")"
echo "6. bye on port 11: a fresh shell answers"
# 7: clio-term's line mode turns Ctrl-C (SIGINT) into the break byte
python3 - "$T" "127.0.0.1:$port" > "$tmp/7.out" <<'PY' || fail "clio-term SIGINT: $(cat "$tmp/7.out")"
import signal, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], sys.argv[2], "--port", "12", "--wait", "800"],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
p.stdin.write(b": spin3 begin again ; spin3\n"); p.stdin.flush(); time.sleep(0.5)
p.send_signal(signal.SIGINT); time.sleep(0.5)
p.stdin.write(b"4 .\n"); p.stdin.close()
out = p.stdout.read().decode()
p.wait(10)
print(out)
sys.exit(0 if "user interrupt: spin3" in out and "4  ok" in out and p.returncode == 0 else 1)
PY
echo "7. clio-term --port: Ctrl-C (SIGINT) sent the break byte"
# 8: listings longer than the port's ring (help core, WORDS) come whole
printf 'help core\nwords\n' | term --port 13 --wait 1500 --timeout 8000 > "$tmp/8.out"
want=$(printf 'help core\n' | "$BUILD/forth" | tail -1)
grep -qF "$want" "$tmp/8.out" || fail "help core cut short: $(tail -3 "$tmp/8.out")"
grep -q 'UNLOOP EXECUTE EXIT' "$tmp/8.out" || fail "WORDS cut short: $(tail -3 "$tmp/8.out")"
echo "8. help core ($(wc -c < "$tmp/8.out") bytes with WORDS) whole on port 13"
kill -0 "$pid" 2>/dev/null || fail "clio died"
echo PASS
