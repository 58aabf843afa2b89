#!/usr/bin/env bash
# deps.sh [--check] - install the Debian 12 packages pcpurt needs that are missing.
# Idempotent: installs nothing when all are present. --check only reports (exit 1 if any
# is missing). Needs root (or sudo) to install.
set -euo pipefail
pkgs=(
	make clang lld llvm               # compiler, linker, objcopy/objdump/nm
	libclang-rt-14-dev                # sanitizer and libFuzzer runtimes for host tests
	qemu-system-arm qemu-system-misc  # qemu-system-aarch64, qemu-system-riscv64
	opensbi u-boot-qemu u-boot-tools  # RISC-V firmware, U-Boot for QEMU, mkimage
	device-tree-compiler libfdt-dev   # dtc, host libfdt
	linux-source-6.1                  # libfdt sources for the target builds
	python3 git xz-utils              # test runner, version string, tarball
	python3-libfdt                    # libfdt for the test runner (corrupt trees)
	gdb-multiarch                     # make debug
	apt dpkg debian-archive-keyring   # scripts/lib/deb-fetch.sh, its three callers (apt-get
	gzip util-linux                   # download, dpkg-deb), gunzip, flock
	mtools dosfstools fdisk           # make sdimage: mcopy, mkfs.vfat, sfdisk
	debootstrap                       # the current QEMU stack (scripts/stack-current.sh)
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${1:-}" = "--check" ]; then
	echo "missing: ${missing[*]}"
	exit 1
fi
echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
