#!/bin/sh
# Run cmocka unit test binaries; record "name passed failed" per binary in
# build/test-results.txt so that `make test` can print one closing line.
set -u
results=build/test-results.txt
mkdir -p build
status=0
for t in "$@"; do
	out=$(mktemp)
	"$t" >"$out" 2>&1
	rc=$?
	cat "$out"
	passed=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	failed=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
	if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
		failed=1	# crashed or aborted before cmocka could count
	fi
	echo "$t $passed $failed" >>"$results"
	[ "$rc" -ne 0 ] && status=1
	rm -f "$out"
done
exit $status
