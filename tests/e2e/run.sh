#!/usr/bin/env bash
# Runs each end-to-end script given, with FI_BUILD set by the Makefile,
# and prints one "N passed, N failed" line at the end.
set -u
: "${FI_BUILD:?FI_BUILD must name the build directory}"
pass=0
fail=0
failed=""
for t in "$@"; do
	[ "$(basename "$t")" = run.sh ] && continue
	[ "$(basename "$t")" = lib.sh ] && continue
	start=$(date +%s)
	log=$(mktemp)
	if bash "$t" >"$log" 2>&1; then
		pass=$((pass + 1))
		echo "PASS $t ($(( $(date +%s) - start )) s)"
	else
		fail=$((fail + 1))
		failed="$failed $t"
		echo "FAIL $t ($(( $(date +%s) - start )) s)"
		sed 's/^/    /' "$log" | tail -60
	fi
	rm -f "$log"
done
echo "e2e: $pass passed, $fail failed"
[ "$fail" = 0 ]
