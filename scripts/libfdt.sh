#!/usr/bin/env bash
# libfdt.sh DEST SOURCE.c... - extract from Debian's linux-source-6.1 tarball into DEST
# (git-ignored), once, only what the runtime builds: the named libfdt sources and the four
# headers they need (a few dozen KiB out of 139 MB). Does nothing when all are there.
set -euo pipefail
if [ $# -lt 2 ]; then
	echo "usage: libfdt.sh DEST SOURCE.c... (the Makefile passes its FDT_SRCS)" >&2
	exit 2
fi
dest=$1
shift
files=(fdt.h libfdt.h libfdt_env.h libfdt_internal.h "$@")
missing=0
for f in "${files[@]}"; do [ -f "$dest/$f" ] || missing=1; done
[ "$missing" = 0 ] && exit 0
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
	"$(dirname "$0")/deps.sh"
	tarball=/usr/src/linux-source-6.1.tar.xz
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "  LIBFDT  extracting ${files[*]} from $tarball"
src=linux-source-6.1/scripts/dtc/libfdt
tar -xJf "$tarball" -C "$tmp" "${files[@]/#/$src/}"
mkdir -p "$dest"
for f in "${files[@]}"; do cp "$tmp/$src/$f" "$dest/"; done
