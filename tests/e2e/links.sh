#!/usr/bin/env bash
# End to end: clio nodes linked over TCP serial lines (docs/links.md):
# three nodes in a line, a node killed and stopped mid-call, a hostile peer.
# The steps are in tests/e2e/links.py.
set -u
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-links.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
BUILD=$BUILD timeout 120 python3 "$(dirname "$0")/links.py" "$tmp"
