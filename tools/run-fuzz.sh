#!/bin/sh
# Run libFuzzer targets (build/fuzz/fuzz_<target>):
#
#   run-fuzz.sh [-j JOBS] SECONDS BINARY...
#
# For each target, first replay every saved crashing input in
# tests/fuzz/regressions/<target>/ (libFuzzer runs files given as
# arguments once), then fuzz for SECONDS (0: replay only) starting from
# the seeds in tests/fuzz/corpus/<target>/.  New inputs go to
# build/fuzz/corpus/<target>/ so that the seed corpus in the repository
# stays hand-made; crashes go to build/fuzz/artifacts/<target>/ (copy
# them to tests/fuzz/regressions/<target>/ once fixed).  Each run adds
# "fuzz:<target> passed failed" to build/test-results.txt, as run-unit.sh
# does, so that `make test` counts it.  Logs: build/fuzz/logs/.
set -u
results=build/test-results.txt
jobs=1
if [ "${1:-}" = "-j" ]; then
	jobs=$2
	shift 2
fi
seconds=$1
shift
mkdir -p build/fuzz/logs

record() {	# name ok
	if [ "$2" -eq 1 ]; then
		echo "$1 1 0" >>"$results"
	else
		echo "$1 0 1" >>"$results"
	fi
}

run_one() {
	bin=$1
	name=$(basename "$bin")
	target=${name#fuzz_}
	seeds=tests/fuzz/corpus/$target
	regress=tests/fuzz/regressions/$target
	work=build/fuzz/corpus/$target
	art=build/fuzz/artifacts/$target
	log=build/fuzz/logs/$target.log
	mkdir -p "$work" "$art" "$seeds"
	status=0

	if [ -d "$regress" ] && [ -n "$(ls -A "$regress" 2>/dev/null)" ]; then
		if "$bin" -timeout=10 "$regress"/* >"$log.regress" 2>&1; then
			record "fuzz-regress:$target" 1
		else
			echo "FAIL fuzz-regress:$target (a saved crashing input crashes again); log $log.regress:"
			tail -n 40 "$log.regress"
			record "fuzz-regress:$target" 0
			status=1
		fi
	fi
	[ "$seconds" -eq 0 ] && return $status
	if "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	    -close_fd_mask=1 -print_final_stats=1 -artifact_prefix="$art/" \
	    "$work" "$seeds" >"$log" 2>&1; then
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
		echo "ok   fuzz:$target (${seconds}s, ${execs:-?} runs)"
		record "fuzz:$target" 1
	else
		echo "FAIL fuzz:$target; crashing input in $art/, log $log:"
		grep -v '^ts=' "$log" | tail -n 40
		record "fuzz:$target" 0
		status=1
	fi
	return $status
}

status=0
running=0
tmp=$(mktemp -d)
for bin in "$@"; do
	( run_one "$bin" >"$tmp/$(basename "$bin")" 2>&1; echo $? >"$tmp/$(basename "$bin").rc" ) &
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait
for bin in "$@"; do
	n=$(basename "$bin")
	cat "$tmp/$n"
	[ "$(cat "$tmp/$n.rc" 2>/dev/null || echo 1)" -eq 0 ] || status=1
done
rm -rf "$tmp"
exit $status
