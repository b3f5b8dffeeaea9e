#!/bin/sh
# Install every Debian package clio needs, then the npm packages of the web
# page (make web-deps).  Idempotent: does nothing when all of them are
# present already.  Needs root (uses sudo when not root).
set -e
PKGS="make gcc libc6-dev pkg-config libreadline-dev libncurses-dev libsdl2-dev \
libcmocka-dev gcc-riscv64-unknown-elf qemu-system-misc opensbi valgrind python3 \
clang libclang-rt-14-dev gforth pforth xvfb console-setup-linux lld chromium"
# node and npm (the page's npm packages, its browser test): Debian's, unless
# a node of another origin (with its own npm) is installed already
command -v node >/dev/null && command -v npm >/dev/null || PKGS="$PKGS nodejs npm"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "deps: all installed"
else
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    echo "deps: installing$missing"
    $SUDO apt-get update
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
fi
# the npm packages pinned by hosts/web/package-lock.json (npm ci into build/npm)
make -s web-deps
