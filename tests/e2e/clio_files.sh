#!/usr/bin/env bash
# End to end: build/clio --files DIR -- Forth tasks write, read, list and
# include files through the file service, confined to DIR.
set -u
BUILD=${BUILD:-build}
CLIO=$(realpath "${CLIO:-$BUILD/clio}")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-files.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

mkdir "$tmp/root"
: > "$tmp/root/.dotfile"
echo '.( SECRET) cr' > "$tmp/secret.fs"
ln -s ../secret.fs "$tmp/root/link.fs"

cat > "$tmp/root/main.fs" <<'FS'
\ write a file, read it back, list, store a script and run it
s" notes.txt" w/o create-file throw value fd
s" first line" fd write-line throw
s" second line" fd write-line throw
fd close-file throw
create buf 80 allot
s" notes.txt" r/o open-file throw to fd
buf 80 fd read-line throw drop buf swap type cr
fd file-size throw d. cr
fd close-file throw
cat notes.txt
s\" : greet  .\" hello from a stored script\" cr ;" save-line hello.fs
s" greet" save-line hello.fs
include hello.fs
ls
s" ../secret.fs" r/o open-file nip . cr
s" /etc/passwd" r/o open-file nip . cr
s" link.fs" r/o open-file nip . cr
rm notes.txt
s" notes.txt" file-status nip . cr
FS
out=$(cd / && timeout 10 "$CLIO" --files "$tmp/root" main.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] || fail "main.fs: exit $rc: $out"
expect() { printf '%s\n' "$out" | grep -qx -- "$1" || fail "want [$1] in: $out"; }
expect 'first line'
expect '23 '
expect 'second line'
expect 'hello from a stored script'
expect 'hello.fs  *[0-9]*'
expect 'main.fs  *[0-9]*'
# ls: sorted, sizes in one column, no dot entries
ls_lines=$(printf '%s\n' "$out" | grep -E '^(hello|link|main|notes)\.(fs|txt) ')
[ "$(printf '%s\n' "$ls_lines" | cut -c1-8)" = "$(printf '%s\n' "$ls_lines" | cut -c1-8 | sort)" ] ||
    fail "ls not sorted: $ls_lines"
[ "$(printf '%s\n' "$ls_lines" | awk '{ print length }' | sort -u | wc -l)" -eq 1 ] ||
    fail "ls sizes not in one column: $ls_lines"
printf '%s\n' "$out" | grep -q '^\.dotfile' && fail "ls shows dot entries: $out"
expect '-512 '
expect '-38 '
[ "$(printf '%s\n' "$out" | grep -cx -- '-512 ')" -eq 3 ] || fail "escapes: $out"
[ -f "$tmp/root/hello.fs" ] && [ ! -e "$tmp/root/notes.txt" ] || fail "files in DIR: $(ls "$tmp/root")"
printf '%s\n' "$out" | grep -q SECRET && fail "read outside DIR: $out"

# an escape in INCLUDED fails with a clear error, and the script's status says so
printf 'include ../secret.fs\n' > "$tmp/root/esc.fs"
out=$(timeout 10 "$CLIO" --files "$tmp/root" esc.fs < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] || fail "esc.fs exited 0: $out"
printf '%s\n' "$out" | grep -q 'esc.fs:1: path refused: ../secret.fs' || fail "esc.fs message: $out"
printf 'cat link.fs\n' > "$tmp/root/esc2.fs"
out=$(timeout 10 "$CLIO" --files "$tmp/root" esc2.fs < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] || fail "esc2.fs exited 0: $out"
printf '%s\n' "$out" | grep -q 'link.fs: path refused' || fail "symlink message: $out"
printf '%s\n' "$out" | grep -q SECRET && fail "symlink followed: $out"

# a script named on the command line is the user's choice: outside DIR it
# runs (the host reads it); what it includes stays inside DIR; a missing
# DIR is refused
out=$(cd "$tmp/root" && timeout 10 "$CLIO" --files "$tmp/root" ../secret.fs < /dev/null 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q SECRET || fail "script outside DIR: rc=$rc: $out"
printf 'include secret.fs\n' > "$tmp/inc-secret.fs"
out=$(cd "$tmp/root" && timeout 10 "$CLIO" --files "$tmp/root" ../inc-secret.fs < /dev/null 2>&1); rc=$?
[ $rc -ne 0 ] && ! printf '%s\n' "$out" | grep -q SECRET || fail "include from a script outside DIR: rc=$rc: $out"
out=$(timeout 10 "$CLIO" --files "$tmp/nope" < /dev/null 2>&1); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q -- "--files $tmp/nope: No such file" || fail "missing DIR: rc=$rc: $out"

# the Forth 2012 suite's FILE-ACCESS tests, in a task, over the service
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shared="$root/../shared/forth-tests/suite"
[ -f "$shared/filetest.fth" ] || fail "no $shared/filetest.fth: the shared/ directory must sit beside the repository"
{
    mkdir "$tmp/suite"
    cp -r "$shared/." "$tmp/suite/"
    out=$(timeout 60 "$CLIO" --files "$tmp/suite" prelimtest.fth tester.fr core.fr coreplustest.fth \
          utilities.fth errorreport.fth coreexttest.fth filetest.fth < /dev/null 2>&1); rc=$?
    [ $rc -eq 0 ] || fail "filetest: exit $rc: $(printf '%s\n' "$out" | tail -5)"
    printf '%s\n' "$out" | grep -a -q -E 'INCORRECT|WRONG NUMBER' && fail "filetest: $(printf '%s\n' "$out" | grep -a -E 'INCORRECT|WRONG' | head)"
    printf '%s\n' "$out" | grep -a -q 'End of File-Access word set tests' || fail "filetest did not finish"
}
# FLUSH is the BLOCK word in every clio, with or without a display: the
# block reaches blocks.fb while clio runs (the display's frame word was
# named flush too and hid it: the block waited for BYE, lost to a kill)
mkdir "$tmp/blk"
for disp in "" "--display headless:$tmp/blk.ppm"; do
    rm -f "$tmp/blk/blocks.fb"
    { (printf '1 block 1024 char Z fill update flush .( flushed) cr\n'; sleep 5) |
        timeout -s KILL 3 "$CLIO" --files "$tmp/blk" $disp > "$tmp/blk.out" 2>&1; } 2>/dev/null
    grep -q flushed "$tmp/blk.out" || fail "FLUSH ($disp): $(cat "$tmp/blk.out")"
    [ "$(head -c 1024 "$tmp/blk/blocks.fb" 2>/dev/null | tr -d Z | wc -c)" = 0 ] &&
        [ "$(stat -c %s "$tmp/blk/blocks.fb" 2>/dev/null)" = 1024 ] ||
        fail "FLUSH ($disp) did not write block 1 before clio was killed"
done

echo PASS
