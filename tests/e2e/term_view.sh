#!/usr/bin/env bash
# clio-term's ncurses view in a pty against build/muxd: the hello tab shows
# hello lines, text typed on the loopback tab comes back (edited with the
# cursor keys, recalled with Up), Ctrl-C sends the break byte, the view
# survives a resize, the line dropping (reconnecting, then connected
# again to a new muxd on the same port), and Ctrl-Q quits with status 0.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-view.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
"$BUILD/muxd" < /dev/null > "$tmp/muxd.out" 2>&1 & pid=$!
for _ in $(seq 50); do grep -q listening "$tmp/muxd.out" && break; sleep 0.1; done
port=$(sed -n 's/.*127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/muxd.out")
[ -n "$port" ] || { echo "FAIL: muxd did not start"; exit 1; }
TERM=xterm python3 - "$BUILD/clio-term" "$port" "$BUILD/muxd" "$pid" <<'PY'
import os, pty, sys, time, select, signal, struct, fcntl, termios, subprocess
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
expect(b"^Q: quit")
os.write(fd, b"edxt\x1b[D\x1b[Di\r")       # Left Left, insert: "edixt"
expect(b"edixt")
out = b""
os.write(fd, b"\x1b[A\x1b[H>\r")           # Up: the last line, Home, insert
expect(b">edixt")
os.write(fd, b"gone\x15kept\r")             # Ctrl-U
expect(b"kept")
if b"gonekept" in out:
    print("FAIL: Ctrl-U did not clear the line"); os.kill(pid, 9); sys.exit(1)
os.write(fd, b"\x03")                        # the break byte: the loopback echoes it
expect(b"^C")
fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
os.kill(pid, signal.SIGWINCH)
out = b""
expect(b"loop0")                              # drawn again
# the line drops: the view stays, says so, and comes back with a new server
os.kill(int(sys.argv[4]), signal.SIGTERM)
expect(b"disconnected", 5)
mux = subprocess.Popen([sys.argv[3], "--serial", "tcp:127.0.0.1:" + sys.argv[2]],
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
out = b""
expect(b"connected |", 8)
time.sleep(0.3)
os.write(fd, b"back-again\r")
expect(b"back-again")
os.write(fd, b"\x11")                        # Ctrl-Q quits
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
    print("FAIL: clio-term did not quit on ^Q"); os.kill(pid, 9); mux.kill(); sys.exit(1)
mux.terminate(); mux.wait()
sys.exit(0 if os.WEXITSTATUS(status) == 0 else 1)
PY
rc=$?
[ $rc -eq 0 ] && echo "PASS: clio-term view (tabs, hello, loopback, editing, history, break, resize, reconnect, quit)"
exit $rc
