# pcpu_layout_tool_lib.sh - what the tests of tools/pcpu-layout (build/host/pcpu-layout)
# share, sourced by each of them: where the tool, the board trees and the work folder are,
# the checks that count (expect, expect_err, bad), the header most cases print, the board
# trees and QEMU distances more than one part uses, and finish (the notes and the counts).
# The parts:
#   pcpu_layout_tool_boards_test.sh   every board tree in ../shared/dtb (PCPURT_DTB_DIR
#                                     overrides) against lines worked out by hand
#   pcpu_layout_tool_options_test.sh  what --static/--reserved/--dyn/--atom/--boot-hwid/--arch
#                                     change; bad input: exit status 2, nothing on stdout,
#                                     exactly one line on stderr
#   pcpu_layout_tool_dtc_test.sh      trees made with dtc: more than NR_CPUS CPUs, CPUs that
#                                     cannot be used, topologies
#   pcpu_layout_tool_qemu_test.sh     trees QEMU makes (-M virt,dumpdtb=)
#   pcpu_layout_tool_cross_test.sh    the runtime booted under QEMU (arm64, and riscv64 when
#                                     it builds) prints "percpu: Embedded" and "pcpu-alloc:"
#                                     lines; the tool run on the tree of the same machine,
#                                     with the image's static size and boot CPU, must print
#                                     the same lines
# The working is in the comment above each case.
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
test_name=$(basename "$0" .sh)
root=$(cd "$(dirname "$0")/../.." && pwd)
tool=${PCPURT_HOSTO:-$root/build/host}/pcpu-layout
shared=${PCPURT_DTB_DIR:-$root/../shared/dtb}
work=${PCPURT_HOSTO:-$root/build/host}/pcpu-layout-test/$test_name
mkdir -p "$work"
if [ ! -x "$tool" ]; then
	echo "$test_name: $tool not built (make $tool)"
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

# trees and distances more than one part uses
pi4=$shared/bcm2711-rpi-4-b.dtb
d05=$shared/hip07-d05.dtb
unm=$shared/hifive-unmatched-a00.dtb
any=${pi4:-/nonexistent}
# nodes of 4, 1, 2, 1 CPUs (asymmetric distances)
d4a="0:1:12,1:0:22,0:2:13,2:0:23,0:3:14,3:0:24,1:2:15,2:1:25,1:3:16,3:1:26,2:3:17,3:2:27"

# finish: the notes, the counts, and the exit status (0 only when nothing failed)
finish() {
	for n in "${notes[@]+"${notes[@]}"}"; do echo "note: $n"; done
	echo "$test_name: $pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
