#!/usr/bin/env bash
# libfdt.sh DEST - extract libfdt's sources from Debian's linux-source-6.1 tarball into DEST
# (git-ignored), once. Only libfdt/ is extracted: a few hundred KiB out of 139 MB.
set -euo pipefail
dest=${1:-third_party/libfdt}
[ -f "$dest/libfdt.h" ] && exit 0
tarball=$(ls /usr/src/linux-source-6.1.tar.xz 2>/dev/null || true)
if [ -z "$tarball" ]; then
	"$(dirname "$0")/deps.sh"
	tarball=/usr/src/linux-source-6.1.tar.xz
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "  LIBFDT  extracting scripts/dtc/libfdt from $tarball"
tar -xJf "$tarball" -C "$tmp" --wildcards 'linux-source-6.1/scripts/dtc/libfdt/*'
mkdir -p "$dest"
cp "$tmp"/linux-source-6.1/scripts/dtc/libfdt/*.[ch] "$dest"/
