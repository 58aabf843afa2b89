#!/usr/bin/env bash
# pcpu_layout_tool_options_test.sh - what --static/--reserved/--dyn/--atom/--boot-hwid/--arch
# change in tools/pcpu-layout's lines, and bad input: exit status 2, nothing on stdout,
# exactly one line on stderr.
# What the parts share: pcpu_layout_tool_lib.sh.
. "$(dirname "$0")/pcpu_layout_tool_lib.sh"

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

finish
