#!/usr/bin/env bash
# busybox-static.sh [arm64] [riscv64] - Debian's statically linked busybox for the initramfs
# that the CPU hotplug benchmark boots Debian's Linux kernel with (tests/qemu/bench_hotplug.py):
# ${PCPURT_CACHE:-/var/cache/pcpurt}/busybox/<arch>/busybox, with its version beside it.
#
#   arm64    busybox-static of Debian 12 bookworm (the suite of the arm64 kernel)
#   riscv64  busybox-static of Debian 13 trixie (the suite of the riscv64 kernel)
#
# scripts/lib/deb-fetch.sh does the fetching (apt-get update / apt-get download with a private
# apt state under <arch>/apt for the foreign architecture, the host's apt setup untouched,
# then dpkg-deb -x). Once the cache holds an arch's busybox, nothing is fetched again (remove
# the folder to fetch the suite's newest). Idempotent; serialized by a lock in the cache.
set -euo pipefail

cache=${PCPURT_CACHE:-/var/cache/pcpurt}/busybox
# shellcheck source=scripts/lib/deb-fetch.sh
. "$(dirname "$0")"/lib/deb-fetch.sh

die() {
	echo "busybox-static: $*" >&2
	exit 1
}

suite_of() {
	case $1 in
	arm64) echo bookworm ;;
	riscv64) echo trixie ;;
	*) die "unknown architecture '$1' (arm64 or riscv64)" ;;
	esac
}

# elf_machine FILE: the ELF e_machine of FILE as hex (b7: aarch64, f3: riscv)
elf_machine() {
	dd if="$1" bs=1 skip=18 count=1 2>/dev/null | od -An -tx1 | tr -d ' \n'
}

is_busybox() {
	local want
	case $1 in
	arm64) want=b7 ;;
	riscv64) want=f3 ;;
	esac
	[ -s "$2" ] && [ "$(head -c 4 "$2" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ] &&
		[ "$(elf_machine "$2")" = "$want" ]
}

# fetch ARCH: fills $cache/ARCH/ (busybox, version) from the Debian archive
fetch() {
	local arch=$1 suite dir ver tmp deb bin
	suite=$(suite_of "$arch")
	dir=$cache/$arch
	deb_who="busybox-static: $arch"
	echo "busybox-static: $arch: apt-get update ($suite, $arch)"
	deb_apt_init "$dir"/apt "$arch" "$suite"
	ver=$(deb_version busybox-static)
	tmp=$(mktemp -d "$dir/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "busybox-static: $arch: apt-get download busybox-static ($ver)"
	deb=$(deb_download busybox-static "$tmp")
	deb_unpack "$deb" "$tmp"/root
	# bookworm ships /bin/busybox; trixie, merged /usr, /usr/bin/busybox
	bin=$tmp/root/bin/busybox
	[ -e "$bin" ] || bin=$tmp/root/usr/bin/busybox
	is_busybox "$arch" "$bin" || die "$arch: busybox-static holds no $arch busybox"
	echo "Package: busybox-static Version: $ver Suite: $suite" >"$tmp"/version
	mv "$bin" "$dir"/busybox
	mv "$tmp"/version "$dir"/version
	rm -rf "$tmp"
	trap - EXIT
}

arches=("$@")
[ ${#arches[@]} -gt 0 ] || arches=(arm64 riscv64)
mkdir -p "$cache" 2>/dev/null || die "cannot create $cache (set PCPURT_CACHE, or run as root)"
deb_lock "$cache"/.lock
for arch in "${arches[@]}"; do
	suite_of "$arch" >/dev/null
	dir=$cache/$arch
	if ! { is_busybox "$arch" "$dir"/busybox && [ -s "$dir"/version ]; }; then
		mkdir -p "$dir"
		fetch "$arch"
	fi
	echo "busybox-static: $arch: $(cat "$dir"/version) -> $dir/busybox"
done
