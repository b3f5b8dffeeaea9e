#!/usr/bin/env bash
# repl.sh -- build/forth as a program: piped stdin, FILE and -e arguments,
# error reports, exit status, and the interactive REPL on a pseudo-terminal
# (ok prompts, Ctrl-D, ~/.forth_history).  Runs on $BUILD/forth and on
# $BUILD/asan/forth.  Run from the repository root; BUILD defaults to build.
set -u
BUILD=${BUILD:-build}
root=$PWD
case $BUILD in /*) ;; *) BUILD=$root/$BUILD ;; esac
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-repl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0

check() {  # name expected actual
    if [ "$2" == "$3" ]; then echo "ok    $1"
    else printf 'FAIL  %s\n      want: %q\n      got:  %q\n' "$1" "$2" "$3"; fails=$((fails + 1)); fi
}

# ptyrun.py PROGRAM: types its stdin's lines (then Ctrl-D) into PROGRAM on a
# pseudo-terminal, one at a time, and prints everything PROGRAM wrote.
# ptyrun.py --keys PROGRAM KEYS...: types each KEYS string instead (\r
# Enter, \t Tab, ^C ^U ^D control keys), waiting after each.
cat > "$tmp/ptyrun.py" <<'PY'
import os, pty, select, sys, time
keys = sys.argv[1] == '--keys'
argv = sys.argv[2:3] if keys else sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
out = b''
def drain(secs):
    global out
    end = time.time() + secs
    while time.time() < end:
        if select.select([fd], [], [], 0.05)[0]:
            try: d = os.read(fd, 4096)
            except OSError: return
            if not d: return
            out += d
drain(1.0)
if keys:
    for k in sys.argv[3:]:
        k = k.replace('\\r', '\r').replace('\\t', '\t')
        for c in 'CUD':
            k = k.replace('^' + c, chr(ord(c) - 64))
        os.write(fd, k.encode()); drain(0.5)
    drain(5.0)
else:
    for line in sys.stdin.read().splitlines():
        os.write(fd, line.encode() + b'\r'); drain(0.3)
    os.write(fd, b'\x04'); drain(15.0)   # returns at EOF, when it has exited
_, st = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors='replace').replace('\r\n', '\n'))
sys.stdout.write('[exit %d]\n' % os.waitstatus_to_exitcode(st))
PY

for forth in "$BUILD/forth" "$BUILD/asan/forth"; do
    [ -x "$forth" ] || { echo "FAIL  $forth not built"; fails=$((fails + 1)); continue; }
    echo "== $forth"
    cd "$tmp"
    printf ': sq dup * ;\n3 sq . cr\nfoo\n' > t.fs
    printf '.( b ) \r\n: two 2 ;\r\n' > 'b "x.fs'
    printf ': x -1 abort" out of coffee" ;\nx\n' > abort.fs

    check "piped stdin, no prompts" "5 " "$(printf '2 3 + .\n' | "$forth")"
    check "BYE exits 0" "1 [0]" "$(printf '1 .\nbye\n2 .\n' | "$forth"; echo "[$?]")"
    check "error: FILE:LINE: message: word, exit 1" "9 |t.fs:3: undefined word: foo|[1]" \
        "$("$forth" t.fs < /dev/null 2>&1 | tr '\n' '|'; echo "[${PIPESTATUS[0]}]")"
    check "files in order, then stdin; CRLF; quotes in names" "b 2 4 [0]" \
        "$(echo 'two . 4 . bye' | "$forth" 'b "x.fs' -e ': four 4 ;'; echo "[$?]")"
    check "terminal errors: no file:line, exit 0" "undefined word: nope|[0]" \
        "$(echo nope | "$forth" 2>&1 | tr '\n' '|'; echo "[${PIPESTATUS[1]}]")"
    check "error message starts a line, then the line marked" "1 |undefined word: nope|1 . >>>nope<<<|" \
        "$(echo '1 . nope' | "$forth" 2>&1 | tr '\n' '|')"
    check "line numbers in CRLF files" "crlf.fs:3: undefined word: nope" \
        "$(printf '1 drop\r\n\r\nnope\r\n' > crlf.fs; "$forth" crlf.fs < /dev/null 2>&1)"
    check "ABORT\" message" "abort.fs:2: out of coffee|[1]" \
        "$("$forth" abort.fs < /dev/null 2>&1 | tr '\n' '|'; echo "[${PIPESTATUS[0]}]")"
    check "missing file: exit 1" "[1]" "$("$forth" no-such.fs < /dev/null > /dev/null 2>&1; echo "[$?]")"
    check "-e error: exit 1" "[1]" "$("$forth" -e 'nope' < /dev/null > /dev/null 2>&1; echo "[$?]")"
    check "last line without newline" "7 " "$(printf '7 .' | "$forth")"
    check "--version" "forth (clio)" "$("$forth" --version | cut -d' ' -f1-2)"
    check "bad option: exit 2" "[2]" "$("$forth" --nope > /dev/null 2>&1; echo "[$?]")"

    mkdir -p home
    got=$(printf '2 3 + .\n: sq dup *\n;\nfoo\n4 sq .\n' |
          HOME=$tmp/home TERM=dumb timeout 20 python3 "$tmp/ptyrun.py" "$forth" 2>&1 | tail -n +2)
    want=$(printf '2 3 + .\n5  ok\n: sq dup *\n compiled\n;\n ok\nfoo\nundefined word: foo\n4 sq .\n16  ok\n\n[exit 0]')
    check "interactive: ok, compiled, errors, Ctrl-D" "$want" "$got"
    check "history in ~/.forth_history" "2 3 + .|: sq dup *|;|foo|4 sq .|" \
        "$(tr '\n' '|' < home/.forth_history)"

    # Ctrl-C: clears the line at the prompt; interrupts a running word, a
    # sleep, KEY; the REPL goes on.  Tab: words (in the case typed, the
    # list on a second Tab, also after the first inserted the common
    # prefix: spac -> space, then space spaces), file names after INCLUDE.
    mkdir -p sub && : > sub/only-file.fs
    got=$(HOME=$tmp/home TERM=dumb timeout 30 python3 "$tmp/ptyrun.py" --keys "$forth" \
          '12 3' '^C' '5 .\r' ': spin begin again ; spin\r' '^C' '7 .\r' \
          '100000 ms\r' '^C' 'key\r' '^C' '8 .\r' 'DEPT\t' '.\r' 'sp\t\t' '^U' 'spac\t\t' '^U' \
          'include sub/on\t' '^U' 'bye\r' 2>&1)
    for want in '12 3\^C' '5  ok' 'user interrupt: spin' ': spin begin again ; >>>spin<<<' \
                '7  ok' 'user interrupt: ms' 'user interrupt: key' '8  ok' \
                'DEPTH \.' '^0  ok' 'space +spaces +spin' '^space +spaces *$' 'include sub/only-file\.fs' '\[exit 0\]'; do
        if grep -Eq -- "$want" <<< "$got"; then check "Ctrl-C, Tab: /$want/" x x
        else check "Ctrl-C, Tab: /$want/" "$want" "$got"; fi
    done
    if grep -q '12 3 ok\|123' <<< "$got"; then check "Ctrl-C dropped the typed line" "" "$got"; fi
    rm -rf home sub
    cd "$root"
done
[ $fails -eq 0 ] && echo "all passed" || echo "$fails failed"
[ $fails -eq 0 ]
