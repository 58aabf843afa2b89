#!/usr/bin/env bash
# percpu_fuzz.sh - run the per-CPU allocator's libFuzzer target for a bounded time
# (PERCPU_FUZZ_TIME seconds, default 20) on a corpus kept in build/host.
set -eu
cd "$(dirname "$0")/../.."
corpus=build/host/percpu_fuzz_corpus
mkdir -p "$corpus"
exec build/host/percpu_fuzz -max_total_time="${PERCPU_FUZZ_TIME:-20}" -close_fd_mask=1 \
	-max_len=4096 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix=build/host/ "$corpus"
