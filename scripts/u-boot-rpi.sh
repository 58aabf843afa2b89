#!/usr/bin/env bash
# u-boot-rpi.sh [--check] [SUITE] - fetch Debian's u-boot-rpi (an arm64 package: U-Boot for
# the Raspberry Pi, builds rpi_3, rpi_4 and rpi_arm64) and unpack it, without installing it,
# into ${PCPURT_CACHE:-/var/cache/pcpurt}/u-boot-rpi/SUITE/root (SUITE: trixie, the default,
# U-Boot 2025.01; or bookworm, 2023.01). Prints the rpi_arm64 u-boot.bin path.
#
# Idempotent: when root/ holds the rpi_arm64 build it only prints the path. apt-get runs as
# the ordinary client with its own state under SUITE/apt (scripts/lib/deb-fetch.sh: the arm64
# index of one suite; the machine's own apt configuration and dpkg database are not touched;
# apt's output goes to SUITE/apt/update.log and download.log); the .deb is kept in SUITE/debs.
# --check: exit 1 (with a message) when the unpacked build is missing.
set -euo pipefail

check=0
if [ "${1:-}" = "--check" ]; then
	check=1
	shift
fi
suite=${1:-trixie}
case "$suite" in
bookworm | trixie) ;;
*)
	echo "u-boot-rpi: unknown suite '$suite' (bookworm or trixie)" >&2
	exit 2
	;;
esac
cache=${PCPURT_CACHE:-/var/cache/pcpurt}
dir=$cache/u-boot-rpi/$suite
# shellcheck source=scripts/lib/deb-fetch.sh
. "$(dirname "$0")"/lib/deb-fetch.sh
deb_who=u-boot-rpi
bin=$dir/root/usr/lib/u-boot/rpi_arm64/u-boot.bin

if [ -s "$bin" ]; then
	echo "$bin"
	exit 0
fi
if [ $check -eq 1 ]; then
	echo "u-boot-rpi: $bin missing (run scripts/u-boot-rpi.sh $suite)" >&2
	exit 1
fi

mkdir -p "$dir/debs"
deb_lock "$dir.lock"
if [ -s "$bin" ]; then # another run made it while we waited
	echo "$bin"
	exit 0
fi
echo "u-boot-rpi: fetching u-boot-rpi ($suite, arm64) into $dir" >&2
deb_apt_init "$dir/apt" arm64 "$suite"
deb=$(deb_download u-boot-rpi "$dir/debs")
deb_unpack "$deb" "$dir/root.new"
[ -s "$dir/root.new/usr/lib/u-boot/rpi_arm64/u-boot.bin" ] || {
	echo "u-boot-rpi: $deb has no rpi_arm64/u-boot.bin" >&2
	exit 1
}
rm -rf "$dir/root"
mv "$dir/root.new" "$dir/root"
echo "$bin"
