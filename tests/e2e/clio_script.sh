#!/usr/bin/env bash
# End to end: build/clio FILE.fs... runs scripts in a Forth task against the
# real services and exits with their status; script paths outside the file
# root; includes relative to the including file.
set -u
BUILD=${BUILD:-build}
CLIO=$(realpath "${CLIO:-$BUILD/clio}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-script.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

cat > "$tmp/ok.fs" <<'FS'
\ a service by UUID, a child task, messages, sleep
s" clio" upper type cr
: child  receive 2 * 1 send ;
' child spawn  21 over send  receive . cr  wait . cr
100 ms .( slept) cr
FS
out=$(cd "$tmp" && timeout 10 "$CLIO" ok.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] || fail "ok.fs: exit $rc: $out"
printf '%s\n' "$out" | grep -q '^CLIO$' || fail "upper: $out"
printf '%s\n' "$out" | grep -q '^42 $' || fail "messages: $out"
printf '%s\n' "$out" | grep -q '^slept$' || fail "sleep: $out"

# eval-here: the text runs in a new task (a fork of the root VM, not of
# the script's), its output typed here, its code left; nothing stays behind
cat > "$tmp/eval.fs" <<'FS'
s" 2 3 + ." eval-here .( code ) . cr
s" 1 0 /" eval-here .( code ) . cr
: sq  dup * ;
s" : cube dup dup * * ; 3 cube ." eval-here drop cr
s" sq" eval-here .( no sq there ) . cr
kmem-in-use  s" 1 ." eval-here drop cr  kmem-in-use - .( kmem ) . cr
live-tasks .( live ) . cr
FS
out=$(cd "$tmp" && timeout 10 "$CLIO" eval.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] || fail "eval.fs: exit $rc: $out"
for want in '^5 code 0 $' '^division by zero: /$' '^code -10 $' '^27 $' '^undefined word: sq$' \
            '^no sq there -13 $' '^kmem 0 $' '^live 1 $'; do
    printf '%s\n' "$out" | grep -q "$want" || fail "eval.fs: no $want in: $out"
done

# A child that loops forever starves no one: the script reads on (its
# lines come through the file service), files open, the script ends
cat > "$tmp/hog.fs" <<'FS'
:noname begin again ; spawn drop
.( after the spawn) cr
s" hog.txt" r/w create-file . close-file . cr
FS
out=$(cd "$tmp" && timeout 10 "$CLIO" hog.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] || fail "hog.fs: exit $rc: $out"
[ "$out" = "$(printf 'after the spawn\n0 0 ')" ] || fail "hog.fs: $out"

printf '1 2 +\n.\nnope\n4 .\n' > "$tmp/bad.fs"
out=$(cd "$tmp" && timeout 10 "$CLIO" bad.fs < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] || fail "bad.fs exited 0: $out"
printf '%s\n' "$out" | grep -q 'bad.fs:3: undefined word: nope' || fail "bad.fs message: $out"

# A script named on the command line outside the file root (/abs, ../)
# runs: the host reads it; what it includes comes from the root, first
# from next to the including file (a refused path falls back to the root).
mkdir -p "$tmp/away" "$tmp/root/lib"
printf 'include lib/a.fs\n.( away ok) cr\n' > "$tmp/away/main.fs"
printf 'include b.fs\n' > "$tmp/root/lib/a.fs"
printf '.( lib/b) cr\n' > "$tmp/root/lib/b.fs"
printf '.( root b) cr\n' > "$tmp/root/b.fs"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" "$tmp/away/main.fs" < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] || fail "absolute script path: exit $rc: $out"
[ "$out" = "$(printf 'lib/b\naway ok')" ] || fail "absolute script path: $out"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" ../away/main.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q 'away ok' || fail "../ script path: rc=$rc: $out"
printf 'include ../away/main.fs\n' > "$tmp/root/esc.fs"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" esc.fs < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'esc.fs:1: path refused: ../away/main.fs' ||
    fail "include outside the root: rc=$rc: $out"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" no-such.fs < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q 'non-existent file: no-such.fs' ||
    fail "missing script: rc=$rc: $out"

# A script the host reads is read whole before the kernel starts: one from
# a pipe (/dev/stdin, <(cmd)) runs all its lines (the console's reader,
# which also reads stdin, takes none of them), and a pipe that stays open
# keeps clio from starting rather than stopping its kernel half-way: while
# the writer holds it, a client either cannot connect yet or is answered.
out=$(printf '.( first) cr\n.( second) cr\n' | timeout 10 "$CLIO" /dev/stdin 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "$(printf 'first\nsecond')" ] || fail "script on a pipe: rc=$rc: $out"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" <(printf '.( from cmd) cr\n') < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "from cmd" ] || fail "script from <(cmd): rc=$rc: $out"
python3 - "$CLIO" "$(cd "$(dirname "$0")" && pwd)" <<'PY' || fail "a script on an open pipe"
import os, socket, subprocess, sys, time
sys.path.insert(0, sys.argv[2])
from muxclient import Mux
s = socket.socket(); s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]; s.close()
p = subprocess.Popen([sys.argv[1], '--serial', 'tcp:127.0.0.1:%d' % port, '/dev/stdin'],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
def ping(what):
    m = Mux(port)
    m.send(0, b'ping-' + what)
    ok = m.wait_for(0, 'ping-' + what.decode(), 10)
    m.close()
    return ok
try:
    p.stdin.write(b'.( first) cr\n'); p.stdin.flush()
    end = time.time() + 3                    # the writer holds the pipe open
    while time.time() < end:
        try:
            if not ping(b'held'):
                print('FAIL: connected while the script waits, no answer in 10 s')
                sys.exit(1)
            break
        except OSError:
            time.sleep(0.1)                  # not started: fine
    p.stdin.write(b'.( second) cr 60000 ms\n'); p.stdin.close()
    end = time.time() + 10
    while True:
        try:
            ok = ping(b'after')
            break
        except OSError:
            if time.time() > end:
                raise
            time.sleep(0.1)
    if not ok:
        print('FAIL: no answer once the script is read'); sys.exit(1)
finally:
    p.terminate()
p.wait(10)
out = p.stdout.read().decode()
if 'first\nsecond\n' not in out:
    print('FAIL: script output %r' % out); sys.exit(1)
PY
head -c 1100000 /dev/zero | tr '\0' '\n' > "$tmp/away/big.fs"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" "$tmp/away/big.fs" < /dev/null 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "big.fs: a script is at most 1 MiB" ||
    fail "a script over 1 MiB: rc=$rc: $out"

# A host file's fileid is the task's that opened it: another task (an
# eval here) can neither read the script's lines nor close it.
cat > "$tmp/away/fid.fs" <<'FS'
s" pad 80 $7fff0001 read-line . . pad swap type cr" eval-here drop
.( parent line two) cr
s" $7fff0001 close-file .( closed ) . cr" eval-here drop
.( parent line four) cr
FS
out=$(cd "$tmp/root" && timeout 10 "$CLIO" "$tmp/away/fid.fs" < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '^parent line two$' &&
    printf '%s\n' "$out" | grep -q '^parent line four$' &&
    ! printf '%s\n' "$out" | grep -q '^closed 0 $' || fail "another task's script fileid: rc=$rc: $out"

# --node takes a valid node name only (docs/links.md), else status 2.
for bad in '' 'a b' 'seventeen-chars-x'; do
    out=$(cd "$tmp" && timeout 10 "$CLIO" --node "$bad" ok.fs < /dev/null 2>&1); rc=$?
    [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "clio: --node wants 1 to 15 of A-Z a-z 0-9 - _" ||
        fail "--node '$bad': rc=$rc: $out"
done

# The command line's early exits free what they took (LeakSanitizer in the
# ASan build: --help left its two argument lists, 32 bytes).
if [ -x "$BUILD/asan/clio" ]; then
    ACLIO=$(realpath "$BUILD/asan/clio")
    for args in --help --bogus "--node a.b" "--serial x"; do
        out=$(cd "$tmp" && ASAN_OPTIONS=detect_leaks=1 timeout 20 "$ACLIO" $args 2>&1 < /dev/null)
        printf '%s\n' "$out" | grep -q 'LeakSanitizer\|AddressSanitizer' && fail "clio $args: $out"
        printf '%s\n' "$out" | grep -q 'usage: clio\|clio: --' || fail "clio $args: $out"
    done
fi

out=$(printf '2 3 + .\n' | timeout 10 "$CLIO" 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '5  ok' || fail "piped console: rc=$rc: $out"
# Errors at the shell: a child's names its task and the word it ran; a
# message of its own (a file's) is one line, without the line marked.
out=$(cd "$tmp" && printf ": inner 1 0 / ;\n' inner spawn wait .\ncat nope.txt\n.( after) cr\n" |
      timeout 10 "$CLIO" 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -Eq '^task [0-9]+: division by zero: inner$' ||
    fail "child error: rc=$rc: $out"
printf '%s\n' "$out" | grep -q '^nope.txt: no such file$' || fail "cat nope.txt: $out"
printf '%s\n' "$out" | grep -q '>>>' && fail "cat nope.txt, a second line: $out"
printf '%s\n' "$out" | grep -q '^after' || fail "the shell after the errors: $out"
echo PASS
