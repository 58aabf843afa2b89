#!/usr/bin/env bash
# check_layering_test.sh - scripts/check-layering.py passes the tree as it is and fails on
# a forbidden call or include put into a copy of it.
#
# Part 1 (always): a small tree of a few files, compiled with clang for the host: a
# permitted call passes; a call from kernel/ into tests/target/, from percpu/ into a driver,
# into boot/, and an <asm/...> include in percpu/, a libfdt include in mm/ and a quoted
# include of another folder's header, and a test defined in mm/, each fail, naming the
# file and the edge.
# Part 2 (when build/arm64-qemu-virt is built, as make test does first): a copy of the real
# sources and objects passes; then one forbidden include in percpu/counter.c, one object in
# kernel/ and one of a WORKLOADS=DIR folder that call a tests/target/ function, must each
# make it fail.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
check="${PYTHON:-python3} $repo/scripts/check-layering.py"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
fails=0

fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# expect_pass NAME ROOT OBJ SOURCES...
expect_pass() {
	local name=$1 root=$2 obj=$3
	shift 3
	if ! out=$($check --root "$root" --obj-dir "$obj" "$@" 2>&1); then
		fail "$name: check-layering failed on a permitted tree:"
		printf '%s\n' "$out"
	else
		echo "ok: $name passes"
	fi
}

# expect_fail NAME WANT ROOT OBJ SOURCES...: fails, and its message holds WANT
expect_fail() {
	local name=$1 want=$2 root=$3 obj=$4
	shift 4
	if out=$($check --root "$root" --obj-dir "$obj" "$@" 2>&1); then
		fail "$name: check-layering passed a forbidden edge"
		printf '%s\n' "$out"
	elif ! grep -qF -- "$want" <<<"$out"; then
		fail "$name: the message does not say \"$want\":"
		printf '%s\n' "$out"
	else
		echo "ok: $name fails: $(grep -F -- "$want" <<<"$out" | head -1)"
	fi
}

# put FILE TEXT: write a source of the small tree and compile it to obj/FILE.o
put() {
	mkdir -p "$(dirname "$t/mini/$1")" "$(dirname "$t/mini/obj/$1")"
	printf '%s\n' "$2" >"$t/mini/$1"
	clang -c -w -o "$t/mini/obj/$1.o" -x c - <<<"$(grep -v '#include' "$t/mini/$1")"
}

# --- part 1: a small tree ---
put kernel/svc.c 'int svc(void) { return 1; }'
put percpu/alloc.c '#include <pcpurt/printk.h>
int svc(void); int alloc(void) { return 0; }'
put tests/target/probe.c 'int svc(void); int alloc(void);
int probe(void) { return svc() + alloc(); }'
put drivers/uart/uart.c 'void uart_out(void) {}'
put boot/entry.c 'int svc(void); int entry(void) { return svc(); }'
put kernel/bad_test.c 'int probe(void); int bad_test(void) { return probe(); }'
put percpu/bad_drv.c 'void uart_out(void); void bad_drv(void) { uart_out(); }'
put mm/bad_boot.c 'int entry(void); int bad_boot(void) { return entry(); }'
put percpu/bad_asm.c '#include <asm/percpu.h>
int bad_asm;'
put mm/bad_fdt.c '#include <libfdt.h>
int bad_fdt;'
put kernel/bad_path.c '#include "../tests/target/probe.h"
int bad_path;'
put mm/bad_entry.c '__asm__(".globl \"pcpurt_run_name:mm-test\"\n\"pcpurt_run_name:mm-test\":");'
touch "$t/mini/tests/target/probe.h"
ok="kernel/svc.c percpu/alloc.c tests/target/probe.c drivers/uart/uart.c boot/entry.c"
# shellcheck disable=SC2086
{
	expect_pass "small tree" "$t/mini" obj $ok
	expect_fail "kernel calls a test" "kernel/bad_test.c: calls probe (tests/target/probe.c)" \
		"$t/mini" obj $ok kernel/bad_test.c
	expect_fail "percpu calls a driver" "percpu/ may not call drivers/uart/" \
		"$t/mini" obj $ok percpu/bad_drv.c
	expect_fail "mm calls boot" "mm/ may not call boot/" "$t/mini" obj $ok mm/bad_boot.c
	expect_fail "percpu includes asm" "percpu/bad_asm.c: #include <asm/percpu.h>" \
		"$t/mini" obj $ok percpu/bad_asm.c
	expect_fail "mm includes libfdt" "mm/bad_fdt.c: #include <libfdt.h>" \
		"$t/mini" obj $ok mm/bad_fdt.c
	expect_fail "kernel includes a test header by path" "kernel/bad_path.c: #include" \
		"$t/mini" obj $ok kernel/bad_path.c
	expect_fail "a test defined in mm/" "mm/bad_entry.c: defines the test or workload" \
		"$t/mini" obj $ok mm/bad_entry.c
}

# --- part 2: a copy of the real tree ---
build=build/arm64-qemu-virt
if [ ! -f $build/pcpurt.elf ]; then
	echo "note: no $build/pcpurt.elf (make images): the real tree's copy is not checked"
else
	mkdir -p "$t/real"
	git ls-files -z --cached --others --exclude-standard \
		boot kernel drivers mm percpu lib arch include workloads tests/target |
		tar --null -T - -cf - | tar -xf - -C "$t/real"
	cp -r $build/obj "$t/real/obj"
	read -r -a srcs <<<"$(make -s --no-print-directory ARCH=arm64 PLATFORM=qemu-virt print-srcs)"
	expect_pass "copy of the tree" "$t/real" obj "${srcs[@]}"

	cp "$t/real/percpu/counter.c" "$t/counter.c"
	sed -i '0,/#include/s//#include <asm\/percpu.h>\n#include/' "$t/real/percpu/counter.c"
	expect_fail "real percpu/counter.c includes asm" \
		"percpu/counter.c: #include <asm/percpu.h>" "$t/real" obj "${srcs[@]}"
	cp "$t/counter.c" "$t/real/percpu/counter.c"

	printf '%s\n' 'unsigned int pcpu_selftest_misuse(void *pa, const void *foreign);' \
		'unsigned int kernel_misuse(void) { return pcpu_selftest_misuse(0, 0); }' \
		>"$t/real/kernel/zz_misuse.c"
	clang --target=aarch64-none-elf -c -o "$t/real/obj/kernel/zz_misuse.c.o" \
		"$t/real/kernel/zz_misuse.c"
	expect_fail "real kernel/ calls a tests/target/ function" \
		"kernel/zz_misuse.c: calls pcpu_selftest_misuse (tests/target/pcpu_alloc_selftest.c)" \
		"$t/real" obj "${srcs[@]}" kernel/zz_misuse.c

	# a WORKLOADS=DIR folder is checked as workloads/: it may not call a test either
	mkdir -p "$t/ext" "$t/real/obj/ext$t/ext"
	printf '%s\n' 'unsigned int pcpu_selftest_misuse(void *pa, const void *foreign);' \
		'unsigned int my_misuse(void) { return pcpu_selftest_misuse(0, 0); }' >"$t/ext/mine.c"
	clang --target=aarch64-none-elf -c -o "$t/real/obj/ext$t/ext/mine.c.o" "$t/ext/mine.c"
	expect_fail "a WORKLOADS=DIR file calls a tests/target/ function" \
		"$t/ext/mine.c: calls pcpu_selftest_misuse (tests/target/pcpu_alloc_selftest.c): workloads/" \
		"$t/real" obj --ext-dir "$t/ext" "${srcs[@]}" "$t/ext/mine.c"
fi

if [ "$fails" -ne 0 ]; then
	echo "check_layering_test: $fails failed"
	exit 1
fi
echo "check_layering_test: all passed"
