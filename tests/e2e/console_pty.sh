#!/usr/bin/env bash
# The console driver in a pty: build/muxd --console reads lines with
# readline (empty prompt), answers "echo: LINE" and " ok", keeps history in
# $HOME/.clio_history, and ends at Ctrl-D.  Then build/clio in a pty ends
# at BYE while its reader thread waits inside readline: it must exit at
# once with status 0 and give the terminal back.  Then the console shell's
# banner, Ctrl-C, Tab and help, and clio's exit status on signals.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-pty.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for b in muxd clio; do
    [ -x "$BUILD/$b" ] || { echo "FAIL: $BUILD/$b not built"; exit 1; }
done
: > "$tmp/tab-target-file.fs"
mkdir -p "$tmp/tab-dir" && : > "$tmp/tab-dir/inner-file.fs"
ln -s /etc "$tmp/tab-link-out"
cd "$tmp"
case $BUILD in /*) ;; *) BUILD=$OLDPWD/$BUILD ;; esac
HOME=$tmp python3 - "$BUILD/muxd" "$BUILD/clio" <<'PY'
import os, pty, sys, time, select

def fail(msg, pid):
    print("FAIL:", msg)
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    sys.exit(1)

class Pty:
    def __init__(self, argv):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(argv[0], argv)
        self.out = b""
        self.seen = 0          # expect() looks past its last match

    def expect(self, what, secs=10):
        end = time.time() + secs
        while what not in self.out[self.seen:] and time.time() < end:
            r, _, _ = select.select([self.fd], [], [], 0.1)
            if r:
                try:
                    self.out += os.read(self.fd, 4096)
                except OSError:
                    break
        if what not in self.out[self.seen:]:
            fail("no %r in %r" % (what, self.out[self.seen:]), self.pid)
        self.seen += self.out[self.seen:].index(what) + len(what)

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

# A history file of 1500 lines (an older session, a big paste): the
# console keeps its last 1000 (as build/forth does) -- checked after
# clio's first BYE below.
histfile = os.path.join(os.environ["HOME"], ".clio_history")
open(histfile, "w").write("".join("old-line-%d\n" % i for i in range(1500)))
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
hist = open(histfile).read().splitlines()
if len(hist) > 1000 or hist[-3:] != ["second", "1 2 + .", "bye"] or "old-line-1499" not in hist:
    print("FAIL: history not kept to 1000 lines: %d lines, ending %r" % (len(hist), hist[-3:]))
    sys.exit(1)
print("PASS: the history file is kept to its last 1000 lines")

# The console shell: a banner; Ctrl-C clears the line at the prompt and
# interrupts a running word, a sleep, KEY; Tab completes the shell's own
# words (in the case typed) and file names after include; help.
c = Pty([clio])
c.expect(b"help for help, BYE or Ctrl-D to leave")
os.write(c.fd, b"12 3"); time.sleep(0.3)
os.write(c.fd, b"\x03"); c.expect(b"12 3^C")
os.write(c.fd, b"depth .\r"); c.expect(b"0  ok")      # 12 3 never ran
os.write(c.fd, b": spin begin again ; spin\r"); time.sleep(0.5)
os.write(c.fd, b"\x03"); c.expect(b"user interrupt: spin")
c.expect(b": spin begin again ; >>>spin<<<")
os.write(c.fd, b"100000 ms\r"); time.sleep(0.5)
t0 = time.time()
os.write(c.fd, b"\x03"); c.expect(b"user interrupt: ms")
if time.time() - t0 > 2:
    fail("ms took %.1f s to stop" % (time.time() - t0), c.pid)
os.write(c.fd, b"key\r"); time.sleep(0.5)
os.write(c.fd, b"\x03"); c.expect(b"user interrupt: key")
os.write(c.fd, b": my-own-word 42 ;\r"); c.expect(b"42 ;"); c.expect(b" ok")
os.write(c.fd, b"my-ow\t"); time.sleep(0.5)
os.write(c.fd, b".\r"); c.expect(b"42  ok")
os.write(c.fd, b"DEPT\t"); time.sleep(0.5)
os.write(c.fd, b".\r"); c.expect(b"DEPTH ."); c.expect(b"0  ok")
os.write(c.fd, b"spac\t\t"); c.expect(b"spaces")       # the list on the second Tab
os.write(c.fd, b"\x15")
os.write(c.fd, b"include tab-target-fi\t"); c.expect(b"include tab-target-file.fs")
os.write(c.fd, b"\x15include tab-dir/inn\t"); c.expect(b"include tab-dir/inner-file.fs")
# ... only in the file root, as the file service sees it: no "..", no
# absolute path, no symbolic link (tab-link-out -> /etc), neither listed
# nor followed; nothing there is echoed as a completion.
here = os.path.basename(os.getcwd()).encode()
for typed, never in ((b"include ../" + here[:-1], here + b"/"),
                     (b"include /et", b"/etc/"),
                     (b"include tab-link-o", b"tab-link-out"),
                     (b"include tab-link-out/passw", b"passwd")):
    os.write(c.fd, b"\x15" + typed + b"\t\t"); time.sleep(0.5)
    c.expect(typed)
    os.write(c.fd, b"\x15.( mark) cr\r"); c.expect(b"mark")
    if never in c.out[c.seen - 200:]:
        fail("Tab after %r completed outside the root: %r" % (typed, c.out[c.seen - 200:]), c.pid)
os.write(c.fd, b"\x15help dup\r"); c.expect(b"DUP ( x -- x x )")
os.write(c.fd, b"bye\r")
c.ends(5)
print("PASS: build/clio console: banner, Ctrl-C (line, loop, ms, key), Tab (words, files in the root), help")

# Signals: clio never leaves with status 0 after unfinished work.
import subprocess, signal
p = subprocess.Popen([clio, "--serial", "tcp:127.0.0.1:0"], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1); p.send_signal(signal.SIGINT)
if p.wait(5) != 130: fail("--serial, SIGINT: status %r" % p.returncode, p.pid)
open("spin.fs", "w").write(": spin begin again ; spin\n")
p = subprocess.Popen([clio, "spin.fs"], stdin=subprocess.DEVNULL,
                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
time.sleep(1); p.send_signal(signal.SIGINT)
err = p.communicate(timeout=5)[0]
if p.returncode != 1 or b"user interrupt: spin" not in err:
    fail("script, SIGINT: status %r, %r" % (p.returncode, err), p.pid)
p = subprocess.Popen([clio, "spin.fs"], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1); p.send_signal(signal.SIGTERM)
if p.wait(5) != 143: fail("script, SIGTERM: status %r" % p.returncode, p.pid)
print("PASS: SIGINT interrupts a script (status 1), ends --serial (130); SIGTERM 143")
PY
