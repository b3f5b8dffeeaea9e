#!/usr/bin/env bash
# End to end: the graphical shell holds against a hostile or hasty user
# (rev6's findings, each as it was found, now fixed).  build/asan/clio
# --serial --display headless (its kernel heap poisoned when free), keys on
# sermux port 2, the screen read back with tests/e2e/display_ocr.py, driven
# by tests/e2e/muxclient.py.  Every wait polls the screen or a port until
# what it wants shows (or a generous limit): nothing is timed.
#   1. the graphical shell ends (`bye` typed in it) and port 10 `reap`s its
#      record; then Ctrl-C and Tab in the graphical screen: no sanitizer
#      report (they read and wrote the freed record: a task could forge it),
#      and a new graphical shell comes (it never did);
#   2. the same with the shell killed from port 10 (`kill`, then `reap`);
#   3. a line of 4096 characters runs (over 2047 it was echoed and dropped);
#   4. six lines of 510 characters typed ahead while the shell sleeps all
#      run (the last two were dropped: the shell's ring was full);
#   5. a paste of 541 keys, one sermux frame each, in one TCP write: the
#      line runs whole and keyboard STATS counts no key dropped (the keys
#      past 256 were dropped, port 2's own ring having room);
#   6. lines typed while the shell spins fill its ring, the next one waits;
#      Ctrl-C typed after it still interrupts the shell, then all run (the
#      keys are sent as fast as the keyboard publishes them: STATS).
set -u
BUILD=${BUILD:-build}
ACLIO=${ACLIO:-$BUILD/asan/clio}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-gfxshell.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0 UBSAN_OPTIONS=abort_on_error=1:print_stacktrace=1

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$ACLIO" --serial "tcp:127.0.0.1:$port" --display "headless:$tmp/shell.ppm" < /dev/null > "$tmp/clio.log" 2>&1 & pid=$!
for _ in $(seq 100); do grep -q sermux "$tmp/clio.log" && break; sleep 0.1; done
PYTHONPATH="$here" BUILD="$BUILD" timeout 300 python3 -u - "$port" "$tmp" "$pid" <<'PY' || fail "graphical shell (above); clio's log: $(grep -aA12 -E 'ERROR|runtime error' "$tmp/clio.log" | head -30)"
import os, re, subprocess, sys, time
from muxclient import Mux, cobs_encode
port, tmp, pid = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def die(msg):
    print("FAIL:", msg); sys.exit(1)
def alive():
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return not re.search(r'ERROR: AddressSanitizer|runtime error', open(tmp + '/clio.log', errors='replace').read())

m = Mux(port)
def keys(s, chunk=100):
    s = s.encode('latin-1')
    for i in range(0, len(s), chunk):
        m.send(2, s[i:i + chunk])
        m.poll(0.02)                       # paced like a typist; not asserted on
def say(p, line):
    m.send(p, line.encode() + b'\n')
def screen():
    r = subprocess.run(['python3', os.environ['PYTHONPATH'] + '/display_ocr.py', tmp + '/shell.ppm'],
                       capture_output=True, text=True)
    return r.stdout
def want(*rxs, seconds=60, what=''):
    end = time.time() + seconds
    s = ''
    while time.time() < end:
        if not alive():
            die('%s: clio died or reported' % what)
        s = screen()
        if all(re.search(rx, s, re.M) for rx in rxs):
            return s
        m.poll(0.2)
    die('%s: screen wants %r:\n%s' % (what, rxs, s))
def answer(p, line, needle, seconds=20):
    m.frames = [f for f in m.frames if f[0] != p]
    say(p, line)
    if not m.wait_for(p, needle, seconds):
        die('port %d: no %r after %r: %r' % (p, needle, line, m.text(p)[-600:]))
    return m.text(p)
def gfx_shell(state):
    """the graphical shell's id in `tasks` on port 10 (port -1), if state"""
    t = answer(10, 'tasks', ' ok')
    x = re.findall(r'^ *(\d+) +\d+ +-1 +shell +' + state, t, re.M)
    return x[-1] if x else None

want(r'^clio graphical shell', r'^> ', what='start')
keys('1 2 + .\r')
want(r'^3  ok$', what='first line')

# 1: bye, reap, then Ctrl-C and Tab in the dead (or new) shell
keys('bye\r')
for _ in range(100):
    if gfx_shell('ended'):
        break
    m.poll(0.1)
else:
    die('1: the graphical shell did not end on bye')
answer(10, 'reap . cr', ' ok')
keys('\x03')
keys('du\t\x15')
keys('6 7 * .\r')
want(r'^42  ok$', what='1: a new graphical shell after bye')
print('1. bye + reap, then Ctrl-C and Tab: no report; a new graphical shell answers')

# 2: kill from port 10, reap, Ctrl-C and Tab
tid = None
for _ in range(100):
    tid = gfx_shell('live')
    if tid:
        break
    m.poll(0.1)
if not tid:
    die('2: no live graphical shell in tasks')
answer(10, tid + ' kill', ' ok')
answer(10, 'reap . cr', ' ok')
keys('\x03')
keys('du\t\x15')
keys('6 8 * .\r')
want(r'^48  ok$', what='2: a new graphical shell after kill')
print('2. kill + reap, then Ctrl-C and Tab: no report; a new graphical shell answers (task %s was killed)' % tid)

# 3: a line of 4096 characters
body = '.( L4096) '
keys(body + ' ' * (4096 - len(body)) + '\r')
want(r'^L4096 +ok$', what='3: a 4096-character line')
print('3. a line of 4096 characters runs')

# 4: typed ahead past the shell's ring while it sleeps
keys('1500 ms\r')
for i in range(6):
    keys('.( A%d) ' % i + ' ' * 500 + '\r')
want(*[r'^A%d +ok$' % i for i in range(6)], what='4: typed-ahead lines')
print('4. six lines of 510 characters typed ahead all run')

# 5: a paste of one-key frames in one TCP write
big = ''.join('.( L%02d ) ' % i for i in range(60)) + '\r'
m.raw(b''.join(cobs_encode((2).to_bytes(2, 'little') + bytes([ch])) + b'\0' for ch in big.encode()))
want(r'(^| )L59 +ok$', what='5: a pasted line of %d keys' % len(big))
t = answer(10, 'keyboard-service connect value kb  pad 0 2 kb pad 8 call . .  pad le32@ . pad 4 + le32@ . cr', ' ok')
st = re.search(r'0 8 +(\d+) (\d+)', t)
if not st or st.group(2) != '0':
    die('5: keyboard STATS: %r' % t[-300:])
print('5. a paste of %d one-key frames runs whole; keyboard STATS: published %s, dropped %s'
      % (len(big), st.group(1), st.group(2)))
# 6: lines past the shell's ring wait while it spins; Ctrl-C still reaches it.
# Sent with flow control: the keyboard publishes a key only when the screen
# has room for it, so its count says how far the screen has read port 2
# (whose 4 KiB ring the mux drops past; the ASan build renders slowly).
answer(10, 'keyboard-service connect value kb  : kpub pad 0 2 kb pad 8 call 2drop pad le32@ . ;', ' ok')
def published():
    return int(re.findall(r'(\d+)  ok', answer(10, 'kpub', ' ok'))[-1])
def keys_paced(s, chunk=100):
    base, sent = published(), 0
    for i in range(0, len(s), chunk):
        while sent - (published() - base) > 2000:
            m.poll(0.05)
        m.send(2, s[i:i + chunk].encode('latin-1'))
        sent += len(s[i:i + chunk])
keys(': spin begin again ; spin\r')
# two lines of 4096 characters: the second waits (unless the ring's free
# part happens to hold both), Ctrl-C comes right after it
big = lambda i: '.( B%d) ' % i + ' ' * (4096 - 7) + '\r'
keys_paced(big(0) + big(1) + '\x03' + '.( B2) cr\r')
want(r'^user interrupt: spin$', r'^B0 +ok$', r'^B1 +ok$', r'^B2$', what='6: Ctrl-C while a line waits')
print('6. two lines of 4096 characters typed while the shell spins, then Ctrl-C: it stops, all run')
if not alive():
    die('clio died or reported at the end')
PY
kill "$pid"; wait "$pid" 2>/dev/null; pid=
grep -aE 'ERROR: AddressSanitizer|runtime error' "$tmp/clio.log" && fail "sanitizer report"
echo PASS
