#!/bin/sh
# Install every Debian package clio needs.  Idempotent: does nothing when all
# of them are present already.  Needs root (uses sudo when not root).
set -e
PKGS="make gcc libc6-dev pkg-config libreadline-dev libncurses-dev libsdl2-dev \
libcmocka-dev gcc-riscv64-unknown-elf qemu-system-misc opensbi valgrind python3 \
clang libclang-rt-14-dev gforth pforth xvfb console-setup-linux"
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && { echo "deps: all installed"; exit 0; }
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "deps: installing$missing"
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends $missing
