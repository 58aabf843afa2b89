#!/usr/bin/env bash
# pcpu_layout_tool_test.sh - tests of tools/pcpu-layout (build/host/pcpu-layout).
#
#   1. every board tree in ../shared/dtb (PCPURT_DTB_DIR overrides) and trees QEMU makes
#      (-M virt,dumpdtb=) against lines worked out by hand from the algorithm (the working is
#      in the comment above each case), including what --static/--reserved/--dyn/--atom/
#      --boot-hwid/--arch change, a tree with more than NR_CPUS CPUs and one with CPUs
#      that cannot be used (made with dtc);
#   2. bad input: exit status 2, nothing on stdout, exactly one line on stderr;
#   3. the cross-check: the runtime booted under QEMU (arm64, and riscv64 when it builds)
#      prints "percpu: Embedded" and "pcpu-alloc:" lines; the tool run on the tree of the
#      same machine, with the image's static size and boot CPU, must print the same lines.
#
# Working, with s = static, r = reserved, d = dynamic (defaults r 8192, d 28672, atom 4096):
#   sum = page_align(s + r + max(d, 12288)), d' = sum - s - r, pages = sum / 4096,
#   min_unit = max(sum, 32768), alloc = roundup(min_unit, atom),
#   upa = from the largest count <= alloc / min_unit that splits alloc into page-aligned
#   units, downwards, skipping counts that waste more than n/3 units (n = CPUs), while the
#   number of allocations does not grow; u = alloc / upa.
#   Dump: gw = digits(groups), cw = digits(n), width = upa * (cw + 1) + gw + 3,
#   allocations per line = largest power of two <= 60 / width.
# With s 200 and the defaults: sum = page_align(37064) = 40960 (10 pages), d' = 32568,
# alloc = 40960 = 10 * 4096, upa 1, u 40960: the header used by most cases below.
#
# QEMU parts are skipped (the test still passes, with a note) when qemu-system-* or the
# runtime build is unavailable; PCPURT_NO_QEMU=1 skips them on purpose.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tool=${PCPURT_HOSTO:-$root/build/host}/pcpu-layout
shared=${PCPURT_DTB_DIR:-$root/../shared/dtb}
work=${PCPURT_HOSTO:-$root/build/host}/pcpu-layout-test
mkdir -p "$work"
if [ ! -x "$tool" ]; then
	echo "pcpu_layout_tool_test: $tool not built (make $tool)"
	exit 1
fi

pass=0; fail=0; notes=()

# expect NAME WANT TOOL-ARGS...: exit 0 and stdout exactly WANT (a newline after each line)
expect() {
	local name=$1 want=$2 got rc
	shift 2
	got=$("$tool" "$@" 2>"$work/stderr"; echo "rc=$?")
	rc=${got##*rc=}
	got=${got%rc=*}
	if [ "$rc" = 0 ] && [ "$got" = "$want"$'\n' ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: pcpu-layout $* (exit $rc)"
		diff <(printf '%s\n' "$want") <(printf '%s' "$got") | sed 's/^/    /'
		sed 's/^/    stderr: /' "$work/stderr"
	fi
}

# expect_err NAME PATTERN TOOL-ARGS...: stderr (of a run that worked) matches PATTERN
expect_err() {
	local name=$1 pat=$2
	shift 2
	if "$tool" "$@" >/dev/null 2>"$work/stderr" && grep -qE -- "$pat" "$work/stderr"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: pcpu-layout $*: stderr does not match /$pat/"
		sed 's/^/    stderr: /' "$work/stderr"
	fi
}

# bad NAME TOOL-ARGS...: exit 2, empty stdout, exactly one line on stderr
bad() {
	local name=$1 out rc lines
	shift
	out=$("$tool" "$@" 2>"$work/stderr")
	rc=$?
	lines=$(wc -l <"$work/stderr")
	if [ "$rc" = 2 ] && [ -z "$out" ] && [ "$lines" = 1 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL $name: pcpu-layout $*: exit $rc (want 2), $lines stderr lines (want 1)"
		printf '%s\n' "$out" | sed 's/^/    stdout: /'
		sed 's/^/    stderr: /' "$work/stderr"
	fi
}

H200='percpu: Embedded 10 pages/cpu s200 r8192 d32568 u40960
pcpu-alloc: s200 r8192 d32568 u40960 alloc=10*4096'

# ---- the board trees -------------------------------------------------------------------
if [ ! -d "$shared" ]; then
	echo "FAIL: no board trees at $shared (set PCPURT_DTB_DIR)"
	fail=$((fail + 1))
fi
for f in "$shared"/*.dtb; do
	[ -e "$f" ] || continue
	name=$(basename "$f" .dtb)
	case $name in
	bcm2711-rpi-4-b|bcm2837-rpi-3-b)
		# 4 spin-table CPUs, no NUMA: one group; cw 1, gw 1, width 6, 8 per line
		expect "$name" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 "$f" ;;
	hifive-unmatched-a00)
		# hart 0 (rv64imac, no MMU, disabled) is left out: harts 1-4 are CPUs 0-3
		expect "$name" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 "$f"
		expect_err "$name: arch and boot hart" 'riscv64, boot CPU hwid 0x1, 4 CPUs' \
			--static 200 "$f"
		expect_err "$name: hart 0 skipped" 'skipping cpu@0' --static 200 "$f" ;;
	jh7100-beaglev-starlight)
		# two U74 harts with MMUs: one group of 2
		expect "$name" "$H200
pcpu-alloc: [0] 0 [0] 1 " --static 200 "$f" ;;
	hip07-d05)
		# 64 CPUs, 16 per node in tree order, distances 15..30 between nodes: 4 groups of
		# 16; cw 2, gw 1, width 7, 60/7 = 8 allocations per line
		expect "$name" "$H200
pcpu-alloc: [0] 00 [0] 01 [0] 02 [0] 03 [0] 04 [0] 05 [0] 06 [0] 07 
pcpu-alloc: [0] 08 [0] 09 [0] 10 [0] 11 [0] 12 [0] 13 [0] 14 [0] 15 
pcpu-alloc: [1] 16 [1] 17 [1] 18 [1] 19 [1] 20 [1] 21 [1] 22 [1] 23 
pcpu-alloc: [1] 24 [1] 25 [1] 26 [1] 27 [1] 28 [1] 29 [1] 30 [1] 31 
pcpu-alloc: [2] 32 [2] 33 [2] 34 [2] 35 [2] 36 [2] 37 [2] 38 [2] 39 
pcpu-alloc: [2] 40 [2] 41 [2] 42 [2] 43 [2] 44 [2] 45 [2] 46 [2] 47 
pcpu-alloc: [3] 48 [3] 49 [3] 50 [3] 51 [3] 52 [3] 53 [3] 54 [3] 55 
pcpu-alloc: [3] 56 [3] 57 [3] 58 [3] 59 [3] 60 [3] 61 [3] 62 [3] 63 " --static 200 "$f" ;;
	*)
		echo "FAIL $name: a board tree this test has no expectations for"
		fail=$((fail + 1)) ;;
	esac
done
for want in bcm2711-rpi-4-b bcm2837-rpi-3-b hifive-unmatched-a00 hip07-d05 \
	    jh7100-beaglev-starlight; do
	if [ ! -e "$shared/$want.dtb" ]; then
		echo "FAIL: $shared/$want.dtb missing"
		fail=$((fail + 1))
	fi
done

pi4=$shared/bcm2711-rpi-4-b.dtb
d05=$shared/hip07-d05.dtb
unm=$shared/hifive-unmatched-a00.dtb

# ---- options ----------------------------------------------------------------------------
if [ -e "$pi4" ] && [ -e "$d05" ]; then
	# s 20000: sum = page_align(56864) = 57344 (14 pages), d' = 29152, u 57344 = 14 * 4096
	S20000='percpu: Embedded 14 pages/cpu s20000 r8192 d29152 u57344
pcpu-alloc: s20000 r8192 d29152 u57344 alloc=14*4096
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 '
	expect "--static 20000" "$S20000" --static 20000 "$pi4"
	expect "--static 0x4e20" "$S20000" --static 0x4e20 "$pi4"
	expect "--static=20000" "$S20000" --static=20000 "$pi4"
	# s 16K = 16384: sum = 53248 exactly (13 pages), d' = 28672
	expect "--static 16K" 'percpu: Embedded 13 pages/cpu s16384 r8192 d28672 u53248
pcpu-alloc: s16384 r8192 d28672 u53248 alloc=13*4096
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 ' --static 16K "$pi4"
	# d 0 -> 12288: sum = page_align(20680) = 24576 (6 pages), d' = 16184; unit 32768
	expect "--dyn 0" 'percpu: Embedded 6 pages/cpu s200 r8192 d16184 u32768
pcpu-alloc: s200 r8192 d16184 u32768 alloc=8*4096
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 ' --static 200 --dyn 0 "$pi4"
	# r 0, d 0: sum = page_align(12488) = 16384 (4 pages), d' = 16184; unit 32768
	expect "--reserved 0 --dyn 0" 'percpu: Embedded 4 pages/cpu s200 r0 d16184 u32768
pcpu-alloc: s200 r0 d16184 u32768 alloc=8*4096
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 ' --static 200 --reserved 0 --dyn 0 "$pi4"
	# r 16K, d 0x8000: sum = page_align(200 + 16384 + 32768) = 53248 (13), d' = 36664
	expect "--reserved 16K --dyn 0x8000" \
'percpu: Embedded 13 pages/cpu s200 r16384 d36664 u53248
pcpu-alloc: s200 r16384 d36664 u53248 alloc=13*4096
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 ' --static 200 --reserved 16K --dyn 0x8000 "$pi4"
	# atom 64K: alloc 65536, 65536 / 40960 = 1 unit per allocation: u 65536
	expect "--atom 64K" 'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u65536
pcpu-alloc: s200 r8192 d32568 u65536 alloc=1*65536
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 ' --static 200 --atom 64K "$pi4"
	# atom 12K (not a power of two): alloc = roundup(40960, 12288) = 49152, upa 1
	expect "--atom 12K" 'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u49152
pcpu-alloc: s200 r8192 d32568 u49152 alloc=4*12288
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 ' --static 200 --atom 12K "$pi4"
	# atom 2M, 4 CPUs: max upa 32 (2M/40960 = 51, powers of two divide 2M); 32, 16, 8 waste
	# 28, 12, 4 > 4/3; upa 4 wastes 0 in 1 allocation, upa 2 needs 2: upa 4, u 524288;
	# width 4 * 2 + 1 + 3 = 12, so 4 allocations per line
	expect "--atom 2M" 'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u524288
pcpu-alloc: s200 r8192 d32568 u524288 alloc=1*2097152
pcpu-alloc: [0] 0 1 2 3 ' --static 200 --atom 2M "$pi4"
	# atom 1M: max upa 16 (1M/40960 = 25); 16 and 8 waste too much: upa 4, u 262144
	expect "--atom 0x100000" 'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u262144
pcpu-alloc: s200 r8192 d32568 u262144 alloc=1*1048576
pcpu-alloc: [0] 0 1 2 3 ' --static 200 --atom 0x100000 "$pi4"
	# hip07, atom 2M: groups of 16; upa 32 wastes 64 > 21; upa 16 wastes 0 in 4
	# allocations, upa 8 needs 8: upa 16, u 131072; width 16 * 3 + 4 = 52: 1 per line
	expect "hip07 --atom 2M" 'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u131072
pcpu-alloc: s200 r8192 d32568 u131072 alloc=1*2097152
pcpu-alloc: [0] 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 
pcpu-alloc: [1] 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 
pcpu-alloc: [2] 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 
pcpu-alloc: [3] 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 ' --static 200 --atom 2M "$d05"
	# hip07, atom 96K: alloc 98304, max upa 2 (98304/40960 = 2.4; 49152 page aligned);
	# upa 2: 32 allocations, upa 1 needs 64: upa 2, u 49152; width 2 * 3 + 4 = 10: 4 per
	# line, 8 lines
	want="percpu: Embedded 10 pages/cpu s200 r8192 d32568 u49152
pcpu-alloc: s200 r8192 d32568 u49152 alloc=1*98304"
	for line in $(seq 0 7); do
		want+=$'\n'"pcpu-alloc: "
		for a in 0 1 2 3; do
			c=$((line * 8 + a * 2))
			want+=$(printf '[%d] %02d %02d ' $((c / 16)) "$c" $((c + 1)))
		done
	done
	expect "hip07 --atom 96K" "$want" --static 200 --atom 96K "$d05"
	# hip07 booting on cpu@50000 (the first CPU of node 2): CPU 0 is that one, CPUs 1-32
	# are nodes 0 and 1, 33-47 the rest of node 2, 48-63 node 3; group 0 is CPU 0 and
	# 33-47, then node 0 (1-16), node 1 (17-32), node 3 (48-63)
	expect "hip07 --boot-hwid 0x50000" "$H200
pcpu-alloc: [0] 00 [0] 33 [0] 34 [0] 35 [0] 36 [0] 37 [0] 38 [0] 39 
pcpu-alloc: [0] 40 [0] 41 [0] 42 [0] 43 [0] 44 [0] 45 [0] 46 [0] 47 
pcpu-alloc: [1] 01 [1] 02 [1] 03 [1] 04 [1] 05 [1] 06 [1] 07 [1] 08 
pcpu-alloc: [1] 09 [1] 10 [1] 11 [1] 12 [1] 13 [1] 14 [1] 15 [1] 16 
pcpu-alloc: [2] 17 [2] 18 [2] 19 [2] 20 [2] 21 [2] 22 [2] 23 [2] 24 
pcpu-alloc: [2] 25 [2] 26 [2] 27 [2] 28 [2] 29 [2] 30 [2] 31 [2] 32 
pcpu-alloc: [3] 48 [3] 49 [3] 50 [3] 51 [3] 52 [3] 53 [3] 54 [3] 55 
pcpu-alloc: [3] 56 [3] 57 [3] 58 [3] 59 [3] 60 [3] 61 [3] 62 [3] 63 " \
		--static 200 --boot-hwid 0x50000 "$d05"
	# the last CPU (node 3) boots: group 0 is CPU 0 and 49-63; 1-48 are nodes 0-2
	expect "hip07 --boot-hwid 0x70303 --atom 2M" \
'percpu: Embedded 10 pages/cpu s200 r8192 d32568 u131072
pcpu-alloc: s200 r8192 d32568 u131072 alloc=1*2097152
pcpu-alloc: [0] 00 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 
pcpu-alloc: [1] 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 
pcpu-alloc: [2] 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 
pcpu-alloc: [3] 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47 48 ' \
		--static 200 --boot-hwid 0x70303 --atom 2M "$d05"
	# a boot hwid not in the tree: CPU 0 on node 0 (and said so), all 64 tree CPUs follow:
	# 65 CPUs, group 0 = CPU 0 and node 0's 16
	expect_err "hip07 boot CPU not in the tree" 'boot CPU 0x1 is not in /cpus' \
		--static 200 --boot-hwid 1 "$d05"
	# the default static size is the one the tool reports, and the lines use it
	if "$tool" "$pi4" >"$work/out" 2>"$work/stderr" &&
	   s=$(sed -n 's/^pcpu-layout: static size \([0-9]*\) bytes.*/\1/p' "$work/stderr") &&
	   [ -n "$s" ] && grep -q "^percpu: Embedded [0-9]* pages/cpu s$s r8192 " "$work/out"; then
		pass=$((pass + 1))
		notes+=("default static size: $(sed -n 's/^pcpu-layout: static size //p' \
			"$work/stderr")")
	else
		fail=$((fail + 1))
		echo "FAIL default --static: the stated static size is not the one used"
		cat "$work/stderr" "$work/out" | sed 's/^/    /'
	fi
fi
if [ -e "$unm" ]; then
	# booting on hart 3: CPU 0 = hart 3, then harts 1, 2, 4; one group all the same
	expect "unmatched --boot-hwid 3" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 --boot-hwid 3 "$unm"
	# as arm64, no hart has an enable-method pcpurt knows
	bad "unmatched --arch arm64" --arch arm64 "$unm"
	expect "unmatched --arch riscv64" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 --arch riscv64 "$unm"
fi

# ---- bad input --------------------------------------------------------------------------
any=${pi4:-/nonexistent}
: >"$work/empty.dtb"
printf 'this is not a device tree at all, just some text that is long enough\n' \
	>"$work/text.dtb"
[ -e "$pi4" ] && head -c 200 "$pi4" >"$work/truncated.dtb"
[ -e "$pi4" ] && { printf '\xd0\x0d\xfe\xee'; tail -c +5 "$pi4"; } >"$work/badmagic.dtb"
bad "missing file" "$work/no-such-file.dtb"
bad "directory" "$work"
bad "empty file" "$work/empty.dtb"
bad "text file" "$work/text.dtb"
[ -e "$pi4" ] && bad "truncated tree" "$work/truncated.dtb"
[ -e "$pi4" ] && bad "bad magic" "$work/badmagic.dtb"
bad "no file" --static 200
bad "two files" "$any" "$any"
bad "unknown option" --frobnicate "$any"
bad "--static word" --static abc "$any"
bad "--static junk suffix" --static 12X "$any"
bad "--static negative" --static -1 "$any"
bad "--static empty" --static= "$any"
bad "--static 0x only" --static 0x "$any"
bad "--static overflow" --static 99999999999999999999 "$any"
bad "--static K overflow" --static 0xffffffffffffffffK "$any"
bad "--static no value" "$any" --static
bad "--dyn octal-looking junk" --dyn 0o17 "$any"
bad "--atom not page multiple" --atom 3000 "$any"
bad "--atom 0" --atom 0 "$any"
bad "--atom above 1G" --atom 2048M "$any"
bad "--arch" --arch mips "$any"
bad "--boot-hwid junk" --boot-hwid zz "$any"
bad "--boot-hwid suffix" --boot-hwid 1K "$any"
[ -e "$pi4" ] && bad "--static 0 (runtime rejects)" --static 0 "$pi4"
[ -e "$pi4" ] && bad "--reserved 6 (runtime rejects)" --reserved 6 "$pi4"

# ---- trees made with dtc ----------------------------------------------------------------
if command -v dtc >/dev/null 2>&1; then
	# 520 PSCI CPUs: the first 512 are kept (8 beyond NR_CPUS); cw 3, width 8, 4 per line
	{
		echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;'
		echo 'psci { compatible = "arm,psci-0.2"; method = "hvc"; };'
		echo 'cpus { #address-cells = <1>; #size-cells = <0>;'
		for i in $(seq 0 519); do
			printf 'cpu@%x { device_type = "cpu"; compatible = "arm,cortex-a72"; ' "$i"
			printf 'reg = <0x%x>; enable-method = "psci"; };\n' "$i"
		done
		echo '}; };'
	} >"$work/cpus520.dts"
	if dtc -q -I dts -O dtb -o "$work/cpus520.dtb" "$work/cpus520.dts"; then
		want=$H200
		for line in $(seq 0 127); do
			c=$((line * 4))
			want+=$'\n'$(printf 'pcpu-alloc: [0] %03d [0] %03d [0] %03d [0] %03d ' \
				"$c" $((c + 1)) $((c + 2)) $((c + 3)))
		done
		expect "520 CPUs" "$want" --static 200 "$work/cpus520.dtb"
		expect_err "520 CPUs: 8 left out" '8 CPUs beyond NR_CPUS=512' \
			--static 200 "$work/cpus520.dtb"
	else
		echo "FAIL: dtc could not compile $work/cpus520.dts"
		fail=$((fail + 1))
	fi
	# CPUs that cannot be used: status "fail", unknown method, spin-table without a release
	# address, a duplicate hwid; the rest (0x3, 0x100 on node 1, 0x101 on node 1, 0x4) are
	# CPUs 0-3 in 2 groups; the boot CPU defaults to the first usable one (0x0 has
	# failed, so 0x3 boots: CPU 0 = 0x3 node 0, 1 = 0x100, 2 = 0x101, 3 = 0x4 node 0)
	cat >"$work/mixed.dts" <<-'EOF'
	/dts-v1/;
	/ {
		#address-cells = <2>; #size-cells = <2>;
		psci { compatible = "arm,psci-0.2"; method = "smc"; };
		cpus {
			#address-cells = <1>; #size-cells = <0>;
			cpu@0 { device_type = "cpu"; reg = <0x0>; enable-method = "psci";
				status = "fail"; };
			cpu@1 { device_type = "cpu"; reg = <0x1>; enable-method = "acme,smp"; };
			cpu@2 { device_type = "cpu"; reg = <0x2>; enable-method = "spin-table"; };
			cpu@3 { device_type = "cpu"; reg = <0x3>; enable-method = "spin-table";
				cpu-release-addr = <0x0 0xd8>; numa-node-id = <0>; };
			cpu@100 { device_type = "cpu"; reg = <0x100>; enable-method = "psci";
				numa-node-id = <1>; };
			cpu@101 { device_type = "cpu"; reg = <0x101>; enable-method = "psci";
				numa-node-id = <1>; };
			cpu@3b { device_type = "cpu"; reg = <0x3>; enable-method = "psci"; };
			cpu@4 { device_type = "cpu"; reg = <0x4>; enable-method = "psci";
				numa-node-id = <0>; };
		};
	};
	EOF
	if dtc -q -I dts -O dtb -o "$work/mixed.dtb" "$work/mixed.dts"; then
		expect "mixed CPUs" "$H200
pcpu-alloc: [0] 0 [0] 3 [1] 1 [1] 2 " --static 200 "$work/mixed.dtb"
		expect_err "mixed CPUs: boot CPU" 'arm64, boot CPU hwid 0x3, 4 CPUs, 2 NUMA nodes' \
			--static 200 "$work/mixed.dtb"
		for why in 'cpu@0: status "fail"' 'cpu@1: no enable-method' \
			   'cpu@2: spin-table without cpu-release-addr' 'cpu@3: duplicate'; do
			expect_err "mixed CPUs: $why" "skipping $why" --static 200 "$work/mixed.dtb"
		done
		# --boot-hwid 0x100: CPU 0 = 0x100 (node 1), 1 = 0x3, 2 = 0x101, 3 = 0x4
		expect "mixed CPUs --boot-hwid 0x100" "$H200
pcpu-alloc: [0] 0 [0] 2 [1] 1 [1] 3 " --static 200 --boot-hwid 0x100 "$work/mixed.dtb"
	else
		echo "FAIL: dtc could not compile $work/mixed.dts"
		fail=$((fail + 1))
	fi
	# a valid tree without CPUs
	echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>; cpus { }; };' \
		>"$work/nocpus.dts"
	dtc -q -I dts -O dtb -o "$work/nocpus.dtb" "$work/nocpus.dts" &&
		bad "no CPUs" "$work/nocpus.dtb"
else
	notes+=("dtc missing: synthetic trees skipped")
fi

# ---- topologies (issue 11) -----------------------------------------------------------------
# topo_tree NAME ARCH CPUS MEMORY MAP: a tree of four CPUs (hwids 0-3) with cpu node bodies
# CPUS[i] appended, memory nodes MEMORY and a distance-matrix MAP ("" for none).
topo_tree() {
	local name=$1 arch=$2 cpus=$3 mem=$4 map=$5 i body compat
	compat=; [ "$arch" = riscv64 ] && compat='compatible = "riscv"; mmu-type = "riscv,sv39";'
	{
		echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;'
		echo 'psci { compatible = "arm,psci-0.2"; method = "smc"; };'
		echo 'cpus { #address-cells = <1>; #size-cells = <0>;'
		i=0
		while IFS= read -r body; do
			echo "cpu@$i { device_type = \"cpu\"; reg = <$i>; $compat"
			[ "$arch" = arm64 ] && echo 'enable-method = "psci";'
			echo "$body };"
			i=$((i + 1))
		done <<<"$cpus"
		echo '};'
		echo "$mem"
		[ -n "$map" ] && echo "distance-map { compatible = \"numa-distance-map-v1\";" \
			"distance-matrix = $map; };"
		echo '};'
	} >"$work/$name.dts"
	dtc -q -I dts -O dtb -o "$work/$name.dtb" "$work/$name.dts"
}

topo_trees() {
	local n2 mem2 mem1 dis0 dis1
	n2='numa-node-id = <0>;
numa-node-id = <0>;
numa-node-id = <1>;
numa-node-id = <1>;'
	mem2='memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x10000000>;
numa-node-id = <0>; };
memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x10000000>;
numa-node-id = <1>; };'
	# n2 with the first CPU of node 0 (dis0) or of node 1 (dis1) disabled
	dis0=${n2/numa-node-id = <0>;/status = \"disabled\"; numa-node-id = <0>;}
	dis1=${n2/numa-node-id = <1>;/status = \"disabled\"; numa-node-id = <1>;}
	# arm64, cpu@2 (node 1) disabled: possible, so its unit is in the layout (as arm64
	# Linux's pcpu-alloc lines); the tool says so
	if topo_tree disabled-arm64 arm64 "$dis1" "$mem2" "<0 1 20>"; then
		expect "arm64 disabled CPU" "$H200
pcpu-alloc: [0] 0 [0] 1 [1] 2 [1] 3 " --static 200 "$work/disabled-arm64.dtb"
		expect_err "arm64 disabled CPU: counted" 'arm64, boot CPU hwid 0x0, 4 CPUs, 2 NUMA' \
			--static 200 "$work/disabled-arm64.dtb"
		expect_err "arm64 disabled CPU: said" \
			'1 of them marked disabled in the device tree: possible' \
			--static 200 "$work/disabled-arm64.dtb"
	else
		echo "FAIL: dtc could not compile $work/disabled-arm64.dts"
		fail=$((fail + 1))
	fi
	# arm64, cpu@0 disabled: possible, but the default boot CPU is the first one not
	# disabled (0x1): CPU 0 = 0x1, 1 = 0x0, 2 = 0x2, 3 = 0x3
	if topo_tree disabled0-arm64 arm64 "$dis0" "$mem2" "<0 1 20>"; then
		expect_err "arm64 cpu@0 disabled: boots 0x1" 'arm64, boot CPU hwid 0x1, 4 CPUs' \
			--static 200 "$work/disabled0-arm64.dtb"
	else
		echo "FAIL: dtc could not compile $work/disabled0-arm64.dts"
		fail=$((fail + 1))
	fi
	# riscv64, hart 2 (node 1) disabled: left out, as RISC-V Linux; CPU 2 is hart 3
	if topo_tree disabled-riscv64 riscv64 "$dis1" "$mem2" "<0 1 20>"; then
		expect "riscv64 disabled hart" "$H200
pcpu-alloc: [0] 0 [0] 1 [1] 2 " --static 200 "$work/disabled-riscv64.dtb"
		expect_err "riscv64 disabled hart: skipped" 'skipping cpu@2: disabled' \
			--static 200 "$work/disabled-riscv64.dtb"
	else
		echo "FAIL: dtc could not compile $work/disabled-riscv64.dts"
		fail=$((fail + 1))
	fi
	# a remote distance of 10 (Linux rejects the map and fakes one node): one group of
	# four, where the nodes would make two
	if topo_tree fake-remote arm64 "$n2" "$mem2" "<0 1 10>"; then
		expect "invalid distance map: one node" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 "$work/fake-remote.dtb"
		expect_err "invalid distance map: Linux's line" \
			'OF: NUMA: Invalid distance\[node0 -> node1\] = 10$' \
			--static 200 "$work/fake-remote.dtb"
		expect_err "invalid distance map: fake node" \
			'NUMA: Faking a node at \[mem 0x0000000040000000-0x000000008fffffff\]$' \
			--static 200 "$work/fake-remote.dtb"
	else
		echo "FAIL: dtc could not compile $work/fake-remote.dts"
		fail=$((fail + 1))
	fi
	# a self distance of 20 on riscv64: the same
	if topo_tree fake-self riscv64 "$n2" "$mem2" "<0 1 20>, <1 1 20>"; then
		expect "invalid self distance: one node" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 "$work/fake-self.dtb"
		expect_err "invalid self distance: said" '1 NUMA node \(faked: Linux rejects' \
			--static 200 "$work/fake-self.dtb"
	else
		echo "FAIL: dtc could not compile $work/fake-self.dts"
		fail=$((fail + 1))
	fi
	# node 0 without memory, nodes 1 and 2 with: the groups stay one per node; the note
	# names the nearest node with memory (2 at 15, not 1 at 25)
	mem1='memory@40000000 { device_type = "memory"; reg = <0 0x40000000 0 0x10000000>;
numa-node-id = <1>; };
memory@80000000 { device_type = "memory"; reg = <0 0x80000000 0 0x10000000>;
numa-node-id = <2>; };'
	if topo_tree memless arm64 "numa-node-id = <0>;
numa-node-id = <0>;
numa-node-id = <1>;
numa-node-id = <2>;" "$mem1" "<0 1 25>, <0 2 15>, <1 2 20>"; then
		expect "memory-less node" "$H200
pcpu-alloc: [0] 0 [0] 1 [1] 2 [2] 3 " --static 200 "$work/memless.dtb"
		expect_err "memory-less node: said" 'NUMA: node 0 has no memory: .* from node 2, the '\
'nearest node with memory \(distance 15\)' --static 200 "$work/memless.dtb"
	else
		echo "FAIL: dtc could not compile $work/memless.dts"
		fail=$((fail + 1))
	fi
	# --max-nodes: a kernel built for 4 nodes (Debian's riscv64: NODES_SHIFT 2). cpu@2 on
	# node 4: its own group by default; with --max-nodes 4 Linux ignores that id and puts
	# the CPU on node 0 (make test-linux's 12-node riscv machine shows it on the real kernel)
	local n4='numa-node-id = <0>;
numa-node-id = <1>;
numa-node-id = <4>;
numa-node-id = <1>;'
	if topo_tree maxnodes riscv64 "$n4" "$mem2" "<0 1 20>, <0 4 30>, <1 4 30>"; then
		expect "node 4: own group" "$H200
pcpu-alloc: [0] 0 [1] 1 [1] 3 [2] 2 " --static 200 "$work/maxnodes.dtb"
		expect "--max-nodes 4: node 4's CPU on node 0" "$H200
pcpu-alloc: [0] 0 [0] 2 [1] 1 [1] 3 " --static 200 --max-nodes 4 "$work/maxnodes.dtb"
		expect_err "--max-nodes 4: Linux's line" \
			'OF: NUMA: Node id 4 exceeds maximum value \(--max-nodes 4\): cpu hwid 0x2 on node 0$' \
			--static 200 --max-nodes 4 "$work/maxnodes.dtb"
		expect "--max-nodes 5: node 4 kept" "$H200
pcpu-alloc: [0] 0 [1] 1 [1] 3 [2] 2 " --static 200 --max-nodes 5 "$work/maxnodes.dtb"
		bad "--max-nodes 0" --max-nodes 0 "$work/maxnodes.dtb"
		bad "--max-nodes 65" --max-nodes 65 "$work/maxnodes.dtb"
	else
		echo "FAIL: dtc could not compile $work/maxnodes.dts"
		fail=$((fail + 1))
	fi
	# a memory node on node 4 under --max-nodes 4: Linux gives NUMA up, one node
	if topo_tree maxnodes-mem riscv64 "$n4" "${mem2/numa-node-id = <1>;/numa-node-id = <4>;}" \
		"<0 1 20>, <0 4 30>, <1 4 30>"; then
		expect "--max-nodes 4, memory on node 4: one node" "$H200
pcpu-alloc: [0] 0 [0] 1 [0] 2 [0] 3 " --static 200 --max-nodes 4 "$work/maxnodes-mem.dtb"
		expect_err "--max-nodes 4, memory on node 4: said" 'NUMA: 1 node, faked: a memory' \
			--static 200 --max-nodes 4 "$work/maxnodes-mem.dtb"
	else
		echo "FAIL: dtc could not compile $work/maxnodes-mem.dts"
		fail=$((fail + 1))
	fi
}

if command -v dtc >/dev/null 2>&1; then
	topo_trees
fi

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
	# nodes of 4, 1, 2, 1 CPUs (asymmetric distances)
	d4a="0:1:12,1:0:22,0:2:13,2:0:23,0:3:14,3:0:24,1:2:15,2:1:25,1:3:16,3:1:26,2:3:17,3:2:27"
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

for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
echo "pcpu_layout_tool_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
