#!/usr/bin/env bash
# The console driver in a pty: build/muxd --console reads lines with
# readline (empty prompt), answers "echo: LINE" and " ok", keeps history in
# $HOME/.clio_history, and ends at Ctrl-D.  Then build/clio in a pty ends
# at BYE while its reader thread waits inside readline: it must exit at
# once with status 0 and give the terminal back.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-pty.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
[ -x "$BUILD/muxd" ] || { echo "FAIL: $BUILD/muxd not built"; exit 1; }
HOME=$tmp python3 - "$BUILD/muxd" <<'PY' || exit 1
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--console"])
out = b""
def expect(what, secs=5):
    global out
    end = time.time() + secs
    while what not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    if what not in out:
        print("FAIL: no %r in %r" % (what, out)); sys.exit(1)
expect(b" ok")
os.write(fd, b"hello pty\r")
expect(b"echo: hello pty")
os.write(fd, b"second\r")
expect(b"echo: second")
# Ctrl-D: end of input, muxd ends.  A ^D that reaches the tty between two
# readline calls (while the line discipline is still canonical) can be
# swallowed, as a user's might be; like a user, press it again.
end = time.time() + 5
next_eof = 0
while time.time() < end:
    if time.time() >= next_eof:
        os.write(fd, b"\x04")
        next_eof = time.time() + 1
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        break
    try:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            os.read(fd, 4096)
    except OSError:
        pass
else:
    print("FAIL: still running after Ctrl-D"); os.kill(pid, 9); sys.exit(1)
if os.WEXITSTATUS(status) != 0:
    print("FAIL: exit status", os.WEXITSTATUS(status)); sys.exit(1)
hist = open(os.path.join(os.environ["HOME"], ".clio_history")).read()
if "hello pty" not in hist or "second" not in hist:
    print("FAIL: history %r" % hist); sys.exit(1)
print("PASS: readline console in a pty (echo, prompt, history, Ctrl-D)")
PY
[ -x "$BUILD/clio" ] || { echo "FAIL: $BUILD/clio not built"; exit 1; }
HOME=$tmp python3 - "$BUILD/clio" <<'PY' || exit 1
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1]])
out = b""
def expect(what, secs=10):
    global out
    end = time.time() + secs
    while what not in out and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    if what not in out:
        print("FAIL: no %r in %r" % (what, out)); os.kill(pid, 9); sys.exit(1)
os.write(fd, b"1 2 + .\r")              # the tty holds it until read
expect(b"3  ok")
os.write(fd, b"bye\r")
end = time.time() + 5
while time.time() < end:
    p, status = os.waitpid(pid, os.WNOHANG)
    if p:
        break
    try:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            os.read(fd, 4096)
    except OSError:
        pass
else:
    print("FAIL: clio still running after BYE"); os.kill(pid, 9); sys.exit(1)
if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
    print("FAIL: clio BYE status", status); sys.exit(1)
print("PASS: build/clio in a pty ends at BYE (reader stopped inside readline)")
PY
