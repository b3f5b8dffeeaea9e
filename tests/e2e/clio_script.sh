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
