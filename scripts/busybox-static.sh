#!/usr/bin/env bash
# busybox-static.sh [arm64] [riscv64] - Debian's statically linked busybox for the initramfs
# that the CPU hotplug benchmark boots Debian's Linux kernel with (tests/qemu/bench_hotplug.py):
# ${PCPURT_CACHE:-/var/cache/pcpurt}/busybox/<arch>/busybox, with its version beside it.
#
#   arm64    busybox-static of Debian 12 bookworm (the suite of the arm64 kernel)
#   riscv64  busybox-static of Debian 13 trixie (the suite of the riscv64 kernel)
#
# As scripts/linux-kernels.sh does: apt-get update / apt-get download with a private sources
# list and state directory for the foreign architecture (the host's apt setup is untouched),
# then dpkg-deb -x. Once the cache holds an arch's busybox, nothing is fetched again (remove
# the folder to fetch the suite's newest). Idempotent; serialized by a lock in the cache.
set -euo pipefail

cache=${PCPURT_CACHE:-/var/cache/pcpurt}/busybox
archive=http://deb.debian.org/debian
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

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
	local arch=$1 suite dir apt ver tmp bin
	suite=$(suite_of "$arch")
	dir=$cache/$arch
	apt=$dir/apt
	[ -r "$keyring" ] || die "$keyring missing: run scripts/deps.sh (debian-archive-keyring)"
	mkdir -p "$apt"/etc/apt.conf.d "$apt"/etc/preferences.d "$apt"/etc/sources.list.d \
		"$apt"/lists/partial "$apt"/cache "$apt"/archives/partial
	touch "$apt"/status
	echo "deb [signed-by=$keyring] $archive $suite main" >"$apt"/etc/sources.list
	local opts=(-o Dir::Etc="$apt"/etc -o Dir::State="$apt" -o Dir::State::status="$apt"/status
		-o Dir::State::Lists="$apt"/lists -o Dir::Cache="$apt"/cache
		-o Dir::Cache::Archives="$apt"/archives -o APT::Architecture="$arch"
		-o APT::Architectures="$arch" -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
	echo "busybox-static: $arch: apt-get update ($suite, $arch)"
	apt-get "${opts[@]}" update >"$apt"/update.log 2>&1 ||
		die "$arch: apt-get update failed, see $apt/update.log"
	ver=$(apt-cache "${opts[@]}" show --no-all-versions busybox-static |
		awk '$1 == "Version:" { print $2; exit }')
	[ -n "$ver" ] || die "$arch: $suite has no busybox-static"
	tmp=$(mktemp -d "$dir/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	echo "busybox-static: $arch: apt-get download busybox-static ($ver)"
	(cd "$tmp" && apt-get "${opts[@]}" download busybox-static >"$apt"/download.log 2>&1) ||
		die "$arch: apt-get download busybox-static failed, see $apt/download.log"
	dpkg-deb -x "$tmp"/*.deb "$tmp"/root
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
exec 9>"$cache"/.lock
flock 9
for arch in "${arches[@]}"; do
	suite_of "$arch" >/dev/null
	dir=$cache/$arch
	if ! { is_busybox "$arch" "$dir"/busybox && [ -s "$dir"/version ]; }; then
		mkdir -p "$dir"
		fetch "$arch"
	fi
	echo "busybox-static: $arch: $(cat "$dir"/version) -> $dir/busybox"
done
