#!/usr/bin/env bash
# run.sh: the benchmarks behind `make bench`.
#
#   bench/run.sh [path/to/sampark]        (default build/sampark)
#
# Each section starts what it measures on 127.0.0.1 (free ports, temp
# database), drives it with wrk from this separate process, prints a table
# and checks its targets.  Exit status 1 when any target is missed or a
# section could not run, so a regression fails `make bench`.
#
# Environment:
#   BENCH_SECONDS      measured duration per target (default 10)
#   BENCH_WARMUP       warm-up duration per target, not measured (default 2)
#   BENCH_CONNECTIONS  wrk connections (default 64)
#   BENCH_THREADS      wrk threads (default 2)
#
# Logs of the servers and the raw wrk output are kept in build/bench/.
# To add a benchmark (e.g. outbound), write a section_<name> function
# like section_inbound and call it from the bottom of this file.

set -eu

sampark=${1:-build/sampark}
case $sampark in
/*) ;;
*) sampark=$PWD/$sampark ;;
esac
cd "$(dirname "$0")/.."

duration=${BENCH_SECONDS:-10}
warmup=${BENCH_WARMUP:-2}
conns=${BENCH_CONNECTIONS:-64}
threads=${BENCH_THREADS:-2}
ready_timeout=10

# Targets from the issue: Sampark with durable logging keeps at least half
# the bare server's throughput, and its p99 stays at or under 20 ms.
target_ratio=0.5
target_p99_ms=20

outdir=build/bench
bare_bin=$outdir/bare_server
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sampark-bench.XXXXXX")
pids=""
failures=""

cleanup() {
	local p
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

fail() {
	failures="$failures
  - $*"
}

# A loopback port nothing listens on now.  The kernel picks it; the small
# window before the server binds it is acceptable on a bench machine.
free_port() {
	python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# wait_ready URL PID: poll URL until it answers 200, while PID lives.
wait_ready() {
	local url=$1 pid=$2 i=0
	while [ $i -lt $((ready_timeout * 10)) ]; do
		if ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

# stop PID: SIGTERM, wait up to 10 s, then SIGKILL.  Returns its status.
stop() {
	local pid=$1 i=0 rc=0
	kill -TERM "$pid" 2>/dev/null || true
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		echo "bench: pid $pid ignored SIGTERM for 10 s, killing it" >&2
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || rc=$?
	pids=$(echo $pids | tr ' ' '\n' | grep -vx "$pid" | tr '\n' ' ' || true)
	return $rc
}

# run_wrk NAME URL SCRIPT SECONDS RUN: one wrk run; saves the RESULT line
# printed by the script's done() into $tmp/NAME.result.
run_wrk() {
	local name=$1 url=$2 script=$3 secs=$4 run=$5
	case $url in
	http://127.0.0.1:*) ;;
	*) echo "bench: refusing non-loopback URL $url" >&2; return 1 ;;
	esac
	if ! wrk -t"$threads" -c"$conns" -d"${secs}s" --latency \
	    -s "$script" "$url" -- "$run" >"$outdir/$name.wrk" 2>&1; then
		echo "bench: wrk failed for $name:" >&2
		cat "$outdir/$name.wrk" >&2
		return 1
	fi
	if ! grep '^RESULT ' "$outdir/$name.wrk" >"$tmp/$name.result"; then
		echo "bench: no RESULT line from wrk for $name:" >&2
		cat "$outdir/$name.wrk" >&2
		return 1
	fi
}

# field NAME KEY: a value from NAME's RESULT line.
field() {
	tr ' ' '\n' <"$tmp/$1.result" | sed -n "s/^$2=//p"
}

# Float comparisons, via awk.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }

row() {
	printf '  %-10s %12s %10s %10s %8s\n' "$@"
}

row_of() {
	if [ -s "$tmp/$2.result" ]; then
		row "$1" "$(field "$2" rps)" "$(field "$2" p50_ms)" \
		    "$(field "$2" p99_ms)" "$(field "$2" errors)"
	else
		row "$1" "-" "-" "-" "-"
	fi
}

build_bare() {
	mkdir -p "$outdir"
	cc -O2 -Wall -Wextra -Werror bench/bare_server.c -o "$bare_bin" \
	    $(pkg-config --cflags --libs libevent)
}

# The bench_* functions run in `||` context, where set -e does not apply:
# every step that can fail says `|| return 1`.

# bench_bare: the yardstick, a bare libevent server on the same path.
bench_bare() {
	local port pid
	port=$(free_port)
	"$bare_bin" 127.0.0.1 "$port" 2>"$outdir/bare.log" &
	pid=$!
	pids="$pids $pid"
	if ! wait_ready "http://127.0.0.1:$port/" "$pid"; then
		why="bare server not ready, see $outdir/bare.log"
		return 1
	fi
	echo "bench: bare server on 127.0.0.1:$port: warm-up ${warmup}s, run ${duration}s"
	run_wrk bare-warmup "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$warmup" 0 || return 1
	run_wrk bare "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$duration" 1 || return 1
	stop "$pid" || echo "bench: bare server exited with status $?" >&2
}

# bench_sampark: the daemon with durable logging, console provider.
# Sets sampark_rss and sampark_rows for the report.
bench_sampark() {
	local port pid db=$tmp/sampark.db ok
	sampark_rss="-"
	sampark_rows="-"
	if [ ! -x "$sampark" ]; then
		why="$sampark does not exist (make builds it)"
		return 1
	fi
	if ! "$sampark" import stakeholders config/stakeholders.csv \
	    --db "$db" >"$outdir/sampark-import.log" 2>&1; then
		why="import of config/stakeholders.csv failed, see $outdir/sampark-import.log"
		tail -n 20 "$outdir/sampark-import.log" >&2
		return 1
	fi
	port=$(free_port)
	"$sampark" serve -c config/sampark.conf --listen "127.0.0.1:$port" \
	    --db "$db" 2>"$outdir/sampark.log" &
	pid=$!
	pids="$pids $pid"
	if ! wait_ready "http://127.0.0.1:$port/healthz" "$pid"; then
		if kill -0 "$pid" 2>/dev/null; then
			why="no 200 from /healthz within ${ready_timeout}s"
		else
			why="sampark serve exited before it was ready"
		fi
		why="$why, see $outdir/sampark.log"
		tail -n 20 "$outdir/sampark.log" >&2
		return 1
	fi
	echo "bench: sampark on 127.0.0.1:$port: warm-up ${warmup}s, run ${duration}s"
	run_wrk sampark-warmup "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$warmup" 0 || return 1
	run_wrk sampark "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$duration" 1 || return 1
	sampark_rss=$(awk '/^VmHWM:/ { print $2 " " $3 }' "/proc/$pid/status" \
	    2>/dev/null || echo "-")
	if ! stop "$pid"; then
		echo "bench: sampark did not exit cleanly on SIGTERM; its log:" >&2
		tail -n 20 "$outdir/sampark.log" >&2
		fail "sampark did not exit cleanly on SIGTERM"
	fi
	ok=$(( $(field sampark-warmup ok) + $(field sampark ok) ))
	sampark_rows=$(sqlite3 "$db" 'select count(*) from interactions' \
	    2>&1 | head -n 1 || true)
	sampark_expect=$((ok * 2))
}

section_inbound() {
	local ratio bare_ok=0 sampark_ok=0 p99 errors v

	echo
	echo "== inbound SMS: POST /sms/console, unique senders and message ids"
	build_bare
	why="see the messages above"
	bench_bare && bare_ok=1 || fail "bare server benchmark did not run: $why"
	why="see the messages above"
	bench_sampark && sampark_ok=1 || fail "sampark benchmark did not run: $why"

	echo
	echo "inbound SMS, wrk -t$threads -c$conns -d${duration}s after ${warmup}s warm-up, 127.0.0.1"
	row target requests/s "p50 ms" "p99 ms" errors
	row_of bare bare
	row_of sampark sampark
	echo
	if [ $bare_ok = 1 ] && [ $sampark_ok = 1 ]; then
		ratio=$(awk -v s="$(field sampark rps)" -v b="$(field bare rps)" \
		    'BEGIN { printf "%.2f", (b > 0) ? s / b : 0 }')
		p99=$(field sampark p99_ms)
		errors=$(field sampark errors)
		if ge "$ratio" "$target_ratio"; then v=PASS; else
			v=FAIL; fail "ratio $ratio < $target_ratio"; fi
		echo "  ratio sampark/bare  $ratio   (target >= $target_ratio)  $v"
		if le "$p99" "$target_p99_ms"; then v=PASS; else
			v=FAIL; fail "sampark p99 $p99 ms > $target_p99_ms ms"; fi
		echo "  sampark p99         $p99 ms   (target <= $target_p99_ms ms)  $v"
		# A daemon that fails fast would look quick: errors void the run.
		if [ "$errors" = 0 ]; then v=PASS; else
			v=FAIL; fail "sampark had $errors errors (socket errors or non-2xx)"; fi
		echo "  sampark errors      $errors   (target 0)  $v"
		echo "  sampark peak RSS    $sampark_rss (VmHWM)"
		echo "  interactions rows   $sampark_rows (expected about $sampark_expect:" \
		    "2 per successful request incl. warm-up)"
	else
		echo "  ratio sampark/bare  -   (target >= $target_ratio)  FAIL: not measured"
	fi
}

for tool in wrk curl python3 sqlite3 cc pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is not installed (make deps installs it)" >&2
		exit 1
	fi
done
mkdir -p "$outdir"

section_inbound

echo
if [ -n "$failures" ]; then
	echo "bench: FAIL$failures"
	exit 1
fi
echo "bench: PASS"
