#!/usr/bin/env bash
# tests/forth.sh -- the Forth script tests, run by `make test` (TEST_STEPS).
#
# Each tests/forth/NAME.fs is piped into $BUILD/forth (default build/forth), so
# every line is a terminal line: an error ends only its own line.  Then
#   NAME.out   stdout must equal it exactly (written by hand from the standard);
#   NAME.grep  each non-empty line is an extended regex (case-insensitive) that
#              must match somewhere in stdout (for implementation-defined
#              output: .S WORDS SEE DUMP);
#   NAME.err   each non-empty line is an extended regex that must match stderr.
# The exit status must be 0, and no run may crash or take more than 20 s.
# Then the error-reporting checks of the standalone forth (stderr messages,
# FILE:LINE: prefixes, exit status of included files).
# Everything runs with $BUILD/forth and again with $BUILD/asan/forth (ASan
# and UBSan) when that exists; FORTH=path runs only that binary.
#
# usage: tests/forth.sh [NAME...]      (default: all)
set -u
BUILD=${BUILD:-build}
if [ -n "${FORTH:-}" ]; then
    forths=("$FORTH")
else
    forths=("$BUILD/forth")
    [ -x "$BUILD/asan/forth" ] && [ -f "$BUILD/asan/forth" ] && forths+=("$BUILD/asan/forth")
fi
here=$(cd "$(dirname "$0")" && pwd)
dir=$here/forth
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forth-tests.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0; failed=()

if [ ! -x "${forths[0]}" ]; then
    echo "forth.sh: ${forths[0]} not built" >&2
    exit 1
fi

ok()  { pass=$((pass + 1)); printf 'ok    %s%s\n' "$1" "$tag"; }
bad() { fail=$((fail + 1)); failed+=("$1$tag"); printf 'FAIL  %s%s\n' "$1" "$tag"; sed 's/^/      | /' "$tmp/why"; }

# match_all PATTERNFILE FILE [grep-flags]: every pattern matches somewhere
match_all() {
    local pat rc=0
    while IFS= read -r pat || [ -n "$pat" ]; do
        [ -z "$pat" ] && continue
        if ! grep -Eq ${3:-} -- "$pat" "$2"; then
            echo "no match for /$pat/ in $(basename "$2")" >> "$tmp/why"
            rc=1
        fi
    done < "$1"
    return $rc
}

run_script() {  # NAME
    local name=$1 fs=$dir/$1.fs rc
    : > "$tmp/why"
    rm -rf "$tmp/cwd" && mkdir "$tmp/cwd"          # files it makes (blocks.fb) go here
    (cd "$tmp/cwd" && timeout 20 "$FORTH_ABS" < "$fs" > "$tmp/out" 2> "$tmp/err")
    rc=$?
    local good=1
    if [ $rc -ne 0 ]; then
        echo "exit status $rc$([ $rc -ge 124 ] && echo ' (timeout or crash)')" >> "$tmp/why"
        good=0
    fi
    if [ -f "$dir/$name.out" ] && ! diff -u "$dir/$name.out" "$tmp/out" > "$tmp/diff"; then
        sed 's/^/ /' "$tmp/diff" >> "$tmp/why"
        good=0
    fi
    if [ -f "$dir/$name.grep" ] && ! match_all "$dir/$name.grep" "$tmp/out" -i; then
        head -c 2000 "$tmp/out" | sed 's/^/ stdout: /' >> "$tmp/why"
        good=0
    fi
    if [ -f "$dir/$name.err" ] && ! match_all "$dir/$name.err" "$tmp/err"; then
        sed 's/^/ stderr: /' "$tmp/err" >> "$tmp/why"
        good=0
    fi
    if [ $good = 1 ]; then ok "forth/$name.fs"; else bad "forth/$name.fs"; fi
}

names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for f in "$dir"/*.fs; do names+=("$(basename "$f" .fs)"); done
fi

for FORTH in "${forths[@]}"; do
FORTH_ABS=$(realpath "$FORTH")
tag=""
case $FORTH in */asan/*) tag=" (asan)" ;; esac

for n in "${names[@]}"; do run_script "$n"; done

# ---- error reporting of the standalone forth --------------------------------
check() {  # NAME CONDITION-DESCRIPTION: uses $good
    if [ "$good" = 1 ]; then ok "$1"; else bad "$1"; fi
}

# an error on a terminal line is reported, and the next line runs
: > "$tmp/why"; good=1
printf '1 2\nfoo\n3 .\n' | timeout 20 "$FORTH" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ "$(cat "$tmp/out")" = "3 " ] || { echo "stdout: <$(cat "$tmp/out")>, want <3 >" >> "$tmp/why"; good=0; }
grep -q 'undefined word: foo' "$tmp/err" || { echo "stderr: <$(cat "$tmp/err")>" >> "$tmp/why"; good=0; }
[ $rc -eq 0 ] || { echo "exit status $rc for piped input" >> "$tmp/why"; good=0; }
check "errors: terminal line error, next line runs"

# an included file with an error on line 3: FILE:3:, the rest of the file is
# not run, exit status non-zero
: > "$tmp/why"; good=1
printf '1 .\n2 .\nfoo\n4 .\n' > "$tmp/t.fs"
timeout 20 "$FORTH" "$tmp/t.fs" < /dev/null > "$tmp/out" 2> "$tmp/err"
rc=$?
grep -qF "$tmp/t.fs:3: undefined word: foo" "$tmp/err" ||
    { echo "stderr: <$(cat "$tmp/err")>, want $tmp/t.fs:3: undefined word: foo" >> "$tmp/why"; good=0; }
[ "$(cat "$tmp/out")" = "1 2 " ] || { echo "stdout: <$(cat "$tmp/out")>, want <1 2 >" >> "$tmp/why"; good=0; }
[ $rc -ne 0 ] && [ $rc -lt 124 ] || { echo "exit status $rc, want non-zero (and no crash)" >> "$tmp/why"; good=0; }
check "errors: FILE:LINE: in an included file, exit status"

# a clean file: exit 0; then stdin is read
: > "$tmp/why"; good=1
printf ': twice 2 * ;\n21 twice .\n' > "$tmp/ok.fs"
echo '5 twice .' | timeout 20 "$FORTH" "$tmp/ok.fs" > "$tmp/out" 2> "$tmp/err"
rc=$?
[ $rc -eq 0 ] || { echo "exit status $rc" >> "$tmp/why"; good=0; }
[ "$(cat "$tmp/out")" = "42 10 " ] || { echo "stdout: <$(cat "$tmp/out")>, want <42 10 >" >> "$tmp/why"; good=0; }
[ -s "$tmp/err" ] && { echo "stderr: <$(cat "$tmp/err")>" >> "$tmp/why"; good=0; }
check "errors: clean file exits 0, then stdin runs"

# a file included from the terminal with an error: FILE:LINE: too
: > "$tmp/why"; good=1
printf '\n\n\n\n1 0 /\n' > "$tmp/div.fs"
printf 's" %s" included\n7 .\n' "$tmp/div.fs" | timeout 20 "$FORTH" > "$tmp/out" 2> "$tmp/err"
rc=$?
grep -qF "$tmp/div.fs:5: division by zero" "$tmp/err" || { echo "stderr: <$(cat "$tmp/err")>" >> "$tmp/why"; good=0; }
[ "$(cat "$tmp/out")" = "7 " ] || { echo "stdout: <$(cat "$tmp/out")>, want <7 >" >> "$tmp/why"; good=0; }
check "errors: INCLUDED from the terminal, FILE:LINE:"

# binary garbage on stdin: no crash, the next clean line still runs
: > "$tmp/why"; good=1
{ awk 'BEGIN { srand(7); for (i = 0; i < 200000; i++) printf "%c", int(rand() * 256) }'; printf '\n\n1 2 + .\n'; } > "$tmp/garbage"
timeout 60 "$FORTH" < "$tmp/garbage" > "$tmp/out" 2> /dev/null
rc=$?
[ $rc -eq 0 ] || { echo "exit status $rc on random input" >> "$tmp/why"; good=0; }
tail -c 2 "$tmp/out" | grep -q '3 ' || { echo "last output: <$(tail -c 40 "$tmp/out" | od -c | head -3)>" >> "$tmp/why"; good=0; }
check "errors: random bytes on stdin"
done

[ $fail -eq 0 ] || printf 'failed: %s\n' "${failed[*]}"
echo "forth tests: $pass passed, $fail failed"
[ $fail -eq 0 ]
