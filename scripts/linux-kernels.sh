#!/usr/bin/env bash
# linux-kernels.sh [arm64] [riscv64] - Debian's own Linux kernels for the Linux-parity stage
# (tests/qemu/linux_parity.py): build/linux/<arch>/Image and build/linux/<arch>/version.
#
#   arm64    the kernel of Debian 12 bookworm's linux-image-arm64 (Linux 6.1)
#   riscv64  the kernel of Debian 13 trixie's linux-image-riscv64 (Linux 6.12; riscv64 is an
#            official architecture from Debian 13 on)
#
# Debian's ordinary tools do the work (scripts/lib/deb-fetch.sh): apt-get update / apt-cache /
# apt-get download with a private sources list and state directory for the foreign
# architecture (the host's own apt setup is not touched), then dpkg-deb -x; the package's
# kernel is made a bare Image (arm64's /boot/vmlinuz-* is gunzipped; riscv64's
# /boot/vmlinux-* already is one). The
# result is cached machine-wide under ${PCPURT_CACHE:-/var/cache/pcpurt}/linux/<arch>/
# (Image, version, apt/) and linked into build/linux/<arch>/: once the cache holds an
# arch's Image, nothing is fetched again on this machine (remove that folder to fetch the
# suite's newest kernel). Idempotent; runs of several checkouts at once are serialized by
# a lock in the cache.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${PCPURT_CACHE:-/var/cache/pcpurt}/linux
out=$root/build/linux
# shellcheck source=scripts/lib/deb-fetch.sh
. "$root"/scripts/lib/deb-fetch.sh

die() {
	echo "linux-kernels: $*" >&2
	exit 1
}

# suite and kernel metapackage of each architecture
suite_of() {
	case $1 in
	arm64) echo "bookworm linux-image-arm64" ;;
	riscv64) echo "trixie linux-image-riscv64" ;;
	*) die "unknown architecture '$1' (arm64 or riscv64)" ;;
	esac
}

# fetch ARCH: fills $cache/ARCH/ (Image, version) from the Debian archive
fetch() {
	local arch=$1 suite meta dir pkg ver tmp deb vmlinuz
	read -r suite meta <<<"$(suite_of "$arch")"
	dir=$cache/$arch
	deb_who="linux-kernels: $arch"
	echo "linux-kernels: $arch: apt-get update ($suite, $arch)"
	deb_apt_init "$dir"/apt "$arch" "$suite"
	# the metapackage depends on the versioned kernel package (linux-image-6.1.0-N-arm64)
	pkg=$(apt-cache "${deb_apt[@]}" depends "$meta" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-[0-9]/ { print $2; exit }')
	[ -n "$pkg" ] || die "$arch: $meta in $suite names no linux-image-<version> package"
	ver=$(deb_version "$pkg")
	tmp=$(mktemp -d "$dir/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "linux-kernels: $arch: apt-get download $pkg ($ver)"
	deb=$(deb_download "$pkg" "$tmp")
	deb_unpack "$deb" "$tmp"/root
	# arm64: a gzip-compressed vmlinuz; riscv64: an uncompressed Image named vmlinux
	vmlinuz=$(find "$tmp"/root/boot -name 'vmlinu[xz]-*' | head -1)
	[ -n "$vmlinuz" ] || die "$arch: $pkg holds no /boot/vmlinuz-* or /boot/vmlinux-*"
	if [ "$(head -c 2 "$vmlinuz" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
		gzip -dc "$vmlinuz" >"$tmp"/Image
	else
		cp "$vmlinuz" "$tmp"/Image
	fi
	check_image "$arch" "$tmp"/Image || die "$arch: $vmlinuz is not a bare $arch Image"
	echo "Package: $pkg Version: $ver" >"$tmp"/version
	mv "$tmp"/Image "$dir"/Image
	mv "$tmp"/version "$dir"/version
	rm -rf "$tmp"
	trap - EXIT
}

# check_image ARCH FILE: FILE has the Linux Image header's magic ("ARM\x64" or "RSC\x05")
check_image() {
	local magic
	magic=$(dd if="$2" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' \n')
	case $1 in
	arm64) [ "$magic" = 41524d64 ] ;;
	riscv64) [ "$magic" = 52534305 ] ;;
	esac
}

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 riscv64)
mkdir -p "$cache" 2>/dev/null || die "cannot create $cache (set PCPURT_CACHE, or run as root)"
deb_lock "$cache"/.lock
for arch in "${arches[@]}"; do
	suite_of "$arch" >/dev/null
	dir=$cache/$arch
	if [ -s "$dir"/Image ] && [ -s "$dir"/version ] && check_image "$arch" "$dir"/Image; then
		:
	else
		mkdir -p "$dir"
		fetch "$arch"
	fi
	mkdir -p "$out/$arch"
	ln -sfn "$dir"/Image "$out/$arch"/Image
	cp "$dir"/version "$out/$arch"/version
	echo "linux-kernels: $arch: $(cat "$dir"/version) -> build/linux/$arch/Image"
done
