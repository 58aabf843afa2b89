#!/usr/bin/env bash
# pcpu_layout_tool_dtc_test.sh - tools/pcpu-layout on trees made with dtc: more CPUs
# than NR_CPUS, CPUs that cannot be used, and the topologies of issue 11.
# What the parts share: pcpu_layout_tool_lib.sh.
. "$(dirname "$0")/pcpu_layout_tool_lib.sh"

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

finish
