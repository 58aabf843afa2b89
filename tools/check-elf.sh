#!/usr/bin/env bash
# check-elf.sh ELF - the link is something head.S can start: only RELATIVE dynamic
# relocations (the entry code applies no other kind) and no undefined symbols.
set -euo pipefail
elf=$1
bad=$(llvm-readelf -r "$elf" | awk '/R_[A-Z0-9_]+/ && $3 !~ /RELATIVE$/ {print $3}' | sort -u)
if [ -n "$bad" ]; then
	echo "check-elf: $elf has relocations head.S cannot apply: $bad" >&2
	exit 1
fi
undef=$(llvm-nm -u "$elf" | grep -v ' w ' || true)
if [ -n "$undef" ]; then
	echo "check-elf: $elf has undefined symbols: $undef" >&2
	exit 1
fi
