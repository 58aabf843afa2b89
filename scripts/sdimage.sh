#!/usr/bin/env bash
# sdimage.sh OUT SIZE_MIB DIR - write OUT, an SD-card image of SIZE_MIB MiB (a power of two,
# at least 64: QEMU's SD card wants a power-of-two size): an MBR with one bootable FAT32
# partition (type 0x0c, from 1 MiB to the end) holding the files and folders of DIR.
#
# No root and no loop device: the partition is made as a file (mkfs.vfat), filled with
# mtools (mcopy), then put behind the partition table (sfdisk). OUT is replaced only when
# everything worked.
set -euo pipefail

if [ $# -ne 3 ]; then
	echo "usage: sdimage.sh OUT SIZE_MIB DIR" >&2
	exit 2
fi
out=$1 size=$2 dir=$3
if ! [[ "$size" =~ ^[0-9]+$ ]] || [ "$size" -lt 64 ] || [ $((size & (size - 1))) -ne 0 ]; then
	echo "sdimage: size $size MiB: must be a power of two, at least 64" >&2
	exit 2
fi
[ -d "$dir" ] || { echo "sdimage: $dir is not a folder" >&2; exit 2; }
for t in mkfs.vfat mcopy sfdisk; do
	command -v "$t" >/dev/null || PATH=$PATH:/usr/sbin:/sbin
	command -v "$t" >/dev/null || { echo "sdimage: no $t (scripts/deps.sh)" >&2; exit 1; }
done

tmp=$(realpath "$(mktemp -d "${out}.XXXXXX")")
trap 'rm -rf "$tmp"' EXIT
part=$tmp/part.img
img=$tmp/sd.img
start_mib=1
truncate -s $(((size - start_mib) * 1024 * 1024)) "$part"
# FAT32 with one 512-byte sector per cluster: 64 MiB has enough clusters for FAT32
mkfs.vfat -F 32 -s 1 -n PCPURT "$part" >/dev/null
# mcopy -s copies folders recursively; -m keeps the files' times
(cd "$dir" && MTOOLS_SKIP_CHECK=1 mcopy -i "$part" -s -m -Q ./* ::/)
truncate -s $((size * 1024 * 1024)) "$img"
dd if="$part" of="$img" bs=1M seek=$start_mib conv=notrunc status=none
printf 'label: dos\nstart=%d, type=c, bootable\n' $((start_mib * 2048)) |
	sfdisk --quiet --no-reread --no-tell-kernel --wipe-partitions never "$img"
mv "$img" "$out"
