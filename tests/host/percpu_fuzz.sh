#!/usr/bin/env bash
# percpu_fuzz.sh - run the per-CPU allocator's libFuzzer target on a corpus kept in
# build/host: a fixed number of inputs with a fixed seed by default (PERCPU_FUZZ_RUNS,
# FUZZ_SEED), so `make test` is repeatable; PERCPU_FUZZ_TIME=SECONDS searches for a time.
set -eu
cd "$(dirname "$0")/../.."
corpus=build/host/percpu_fuzz_corpus
mkdir -p "$corpus"
if [ -n "${PERCPU_FUZZ_TIME:-}" ]; then
	bound=-max_total_time=$PERCPU_FUZZ_TIME
else
	bound=-runs=${PERCPU_FUZZ_RUNS:-8000}
fi
exec build/host/percpu_fuzz "$bound" -seed="${FUZZ_SEED:-1}" -close_fd_mask=1 \
	-max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/host/ "$corpus"
