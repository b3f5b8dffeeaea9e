#!/usr/bin/env bash
# End to end on QEMU, rv32: boot build/clio-riscv32.elf (M-mode, no
# firmware: qemu-system-riscv32 -machine virt -bios none), wait for the
# Forth prompt, play a Forth script through the UART and check each answer
# (32-bit cells: wrap-around, double cells), then `0 halt` must end QEMU
# with status 0.  2: `3 halt` gives status 3, and the banner says the root
# VM was compiled at boot (there is no 32-bit root image).  3: a file on a
# virtio-blk disk (a fresh sparse image in $BUILD).  4: the Forth 2012 test
# suite (../shared/forth-tests) through the UART.  5: its floating-point
# programs.  Every QEMU run is
# bounded by `timeout` and by the driver's own deadline.
set -u
BUILD=${BUILD:-build}
IMAGE=${IMAGE:-$BUILD/clio-riscv32.elf}
DRIVE="python3 tests/e2e/qemu_drive.py --timeout 60"
QEMU="timeout -k 5 90 qemu-system-riscv32 -machine virt -bios none -kernel $IMAGE"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-qemu32.XXXXXX")
disk=$(mktemp "$BUILD/qemu32-disk.XXXXXX")
trap 'rm -rf "$tmp" "$disk"' EXIT
for t in qemu-system-riscv32 python3 timeout truncate; do
    command -v $t >/dev/null || { echo "FAIL: $t not installed (make deps)"; exit 1; }
done
[ -f "$IMAGE" ] || { echo "FAIL: no $IMAGE"; exit 1; }
fails=0

report() {  # N status text
    if [ "$2" = 0 ]; then echo "$1. $3"; else
        echo "$1. FAIL"; sed 's/^/   | /' "$tmp/$1.out" | tail -40; fails=$((fails + 1)); fi
}

# 1. the script: 32-bit arithmetic, a definition, the echo service through
# forth-lib's `upper` and by UUID, a spawned task waited for, a 100 ms
# sleep measured with uptime, errors that must not kill the shell, halt 0
cat > "$tmp/1.fs" <<'FS'
2 3 + . ||| ^5  ok$
-1 u. ||| ^4294967295  ok$
1 cells . ||| ^4  ok$
2147483647 1 + . ||| ^-2147483648  ok$
65536 dup * . ||| ^0  ok$
65536 dup um* d. ||| ^4294967296  ok$
-1 0 d. ||| ^4294967295  ok$
-1 1 2 um/mod u. . ||| ^4294967295 1  ok$
: sq ( n -- n*n ) dup * ; ||| ok$
7 sq . ||| ^49  ok$
s" abc" upper type cr ||| ^ABC$
uuid" 6c696f2d-6563-686f-9a41-4e0b8c110001" connect value echo ||| ok$
s" xyz" 2 echo pad 10 call . pad swap type cr ||| ^0 XYZ$
: child ( -- ) ." child ran " ; ||| ok$
' child spawn wait . ||| child ran 0  ok$
uptime 100 ms uptime swap - dup . 100 250 within . ||| ^1[0-9][0-9] -1  ok$
nosuchword ||| ^undefined word: nosuchword$
1 0 / ||| ^division by zero: /$
-1 halt ||| halt: the exit code must be 0..255
2e fsqrt f. pi f. ||| ^1.4142135623730951 3.141592653589793  ok$
: fchild ( -- ) 1e fexp f. 1e30 fsin f. ; ||| ok$
' fchild spawn wait . ||| ^2.718281828459045 0.009331468931175825 0  ok$
6 7 * . ||| ^42  ok$
0 halt
FS
$DRIVE --script "$tmp/1.fs" --expect-rc 0 -- $QEMU > "$tmp/1.out" 2>&1
report 1 $? "script on the UART (32-bit cells), 0 halt -> status 0: $(tail -1 "$tmp/1.out")"

# 2. 3 halt -> status 3; the root VM compiled at boot, on rv32 in M-mode
printf '3 halt\n' > "$tmp/2.fs"
$DRIVE -v --script "$tmp/2.fs" --expect-rc 3 -- $QEMU > "$tmp/2.out" 2>&1 &&
    grep -aq 'clio riscv32 (qemu virt, M-mode)' "$tmp/2.out" && grep -aq 'root VM compiled' "$tmp/2.out"
report 2 $? "3 halt -> status 3; $(grep -ao 'root VM compiled [0-9]* ms' "$tmp/2.out")"

# 3. the virtio-blk disk: a blank one formatted at boot, a file written,
# read back and listed, its bytes on the host's image
truncate -s 1M "$disk"
cat > "$tmp/3.fs" <<'FS'
s" hello rv32" save-line notes.txt ||| ok$
cat notes.txt ||| ^hello rv32$
ls ||| notes.txt +11
0 halt
FS
$DRIVE -v --script "$tmp/3.fs" --expect-rc 0 -- $QEMU -global virtio-mmio.force-legacy=false \
    -drive "file=$disk,if=none,format=raw,id=hd0" -device virtio-blk-device,drive=hd0 > "$tmp/3.out" 2>&1 &&
    tr -d '\r' < "$tmp/3.out" | grep -Eq '^disk: 2048 blocks, no blkfs found: formatted' &&
    grep -qa 'hello rv32' "$disk"
report 3 $? "blank 1 MiB disk formatted at boot; save-line, cat, ls"

# 4. the Forth 2012 test suite on 32-bit cells (as tests/suite.sh runs it
# on build/forth, less the file-access and block word sets): the files typed
# into the console shell one after the other, then its error report
suite=../shared/forth-tests/suite
if [ -d "$suite" ]; then
    feeds=()
    for f in $suite/tester.fr $suite/core.fr $suite/coreplustest.fth $suite/utilities.fth \
             $suite/errorreport.fth $suite/coreexttest.fth $suite/doubletest.fth $suite/exceptiontest.fth \
             $suite/facilitytest.fth $suite/localstest.fth $suite/memorytest.fth $suite/searchordertest.fth \
             $suite/stringtest.fth $suite/toolstest.fth; do feeds+=(--feed "$f"); done
    printf 'REPORT-ERRORS ||| ^Total +[0-9]+$\n0 halt\n' > "$tmp/4.fs"
    # a loaded machine (two cores shared by several make tests) can take
    # minutes where an idle one takes 20 s
    $DRIVE -v --timeout 300 "${feeds[@]}" --script "$tmp/4.fs" --expect-rc 0 -- \
        timeout -k 5 310 qemu-system-riscv32 -machine virt -bios none -kernel $IMAGE > "$tmp/4.out" 2>&1 &&
        tr -d '\r' < "$tmp/4.out" | grep -Eq '^Total +0$' &&
        [ "$(tr -d '\r' < "$tmp/4.out" | grep -Ec '^(Core|Core extension|Double number|Exception|Facility|Locals|Memory-allocation|Programming-tools|Search-order|String) +0$')" = 10 ]
    report 4 $? "Forth 2012 suite, 32-bit cells: $(tr -d '\r' < "$tmp/4.out" | grep -E '^Total ' | tr -s ' ') errors (10 word sets)"
else
    echo "4. FAIL: no $suite (the shared/ directory must sit beside the repository)"; fails=$((fails + 1))
fi

# 5. the suite's floating-point programs (soft-float through libgcc):
# fp/ttester.fs and the 8 programs written to a disk's files (typed in
# as they are, comments over several lines and tabs would not survive the
# console), then each INCLUDEd under a MARKER; each must reach its last
# line ("End of ..."), no test may fail, paranoia must find no FAILURE
# and no SERIOUS DEFECT
fp=$suite/fp
fp_verdict() {  # what step 5's output fails first, or nothing
    local t=$tmp/5.txt n
    n=$(grep -Ec '^End of ' "$t")
    [ "$n" = 8 ] || { echo "$n of 8 programs reached their last line:"; grep -E '^End of ' "$t"; return; }
    grep -Em5 'INCORRECT|WRONG NUMBER|undefined word|stack underflow|dictionary overflow' "$t" && return
    grep -Eq '^FAILUREs +encountered = 0' "$t" || { echo "paranoia found FAILUREs"; return; }
    grep -Eq '^SERIOUS DEFECTs +discovered = 0' "$t" || echo "paranoia found SERIOUS DEFECTs"
}
if [ -d "$fp" ]; then
    files=(fatan2-test.fs ieee-arith-test.fs ieee-fprox-test.fs fpzero-test.4th fpio-test.4th
           to-float-test.4th paranoia.4th ak-fp-test.fth)
    python3 tests/e2e/savefeed.py "$fp/ttester.fs" "${files[@]/#/$fp/}" > "$tmp/5.feed"
    { echo 'include ttester.fs ||| ok$'
      for f in "${files[@]}"; do echo "marker -fp include $f cr .( fp-done) cr -fp ||| ^fp-done\$"; done
      echo '0 halt'; } > "$tmp/5.fs"
    rm -f "$disk"; truncate -s 2M "$disk"
    $DRIVE -v --timeout 240 --line-timeout 60 --feed "$tmp/5.feed" --script "$tmp/5.fs" --expect-rc 0 -- \
        timeout -k 5 250 qemu-system-riscv32 -machine virt -bios none -kernel $IMAGE -global virtio-mmio.force-legacy=false \
        -drive "file=$disk,if=none,format=raw,id=hd0" -device virtio-blk-device,drive=hd0 > "$tmp/5.out" 2>&1 &&
        tr -d '\r' < "$tmp/5.out" | sed -n '/^include ttester.fs/,$p' > "$tmp/5.txt" &&
        why=$(fp_verdict) && [ -z "$why" ]
    st=$?
    [ $st = 0 ] || printf 'check: %s\n' "${why:-the driver failed}" >> "$tmp/5.out"
    report 5 $st "the suite's 8 floating-point programs, soft-float: 0 errors; paranoia: $(grep -E '^(FAILUREs|SERIOUS DEFECTs|DEFECTs|FLAWs) ' "$tmp/5.txt" 2>/dev/null | tr -s ' ' | tr '\n' ';')"
fi

[ $fails -eq 0 ] && echo PASS
exit $fails
