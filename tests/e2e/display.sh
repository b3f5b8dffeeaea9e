#!/usr/bin/env bash
# End to end: clio --display headless.
#   1. a drawing script (tests/e2e/display_draw.fs) renders to a PPM whose
#      sha256 is the one checked by eye once (the image was converted to PNG
#      and looked at); a refused chunk gives an error and drawing goes on;
#   2. keys sent to sermux port 2 reach the graphical Forth shell: the
#      framebuffer, read back as text with the built-in font, shows the
#      banner, the prompt, the typed line and the answer on the next line,
#      typed-ahead lines each on its own line, edits and history, words
#      wrapped at spaces, letters with descenders, Tab completion, WORDS
#      whole, Ctrl-C;
#   3. examples/demo.fs runs its animation and ends by itself;
#   4. the same in an SDL2 window under Xvfb (skipped without xvfb-run or
#      when no X server starts; no screenshot: no xwd/import in CI).
set -u
BUILD=${BUILD:-build}
CLIO=${CLIO:-$BUILD/clio}
T=$BUILD/clio-term
EXPECT=be2998cbb00fc2b0998d60db193825dfbeac82f9f99bcbdf158478eadc072c92
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-display.XXXXXX")
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1
"$CLIO" --display "headless:$tmp/draw.ppm" tests/e2e/display_draw.fs > "$tmp/1.out" 2>&1 ||
    fail "drawing script: $(cat "$tmp/1.out")"
grep -q '^refused: -541' "$tmp/1.out" || fail "out-of-bounds chunk not refused: $(cat "$tmp/1.out")"
grep -q '^240 400' "$tmp/1.out" || fail "display-size: $(cat "$tmp/1.out")"
sum=$(sha256sum "$tmp/draw.ppm" | cut -d' ' -f1)
[ "$sum" = "$EXPECT" ] || fail "rendered image checksum $sum, expected $EXPECT"
echo "1. headless drawing: checksum ok"

# 2
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$CLIO" --serial "tcp:127.0.0.1:$port" --display "headless:$tmp/shell.ppm" < /dev/null > "$tmp/clio.log" 2>&1 & pid=$!
for _ in $(seq 50); do grep -q sermux "$tmp/clio.log" && break; sleep 0.1; done
keys() { printf "$1" | "$T" "127.0.0.1:$port" --port 2 --timeout 500 > /dev/null || fail "clio-term port 2"; }
# screen REGEX...: wait until the screen read back has lines matching each
screen() {
    for _ in $(seq 40); do
        sleep 0.1
        python3 tests/e2e/display_ocr.py "$tmp/shell.ppm" > "$tmp/screen.txt" 2>/dev/null || continue
        local all=1
        for rx in "$@"; do grep -Eq -- "$rx" "$tmp/screen.txt" || all=0; done
        [ $all -eq 1 ] && return 0
    done
    fail "graphical shell screen, want $*: $(cat "$tmp/screen.txt")"
}
keys '2 3 + .\r'
screen '^clio graphical shell -- help for help' '^> 2 3 \+ \.$' '^5  ok$' '^> #$'
# typed ahead: each line on its own line, answers after
keys '1 .\r2 .\r'
screen '^> 1 \.$' '^> 2 \.$' '^1  ok$' '^2  ok$'
# the line editor: Left, Backspace, Home, history
keys '7 8 x .\x1b[D\x1b[D\x7f+\r'
screen '^> 7 8 \+ \.$' '^15  ok$'
keys '\x1b[A\x1b[H9 \r'
screen '^> 9 7 8 \+ \.$' '^15  ok$'
# words wrap at spaces: no word is cut at the right edge
keys ': ww 30 0 do ." alpha beta " loop ; ww\r'
screen 'alpha beta alpha'
awk '/alpha|beta/ && !/^>/ { n++; if ($0 !~ /^ *((alpha|beta) *)+( ok)? *$/) { print "cut: " $0; bad = 1 } }
     END { exit !(n >= 3 && !bad) }' "$tmp/screen.txt" ||
    fail "word wrap: $(cat "$tmp/screen.txt")"
# the font has descenders: the letters come back as themselves
keys '.( gjpqy ~ Qg@) cr\r'
screen '^gjpqy ~ Qg@$'
# Tab completes from the shell's words: one whole, several listed
keys ': my-tab-one 1 ; : my-tab-two 2 ;\r'
keys 'my-tab-o\t.\r'
screen '^> my-tab-one \.$' '^1  ok$'
keys 'my-t\t\t'
screen '^my-tab-two my-tab-one *$' '^> my-tab-#$'
keys '\x15'
# a listing longer than the shell's ring comes whole: WORDS' last word
keys 'words\r'
screen '(^| )EXIT$'
# Ctrl-C interrupts the shell's running word; the shell goes on
keys ': spin begin again ; spin\r'
sleep 0.3
keys '\x03'
screen '^user interrupt: spin$'
keys '4 .\r'
screen '^4  ok$'
kill "$pid"; wait "$pid" 2>/dev/null; pid=
echo "2. the graphical shell over port 2: prompt, answer on the next line, typed-ahead lines, editing and history, word wrap, Ctrl-C"

# 3
timeout 60 "$CLIO" --display "headless:$tmp/demo.ppm" examples/demo.fs > "$tmp/3.out" 2>&1 ||
    fail "demo: $(cat "$tmp/3.out")"
grep -q 'frames' "$tmp/3.out" || fail "demo output: $(cat "$tmp/3.out")"
echo "3. demo: $(tail -1 "$tmp/3.out")"
# 4
if command -v xvfb-run > /dev/null; then
    if timeout 60 xvfb-run -a "$CLIO" --display sdl:1 examples/demo.fs > "$tmp/4.out" 2>&1; then
        grep -q '150 frames' "$tmp/4.out" || fail "SDL demo: $(cat "$tmp/4.out")"
        echo "4. SDL window under Xvfb: $(tail -1 "$tmp/4.out")"
    elif grep -q 'SDL' "$tmp/4.out"; then
        echo "4. SKIP: no usable X server: $(head -1 "$tmp/4.out")"
    else
        fail "SDL demo under Xvfb: $(cat "$tmp/4.out")"
    fi
else
    echo "4. SKIP: no xvfb-run"
fi
echo PASS
