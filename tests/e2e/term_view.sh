#!/usr/bin/env bash
# clio-term's ncurses view in a pty against build/muxd: the hello tab shows
# hello lines, text typed on the loopback tab comes back, the status line
# counts frames, Ctrl-C quits with status 0.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-view.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
"$BUILD/muxd" < /dev/null > "$tmp/muxd.out" 2>&1 & pid=$!
for _ in $(seq 50); do grep -q listening "$tmp/muxd.out" && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/muxd.out")
[ -n "$port" ] || { echo "FAIL: muxd did not start"; exit 1; }
TERM=xterm python3 - "$BUILD/clio-term" "$port" <<'PY'
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "127.0.0.1:" + sys.argv[2]])
out = b""
def expect(what, secs=5):
    global out
    end = time.time() + secs
    while what not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            out += os.read(fd, 65536)
    if what not in out:
        print("FAIL: no %r on screen; last: %r" % (what, out[-400:])); os.kill(pid, 9); sys.exit(1)
expect(b"loop0")
os.write(fd, b"\t")                      # tab 2: hello
expect(b"hello from clio", 3)
os.write(fd, b"\x1b1")                   # Alt+1: loopback
time.sleep(0.2)
os.write(fd, b"ping-view\r")
expect(b"ping-view")
expect(b"malformed 0")                   # the status line
os.write(fd, b"\x03")
end = time.time() + 3
while time.time() < end:
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        break
    try:
        select.select([fd], [], [], 0.1) and os.read(fd, 65536)
    except OSError:
        pass
else:
    print("FAIL: clio-term did not quit on ^C"); os.kill(pid, 9); sys.exit(1)
sys.exit(0 if os.WEXITSTATUS(status) == 0 else 1)
PY
rc=$?
[ $rc -eq 0 ] && echo "PASS: clio-term view (tabs, hello, loopback, status, quit)"
exit $rc
