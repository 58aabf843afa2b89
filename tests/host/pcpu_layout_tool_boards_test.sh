#!/usr/bin/env bash
# pcpu_layout_tool_boards_test.sh - tools/pcpu-layout on every board tree in ../shared/dtb
# (PCPURT_DTB_DIR overrides) against lines worked out by hand from the algorithm.
# What the parts share: pcpu_layout_tool_lib.sh.
. "$(dirname "$0")/pcpu_layout_tool_lib.sh"

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

finish
