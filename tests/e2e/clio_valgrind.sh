#!/usr/bin/env bash
# build/clio under valgrind memcheck: a script (tasks, a service call, a
# sleep, an error) and a piped console session must run with 0 errors and
# 0 bytes definitely, indirectly or possibly lost.
set -u
BUILD=${BUILD:-build}
CLIO=$(realpath "${CLIO:-$BUILD/clio}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
command -v valgrind > /dev/null || fail "valgrind is not installed"
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"

cat > "$tmp/ok.fs" <<'FS'
: w 3 4 + drop ;  ' w spawn wait .
s" ab" upper type cr
: child receive 2 * 1 send ;  ' child spawn 21 over send receive . wait . cr
50 ms .( slept) cr
FS
out=$(cd "$tmp" && timeout 120 $VG "$CLIO" ok.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] || fail "script: rc=$rc: $out"
printf '%s\n' "$out" | grep -q 'slept' || fail "script output: $out"

out=$(cd "$tmp" && printf '1 2 + .\nnope\n: sq dup * ; 9 sq .\n' | timeout 120 $VG "$CLIO" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "console: rc=$rc: $out"
printf '%s\n' "$out" | grep -q '81  ok' || fail "console output: $out"
# the console's reader thread must not outlive build/clio: a script run
# whose stdin stays open (the reader is blocked in read), and BYE with
# more input behind it than the console's 4 KiB queue holds (the reader
# waits for room)
out=$(cd "$tmp" && (sleep 60 &) | timeout 120 $VG "$CLIO" ok.fs 2>&1); rc=$?
[ $rc -eq 0 ] || fail "script, stdin open: rc=$rc: $out"
out=$(cd "$tmp" && { echo '7 . bye'; yes '1 drop' | head -n 5000; } | timeout 120 $VG "$CLIO" 2>&1); rc=$?
[ $rc -eq 0 ] || fail "console, bye before the rest: rc=$rc: $out"
printf '%s\n' "$out" | grep -q '^7 ' || fail "bye output: $out"
echo "PASS (memcheck: 0 errors, 0 leaks; the console reader stopped at exit)"
