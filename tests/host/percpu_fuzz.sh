#!/usr/bin/env bash
# percpu_fuzz.sh - run the per-CPU allocator's libFuzzer target: a fixed number of inputs
# with a fixed seed from an empty corpus by default (PERCPU_FUZZ_RUNS, FUZZ_SEED), so
# `make test` is repeatable on any machine; PERCPU_FUZZ_TIME=SECONDS searches for a time and
# keeps what it finds in build/host/percpu_fuzz_corpus for the next timed run.
set -eu
cd "$(dirname "$0")/../.."
corpus=build/host/percpu_fuzz_corpus
if [ -n "${PERCPU_FUZZ_TIME:-}" ]; then
	bound=-max_total_time=$PERCPU_FUZZ_TIME
else
	bound=-runs=${PERCPU_FUZZ_RUNS:-8000}
	rm -rf "$corpus"
fi
mkdir -p "$corpus"
exec build/host/percpu_fuzz "$bound" -seed="${FUZZ_SEED:-1}" -close_fd_mask=1 \
	-max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/host/ "$corpus"
