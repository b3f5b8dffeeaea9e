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
for b in muxd clio; do
    [ -x "$BUILD/$b" ] || { echo "FAIL: $BUILD/$b not built"; exit 1; }
done
HOME=$tmp python3 - "$BUILD/muxd" "$BUILD/clio" <<'PY'
import os, pty, sys, time, select

def fail(msg, pid):
    print("FAIL:", msg)
    os.kill(pid, 9)
    sys.exit(1)

class Pty:
    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.out = b""

    def expect(self, what, secs=10):
        end = time.time() + secs
        while what not in self.out and time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:
                    break
        if what not in self.out:
            fail("no %r in %r" % (what, self.out), self.pid)

    def ends(self, secs, poke=None):
        """Wait for the program to exit with status 0, draining its output;
        poke() (if given) is called once a second meanwhile."""
        end, next_poke = time.time() + secs, 0
        while time.time() < end:
            if poke and time.time() >= next_poke:
                poke()
                next_poke = time.time() + 1
            p, status = os.waitpid(self.pid, os.WNOHANG)
            if p:
                if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
                    fail("exit status %r" % status, self.pid)
                return
            try:
                r, _, _ = select.select([self.fd], [], [], 0.1)
                if r:
                    os.read(self.fd, 4096)
            except OSError:
                pass
        fail("still running", self.pid)

muxd, clio = sys.argv[1], sys.argv[2]

t = Pty([muxd, "--console"])
t.expect(b" ok")
os.write(t.fd, b"hello pty\r")
t.expect(b"echo: hello pty")
os.write(t.fd, b"second\r")
t.expect(b"echo: second")
# Ctrl-D: end of input, muxd ends.  A ^D that reaches the tty between two
# readline calls (while the line discipline is still canonical) can be
# swallowed, as a user's might be; like a user, press it again.
t.ends(5, poke=lambda: os.write(t.fd, b"\x04"))
hist = open(os.path.join(os.environ["HOME"], ".clio_history")).read()
if "hello pty" not in hist or "second" not in hist:
    print("FAIL: history %r" % hist); sys.exit(1)
print("PASS: readline console in a pty (echo, prompt, history, Ctrl-D)")

c = Pty([clio])
os.write(c.fd, b"1 2 + .\r")             # the tty holds it until read
c.expect(b"3  ok")
os.write(c.fd, b"bye\r")
c.ends(5)
print("PASS: build/clio in a pty ends at BYE (reader stopped inside readline)")
PY
