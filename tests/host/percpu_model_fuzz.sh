#!/usr/bin/env bash
# percpu_model_fuzz.sh - longer runs of the per-CPU allocator's model-based test under
# `make fuzz`: with FUZZ_TIME=SECONDS, runs with new seeds (from FUZZ_SEED, else the clock),
# each picking allocator kind, backend, CPU count and unit size, for that long. Without
# FUZZ_TIME it does nothing more: the fixed runs are part of `make test-host`.
# A failure prints its seed; `build/host/percpu_model_test -s SEED` repeats that run.
set -eu
cd "$(dirname "$0")/../.."
if [ -z "${FUZZ_TIME:-}" ]; then
	echo "percpu_model_fuzz: FUZZ_TIME not set; the fixed runs are in make test-host"
	exit 0
fi
exec build/host/percpu_model_test -t "$FUZZ_TIME" ${FUZZ_SEED:+-s "$FUZZ_SEED"}
