#!/usr/bin/env bash
# install.sh -- `make install PREFIX=tmp`, then build tests/install/embed.c
# against the installed copy with pkg-config and run it.
# Run from the repository root; BUILD is the build directory (default build).
set -eu
BUILD=${BUILD:-build}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/clio-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

make --no-print-directory BUILD="$BUILD" install PREFIX="$tmp/prefix"
for f in lib/libfvm.a include/fvm.h lib/pkgconfig/fvm.pc; do
    [ -f "$tmp/prefix/$f" ] || { echo "install.sh: $f was not installed" >&2; exit 1; }
done

flags=$(PKG_CONFIG_PATH="$tmp/prefix/lib/pkgconfig" pkg-config --cflags --libs fvm)
echo "pkg-config --cflags --libs fvm: $flags"
# the installed header alone, not the one in forth/
cc -std=c11 -Wall -Wextra -Werror -o "$tmp/embed" tests/install/embed.c $flags
"$tmp/embed"
