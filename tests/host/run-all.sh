#!/usr/bin/env bash
# run-all.sh - run each host test program given as an argument, report each, and close
# with "N passed, N failed". A test passes when it exits 0 within HOST_TEST_TIMEOUT
# seconds (600 by default; a hang is a failure).
set -u
pass=0; fail=0; failed=()
for t in "$@"; do
	start=$EPOCHREALTIME
	if out=$(timeout "${HOST_TEST_TIMEOUT:-600}" "$t" 2>&1); then
		pass=$((pass + 1)); st=PASS
	else
		fail=$((fail + 1)); st=FAIL; failed+=("$t")
		printf '%s\n' "$out" | tail -n 40
	fi
	printf '%-4s %-48s %6.2fs\n' "$st" "$(basename "$t")" "$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{print b-a}')"
done
for t in "${failed[@]+"${failed[@]}"}"; do echo "failed: $t"; done
echo "host: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
