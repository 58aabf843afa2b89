#!/usr/bin/env bash
# pictures_test.sh - tests of the two picture commands (issue 13, Pictures):
#
#   1. pcpu-layout --svg on the board trees in ../shared/dtb (PCPURT_DTB_DIR overrides),
#      trees QEMU dumps (-M virt,dumpdtb=; skipped without QEMU or with PCPURT_NO_QEMU=1)
#      and a 200-CPU tree made with dtc: the SVG parses with python3's xml.etree, holds
#      the expected groups and unit boxes (class "group" / "unit", "unit empty" for units
#      without a CPU; hand-counted for the Pi 4, hip07-d05 and the 200-CPU tree, else taken
#      from the "pcpu-alloc:" lines printed in the same run), standard output is the same
#      with and without --svg, and two runs write the same bytes;
#   2. tools/percpu-chunks-svg.py on a saved arm64 boot log (tests/host/data/
#      percpu-stats-arm64.log, run=percpu-stats with percpu_stats_churn=300): chunk
#      groups, page cells and free-run groups as the log lists them, the same bytes twice;
#   3. bad input to both: exit status 2, exactly one line on standard error.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
tool=${PCPURT_HOSTO:-$root/build/host}/pcpu-layout
chunks=$root/tools/percpu-chunks-svg.py
shared=${PCPURT_DTB_DIR:-$root/../shared/dtb}
work=${PCPURT_HOSTO:-$root/build/host}/pictures-test
mkdir -p "$work"
if [ ! -x "$tool" ]; then
	echo "pictures_test: $tool not built (make $tool)"
	exit 1
fi
pass=0; fail=0; notes=()

ok() { pass=$((pass + 1)); }
bad_case() { fail=$((fail + 1)); echo "FAIL $1"; shift; for l in "$@"; do echo "    $l"; done; }

# svg_counts FILE.svg: "groups units empty folded" as the SVG holds them (xml.etree), or
# an error line and status 1 when it does not parse.
svg_counts() {
	python3 - "$1" <<-'EOF'
	import sys, xml.etree.ElementTree as ET
	NS = "{http://www.w3.org/2000/svg}"
	try:
	    root = ET.parse(sys.argv[1]).getroot()
	except ET.ParseError as e:
	    print(f"does not parse: {e}")
	    sys.exit(1)
	if root.tag != NS + "svg":
	    print(f"root element {root.tag}, not svg")
	    sys.exit(1)
	cls = [g.get("class", "").split() for g in root.iter(NS + "g")]
	folded = sum(int(g.get("data-units")) for g in root.iter(NS + "g")
	             if g.get("class") == "fold")
	print(sum(c == ["group"] for c in cls), sum("unit" in c for c in cls),
	      sum("unit" in c and "empty" in c for c in cls), folded)
	EOF
}

# counts_from_text FILE.out: "groups units empty" from the tool's "pcpu-alloc:" lines.
counts_from_text() {
	python3 - "$1" <<-'EOF'
	import re, sys
	text = " ".join(l[len("pcpu-alloc: "):] for l in open(sys.argv[1])
	                if l.startswith("pcpu-alloc: ") and "alloc=" not in l)
	groups, units, empty = set(), 0, 0
	for g, cpus in re.findall(r"\[(\d+)\]((?: [-\d]+)+)", text):
	    groups.add(g)
	    for c in cpus.split():
	        units += 1
	        empty += c.strip("-") == ""
	print(len(groups), units, empty)
	EOF
}

# layout NAME WANT DTB TOOL-ARGS...: WANT "groups units empty folded", or "-" to take
# groups, units and empty from the text output (nothing folded).
layout() {
	local name=$1 want=$2 dtb=$3 got
	shift 3
	if ! "$tool" "$@" "$dtb" >"$work/$name.plain" 2>/dev/null; then
		bad_case "$name: the tool fails without --svg"
		return
	fi
	if ! "$tool" --svg "$work/$name.svg" "$@" "$dtb" >"$work/$name.out" 2>"$work/$name.err"
	then
		bad_case "$name: exit $? with --svg" "$(cat "$work/$name.err")"
		return
	fi
	"$tool" --svg="$work/$name.again.svg" "$@" "$dtb" >/dev/null 2>&1
	[ "$want" = - ] && want="$(counts_from_text "$work/$name.out") 0"
	if ! got=$(svg_counts "$work/$name.svg"); then
		bad_case "$name: $got"
	elif [ "$got" != "$want" ]; then
		bad_case "$name: groups units empty folded: $got, want $want"
	elif ! cmp -s "$work/$name.svg" "$work/$name.again.svg"; then
		bad_case "$name: two runs wrote different SVGs"
	elif ! cmp -s "$work/$name.out" "$work/$name.plain"; then
		bad_case "$name: --svg changed the printed lines"
	else
		ok
	fi
}

# bad NAME CMD...: exit status 2, nothing on stdout, exactly one line on stderr
bad() {
	local name=$1 rc
	shift
	"$@" >"$work/bad.out" 2>"$work/bad.err"
	rc=$?
	if [ "$rc" = 2 ] && [ ! -s "$work/bad.out" ] && [ "$(wc -l <"$work/bad.err")" = 1 ]; then
		ok
	else
		bad_case "bad input '$name': exit $rc, $(wc -l <"$work/bad.out") stdout lines," \
			"$(wc -l <"$work/bad.err") stderr lines" "$(head -3 "$work/bad.err")"
	fi
}

# ---- pcpu-layout --svg ----------------------------------------------------------------
pi4=$shared/bcm2711-rpi-4-b.dtb
d05=$shared/hip07-d05.dtb
if [ -e "$pi4" ]; then
	layout pi4 "1 4 0 0" "$pi4"			# 4 CPUs, one node
	layout pi4-2M "1 4 0 0" "$pi4" --atom 2M	# upa 4: one allocation of 4 units
else
	notes+=("$pi4 missing")
fi
if [ -e "$d05" ]; then
	layout hip07-d05 "4 64 0 0" "$d05"		# 64 CPUs in 4 nodes of 16
else
	notes+=("$d05 missing")
fi
for f in "$shared"/*.dtb; do
	[ -e "$f" ] || continue
	n=$(basename "$f" .dtb)
	layout "tree-$n" - "$f"
done

if command -v dtc >/dev/null 2>&1; then
	# 200 CPUs, atom 2M: upa 32, 7 allocations = 224 units (24 without a CPU); over
	# 128 units: 7 lines of 16 = 112 drawn, 112 folded (the 24 empty ones among them)
	{
		echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;'
		echo 'psci { compatible = "arm,psci-0.2"; method = "hvc"; };'
		echo 'cpus { #address-cells = <1>; #size-cells = <0>;'
		for i in $(seq 0 199); do
			printf 'cpu@%x { device_type = "cpu"; reg = <0x%x>; ' "$i" "$i"
			printf 'enable-method = "psci"; };\n'
		done
		echo '}; };'
	} >"$work/cpus200.dts"
	if dtc -q -I dts -O dtb -o "$work/cpus200.dtb" "$work/cpus200.dts"; then
		layout cpus200-2M "1 112 0 112" "$work/cpus200.dtb" --atom 2M
		layout cpus200 "1 112 0 88" "$work/cpus200.dtb"		# upa 1: 200 units
	else
		bad_case "dtc could not compile $work/cpus200.dts"
	fi
	# 40 CPUs alternating between 2 nodes: 2 groups of 20, labels of CPU lists cut short
	{
		echo '/dts-v1/; / { #address-cells = <2>; #size-cells = <2>;'
		echo 'psci { compatible = "arm,psci-0.2"; method = "hvc"; };'
		echo 'distance-map { compatible = "numa-distance-map-v1";'
		echo '  distance-matrix = <0 0 10 0 1 20 1 0 20 1 1 10>; };'
		echo 'cpus { #address-cells = <1>; #size-cells = <0>;'
		for i in $(seq 0 39); do
			printf 'cpu@%x { device_type = "cpu"; reg = <0x%x>; ' "$i" "$i"
			printf 'enable-method = "psci"; numa-node-id = <%d>; };\n' $((i % 2))
		done
		echo '}; };'
	} >"$work/interleaved.dts"
	if dtc -q -I dts -O dtb -o "$work/interleaved.dtb" "$work/interleaved.dts"; then
		layout interleaved "2 40 0 0" "$work/interleaved.dtb"
	else
		bad_case "dtc could not compile $work/interleaved.dts"
	fi
else
	notes+=("dtc missing: the 200-CPU and interleaved trees skipped")
fi

# qemu_tree NAME ARCH SMP QEMU-ARGS...: a tree QEMU generates, in $work/NAME.dtb
qemu_tree() {
	local name=$1 arch=$2 smp=$3 qemu=qemu-system-aarch64 args=(-cpu cortex-a72)
	shift 3
	[ "$arch" = riscv64 ] && qemu=qemu-system-riscv64 args=()
	command -v "$qemu" >/dev/null 2>&1 || return 2
	rm -f "$work/$name.dtb"
	"$qemu" -M "virt,dumpdtb=$work/$name.dtb" -smp "$smp" -nographic -nic none \
		"${args[@]}" "$@" >"$work/$name.qemu.log" 2>&1 && [ -s "$work/$name.dtb" ]
}

if [ "${PCPURT_NO_QEMU:-0}" = 1 ]; then
	notes+=("QEMU trees skipped (PCPURT_NO_QEMU=1)")
else
	# 8 CPUs in nodes of 4, 1, 2, 1 with atom 2M: upa 2, groups of 4, 2, 2, 2 units,
	# 2 of them without a CPU (see pcpu_layout_tool_qemu_test.sh's arm64-numa4a-2M)
	numa=(-m 1024M)
	for n in 0 1 2 3; do numa+=(-object "memory-backend-ram,id=m$n,size=256M"); done
	numa+=(-numa node,nodeid=0,cpus=0-3,memdev=m0 -numa node,nodeid=1,cpus=4,memdev=m1
	       -numa node,nodeid=2,cpus=5-6,memdev=m2 -numa node,nodeid=3,cpus=7,memdev=m3)
	for s in 0 1 2; do
		for d in $(seq $((s + 1)) 3); do numa+=(-numa "dist,src=$s,dst=$d,val=20"); done
	done
	qemu_tree qemu-arm64-numa4 arm64 8 "${numa[@]}"
	case $? in
	0) layout qemu-arm64-numa4-2M "4 10 2 0" "$work/qemu-arm64-numa4.dtb" --atom 2M
	   layout qemu-arm64-numa4 "4 8 0 0" "$work/qemu-arm64-numa4.dtb" ;;
	2) notes+=("qemu-arm64-numa4 skipped: no qemu-system-aarch64") ;;
	*) bad_case "qemu-arm64-numa4: QEMU could not dump the tree" ;;
	esac
	# riscv64 (QEMU's virt wants even sockets): 4 harts in 2 nodes of 2, 2 groups
	qemu_tree qemu-riscv64-numa2 riscv64 4 -m 1024M \
		-object memory-backend-ram,id=m0,size=512M -object memory-backend-ram,id=m1,size=512M \
		-numa node,nodeid=0,cpus=0-1,memdev=m0 -numa node,nodeid=1,cpus=2-3,memdev=m1 \
		-numa dist,src=0,dst=1,val=20
	case $? in
	0) layout qemu-riscv64-numa2 "2 4 0 0" "$work/qemu-riscv64-numa2.dtb"
	   layout qemu-riscv64-numa2-2M - "$work/qemu-riscv64-numa2.dtb" --atom 2M ;;
	2) notes+=("qemu-riscv64-numa2 skipped: no qemu-system-riscv64") ;;
	*) bad_case "qemu-riscv64-numa2: QEMU could not dump the tree" ;;
	esac
fi

any=${pi4:-/nonexistent}
bad "--svg into a missing directory" "$tool" --svg "$work/no/such/dir/x.svg" "$any"
bad "--svg empty" "$tool" --svg= "$any"
bad "--svg without a value" "$tool" "$any" --svg

# ---- percpu-chunks-svg.py -------------------------------------------------------------
log=$root/tests/host/data/percpu-stats-arm64.log
if python3 "$chunks" -o "$work/chunks.svg" "$log" 2>"$work/chunks.err" &&
   python3 "$chunks" "$log" >"$work/chunks.again.svg" 2>>"$work/chunks.err"; then
	if ! cmp -s "$work/chunks.svg" "$work/chunks.again.svg"; then
		bad_case "chunks: two runs (-o and stdout) differ"
	elif why=$(python3 - "$work/chunks.svg" "$log" <<-'EOF'
		import re, sys, xml.etree.ElementTree as ET
		NS = "{http://www.w3.org/2000/svg}"
		root = ET.parse(sys.argv[1]).getroot()
		log = open(sys.argv[2]).read()
		heads = re.findall(r"^percpu-stats: chunk \d+ \w+ base .* pages \d+\+(\d+) ", log, re.M)
		runs = sum(len(m.split()) for m in
		           re.findall(r"^percpu-stats: chunk \d+ free(.*)$", log, re.M))
		g = [e.get("class") for e in root.iter(NS + "g")]
		got = (g.count("chunk"), g.count("page"), g.count("run"))
		want = (len(heads), sum(map(int, heads)), runs)
		if got != want or want[0] != 7:
		    print(f"chunks/pages/runs {got}, want {want} (7 chunks)")
		    sys.exit(1)
		EOF
	); then
		ok
	else
		bad_case "chunks: $why"
	fi
else
	bad_case "chunks: percpu-chunks-svg.py failed on $log" "$(cat "$work/chunks.err")"
fi
grep -v '^percpu-stats: map' "$log" >"$work/nomap.log"
head -n "$(grep -n 'percpu-stats: chunk 3 free' "$log" | head -1 | cut -d: -f1)" "$log" \
	>"$work/cut.log"
sed 's/^\(percpu-stats: chunk 2 end runs\) [0-9]*/\1 999/' "$log" >"$work/runs.log"
bad "chunks: missing log" python3 "$chunks" "$work/no-such.log"
bad "chunks: no dump" python3 "$chunks" "$work/nomap.log"
bad "chunks: log cut short" python3 "$chunks" "$work/cut.log"
bad "chunks: run count wrong" python3 "$chunks" "$work/runs.log"

for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
echo "pictures_test: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
