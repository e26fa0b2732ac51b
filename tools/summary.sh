#!/bin/sh
# Print the closing line of `make test` from build/test-results.txt.
set -u
results=build/test-results.txt
[ -f "$results" ] || { echo "0 passed, 1 failed"; exit 1; }
awk '{p+=$2; f+=$3} END {printf "%d passed, %d failed\n", p, f; exit (f > 0)}' "$results"
