#!/usr/bin/env bash
# pcpu_layout_tool_cross_test.sh - the cross-check: the runtime booted under QEMU (arm64,
# and riscv64 when it builds) prints "percpu: Embedded" and "pcpu-alloc:" lines; the tool
# run on the tree of the same machine, with the image's static size and boot CPU, must print
# the same lines. Skipped, with a note, without QEMU or the runtime build, or with
# PCPURT_NO_QEMU=1.
# What the parts share: pcpu_layout_tool_lib.sh.
. "$(dirname "$0")/pcpu_layout_tool_lib.sh"

# ---- the cross-check with the runtime -------------------------------------------------
# build ARCH: the runtime image, built incrementally; 1 when there is none to boot.
declare -A built=()
build() {
	local arch=$1
	[ -n "${built[$arch]:-}" ] && return "${built[$arch]}"
	built[$arch]=0
	if ! (cd "$root" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s ARCH="$arch" \
	      PLATFORM=qemu-virt all) >"$work/make-$arch.log" 2>&1; then
		if [ -f "$root/build/$arch-qemu-virt/Image" ] &&
		   [ -f "$root/build/$arch-qemu-virt/pcpurt.elf" ]; then
			notes+=("cross-check $arch: the build failed; the existing image was used")
		else
			local why="the runtime does not build (see $work/make-$arch.log)"
			notes+=("cross-check $arch skipped: $why")
			built[$arch]=1
		fi
	fi
	return "${built[$arch]}"
}

# cross NAME ARCH SMP QEMU-ARGS...: boot the runtime (run=dt) on that machine, then run the
# tool on the same machine's tree with the image's static size and the boot CPU the
# runtime reports; the "percpu: Embedded" and "pcpu-alloc:" lines must be identical.
cross() {
	local name=$1 arch=$2 smp=$3 qemu elf img log=$work/boot-$1.log dtb=$work/boot-$1.dtb
	local s e static hwid args
	shift 3
	case $arch in
	arm64) qemu=qemu-system-aarch64
	       args=(-M virt -cpu cortex-a72 -nic none -semihosting-config enable=on,target=native) ;;
	riscv64) qemu=qemu-system-riscv64; args=(-M virt -bios default -nic none) ;;
	esac
	[ "$arch" = arm64 ] && [ "$smp" -gt 8 ] && args[1]=virt,gic-version=3
	if ! command -v "$qemu" >/dev/null 2>&1; then
		notes+=("cross-check $name skipped: $qemu is not installed")
		return
	fi
	build "$arch" || return
	elf=$root/build/$arch-qemu-virt/pcpurt.elf
	img=$root/build/$arch-qemu-virt/Image
	if ! command -v llvm-nm >/dev/null 2>&1; then
		notes+=("cross-check $name skipped: llvm-nm missing (static size unknown)")
		return
	fi
	s=$(llvm-nm -P "$elf" | awk '$1 == "__per_cpu_start" { print $3 }')
	e=$(llvm-nm -P "$elf" | awk '$1 == "__per_cpu_end" { print $3 }')
	if [ -z "$s" ] || [ -z "$e" ]; then
		echo "FAIL cross-check $name: no __per_cpu_start/__per_cpu_end in $elf"
		fail=$((fail + 1))
		return
	fi
	static=$((0x$e - 0x$s))
	args+=(-smp "$smp" -nographic -no-reboot "$@")
	timeout 60 "$qemu" "${args[@]}" -kernel "$img" -append run=dt </dev/null >"$log" 2>&1
	tr -d '\r' <"$log" | grep -E '^(percpu: Embedded|pcpu-alloc:)' >"$work/runtime-$name.txt"
	hwid=$(tr -d '\r' <"$log" | sed -n 's/.*boot CPU hwid \(0x[0-9a-f]*\).*/\1/p' | head -1)
	if ! [ -s "$work/runtime-$name.txt" ] || [ -z "$hwid" ]; then
		echo "FAIL cross-check $name: the runtime printed no layout (log $log):"
		tail -n 20 "$log" | sed 's/^/    /'
		fail=$((fail + 1))
		return
	fi
	# the same machine's tree
	args[1]=${args[1]},dumpdtb=$dtb
	rm -f "$dtb"
	if ! "$qemu" "${args[@]}" -kernel "$img" -append run=dt >"$dtb.log" 2>&1 ||
	   [ ! -s "$dtb" ]; then
		echo "FAIL cross-check $name: QEMU could not dump the tree"
		fail=$((fail + 1))
		return
	fi
	expect "cross-check $name (static $static, boot hwid $hwid)" \
		"$(cat "$work/runtime-$name.txt")" --static "$static" --boot-hwid "$hwid" "$dtb"
	# the tool's own default static size is this arch's image's, when it measured one
	if "$tool" --help | grep -q "$arch $static (__per_cpu_end - __per_cpu_start"; then
		expect "cross-check $name (the tool's default static size for $arch)" \
			"$(cat "$work/runtime-$name.txt")" --boot-hwid "$hwid" "$dtb"
	else
		notes+=("cross-check $name: the tool measured no current $arch image: default"\
" static size not compared")
	fi
	notes+=("cross-check $name: runtime and tool agree ($(wc -l <"$work/runtime-$name.txt")"\
" lines, $(head -1 "$work/runtime-$name.txt" | cut -d' ' -f3-))")
}

if [ "${PCPURT_NO_QEMU:-0}" != 1 ]; then
	# REFERENCE.md's machine: 4 CPUs, 2 nodes
	numa2=(-m 2048M -object memory-backend-ram,id=m0,size=1024M
	       -object memory-backend-ram,id=m1,size=1024M
	       -numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1
	       -numa dist,src=0,dst=1,val=20)
	cross arm64-numa2 arm64 4 "${numa2[@]}"
	cross riscv64-numa2 riscv64 4 "${numa2[@]}"
	# 8 CPUs in 4 nodes of 4, 1, 2 and 1 CPUs, asymmetric distances
	numa4=(-m 1024M)
	for n in 0 1 2 3; do numa4+=(-object memory-backend-ram,id=m$n,size=256M); done
	numa4+=(-numa node,nodeid=0,cpus=0-3,memdev=m0 -numa node,nodeid=1,cpus=4,memdev=m1
		-numa node,nodeid=2,cpus=5-6,memdev=m2 -numa node,nodeid=3,cpus=7,memdev=m3)
	for t in ${d4a//,/ }; do
		IFS=: read -r s d v <<<"$t"
		numa4+=(-numa "dist,src=$s,dst=$d,val=$v")
	done
	cross arm64-numa4a arm64 8 "${numa4[@]}"
	# node 0 without memory (the runtime takes its units from node 1): the same groups
	memless=(-m 1024M -object memory-backend-ram,id=m1,size=512M
		 -object memory-backend-ram,id=m2,size=512M -numa node,nodeid=0,cpus=0-1
		 -numa node,nodeid=1,cpus=2-3,memdev=m1 -numa node,nodeid=2,cpus=4-5,memdev=m2
		 -numa dist,src=0,dst=1,val=15 -numa dist,src=0,dst=2,val=25
		 -numa dist,src=1,dst=2,val=20)
	cross arm64-memless arm64 6 "${memless[@]}"
fi

finish
