#!/usr/bin/env bash
# fuzz-run.sh - run one libFuzzer target of the device-tree code for a bounded time.
#
#   tests/host/fuzz-run.sh build/host/fuzz_dt [SECONDS]
#
# The seeds are the board trees in ../shared/dtb (PCPURT_DTB_DIR), the hand-written trees
# in build/host/dt, the regression inputs in tests/host/data and packed copies of a few
# QEMU trees when tests/host/dt_qemu_trees.sh has made them; they are copied into
# build/host/fuzz/<name>/seeds and handed over in name order (-seed_inputs).
# By default it runs a fixed number of inputs with a fixed seed (FUZZ_RUNS, FUZZ_SEED)
# from an empty corpus, so that `make test` is repeatable on any machine: the same tree
# gives the same verdict. (A corpus folder is read in the file system's directory order,
# which differs between machines, and that changes what libFuzzer tries.)
# FUZZ_TIME=SECONDS (or a second argument) runs for a time instead, to search longer, and
# keeps what it finds in build/host/fuzz/<name>/corpus for the next timed run. Exits 0 when
# the fuzzer found no crash; otherwise prints the end of its log and the crashing input's
# path (replay it with: FUZZER INPUT).
set -u
fuzzer=${1:?usage: fuzz-run.sh FUZZER [SECONDS]}
secs=${2:-${FUZZ_TIME:-}}
root=$(cd "$(dirname "$0")/../.." && pwd)
name=$(basename "$fuzzer")
work=$(dirname "$fuzzer")/fuzz/$name
corpus=$work/corpus
shared=${PCPURT_DTB_DIR:-$root/../shared/dtb}

if [ ! -x "$fuzzer" ]; then
	echo "fuzz-run: $fuzzer not built"
	exit 1
fi
seeds=$work/seeds
rm -rf "$seeds"
# a fixed-count run starts from an empty corpus (see above); a timed one builds on the last
[ -z "$secs" ] && rm -rf "$corpus"
mkdir -p "$corpus" "$seeds"
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
# regression inputs found by fuzzing (tests/host/data/*.bin) are seeds too
for f in "$shared"/*.dtb "$root"/build/host/dt/*.dtb "$root"/tests/host/data/*.bin; do
	[ -f "$f" ] && cp -f "$f" "$seeds/$(basename "$f")"
done
for f in arm64-numa4 riscv64-numa4 arm64-smp1; do
	q=$root/build/host/qemu-dtb/$f.dtb
	# QEMU's trees are 1 MiB of mostly free space: dtc packs them
	[ -f "$q" ] && dtc -q -I dtb -O dtb -o "$seeds/qemu-$f.dtb" "$q" 2>/dev/null
done
# comma-separated, in name order (LC_ALL=C: the same order everywhere)
(cd "$seeds" && LC_ALL=C ls | sed "s|^|$seeds/|" | paste -sd, -) >"$work/seed-list"

case $name in
fuzz_fdt_check) runs=3000000 ;;
*) runs=400000 ;;
esac
if [ -n "$secs" ]; then
	bound=-max_total_time=$secs
else
	bound=-runs=${FUZZ_RUNS:-$runs}
fi
log=$work/log
"$fuzzer" "$bound" -seed="${FUZZ_SEED:-1}" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
	-artifact_prefix="$work/" -print_final_stats=1 -seed_inputs="@$work/seed-list" \
	"$corpus" >"$log" 2>&1
rc=$?
crash=$(ls "$work"/crash-* "$work"/timeout-* "$work"/oom-* "$work"/leak-* 2>/dev/null | head -1)
if [ "$rc" -ne 0 ] || [ -n "$crash" ]; then
	grep -E "^$name:|ERROR|SUMMARY|^    #[0-9] " "$log" | head -16
	echo "fuzz-run: $name failed (exit $rc); log $log"
	[ -n "$crash" ] && echo "fuzz-run: crashing input $crash (replay: $fuzzer $crash)"
	exit 1
fi
echo "fuzz-run: $name: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}')" \
     "runs${secs:+ in ${secs}s} (seed ${FUZZ_SEED:-1}), no crash;" \
     "$(ls "$seeds" | wc -l) seeds, $(ls "$corpus" | wc -l) new inputs kept"
