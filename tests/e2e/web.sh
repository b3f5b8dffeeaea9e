#!/usr/bin/env bash
# End to end in a real browser: build the page (make web: clio.wasm, the
# JavaScript host, xterm.js and puppeteer-core from npm ci), serve build/web
# on 127.0.0.1 with Python's http.server (as make web-serve does) and drive
# it in headless Chromium (Debian's chromium) with puppeteer-core:
# tests/e2e/web_check.js lists the checks and prints the figures (.wasm
# size, time to the prompt, CPU while idle).  Chromium missing is installed
# (apt-get, as make deps does); only when that is impossible is the step
# skipped, saying so.
set -u
BUILD=${BUILD:-build}
cd "$(dirname "$0")/../.."

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
    echo "web: chromium missing: installing it (apt-get install chromium)"
    { $SUDO apt-get update && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y \
          --no-install-recommends chromium; } > "${TMPDIR:-/tmp}/clio-web-apt.log" 2>&1
    chromium=$(command -v chromium || true)
    if [ -z "$chromium" ]; then
        echo "SKIP web: chromium cannot be installed here (see ${TMPDIR:-/tmp}/clio-web-apt.log);"
        echo "          the page was not tested in a browser"
        exit 0
    fi
fi
for t in node npm python3; do
    command -v $t >/dev/null || { echo "FAIL: $t not installed (make deps)"; exit 1; }
done
MAKEFLAGS= make -s BUILD="$BUILD" web >/dev/null || { echo "FAIL: make web"; exit 1; }

log=$(mktemp "${TMPDIR:-/tmp}/clio-web-http.XXXXXX")
portfile=$(mktemp "${TMPDIR:-/tmp}/clio-web-port.XXXXXX")
# the static server on a free port (it writes the port, then serves)
python3 - "$BUILD/web" "$portfile" > "$log" 2>&1 <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log" "$portfile"' EXIT
for _ in $(seq 100); do [ -s "$portfile" ] && break; sleep 0.1; done
[ -s "$portfile" ] || { echo "FAIL: the static server did not start"; cat "$log"; exit 1; }

NODE_PATH="$BUILD/npm/node_modules" timeout -k 5 240 \
    node tests/e2e/web_check.js "http://127.0.0.1:$(cat "$portfile")/" "$BUILD/web/clio.wasm" "$chromium"
