#!/usr/bin/env bash
# percpu-disasm.sh - disassemble the this_cpu_* probe functions of both builds, with the
# instruction count of each (the numbers docs/percpu.md quotes). Run after `make` for
# both arches.
set -euo pipefail
for arch in arm64 riscv64; do
	elf=build/$arch-qemu-virt/pcpurt.elf
	[ -f "$elf" ] || { echo "$elf missing: make ARCH=$arch" >&2; exit 1; }
	mattr=""
	[ "$arch" = arm64 ] && mattr=--mattr=+lse
	dis=$(llvm-objdump -d --no-show-raw-insn $mattr "$elf")
	for fn in probe_this_cpu_inc probe_this_cpu_inc_byte probe_this_cpu_read; do
		body=$(printf '%s\n' "$dis" |
		       awk -v f="<$fn>:" '/^[0-9a-f]+ </ { if ($2 == f) { on = 1; next }
				if ($2 !~ /^<(\.L|\$)/) on = 0; next } on && NF { print }')
		n=$(printf "%s\n" "$body" | grep -c . || true)
		echo "== $arch $fn: $n instructions (including ret)"
		printf '%s\n' "$body" | sed 's/^ *[0-9a-f]*: *//'
	done
done
