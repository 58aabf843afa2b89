#!/usr/bin/env bash
# stack-current.sh - make the "current" QEMU stack: Debian 13 (trixie) with QEMU 10, OpenSBI 1.6
# and U-Boot 2025.01 (u-boot-qemu), debootstrapped into ${PCPURT_CACHE:-/var/cache/pcpurt}/trixie.
#
# Idempotent: when the tree holds every package below, it does nothing and exits 0. Debian
# packages only (debootstrap from deb.debian.org, then apt-get in a chroot). Needs root to build
# the tree; running it needs nothing: the binaries start through the tree's own dynamic loader
# (tests/qemu/qemu.py, Stack("current")), no chroot. A lock file keeps two runs apart.
#
#   scripts/stack-current.sh [--check]    --check: exit 1 when the tree is missing or incomplete
set -euo pipefail

cache=${PCPURT_CACHE:-/var/cache/pcpurt}
tree=$cache/trixie
suite=trixie
mirror=${PCPURT_MIRROR:-http://deb.debian.org/debian}
pkgs=(qemu-system-arm qemu-system-misc opensbi u-boot-qemu)
# files the tests use; a tree missing one of them is rebuilt
files=(
	usr/bin/qemu-system-aarch64 usr/bin/qemu-system-riscv64 lib64/ld-linux-x86-64.so.2
	usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
	usr/lib/u-boot/qemu_arm64/u-boot.bin usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin
)

# complete: every package installed in the tree's dpkg database and every file present
complete() {
	[ -d "$tree/var/lib/dpkg" ] || return 1
	local p f
	for p in "${pkgs[@]}"; do
		dpkg-query --admindir="$tree/var/lib/dpkg" -W -f='${Status}' "$p" 2>/dev/null |
			grep -q 'install ok installed' || return 1
	done
	for f in "${files[@]}"; do
		[ -e "$tree/$f" ] || return 1
	done
}

if [ "${1:-}" = "--check" ]; then
	complete && exit 0
	echo "stack-current: $tree is missing or incomplete (run scripts/stack-current.sh)"
	exit 1
fi
complete && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "stack-current: building $tree needs root (debootstrap, chroot)" >&2
	exit 1
fi
if ! command -v debootstrap >/dev/null; then
	echo "stack-current: no debootstrap (scripts/deps.sh installs it)" >&2
	exit 1
fi
mkdir -p "$cache"
exec 9>"$cache/trixie.lock"
if ! flock -n 9; then
	echo "stack-current: another run holds $cache/trixie.lock; waiting"
	flock 9
fi
complete && exit 0          # the other run made it

log=$cache/stack-install.log
: >"$log"
# debootstrap into a side directory, moved into place only when it finished, so an interrupted
# run leaves no half tree that looks like a base system
if [ ! -x "$tree/usr/bin/apt-get" ]; then
	rm -rf "$tree" "$tree.new"
	echo "stack-current: debootstrap $suite into $tree (a few minutes; log $log)"
	debootstrap --variant=minbase "$suite" "$tree.new" "$mirror" >>"$log" 2>&1 || {
		echo "stack-current: debootstrap failed, see $log" >&2
		exit 1
	}
	mv "$tree.new" "$tree"
fi
echo "deb $mirror $suite main" >"$tree/etc/apt/sources.list"
cp -L /etc/resolv.conf "$tree/etc/resolv.conf" 2>/dev/null || true
echo "stack-current: apt-get install ${pkgs[*]} in $tree"
# no /proc or /dev/pts is mounted in the chroot: apt warns that it cannot write its terminal log
# (posix_openpt) and goes on; nothing here needs a mount, so nothing is left mounted
install="apt-get update -qq && apt-get install -y -qq --no-install-recommends ${pkgs[*]}"
if ! chroot "$tree" /usr/bin/env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
	PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c "$install && apt-get clean" >>"$log" 2>&1; then
	echo "stack-current: apt-get in the chroot failed, see $log" >&2
	exit 1
fi
complete || { echo "stack-current: $tree still incomplete, see $log" >&2; exit 1; }
echo "stack-current: $tree ready"
