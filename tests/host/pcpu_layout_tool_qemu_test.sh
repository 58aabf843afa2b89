#!/usr/bin/env bash
# pcpu_layout_tool_qemu_test.sh - tools/pcpu-layout on trees QEMU makes (-M virt,dumpdtb=)
# in several CPU and NUMA shapes. Skipped, with a note, without qemu-system-* or with
# PCPURT_NO_QEMU=1.
# What the parts share: pcpu_layout_tool_lib.sh.
. "$(dirname "$0")/pcpu_layout_tool_lib.sh"

# ---- trees QEMU generates ---------------------------------------------------------------
# qemu_dtb ARCH FILE SMP MEM_MB NODES DISTS [MACHINE-OPTS]: NODES "-" or one cpus= list per
# node ("0-1;2-3", a node's cpus separated by "+": "0+2;1+3"); DISTS "-" or "s:d:v,...".
qemu_dtb() {
	local arch=$1 file=$2 smp=$3 mem=$4 nodes=$5 dists=$6 mopts=${7:-} qemu
	local args=() i=0 n r c t s d v
	case $arch in
	arm64) qemu=qemu-system-aarch64; args+=(-cpu cortex-a72) ;;
	riscv64) qemu=qemu-system-riscv64 ;;
	esac
	command -v "$qemu" >/dev/null 2>&1 || return 2
	if [ "$nodes" != - ]; then
		n=$(tr ';' '\n' <<<"$nodes" | wc -l)
		for r in ${nodes//;/ }; do
			c=
			for t in ${r//+/ }; do c+=",cpus=$t"; done
			args+=(-object "memory-backend-ram,id=m$i,size=$((mem / n))M"
			       -numa "node,nodeid=$i$c,memdev=m$i")
			i=$((i + 1))
		done
	fi
	if [ "$dists" != - ]; then
		for t in ${dists//,/ }; do
			IFS=: read -r s d v <<<"$t"
			args+=(-numa "dist,src=$s,dst=$d,val=$v")
		done
	fi
	rm -f "$file"
	"$qemu" -M "virt$mopts,dumpdtb=$file" -smp "$smp" -m "${mem}M" -nographic -nic none \
		"${args[@]}" >"$file.log" 2>&1 && [ -s "$file" ]
}

# qcase NAME ARCH SMP MEM NODES DISTS MOPTS WANT TOOL-ARGS...
qcase() {
	local name=$1 arch=$2 file=$work/qemu-$1.dtb rc
	qemu_dtb "$arch" "$file" "$3" "$4" "$5" "$6" "$7"
	rc=$?
	if [ "$rc" = 2 ]; then
		notes+=("$name skipped: no qemu for $arch")
		return
	elif [ "$rc" != 0 ]; then
		echo "FAIL $name: QEMU could not dump the tree"
		sed 's/^/    /' "$file.log"
		fail=$((fail + 1))
		return
	fi
	local want=$8
	shift 8
	expect "$name" "$want" "$@" "$file"
}

if [ "${PCPURT_NO_QEMU:-0}" = 1 ]; then
	notes+=("QEMU trees skipped (PCPURT_NO_QEMU=1)")
else
	# REFERENCE.md's two nodes: CPUs 0-1 node 0, 2-3 node 1, distance 20: 2 groups
	for arch in arm64 riscv64; do
		qcase "$arch-numa2" "$arch" 4 2048 "0-1;2-3" 0:1:20 "" "$H200
pcpu-alloc: [0] 0 [0] 1 [1] 2 [1] 3 " --static 200
	done
	# riscv, boot hart 2 (node 1): CPU 0 = hart 2, 1 = hart 0, 2 = hart 1, 3 = hart 3
	qcase riscv64-numa2-boot2 riscv64 4 2048 "0-1;2-3" 0:1:20 "" "$H200
pcpu-alloc: [0] 0 [0] 3 [1] 1 [1] 2 " --static 200 --boot-hwid 2
	# nodes interleaved (0 and 2 on node 0): groups take CPUs in id order, not by node
	qcase arm64-interleaved arm64 4 2048 "0+2;1+3" 0:1:20 "" "$H200
pcpu-alloc: [0] 0 [0] 2 [1] 1 [1] 3 " --static 200
	# four nodes of 2, distances all different: 4 groups, 8 allocations on one line
	d4="0:1:15,0:2:20,0:3:25,1:2:30,1:3:35,2:3:40"
	qcase arm64-numa4 arm64 8 2048 "0-1;2-3;4-5;6-7" "$d4" "" "$H200
pcpu-alloc: [0] 0 [0] 1 [1] 2 [1] 3 [2] 4 [2] 5 [3] 6 [3] 7 " --static 200
	qcase arm64-numa4a arm64 8 1024 "0-3;4;5-6;7" "$d4a" "" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 [1] 4 [2] 5 [2] 6 [3] 7 " --static 200
	# same, atom 2M: upa 4 wastes 0+3+2+3 = 8 > 8/3; upa 2 wastes 2 <= 2 in 5 allocations,
	# upa 1 needs 8: upa 2, u 1048576; width 2 * 2 + 4 = 8: 4 allocations per line
	qcase arm64-numa4a-2M arm64 8 1024 "0-3;4;5-6;7" "$d4a" "" \
'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u1048576
pcpu-alloc: s200 r8192 d32568 u1048576 alloc=1*2097152
pcpu-alloc: [0] 0 1 [0] 2 3 [1] 4 - [2] 5 6 
pcpu-alloc: [3] 7 - ' --static 200 --atom 2M
	# 64 CPUs on 2 nodes: groups of 32, 8 per line
	want=$H200
	for line in $(seq 0 7); do
		want+=$'\n'"pcpu-alloc: "
		for a in $(seq 0 7); do
			c=$((line * 8 + a))
			want+=$(printf '[%d] %02d ' $((c / 32)) "$c")
		done
	done
	qcase arm64-numa2-64 arm64 64 1024 "0-31;32-63" 0:1:30 ",gic-version=3" "$want" \
		--static 200
	# same, atom 2M: upa 32 fills both groups in 2 allocations (16 would need 4): u 65536
	want='percpu: Embedded 10 pages/cpu s200 r8192 d32568 u65536
pcpu-alloc: s200 r8192 d32568 u65536 alloc=1*2097152'
	for g in 0 1; do
		want+=$'\n'"pcpu-alloc: [$g] "
		for c in $(seq $((g * 32)) $((g * 32 + 31))); do want+=$(printf '%02d ' "$c"); done
	done
	qcase arm64-numa2-64-2M arm64 64 1024 "0-31;32-63" 0:1:30 ",gic-version=3" "$want" \
		--static 200 --atom 2M
fi

finish
