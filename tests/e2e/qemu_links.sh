#!/usr/bin/env bash
# End to end: a Linux node and the QEMU mux image linked over QEMU's TCP
# serial line (steps in tests/e2e/qemu_links.py).
set -u
BUILD=${BUILD:-build}
command -v qemu-system-riscv64 >/dev/null || { echo "FAIL: qemu-system-riscv64 not installed (make deps)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-qlinks.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
BUILD=$BUILD timeout 150 python3 "$(dirname "$0")/qemu_links.py" "$tmp" || { sed 's/^/  qemu| /' "$tmp/qemu.log" | tail -5; exit 1; }
