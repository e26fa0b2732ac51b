#!/usr/bin/env bash
# run.sh: the benchmarks behind `make bench`.
#
#   bench/run.sh [path/to/sampark]        (default build/sampark)
#
# Each section starts what it measures on 127.0.0.1 (free ports, temp
# database), drives it from a separate process (wrk inbound, a local
# provider sink outbound), prints a table and checks its targets.  Exit
# status 1 when any target is missed or a section could not run, so a
# regression fails `make bench`.
#
# Every figure is measured on an empty database and on a copy of a grown
# one (bench/seed_coalition.py, cached in build/bench/), side by side.
#
# Environment:
#   BENCH_SECTIONS     sections to run (default "seed inbound outbound
#                      bcsend replies bulk growth broadcast pg")
#   BENCH_QUICK        set: small sizes and short runs, a smoke run
#   BENCH_CONTACTS, BENCH_INTERACTIONS, BENCH_GROUP_SIZE,
#   BENCH_BULK_CONTACTS, BENCH_GROWTH, BENCH_BULK_SECONDS,
#   BENCH_PACE_CONNECTIONS, BENCH_PACE_MS   see bench/README.md
#   BENCH_SECONDS      measured duration per target (default 10)
#   BENCH_WARMUP       warm-up duration per target, not measured (default 2)
#   BENCH_CONNECTIONS  wrk connections (default 64)
#   BENCH_THREADS      wrk threads (default 2)
#   BENCH_OUTBOUND_N   messages in the outbound run (default 20000)
#   BENCH_OUTBOUND_INFLIGHT  requests in flight, daemon and bare (default 32)
#   BENCH_ROUNDS       rounds of each ratio's runs, the median kept (default 3)
#   BENCH_PERF         set: perf record the daemon's outbound run into
#                      build/bench/outbound-rN.perf.data
#
# Logs of the servers and the raw wrk output are kept in build/bench/.
# To add a benchmark, write a section_<name> function like section_inbound
# and call it from the bottom of this file.

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

# A ratio compares two runs made seconds apart on a machine whose speed
# drifts (the bare yardsticks moved by 2x between runs of one day).  So
# each ratio's runs go in rounds, yardstick and Sampark side by side in
# each round, and the median of each side is compared; a p99 taken while
# they run is the worst of the rounds.
rounds=${BENCH_ROUNDS:-3}

outdir=build/bench
bare_bin=$outdir/bare_server

# The grown database (bench/seed_coalition.py) and the sizes the sections
# use.  BENCH_QUICK=1 shrinks them all for a smoke run of a minute or two.
if [ -n "${BENCH_QUICK:-}" ]; then
	grown_contacts=${BENCH_CONTACTS:-20000}
	grown_interactions=${BENCH_INTERACTIONS:-100000}
	bc_group=${BENCH_GROUP_SIZE:-2000}
	bulk_contacts=${BENCH_BULK_CONTACTS:-20000}
	growth_sizes=${BENCH_GROWTH:-"5000 20000 50000"}
	: "${BENCH_OUTBOUND_N:=5000}"
	duration=${BENCH_SECONDS:-3}
	warmup=${BENCH_WARMUP:-1}
	: "${BENCH_ROUNDS:=1}"
else
	grown_contacts=${BENCH_CONTACTS:-100000}
	grown_interactions=${BENCH_INTERACTIONS:-1000000}
	bc_group=${BENCH_GROUP_SIZE:-10000}
	bulk_contacts=${BENCH_BULK_CONTACTS:-103000}
	growth_sizes=${BENCH_GROWTH:-"10000 100000 1000000"}
fi
. bench/lib.sh
bench_init bench
# The PostgreSQL cluster of section_pg goes with the rest at exit.
trap 'bench_cleanup; pg_cleanup' EXIT

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

# pick_result OUT KEY WHICH NAME...: of the RESULT lines of the NAMEs
# that ran, the one whose KEY is the median (WHICH=median; of an even
# count the lower) or the largest (WHICH=max), as OUT.result; and the
# values of every round in $picked (for the tables).  1 if none ran.
pick_result() {
	local out=$1 key=$2 which=$3 n
	shift 3
	picked=""
	for n in "$@"; do
		[ -s "$tmp/$n.result" ] || continue
		echo "$(field "$n" "$key") $(cat "$tmp/$n.result")"
	done | sort -n -k1,1 | awk -v w="$which" '{ l[NR] = $0 }
	    END { if (NR == 0) exit
		m = (w == "max") ? l[NR] : l[int((NR + 1) / 2)]
		sub(/^[^ ]+ /, "", m); print m }' >"$tmp/$out.result"
	picked=$(for n in "$@"; do [ -s "$tmp/$n.result" ] &&
	    field "$n" "$key"; done | tr '\n' ' ')
	[ -s "$tmp/$out.result" ]
}

# round_names NAME: NAME-r1 ... NAME-rN.
round_names() {
	local r
	for r in $(seq "$rounds"); do
		printf '%s-r%s ' "$1" "$r"
	done
}

# Float comparisons, via awk.
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 >= b + 0) }'; }
le() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'; }
# A ratio as printed: two decimals, cut rather than rounded, so that a
# ratio of 0.4996 (which fails) is not shown as 0.50.
shown() { awk -v r="$1" 'BEGIN { printf "%.2f", int(r * 100 + 1e-6) / 100 }'; }

row() {
	printf '  %-16s %12s %10s %10s %8s\n' "$@"
}

# result_row PRINTER LABEL RESULT FIELD...: a table row of RESULT's
# fields, or of dashes when the run left no result.
result_row() {
	local printer=$1 label=$2 res=$3 f vals=()
	shift 3
	for f in "$@"; do
		if [ -s "$tmp/$res.result" ]; then
			vals+=("$(field "$res" "$f")")
		else
			vals+=("-")
		fi
	done
	"$printer" "$label" "${vals[@]}"
}

row_of() { result_row row "$1" "$2" rps p50_ms p99_ms errors; }

build_bare() {
	mkdir -p "$outdir"
	cc -O2 -Wall -Wextra -Werror bench/bare_server.c -o "$bare_bin" \
	    $(pkg-config --cflags --libs libevent)
}

# The bench_* functions run in `||` context, where set -e does not apply:
# every step that can fail says `|| return 1`.

# serve_on_loopback BIN NAME: BIN 127.0.0.1 PORT in the background on a
# free port, logging to NAME.log, until it answers; sets served_port and
# served_pid.
serve_on_loopback() {
	served_port=$(free_port)
	"$1" 127.0.0.1 "$served_port" 2>"$outdir/$2.log" &
	served_pid=$!
	pids="$pids $served_pid"
	if ! wait_ready "http://127.0.0.1:$served_port/" "$served_pid"; then
		why="$2 not ready, see $outdir/$2.log"
		return 1
	fi
}

# bench_bare NAME: the yardstick, a bare libevent server on the same path.
bench_bare() {
	local name=$1 port pid
	serve_on_loopback "$bare_bin" "$name" || return 1
	port=$served_port pid=$served_pid
	echo "bench: $name server on 127.0.0.1:$port: warm-up ${warmup}s, run ${duration}s"
	run_wrk $name-warmup "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$warmup" 0 || return 1
	run_wrk $name "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$duration" 1 || return 1
	stop "$pid" || echo "bench: bare server exited with status $?" >&2
}

# bench_sampark NAME [SEED_DB]: the daemon with durable logging, console
# provider, on an empty database or on a copy of SEED_DB (a grown one).
# Results in $tmp/NAME.result; sets sampark_rss, sampark_rows and
# sampark_expect for the report.
bench_sampark() {
	local name=$1 seed=${2:-} port pid db=$tmp/$1.db ok rows0=0
	sampark_rss="-"
	sampark_rows="-"
	if [ ! -x "$sampark" ]; then
		why="$sampark does not exist (make builds it)"
		return 1
	fi
	if [ -n "$seed" ]; then
		copy_db "$seed" "$db" || { why="could not copy $seed"; return 1; }
		rows0=$(sqlite3 "$db" 'select count(*) from interactions')
	elif ! "$sampark" import stakeholders config/stakeholders.csv \
	    --db "$db" >"$outdir/$name-import.log" 2>&1; then
		why="import of config/stakeholders.csv failed, see $outdir/$name-import.log"
		tail -n 20 "$outdir/$name-import.log" >&2
		return 1
	fi
	port=$(free_port)
	# No admin listener: its fixed port may be taken, and it is not
	# what is measured.
	"$sampark" serve -c config/sampark.conf --listen "127.0.0.1:$port" \
	    --db "$db" --set admin_listen= 2>"$outdir/$name.log" &
	pid=$!
	pids="$pids $pid"
	if ! wait_ready "http://127.0.0.1:$port/healthz" "$pid"; then
		if kill -0 "$pid" 2>/dev/null; then
			why="no 200 from /healthz within ${ready_timeout}s"
		else
			why="sampark serve exited before it was ready"
		fi
		why="$why, see $outdir/$name.log"
		tail -n 20 "$outdir/$name.log" >&2
		return 1
	fi
	echo "bench: $name on 127.0.0.1:$port: warm-up ${warmup}s, run ${duration}s"
	run_wrk $name-warmup "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$warmup" 0 || return 1
	run_wrk $name "http://127.0.0.1:$port/sms/console" \
	    bench/inbound.lua "$duration" 1 || return 1
	sampark_rss=$(awk '/^VmHWM:/ { print $2 " " $3 }' "/proc/$pid/status" \
	    2>/dev/null || echo "-")
	if ! stop "$pid"; then
		echo "bench: sampark did not exit cleanly on SIGTERM; its log:" >&2
		tail -n 20 "$outdir/$name.log" >&2
		fail "sampark did not exit cleanly on SIGTERM ($name)"
	fi
	ok=$(( $(field $name-warmup ok) + $(field $name ok) ))
	sampark_rows=$(sqlite3 "$db" 'select count(*) from interactions' \
	    2>&1 | head -n 1 || true)
	sampark_rows=$((sampark_rows - rows0))
	sampark_expect=$((ok * 2))
	rm -f "$db" "$db-wal" "$db-shm"
}

# inbound_verdict LABEL NAME: the targets of sampark's runs against
# bare: the ratio of the medians, the worst p99 and every error of the
# rounds.
inbound_verdict() {
	local label=$1 name=$2 ratio exact p99 errors=0 v n
	if [ ! -s "$tmp/$name.result" ] || [ ! -s "$tmp/bare.result" ]; then
		echo "  $label: ratio -   (target >= $target_ratio)  FAIL: not measured"
		fail "inbound ($label) not measured"
		return 0
	fi
	exact=$(awk -v s="$(field $name rps)" -v b="$(field bare rps)" \
	    'BEGIN { printf "%.6f", (b > 0) ? s / b : 0 }')
	ratio=$(shown "$exact")
	pick_result $name-worst p99_ms max $(round_names $name)
	p99=$(field $name-worst p99_ms)
	for n in $(round_names $name); do
		[ -s "$tmp/$n.result" ] && errors=$((errors + $(field $n errors)))
	done
	if ge "$exact" "$target_ratio"; then v=PASS; else
		v=FAIL; fail "inbound ($label) ratio $ratio < $target_ratio"; fi
	echo "  $label: ratio sampark/bare  $ratio   (target >= $target_ratio)  $v"
	if le "$p99" "$target_p99_ms"; then v=PASS; else
		v=FAIL; fail "inbound ($label) p99 $p99 ms > $target_p99_ms ms"; fi
	echo "  $label: sampark p99         $p99 ms   (worst round; target <= $target_p99_ms ms)  $v"
	# A daemon that fails fast would look quick: errors void the run.
	if [ "$errors" = 0 ]; then v=PASS; else
		v=FAIL; fail "inbound ($label) had $errors errors (socket errors or non-2xx)"; fi
	echo "  $label: sampark errors      $errors   (target 0)  $v"
}

section_inbound() {
	local grown="" r rss_e="-" rss_g="-" rows_e="-" rows_g="-" exp_e="-" exp_g="-"
	local rounds_bare rounds_e rounds_g

	echo
	echo "== inbound SMS: POST /sms/console, unique senders and message ids"
	rm -f "$tmp"/bare*.result "$tmp"/sampark*.result
	build_bare
	why="see the messages above"
	grown=$(grown_db "$grown_contacts") ||
	    fail "the grown database could not be made: $why"
	for r in $(seq "$rounds"); do
		why="see the messages above"
		bench_bare bare-r$r || fail "bare server benchmark did not run: $why"
		why="see the messages above"
		if bench_sampark sampark-r$r; then
			rss_e=$sampark_rss rows_e=$sampark_rows exp_e=$sampark_expect
		else
			fail "sampark benchmark (empty) did not run: $why"
		fi
		why="see the messages above"
		if [ -n "$grown" ] && bench_sampark sampark-grown-r$r "$grown"; then
			rss_g=$sampark_rss rows_g=$sampark_rows exp_g=$sampark_expect
		else
			fail "sampark benchmark (grown) did not run: $why"
		fi
	done
	pick_result bare rps median $(round_names bare) && rounds_bare=$picked
	pick_result sampark rps median $(round_names sampark) &&
	    rounds_e=$picked
	pick_result sampark-grown rps median $(round_names sampark-grown) &&
	    rounds_g=$picked

	echo
	echo "inbound SMS, wrk -t$threads -c$conns -d${duration}s after ${warmup}s warm-up, 127.0.0.1"
	echo "(empty: a new database; grown: $(grown_desc "$grown_contacts"))"
	echo "(each row: the median of $rounds rounds, each round bare, empty, grown in turn)"
	row target requests/s "p50 ms" "p99 ms" errors
	row_of bare bare
	row_of "sampark (empty)" sampark
	row_of "sampark (grown)" sampark-grown
	echo "  requests/s of each round: bare ${rounds_bare:--}; empty ${rounds_e:--};" \
	    "grown ${rounds_g:--}"
	echo
	inbound_verdict empty sampark
	inbound_verdict grown sampark-grown
	echo "  sampark peak RSS    empty $rss_e, grown $rss_g (VmHWM)"
	echo "  interactions rows   empty $rows_e, grown $rows_g added (expected" \
	    "about $exp_e and $exp_g: 2 per successful request incl. warm-up)"
}

# ---- outbound: the sender against a local Twilio-like sink ----

out_n=${BENCH_OUTBOUND_N:-20000}
out_inflight=${BENCH_OUTBOUND_INFLIGHT:-32}
out_timeout=120		# seconds the daemon may take for all messages
out_rate=50		# messages/s for the throttling run
out_settle=2		# seconds after the first send before the window
out_window=20		# seconds counted
out_rate_tol=5		# percent
sink_bin=$outdir/sink_server
sender_bin=$outdir/bare_sender
# What the daemon is configured with; the bare client sends the same.
out_sid=AC0123456789abcdef0123456789abcdef
out_token=bench-auth-token
out_from=+15005550006
out_text="Bhadohi loan mela on 12 March at DIC Gyanpur, 10am. Bring Aadhaar and bank passbook. Reply HELP for menu."

build_outbound() {
	local flags="-std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror"

	mkdir -p "$outdir"
	cc $flags bench/sink_server.c -o "$sink_bin" \
	    $(pkg-config --cflags --libs libevent) &&
	cc $flags bench/bare_sender.c -o "$sender_bin" \
	    $(pkg-config --cflags --libs libcurl)
}

# sq DB SQL: a query's output, waiting out the daemon's write locks.
sq() {
	sqlite3 -cmd '.timeout 5000' "$1" "$2"
}

now_ms() {
	date +%s%3N
}

start_sink() {
	serve_on_loopback "$sink_bin" sink || return 1
	sink_port=$served_port sink_pid=$served_pid
}

sink_count() {
	curl -fsS --max-time 5 "http://127.0.0.1:$sink_port/count"
}

# bench_bare_sender NAME: the yardstick, one run, in $tmp/NAME.result.
bench_bare_sender() {
	local url=http://127.0.0.1:$sink_port/2010-04-01/Accounts/$out_sid/Messages.json

	echo "bench: bare libcurl-multi client: $out_n messages," \
	    "$out_inflight in flight"
	if ! "$sender_bin" "$url" "$out_sid:$out_token" "$out_n" \
	    "$out_inflight" "$out_from" \
	    "http://127.0.0.1:$out_port/status/twilio" "$out_text" \
	    >"$outdir/$1.out" 2>&1; then
		tail -n 5 "$outdir/$1.out" >&2
		why="bare_sender failed, see $outdir/$1.out"
		return 1
	fi
	grep '^RESULT ' "$outdir/$1.out" >"$tmp/$1.result" ||
	    { why="no RESULT from bare_sender"; return 1; }
}

# outbound_db NAME COUNT [SEED_DB]: a fresh database (or a copy of SEED_DB)
# with COUNT queued messages.
outbound_db() {
	local db=$tmp/$1.db

	if [ -n "${3:-}" ]; then
		copy_db "$3" "$db" || { why="could not copy $3"; return 1; }
	elif ! "$sampark" import stakeholders config/stakeholders.csv \
	    --db "$db" >"$outdir/$1-import.log" 2>&1; then
		why="import failed, see $outdir/$1-import.log"
		return 1
	fi
	if ! python3 bench/outbox_fill.py "$db" "$2" "$out_text" \
	    >>"$outdir/$1-import.log" 2>&1; then
		why="filling the outbox failed, see $outdir/$1-import.log"
		return 1
	fi
}

# start_outbound NAME PORT RATE: the daemon, Twilio pointed at the sink,
# without the hourly budget (see start_daemon).
start_outbound() {
	env -u SAMPARK_TWILIO_URL_TOKEN SAMPARK_BENCH_TWILIO_TOKEN=$out_token \
	    "$sampark" serve -c config/sampark.conf \
	    --listen "127.0.0.1:$2" --db "$tmp/$1.db" --set admin_listen= \
	    --set public_url="http://127.0.0.1:$2" \
	    --set outbound_per_hour=100000000 \
	    --set twilio.enabled=yes \
	    --set twilio.api_base="http://127.0.0.1:$sink_port" \
	    --set twilio.account_sid=$out_sid \
	    --set twilio.auth_token_env=SAMPARK_BENCH_TWILIO_TOKEN \
	    --set twilio.from=$out_from \
	    --set twilio.rate="$3" \
	    --set twilio.max_inflight="$out_inflight" \
	    2>"$outdir/$1.log" &
	daemon_pid=$!
	pids="$pids $daemon_pid"
}

# first_send DB [SINCE_MS]: wall ms of the first claim (since SINCE_MS),
# empty before there is one.
first_send() {
	sq "$1" "select min(time_ms) from outbox_events where to_state = 'sending'
	    and time_ms >= ${2:-0}"
}

# bench_sampark_out NAME RESULT [SEED_DB]: all messages through the daemon,
# rate 0, on an empty database or a copy of SEED_DB.  Sets the RESULT line
# in $tmp/RESULT.result, out_rss and out_sink.
bench_sampark_out() {
	local name=$1 res=$2 db=$tmp/$1.db sent=0 last_sent=-1 stalled=0 t=0
	# (The seeded outbox holds past broadcasts' messages, through exotel
	# and long ago: only the benchmark's, twilio and from now, count.)
	local c0 c1 first last perf_pid="" t_start

	out_rss="-"
	out_sink="-"
	outbound_db "$name" "$out_n" "${3:-}" || return 1
	c0=$(sink_count) || { why="sink does not answer /count"; return 1; }
	echo "bench: sampark: $out_n queued messages, rate 0," \
	    "max_inflight $out_inflight"
	t_start=$(now_ms)
	start_outbound "$name" "$out_port" 0
	if [ -n "${BENCH_PERF:-}" ]; then
		perf record -g -o "$outdir/$name.perf.data" -p "$daemon_pid" \
		    >"$outdir/perf.log" 2>&1 &
		perf_pid=$!
	fi
	while [ "$sent" -lt "$out_n" ]; do
		if ! kill -0 "$daemon_pid" 2>/dev/null; then
			tail -n 20 "$outdir/$name.log" >&2
			why="sampark serve exited, see $outdir/$name.log"
			return 1
		fi
		sleep 0.1
		t=$((t + 1))
		sent=$(sq "$db" "select count(*) from outbox where state = 'sent' and provider = 'twilio'") ||
		    sent=0
		# Ten seconds without progress: it is stuck, not slow.
		if [ "$sent" = "$last_sent" ]; then stalled=$((stalled + 1)); else
			stalled=0; fi
		last_sent=$sent
		if [ $t -ge $((out_timeout * 10)) ] || [ $stalled -ge 100 ]; then
			why="only $sent of $out_n sent after $((t / 10)) s, see $outdir/$name.log"
			tail -n 5 "$outdir/$name.log" >&2
			break
		fi
	done
	if [ -n "$perf_pid" ]; then
		kill -INT "$perf_pid" 2>/dev/null || true
		wait "$perf_pid" 2>/dev/null || true
	fi
	out_rss=$(awk '/^VmHWM:/ { print $2 " " $3 }' "/proc/$daemon_pid/status" \
	    2>/dev/null || echo "-")
	if ! stop "$daemon_pid"; then
		tail -n 20 "$outdir/$name.log" >&2
		fail "sampark did not exit cleanly on SIGTERM ($name)"
	fi
	c1=$(sink_count) && out_sink=$((c1 - c0))
	first=$(first_send "$db" "$t_start")
	last=$(sq "$db" "select max(updated_ms) from outbox where state = 'sent' and provider = 'twilio'")
	sent=$(sq "$db" "select count(*) from outbox where state = 'sent' and provider = 'twilio'")
	if [ -z "$first" ] || [ -z "$last" ] || [ "$last" -le "$first" ]; then
		why="nothing was sent, see $outdir/$name.log"
		return 1
	fi
	# The same clock as bare_sender's: first request started to last
	# answer recorded.
	awk -v n="$out_n" -v s="$sent" -v a="$first" -v b="$last" 'BEGIN {
		sec = (b - a) / 1000
		printf "RESULT n=%d ok=%d errors=%d seconds=%.3f mps=%.1f\n",
		    n, s, n - s, sec, s / sec }' >"$tmp/$res.result"
	rm -f "$db" "$db-wal" "$db-shm"
	[ "$sent" -eq "$out_n" ] || return 1
}

# bench_rate NAME [SEED_DB]: rate=50 for the settle and the window; sets
# rate_measured and rate_count.
bench_rate() {
	local name=$1 db=$tmp/$1.db first="" t=0 t0 t1 queued t_start
	local total=$((out_rate * (out_settle + out_window + 6)))

	rate_measured="-"
	outbound_db "$name" "$total" "${2:-}" || return 1
	echo "bench: sampark: $total queued messages, rate $out_rate/s," \
	    "${out_settle}s settle + ${out_window}s window"
	t_start=$(now_ms)
	start_outbound "$name" "$(free_port)" "$out_rate"
	while [ -z "$first" ]; do
		if ! kill -0 "$daemon_pid" 2>/dev/null || [ $t -ge 100 ]; then
			tail -n 20 "$outdir/$name.log" >&2
			why="the rate-limited daemon sent nothing, see $outdir/$name.log"
			return 1
		fi
		sleep 0.1
		t=$((t + 1))
		first=$(first_send "$db" "$t_start")
	done
	t0=$((first + out_settle * 1000))
	t1=$((t0 + out_window * 1000))
	# One more second for the requests started before t1 to finish.
	while [ "$(now_ms)" -lt $((t1 + 1000)) ]; do
		sleep 0.2
	done
	queued=$(sq "$db" "select count(*) from outbox where state = 'queued'
	    and provider = 'twilio'")
	stop "$daemon_pid" || fail "sampark did not exit cleanly on SIGTERM ($name)"
	rate_count=$(sq "$db" "select count(*) from outbox where state = 'sent' and provider = 'twilio'
	    and updated_ms >= $t0 and updated_ms < $t1")
	rate_measured=$(awk -v c="$rate_count" -v w="$out_window" \
	    'BEGIN { printf "%.2f", c / w }')
	if [ "$queued" -eq 0 ]; then
		why="the outbox ran dry during the window; queue more"
		return 1
	fi
}

orow() {
	printf '  %-16s %12s %10s %8s %8s\n' "$@"
}

orow_of() { result_row orow "$1" "$2" mps seconds ok errors; }

# rate_line LABEL: bench_rate's verdict.
rate_line() {
	local v lo hi
	lo=$(awk -v r=$out_rate -v t=$out_rate_tol 'BEGIN { print r * (1 - t / 100) }')
	hi=$(awk -v r=$out_rate -v t=$out_rate_tol 'BEGIN { print r * (1 + t / 100) }')
	if [ "$rate_ok" = 1 ] && ge "$rate_measured" "$lo" && le "$rate_measured" "$hi"; then
		v=PASS
	else
		v=FAIL
		fail "$1: rate ${rate_measured:-?}/s outside $lo..$hi"
	fi
	echo "  $1: rate $out_rate/s measured  $rate_measured/s over ${out_window}s" \
	    "(${rate_count:-?} sent; target $lo..$hi)  $v"
}

# sent_line LABEL RESULT: every message sent, each once.
sent_line() {
	local v
	if [ -s "$tmp/$2.result" ] && [ "$(field $2 ok)" = "$out_n" ] &&
	    [ "$out_sink" = "$out_n" ]; then v=PASS; else
		v=FAIL
		fail "$1: the sink got $out_sink requests for $out_n messages"
	fi
	echo "  $1: sent $(field $2 ok 2>/dev/null || echo -)" \
	    "of $out_n, sink requests $out_sink   (target all, once each)  $v"
}

section_outbound() {
	local grown r rss_e rss_g rounds_bare rounds_e rounds_g

	echo
	echo "== outbound SMS: Twilio Messages API on a local sink"
	rm -f "$tmp"/bare-out*.result "$tmp"/sampark-out*.result
	why="see the messages above"
	if ! build_outbound || ! start_sink; then
		fail "outbound benchmark did not run: $why"
		return 0
	fi
	out_port=$(free_port)
	: >"$tmp/sent-empty"
	: >"$tmp/sent-grown"
	grown=$(grown_db "$grown_contacts") ||
	    fail "the grown database could not be made: $why"
	for r in $(seq "$rounds"); do
		why="see the messages above"
		bench_bare_sender bare-out-r$r ||
		    fail "bare client benchmark did not run: $why"
		why="see the messages above"
		bench_sampark_out outbound-r$r sampark-out-r$r ||
		    fail "sampark outbound benchmark (empty) did not run: $why"
		rss_e=$out_rss
		sent_line "empty, round $r" sampark-out-r$r >>"$tmp/sent-empty"
		why="see the messages above"
		[ -n "$grown" ] &&
		    bench_sampark_out outbound-grown-r$r sampark-out-grown-r$r \
		    "$grown" ||
		    fail "sampark outbound benchmark (grown) did not run: $why"
		rss_g=$out_rss
		sent_line "grown, round $r" sampark-out-grown-r$r \
		    >>"$tmp/sent-grown"
	done
	pick_result bare-out mps median $(round_names bare-out) &&
	    rounds_bare=$picked
	pick_result sampark-out mps median $(round_names sampark-out) &&
	    rounds_e=$picked
	pick_result sampark-out-grown mps median \
	    $(round_names sampark-out-grown) && rounds_g=$picked
	why="see the messages above"
	rate_ok=0
	bench_rate rate && rate_ok=1 || fail "rate benchmark (empty) did not run: $why"
	rate_line empty >"$tmp/rate-empty"
	why="see the messages above"
	rate_ok=0
	grown=$(grown_db "$grown_contacts") && bench_rate rate-grown "$grown" &&
	    rate_ok=1 || fail "rate benchmark (grown) did not run: $why"
	rate_line grown >"$tmp/rate-grown"
	stop "$sink_pid" || echo "bench: sink exited with status $?" >&2

	echo
	echo "outbound SMS, $out_n queued messages, $out_inflight in flight," \
	    "rate 0, 127.0.0.1"
	echo "(empty: a new database; grown: $(grown_desc "$grown_contacts"))"
	echo "(each row: the median of $rounds rounds, each round bare, empty, grown in turn)"
	orow target messages/s seconds sent errors
	orow_of bare bare-out
	orow_of "sampark (empty)" sampark-out
	orow_of "sampark (grown)" sampark-out-grown
	echo "  messages/s of each round: bare ${rounds_bare:--}; empty ${rounds_e:--};" \
	    "grown ${rounds_g:--}"
	echo
	ratio_line "outbound (empty)" sampark-out bare-out
	ratio_line "outbound (grown)" sampark-out-grown bare-out
	cat "$tmp/sent-empty" "$tmp/sent-grown" "$tmp/rate-empty" "$tmp/rate-grown"
	echo "  sampark peak RSS    empty $rss_e, grown $rss_g (VmHWM)"
}

# ---- broadcast: creating a broadcast to 10,000 and 100,000 contacts ----
#
# The audience is streamed into the outbox in batches, so peak RSS should
# not grow with the audience, and creation should take seconds.  Contacts
# are inserted straight with sqlite3 (the CLI creates the schema first);
# `sampark broadcast create --yes` is timed with its peak RSS (getrusage).
broadcast_rss_slack_kb=20480	# 100k may use at most 20 MB more than 10k
broadcast_max_s=30		# creating 100,000 messages, at most

# bc_create LABEL N DB AUDIENCE: `sampark broadcast create --yes` timed,
# with its peak RSS; checks the limits (rss10: the 10,000 run's RSS).
bc_create() {
	local label=$1 n=$2 db=$3 out secs rss v
	out=$(python3 -c 'import resource, subprocess, sys, time
t = time.monotonic()
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(r.returncode, "%.2f" % (time.monotonic() - t),
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' \
	    "$sampark" broadcast create -c config/sampark.conf \
	    --db "$db" --to "$4" --template scheme_deadline \
	    --var scheme=PMEGP --var "date=15 Dec" \
	    --var "place=Gyanpur block office" --yes \
	    2>>"$outdir/broadcast-$label.log")
	set -- $out
	secs=$2
	rss=$3
	v=PASS
	if [ "$1" != 0 ]; then
		v=FAIL
		fail "broadcast: create to $n ($label) failed (see $outdir/broadcast-$label.log)"
	elif [ $n = 10000 ]; then
		rss10=$rss
	elif ! le "$rss" $((rss10 + broadcast_rss_slack_kb)) ||
	    ! le "$secs" $broadcast_max_s; then
		v=FAIL
		fail "broadcast: $n ($label) took ${secs}s, peak RSS ${rss} kB (10000: ${rss10} kB)"
	fi
	printf '  %-10s %-6s %10s %9s kB %10s\n' "$n" "$label" "$secs" "$rss" "$v"
	rm -f "$db" "$db-wal" "$db-shm"
}

section_broadcast() {
	local n db seed
	echo
	echo "broadcast creation (template scheme_deadline, daily cap on)"
	echo "(empty: the audience's contacts only; grown: 10000 = group" \
	    "bench-10k of $(grown_desc "$grown_contacts"); 100000 = all of" \
	    "$bulk_contacts contacts, not opted out)"
	printf '  %-10s %-6s %10s %12s %10s\n' recipients data seconds "peak RSS" verdict
	rss10=0
	for n in 10000 100000; do
		db=$tmp/broadcast-$n.db
		# A new database, as a coalition starts one: the directory
		# imported (read-only commands no longer create one).
		if ! "$sampark" import stakeholders config/stakeholders.csv \
		    --db "$db" -c config/sampark.conf \
		    >/dev/null 2>"$outdir/broadcast-empty.log" ||
		    ! sqlite3 "$db" "WITH RECURSIVE s(i) AS (SELECT 0 UNION ALL
		    SELECT i + 1 FROM s WHERE i < $n - 1) INSERT INTO contacts
		    (phone, name, district, language, role) SELECT
		    printf('+9197%08d', i), 'W' || i, 'bhadohi',
		    CASE i % 2 WHEN 0 THEN 'hi' ELSE 'en' END, 'entrepreneur'
		    FROM s"; then
			fail "broadcast: could not set up $n contacts"
			continue
		fi
		bc_create empty "$n" "$db" district:bhadohi
	done
	rss10=0
	db=$tmp/broadcast-grown.db
	if seed=$(grown_db "$grown_contacts") && copy_db "$seed" "$db"; then
		bc_create grown 10000 "$db" group:bench-10k
	else
		fail "broadcast: no grown database: $why"
	fi
	if seed=$(grown_db "$bulk_contacts") && copy_db "$seed" "$db"; then
		bc_create grown 100000 "$db" all
	else
		fail "broadcast: no grown database: $why"
	fi
}

# ---- grown databases: bench/seed_coalition.py, cached in build/bench ----

# grown_db CONTACTS [GROUP_SIZE] [INTERACTIONS]: the path of a seeded
# database, generated once per parameters (and per version of the seed
# script and of the schema) and kept in build/bench/; runs use copies.
grown_db() {
	local c=$1 g=${2:-$bc_group} i=${3:-$grown_interactions} key f
	key=$(cat bench/seed_coalition.py gateway/store/store.c | md5sum | cut -c1-8)
	f=$outdir/coalition-c$c-g$g-i$i-$key-$(date -u +%Y%m%d).db
	if [ ! -s "$f" ]; then
		echo "bench: seeding $f (once; kept for later runs)" >&2
		rm -f "$outdir"/coalition-c$c-g$g-i$i-*.db
		if ! python3 bench/seed_coalition.py --sampark "$sampark" \
		    --db "$f.tmp" --contacts "$c" --group-size "$g" \
		    --interactions "$i" >"$outdir/seed.log" 2>&1; then
			tail -n 20 "$outdir/seed.log" >&2
			why="seeding failed, see $outdir/seed.log"
			rm -f "$f.tmp" "$f.tmp-wal" "$f.tmp-shm"
			return 1
		fi
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

grown_desc() {
	echo "$1 contacts, $bc_group in group bench-10k, 1,000 stakeholders," \
	    "$grown_interactions interactions, 50 past broadcasts"
}

# empty_bc_db: the smallest database a broadcast to the group can go to:
# the group's members and nothing else.
empty_bc_db() {
	local f=$outdir/bcempty-g$bc_group-$(cat bench/seed_coalition.py \
	    gateway/store/store.c | md5sum | cut -c1-8)-$(date -u +%Y%m%d).db
	if [ ! -s "$f" ]; then
		python3 bench/seed_coalition.py --sampark "$sampark" --db "$f.tmp" \
		    --contacts "$bc_group" --group-size "$bc_group" --groups 2 \
		    --interactions 0 --broadcasts 0 --stakeholders 0 \
		    >"$outdir/seed.log" 2>&1 || { why="seeding failed"; return 1; }
		mv "$f.tmp" "$f"
	fi
	echo "$f"
}

# The copy is synced before anything is measured on it: left to the
# kernel, its hundreds of megabytes are written back about 30 s later
# (vm.dirty_expire_centisecs), in the middle of whichever run comes next.
copy_db() {
	rm -f "$2" "$2-wal" "$2-shm"
	cp "$1" "$2" && sync "$2"
}

# ---- webhooks at a paced rate, in the background ----

pace_conns=${BENCH_PACE_CONNECTIONS:-8}
pace_ms=${BENCH_PACE_MS:-20}	# per connection: about 400 webhooks/s

# paced_start NAME PORT RUN: wrk on /sms/console until paced_stop.
paced_start() {
	wrk -t1 -c"$pace_conns" -d3600s --latency -s bench/paced.lua \
	    "http://127.0.0.1:$2/sms/console" -- "$3" "$pace_ms" \
	    >"$outdir/$1.wrk" 2>&1 &
	wrk_pid=$!
	pids="$pids $wrk_pid"
}

# paced_stop NAME: SIGINT makes wrk stop and report; RESULT in NAME.result.
paced_stop() {
	kill -INT "$wrk_pid" 2>/dev/null || true
	wait "$wrk_pid" 2>/dev/null || true
	pids=$(echo $pids | tr ' ' '\n' | grep -vx "$wrk_pid" | tr '\n' ' ' || true)
	grep '^RESULT ' "$outdir/$1.wrk" >"$tmp/$1.result" || {
		echo "bench: no RESULT from paced wrk $1:" >&2
		tail -n 5 "$outdir/$1.wrk" >&2
		return 1
	}
}

# ---- a broadcast sent to the sink, webhooks paced meanwhile ----

bc_vars='{"scheme":"PMEGP","date":"15 Dec","place":"Gyanpur block office"}'

# start_daemon NAME PORT [ADMIN_PORT]: serve $tmp/NAME.db, Twilio pointed
# at the sink, rate 0, no quiet hours (the bench may run at night IST),
# and no hourly budget (outbound_per_hour, 50,000 by default, would stop a
# broadcast of 100,000 halfway: a cap, not a cost).
start_daemon() {
	local admin=
	[ -z "${3:-}" ] || admin=127.0.0.1:$3
	env -u SAMPARK_TWILIO_URL_TOKEN SAMPARK_BENCH_TWILIO_TOKEN=$out_token \
	    SAMPARK_ADMIN_TOKEN=$admin_token \
	    "$sampark" serve -c config/sampark.conf \
	    --listen "127.0.0.1:$2" --db "$tmp/$1.db" --set admin_listen=$admin \
	    --set public_url="http://127.0.0.1:$2" \
	    --set outbound_per_hour=100000000 \
	    --set quiet_hours= \
	    --set twilio.enabled=yes \
	    --set twilio.api_base="http://127.0.0.1:$sink_port" \
	    --set twilio.account_sid=$out_sid \
	    --set twilio.auth_token_env=SAMPARK_BENCH_TWILIO_TOKEN \
	    --set twilio.from=$out_from \
	    --set twilio.rate=0 \
	    --set twilio.max_inflight="$out_inflight" \
	    2>"$outdir/$1.log" &
	daemon_pid=$!
	pids="$pids $daemon_pid"
	wait_ready "http://127.0.0.1:$2/healthz" "$daemon_pid" || {
		tail -n 5 "$outdir/$1.log" >&2
		why="$1: daemon not ready, see $outdir/$1.log"
		return 1
	}
}

admin_token=bench-admin-token-0123456789abcdef

# wait_sent DB BID COUNT C0 LIMIT: until the sink has COUNT more requests
# than C0, the daemon dies, or LIMIT seconds pass (then returns 1).
wait_sent() {
	local t=0 c last=-1 stalled=0
	while :; do
		c=$(( $(sink_count) - $4 )) || c=0
		[ "$c" -ge "$3" ] && return 0
		kill -0 "$daemon_pid" 2>/dev/null || { why="daemon exited"; return 1; }
		if [ "$c" = "$last" ]; then stalled=$((stalled + 1)); else stalled=0; fi
		last=$c
		if [ $t -ge $(($5 * 5)) ] || [ $stalled -ge 75 ]; then
			why="only $c of $3 sent after $((t / 5)) s"
			return 1
		fi
		sleep 0.2
		t=$((t + 1))
	done
}

# bc_result NAME DB BID: the send rate of broadcast BID, first claim to
# last answer recorded (the bare client's clock), into NAME.result.
bc_result() {
	local first last sent n
	n=$(sq "$2" "select count(*) from outbox where broadcast_id = $3")
	first=$(sq "$2" "select min(e.time_ms) from outbox_events e
	    where e.to_state = 'sending' and e.outbox_id >=
	    (select min(id) from outbox where broadcast_id = $3)")
	last=$(sq "$2" "select max(updated_ms) from outbox
	    where broadcast_id = $3 and state = 'sent'")
	sent=$(sq "$2" "select count(*) from outbox
	    where broadcast_id = $3 and state = 'sent'")
	[ -n "$first" ] && [ -n "$last" ] && [ "$last" -gt "$first" ] || return 1
	awk -v n="$n" -v s="$sent" -v a="$first" -v b="$last" 'BEGIN {
		sec = (b - a) / 1000
		printf "RESULT n=%d ok=%d errors=%d seconds=%.3f mps=%.1f\n",
		    n, s, n - s, sec, s / sec }' >"$tmp/$1.result"
}

# bench_bc_send NAME SEED_DB: a broadcast to group bench-10k created with
# the CLI, then sent by `sampark serve` to the sink while paced webhooks
# run.  Results: NAME.result (send), NAME-hook.result (webhooks), and
# bc_text (a message of it, for the bare client).
# day_conf: a copy of config/sampark.conf without quiet hours, beside
# links to the files it names, for the commands that plan sends (the
# daemon gets --set quiet_hours=): at night IST a broadcast would be
# planned for 08:00 and the bench would wait for it in vain.
day_conf() {
	local d=$tmp/dayconf f
	if [ ! -s "$d/config/sampark.conf" ]; then
		mkdir -p "$d/config"
		for f in config/*; do ln -sf "$PWD/$f" "$d/config/"; done
		ln -sfn "$PWD/prompts" "$d/prompts"
		rm -f "$d/config/sampark.conf"
		{ echo "quiet_hours ="; cat config/sampark.conf; } \
		    >"$d/config/sampark.conf"
	fi
	echo "$d/config/sampark.conf"
}

bench_bc_send() {
	local name=$1 db=$tmp/$1.db port bid n c0
	copy_db "$2" "$db" || return 1
	# Due a few seconds from now: the daemon and the paced webhooks are
	# running when the first message goes, so the webhooks' window covers
	# the whole send.
	if ! "$sampark" broadcast create -c "$(day_conf)" --db "$db" \
	    --to group:bench-10k --template scheme_deadline --var scheme=PMEGP \
	    --var "date=15 Dec" --var "place=Gyanpur block office" \
	    --at "$(date -u -d "+$bc_delay seconds" +%Y-%m-%dT%H:%M:%SZ)" \
	    --provider twilio --yes >"$outdir/$name-create.log" 2>&1; then
		why="broadcast create failed, see $outdir/$name-create.log"
		return 1
	fi
	bid=$(sq "$db" "select max(id) from broadcasts")
	n=$(sq "$db" "select count(*) from outbox where broadcast_id = $bid")
	bc_text=$(sq "$db" "select body from outbox where broadcast_id = $bid
	    order by id limit 1")
	c0=$(sink_count) || { why="sink does not answer"; return 1; }
	port=$(free_port)
	echo "bench: $name: broadcast of $n, paced webhooks meanwhile"
	start_daemon "$name" "$port" || return 1
	paced_start "$name-hook" "$port" "$((run_no % 10))"
	run_no=$((run_no + 1))
	wait_sent "$db" "$bid" "$n" "$c0" "$out_timeout" || {
		paced_stop "$name-hook" || true
		stop "$daemon_pid" || true
		why="$name: $why, see $outdir/$name.log"
		return 1
	}
	paced_stop "$name-hook" || return 1
	stop "$daemon_pid" || fail "sampark did not exit cleanly ($name)"
	bc_result "$name" "$db" "$bid" || { why="$name: nothing sent"; return 1; }
	rm -f "$db" "$db-wal" "$db-shm"
}
run_no=2
bc_delay=3

# bare_out NAME N TEXT: the bare client, one run, N requests of TEXT.
bare_out() {
	local url=http://127.0.0.1:$sink_port/2010-04-01/Accounts/$out_sid/Messages.json
	"$sender_bin" "$url" "$out_sid:$out_token" "$2" "$out_inflight" \
	    "$out_from" "http://127.0.0.1:9/status/twilio" "$3" \
	    >"$outdir/$1.out" 2>&1 || { why="bare_sender failed"; return 1; }
	grep '^RESULT ' "$outdir/$1.out" >"$tmp/$1.result"
}

# ratio_line LABEL NAME BARE: sampark/bare messages/s, checked.
ratio_line() {
	local ratio exact v
	if [ ! -s "$tmp/$2.result" ] || [ ! -s "$tmp/$3.result" ]; then
		echo "  $1: ratio -  FAIL: not measured"
		fail "$1 not measured"
		return 0
	fi
	exact=$(awk -v s="$(field $2 mps)" -v b="$(field $3 mps)" \
	    'BEGIN { printf "%.6f", (b > 0) ? s / b : 0 }')
	ratio=$(shown "$exact")
	if ge "$exact" "$target_ratio"; then v=PASS; else
		v=FAIL; fail "$1 ratio $ratio < $target_ratio"; fi
	echo "  $1: ratio sampark/bare  $ratio   (target >= $target_ratio)  $v"
}

# p99_line LABEL NAME: a paced wrk run's p99, checked.
p99_line() {
	local p99 v errors
	if [ ! -s "$tmp/$2.result" ]; then
		echo "  $1: webhook p99 -  FAIL: not measured"
		fail "$1 webhook p99 not measured"
		return 0
	fi
	p99=$(field $2 p99_ms)
	errors=$(field $2 errors)
	if le "$p99" "$target_p99_ms" && [ "$errors" = 0 ]; then v=PASS; else
		v=FAIL; fail "$1 webhook p99 $p99 ms (target <= $target_p99_ms), $errors errors"; fi
	printf '  %-34s p99 %8s ms  %6s req/s  %s errors  %s\n' "$1:" "$p99" \
	    "$(field $2 rps)" "$errors" "$v"
}

# sink_runs WHAT PREFIX RUN TEXT_VAR [EMPTY_DB_CMD]: against a local sink,
# in each round r: RUN PREFIX-empty-rR (on the database EMPTY_DB_CMD
# prints, else a new one), the bare client on as many messages of the
# text RUN left in the variable named TEXT_VAR as PREFIX-bare-rR, and RUN
# PREFIX-grown-rR on the grown coalition.  Then the medians as
# PREFIX-empty, PREFIX-bare and PREFIX-grown, and the worst webhook p99
# of the rounds as PREFIX-empty-hook and PREFIX-grown-hook.  1 if the
# sink could not start.
sink_runs() {
	local what=$1 p=$2 run=$3 text_var=$4 empty_cmd=${5:-} empty="" grown r
	local side
	if ! build_outbound || ! start_sink; then
		fail "$what benchmark did not run: $why"
		return 1
	fi
	why="see the messages above"
	grown=$(grown_db "$grown_contacts") ||
	    fail "the grown database could not be made: $why"
	for r in $(seq "$rounds"); do
		why="see the messages above"
		if { [ -z "$empty_cmd" ] || empty=$($empty_cmd); } &&
		    $run "$p-empty-r$r" $empty; then
			bare_out "$p-bare-r$r" "$(field "$p-empty-r$r" n)" \
			    "${!text_var}" || fail "bare client did not run: $why"
		else
			fail "$what (empty) did not run: $why"
		fi
		why="see the messages above"
		[ -n "$grown" ] && $run "$p-grown-r$r" "$grown" ||
		    fail "$what (grown) did not run: $why"
	done
	stop "$sink_pid" || true
	for side in bare empty grown; do
		pick_result "$p-$side" mps median $(round_names "$p-$side")
		echo "$picked" >"$tmp/$p-$side.rounds"
	done
	for side in empty grown; do
		pick_result "$p-$side-hook" p99_ms max \
		    $(for r in $(seq "$rounds"); do echo "$p-$side-r$r-hook"; done)
	done
	return 0
}

# sink_verdicts WHAT PREFIX HOOKS: sink_runs' rows and verdicts, and
# those of the webhooks sent meanwhile (PREFIX-*-hook).
sink_verdicts() {
	orow_of bare "$2-bare"
	orow_of "sampark (empty)" "$2-empty"
	orow_of "sampark (grown)" "$2-grown"
	echo "  messages/s of each round: bare $(cat "$tmp/$2-bare.rounds");" \
	    "empty $(cat "$tmp/$2-empty.rounds"); grown $(cat "$tmp/$2-grown.rounds")"
	echo
	ratio_line "$1 (empty)" "$2-empty" "$2-bare"
	ratio_line "$1 (grown)" "$2-grown" "$2-bare"
	p99_line "$3 (empty)" "$2-empty-hook"
	p99_line "$3 (grown)" "$2-grown-hook"
}

section_bcsend() {
	echo
	echo "== broadcast sent: group bench-10k through Twilio's API to a local sink"
	rm -f "$tmp"/bc-*.result
	sink_runs "broadcast send" bc bench_bc_send bc_text empty_bc_db ||
	    return 0

	echo
	echo "broadcast to group bench-10k ($bc_group members less opted-out)," \
	    "$out_inflight in flight, rate 0 (bare: the same requests)"
	echo "(empty: the group's contacts only; grown: $(grown_desc "$grown_contacts"))"
	echo "(each row: the median of $rounds rounds, each round empty, bare, grown in turn;"
	echo " webhook p99: the worst round)"
	orow target messages/s seconds sent errors
	sink_verdicts broadcast bc "webhooks during send"
}

# ---- webhooks while bulk work runs on the grown database ----

bulk_secs=${BENCH_BULK_SECONDS:-120}	# longest send measured

section_bulk() {
	local db=$tmp/bulk.db seed port aport c0 t0 t1 code bid n
	echo
	echo "== webhooks during bulk work, $bulk_contacts contacts (paced:" \
	    "$pace_conns connections, one request per ${pace_ms} ms each)"
	rm -f "$tmp"/bulk-*.result
	if ! build_outbound || ! start_sink; then
		fail "bulk benchmark did not run: $why"
		return 0
	fi
	why="see the messages above"
	seed=$(grown_db "$bulk_contacts") && copy_db "$seed" "$db" || {
		fail "bulk: no database: $why"; return 0; }
	port=$(free_port)
	aport=$(free_port)
	start_daemon bulk "$port" "$aport" || { fail "bulk: $why"; return 0; }

	paced_start bulk-idle "$port" 2
	sleep "$duration"
	paced_stop bulk-idle || true

	# (a) the broadcast to everyone, created through the admin API, then
	# sent (up to bulk_secs seconds of sending are measured).
	c0=$(sink_count)
	paced_start bulk-create "$port" 3
	sleep 1
	t0=$(now_ms)
	code=$(curl -sS -o "$outdir/bulk-create.json" -w '%{http_code}' \
	    --max-time 600 -X POST \
	    -H "Authorization: Bearer $admin_token" \
	    -H 'Content-Type: application/json' \
	    --data "{\"to\":\"all\",\"template\":\"scheme_deadline\",\"provider\":\"twilio\",\"vars\":$bc_vars}" \
	    "http://127.0.0.1:$aport/api/v1/broadcasts") || code=000
	t1=$(now_ms)
	sleep 1
	paced_stop bulk-create || true
	bid=$(sed -n 's/.*"id": *\([0-9]*\).*/\1/p' "$outdir/bulk-create.json" | head -n 1)
	if [ "$code" != 201 ] || [ -z "$bid" ]; then
		fail "bulk: POST /api/v1/broadcasts answered $code (see $outdir/bulk-create.json)"
		bid=0 n=0
	else
		n=$(sq "$db" "select recipients from broadcasts where id = $bid")
	fi
	bulk_create_s=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.2f", (b - a) / 1000 }')
	paced_start bulk-send "$port" 4
	wait_sent "$db" "$bid" "$n" "$c0" "$bulk_secs" ||
	    echo "bench: bulk send: $why (measured up to there)" >&2
	paced_stop bulk-send || true
	bulk_sent=$(( $(sink_count) - c0 ))
	bulk_mps=-
	[ "$bid" = 0 ] || ! bc_result bulk-rate "$db" "$bid" ||
	    bulk_mps=$(field bulk-rate mps)

	# (b) a report and an export of the grown database, by the CLI,
	# while the daemon serves.
	paced_start bulk-report "$port" 5
	sleep 1
	t0=$(now_ms)
	"$sampark" report -c config/sampark.conf --db "$db" \
	    >"$outdir/bulk-report.out" 2>&1 || fail "bulk: sampark report failed"
	t1=$(now_ms)
	sleep 1
	paced_stop bulk-report || true
	bulk_report_s=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.2f", (b - a) / 1000 }')
	paced_start bulk-export "$port" 6
	sleep 1
	t0=$(now_ms)
	"$sampark" export -c config/sampark.conf --db "$db" --format csv \
	    >"$outdir/bulk-export.csv" 2>"$outdir/bulk-export.log" ||
	    fail "bulk: sampark export failed"
	t1=$(now_ms)
	sleep 1
	paced_stop bulk-export || true
	bulk_export_s=$(awk -v a=$t0 -v b=$t1 'BEGIN { printf "%.2f", (b - a) / 1000 }')
	stop "$daemon_pid" || fail "sampark did not exit cleanly (bulk)"
	stop "$sink_pid" || true

	echo
	echo "bulk work on $(grown_desc "$bulk_contacts"); target: webhook p99 <= $target_p99_ms ms"
	p99_line "idle" bulk-idle
	p99_line "broadcast create ($n, API, ${bulk_create_s}s)" bulk-create
	p99_line "broadcast send ($bulk_sent sent, $bulk_mps/s)" bulk-send
	p99_line "report (${bulk_report_s}s)" bulk-report
	p99_line "export ($(wc -l <"$outdir/bulk-export.csv") lines, ${bulk_export_s}s)" bulk-export
	rm -f "$db" "$db-wal" "$db-shm"
}

# ---- growth: the same broadcast of the group as contacts grow ----

growth_tol=20	# percent: cost per message at the largest size vs smallest

section_growth() {
	local c seed first_mps="" last_mps="" v cost exact
	echo
	echo "== growth: broadcast to group bench-10k as the contacts grow"
	rm -f "$tmp"/gr-*.result
	if ! build_outbound || ! start_sink; then
		fail "growth benchmark did not run: $why"
		return 0
	fi
	# One run per size swung the ratio from x0.84 to x1.22 on a quiet
	# machine: like the ratios, each size is the median of the rounds.
	for r in $(seq "$rounds"); do
		for c in $growth_sizes; do
			why="see the messages above"
			seed=$(grown_db "$c") &&
			    bench_bc_send "gr-$c-r$r" "$seed" ||
			    fail "growth: $c contacts did not run: $why"
		done
	done
	stop "$sink_pid" || true
	for c in $growth_sizes; do
		pick_result gr-$c mps median $(round_names gr-$c) || true
		pick_result gr-$c-hook p99_ms max \
		    $(for r in $(seq "$rounds"); do echo "gr-$c-r$r-hook"; done) ||
		    true
	done
	echo
	echo "growth: broadcast to $bc_group group members, webhooks paced meanwhile"
	echo "(each row: the median of $rounds rounds, each round the sizes in turn;"
	echo " webhook p99: the worst round)"
	printf '  %-10s %12s %14s %14s\n' contacts "messages/s" "us/message" "webhook p99 ms"
	for c in $growth_sizes; do
		if [ -s "$tmp/gr-$c.result" ]; then
			cost=$(awk -v m="$(field gr-$c mps)" 'BEGIN { printf "%.1f", 1e6 / m }')
			printf '  %-10s %12s %14s %14s\n' "$c" "$(field gr-$c mps)" \
			    "$cost" "$(field gr-$c-hook p99_ms 2>/dev/null || echo -)"
			[ -n "$first_mps" ] || first_mps=$(field gr-$c mps)
			last_mps=$(field gr-$c mps)
		else
			printf '  %-10s %12s %14s %14s\n' "$c" - - -
		fi
	done
	echo
	if [ -n "$first_mps" ] && [ -n "$last_mps" ]; then
		exact=$(awk -v a="$first_mps" -v b="$last_mps" 'BEGIN { printf "%.6f", a / b }')
		# Shown rounded up, as the ratios are shown cut: never better
		# than measured.
		cost=$(awk -v r="$exact" 'BEGIN { c = int(r * 100 + 1e-6); if (c < r * 100 - 1e-6) c++; printf "%.2f", c / 100 }')
		if le "$exact" "$(awk -v t=$growth_tol 'BEGIN { print 1 + t / 100 }')"; then
			v=PASS; else v=FAIL; fail "growth: cost per message x$cost from smallest to largest"; fi
		echo "  cost per message, largest/smallest  x$cost   (target <= x1.$growth_tol)  $v"
	else
		fail "growth: not measured"
	fi
	for c in $growth_sizes; do
		p99_line "webhooks during send, $c contacts" gr-$c-hook
	done
}

# ---- replies through the outbox: Android's webhooks in, its API out ----

android_token=bench-android-url-token

# start_android NAME PORT [PER_HOUR]: serve $tmp/NAME.db with SMS Gateway
# for Android pointed at the sink (its webhooks by URL token, its replies by
# its API); PER_HOUR is the hourly send budget (1: hold the replies queued).
start_android() {
	env SAMPARK_ANDROID_URL_TOKEN=$android_token \
	    SAMPARK_BENCH_ANDROID_TOKEN=bench-android-password \
	    "$sampark" serve -c config/sampark.conf \
	    --listen "127.0.0.1:$2" --db "$tmp/$1.db" --set admin_listen= \
	    --set public_url="http://127.0.0.1:$2" \
	    --set outbound_per_hour="${3:-100000000}" \
	    --set android.enabled=yes \
	    --set android.api_base="http://127.0.0.1:$sink_port" \
	    --set android.account_sid=bench \
	    --set android.auth_token_env=SAMPARK_BENCH_ANDROID_TOKEN \
	    --set android.max_inflight="$out_inflight" \
	    --set android.rate=0 \
	    2>"$outdir/$1.log" &
	daemon_pid=$!
	pids="$pids $daemon_pid"
	wait_ready "http://127.0.0.1:$2/healthz" "$daemon_pid" || {
		tail -n 5 "$outdir/$1.log" >&2
		why="$1: daemon not ready, see $outdir/$1.log"
		return 1
	}
}

# bench_replies NAME [SEED_DB]: two runs of the daemon on one database.
# First wrk posts webhooks for BENCH_SECONDS while an hourly budget of one
# message holds their replies in the outbox (NAME-hook.result: the
# webhooks, routed, logged and their replies queued); then the daemon is
# started again with no budget and nothing else to do, and sends them
# (NAME.result: first claim to last answer).  Apart, because one thread
# does both: while webhooks arrive as fast as wrk can post them, the
# replies can go no faster than they are made, and the ratio would
# measure wrk, not the outbox (the webhooks' p99 while sending is the
# broadcast section's).
bench_replies() {
	local name=$1 db=$tmp/$1.db port c0 n t_start first last sent
	if [ -n "${2:-}" ]; then
		copy_db "$2" "$db" || return 1
	elif ! "$sampark" import stakeholders config/stakeholders.csv \
	    --db "$db" >"$outdir/$name-import.log" 2>&1; then
		why="import failed"
		return 1
	fi
	port=$(free_port)
	start_android "$name" "$port" 1 || return 1
	echo "bench: $name: Android webhooks for ${duration}s, replies held"
	run_wrk "$name-hook" "http://127.0.0.1:$port/sms/android/$android_token" \
	    bench/android.lua "$duration" "$((run_no % 10))" || {
		stop "$daemon_pid" || true; return 1; }
	run_no=$((run_no + 1))
	stop "$daemon_pid" || fail "sampark did not exit cleanly ($name, webhooks)"
	n=$(sq "$db" "select count(*) from outbox where provider = 'android'
	    and state = 'queued'")
	[ "${n:-0}" -gt 0 ] || { why="$name: no reply was queued"; return 1; }
	c0=$(sink_count) || { why="sink does not answer"; return 1; }
	t_start=$(now_ms)
	echo "bench: $name: $n queued replies, by Android's API"
	start_android "$name" "$port" || return 1
	wait_sent "$db" 0 "$n" "$c0" "$out_timeout" ||
	    echo "bench: $name: $why" >&2
	stop "$daemon_pid" || fail "sampark did not exit cleanly ($name)"
	reply_text=$(sq "$db" "select body from outbox where provider = 'android'
	    order by id limit 1")
	first=$(first_send "$db" "$t_start")
	last=$(sq "$db" "select max(updated_ms) from outbox
	    where provider = 'android' and state = 'sent'
	    and updated_ms >= $t_start")
	sent=$(sq "$db" "select count(*) from outbox
	    where provider = 'android' and state = 'sent'
	    and updated_ms >= $t_start")
	rm -f "$db" "$db-wal" "$db-shm"
	[ -n "$first" ] && [ -n "$last" ] && [ "$last" -gt "$first" ] ||
	    { why="$name: no reply was sent, see $outdir/$name.log"; return 1; }
	awk -v n="$n" -v s="$sent" -v a="$first" -v b="$last" 'BEGIN {
		sec = (b - a) / 1000
		printf "RESULT n=%d ok=%d errors=%d seconds=%.3f mps=%.1f\n",
		    n, s, n - s, sec, s / sec }' >"$tmp/$name.result"
}

section_replies() {
	echo
	echo "== replies through the outbox: SMS Gateway for Android, webhooks in, API out"
	rm -f "$tmp"/rp-*.result
	sink_runs "replies" rp bench_replies reply_text || return 0

	echo
	echo "replies through the outbox: wrk -t$threads -c$conns -d${duration}s" \
	    "of webhooks, their replies held; then sent at $out_inflight in" \
	    "flight (bare: as many requests as the empty run's replies)"
	echo "(empty: a new database; grown: $(grown_desc "$grown_contacts"))"
	echo "(each row: the median of $rounds rounds, each round empty, bare, grown in turn;"
	echo " webhook p99: the worst round)"
	row webhooks requests/s "p50 ms" "p99 ms" errors
	row_of "sampark (empty)" rp-empty-hook
	row_of "sampark (grown)" rp-grown-hook
	orow "reply sends" messages/s seconds sent errors
	sink_verdicts replies rp "webhooks queueing replies"
}

# section_seed: generate (or find cached) every database the other
# sections use, timing each; a run after it starts measuring at once.
section_seed() {
	local c t0 f
	echo
	echo "== seeded databases (bench/seed_coalition.py, cached in $outdir)"
	for c in $(echo $grown_contacts $bulk_contacts $growth_sizes |
	    tr ' ' '\n' | awk '!seen[$0]++'); do
		t0=$(now_ms)
		if f=$(grown_db "$c"); then
			printf '  %-8s contacts  %6.1f s  %s\n' "$c" \
			    "$(awk -v a=$t0 -v b="$(now_ms)" 'BEGIN { print (b - a) / 1000 }')" "$f"
		else
			fail "seed: $c contacts: $why"
		fi
	done
	empty_bc_db >/dev/null || fail "seed: the empty broadcast database: $why"
}

# ---- PostgreSQL: one daemon against SQLite, then 1-3 behind nginx ----

pg_dir=$outdir/pg
pg_url=""
pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
# The scaling target of the issue (3 daemons against 1) has a meaning only
# where three daemons, the database and the load balancer have cores to
# run on at once.
pg_target_scaling=2
pg_target_cores=4

pg_cleanup() {
	if [ -n "$pg_url" ]; then
		./tools/pg_cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
		pg_url=""
	fi
}

# pg_url_of NAME: the cluster's URI with database NAME.
pg_url_of() {
	echo "$pg_url" | sed "s#///postgres?#///$1?#"
}

pg_sql() {
	psql "$1" -qAt -v ON_ERROR_STOP=1 -c "$2"
}

# start_nginx PORT...: nginx on a free loopback port in front of the
# daemons at PORT...; sets lb_port and lb_pid.
start_nginx() {
	local p servers="" user_line="" conf=$tmp/nginx/nginx.conf
	lb_port=$(free_port)
	for p in "$@"; do
		servers="$servers server 127.0.0.1:$p;"
	done
	# As root nginx would hand its workers to nobody, who cannot enter
	# the temporary directory.
	[ "$(id -u)" = 0 ] && user_line="user root;"
	mkdir -p "$tmp/nginx"
	{
		echo "daemon off; $user_line worker_processes auto;"
		echo "pid $tmp/nginx/nginx.pid;"
		echo "error_log $PWD/$outdir/nginx-error.log warn;"
		echo "events { worker_connections 4096; }"
		echo "http {"
		echo "  access_log off;"
		echo "  client_body_temp_path $tmp/nginx/body;"
		echo "  proxy_temp_path $tmp/nginx/proxy;"
		echo "  fastcgi_temp_path $tmp/nginx/fastcgi;"
		echo "  uwsgi_temp_path $tmp/nginx/uwsgi;"
		echo "  scgi_temp_path $tmp/nginx/scgi;"
		echo "  upstream sampark {$servers keepalive 128; }"
		echo "  server {"
		echo "    listen 127.0.0.1:$lb_port;"
		echo "    location / {"
		echo "      proxy_pass http://sampark;"
		echo "      proxy_http_version 1.1;"
		echo "      proxy_set_header Connection \"\";"
		echo "    }"
		echo "  }"
		echo "}"
	} >"$conf"
	nginx -c "$conf" -p "$tmp/nginx" -e "$PWD/$outdir/nginx-error.log" &
	lb_pid=$!
	pids="$pids $lb_pid"
	if ! wait_ready "http://127.0.0.1:$lb_port/healthz" "$lb_pid"; then
		why="nginx not ready, see $outdir/nginx-error.log"
		return 1
	fi
}

# bench_pg NAME N LB: N daemons on a fresh PostgreSQL database, wrk at the
# first one (LB 0) or at nginx in front of them all (LB 1), the same load
# as section_inbound.  Leaves "rows expected" in $tmp/NAME.rows.
bench_pg() {
	local name=$1 n=$2 lb=$3 db url i port pid target ok rows rc=0
	local started="" ports="" via=""
	db=bench_$(echo "$name" | tr -c 'a-z0-9\n' '_')
	url=$(pg_url_of "$db")
	lb_pid=""
	if ! pg_sql "$pg_url" "CREATE DATABASE $db" >"$outdir/$name-db.log" 2>&1; then
		why="could not create database $db, see $outdir/$name-db.log"
		return 1
	fi
	if ! "$sampark" import stakeholders config/stakeholders.csv \
	    --db "$url" >"$outdir/$name-import.log" 2>&1; then
		why="import of config/stakeholders.csv failed, see $outdir/$name-import.log"
		rc=1
	fi
	for i in $(seq 1 "$n"); do
		[ $rc = 0 ] || break
		port=$(free_port)
		"$sampark" serve -c config/sampark.conf --listen "127.0.0.1:$port" \
		    --db "$url" --set admin_listen= 2>"$outdir/$name-$i.log" &
		pid=$!
		pids="$pids $pid"
		started="$started $pid"
		ports="$ports $port"
		if ! wait_ready "http://127.0.0.1:$port/healthz" "$pid"; then
			why="daemon $i of $name not ready, see $outdir/$name-$i.log"
			tail -n 20 "$outdir/$name-$i.log" >&2
			rc=1
		fi
	done
	target=${ports# }
	target=${target%% *}
	if [ $rc = 0 ] && [ "$lb" = 1 ]; then
		if start_nginx $ports; then
			target=$lb_port
			via=", nginx"
		else
			rc=1
		fi
	fi
	if [ $rc = 0 ]; then
		echo "bench: $name on 127.0.0.1:$target ($n daemon(s)$via): warm-up ${warmup}s, run ${duration}s"
		run_wrk "$name-warmup" "http://127.0.0.1:$target/sms/console" \
		    bench/inbound.lua "$warmup" 0 &&
		run_wrk "$name" "http://127.0.0.1:$target/sms/console" \
		    bench/inbound.lua "$duration" 1 || rc=1
	fi
	if [ -n "$lb_pid" ]; then
		stop "$lb_pid" || true
		lb_pid=""
	fi
	for pid in $started; do
		if ! stop "$pid"; then
			echo "bench: a daemon of $name did not exit cleanly on SIGTERM, see $outdir/$name-*.log" >&2
			fail "sampark did not exit cleanly on SIGTERM ($name)"
		fi
	done
	if [ $rc = 0 ]; then
		ok=$(( $(field "$name-warmup" ok) + $(field "$name" ok) ))
		rows=$(pg_sql "$url" "SELECT count(*) FROM interactions" 2>&1 |
		    head -n 1)
		echo "$rows $((ok * 2))" >"$tmp/$name.rows"
	fi
	pg_sql "$pg_url" "DROP DATABASE IF EXISTS $db WITH (FORCE)" \
	    >/dev/null 2>&1 || true
	return $rc
}

# pg_ratio A B: A's requests/s over B's, or "-".
pg_ratio() {
	if [ -s "$tmp/$1.result" ] && [ -s "$tmp/$2.result" ]; then
		awk -v a="$(field "$1" rps)" -v b="$(field "$2" rps)" \
		    'BEGIN { printf "%.2f", (b > 0) ? a / b : 0 }'
	else
		echo "-"
	fi
}

section_pg() {
	local cores name n r scaling v stored
	cores=$(nproc)
	echo
	echo "== PostgreSQL: inbound SMS on one daemon per store, then 1, 2, 3 daemons behind nginx"
	for name in pg-sqlite pg-1 pg-lb1 pg-lb2 pg-lb3; do
		rm -f "$tmp/$name.result" "$tmp/$name.rows"
	done
	if [ ! -x "$pg_bin/initdb" ] || ! command -v psql >/dev/null ||
	    ! command -v nginx >/dev/null; then
		fail "pg: PostgreSQL 15 (initdb, psql) and nginx are needed (make deps installs them)"
		return 0
	fi
	./tools/pg_cluster.sh stop "$pg_dir" >/dev/null 2>&1 || true
	if ! pg_url=$(PG_CLUSTER_DURABLE=1 ./tools/pg_cluster.sh start "$pg_dir"); then
		pg_url=""
		fail "pg: the PostgreSQL cluster did not start"
		return 0
	fi
	why="see the messages above"
	if bench_sampark pg-sqlite; then
		echo "$sampark_rows $sampark_expect" >"$tmp/pg-sqlite.rows"
	else
		fail "pg: sampark on SQLite did not run: $why"
	fi
	why="see the messages above"
	bench_pg pg-1 1 0 || fail "pg: sampark on PostgreSQL did not run: $why"
	for n in 1 2 3; do
		why="see the messages above"
		bench_pg "pg-lb$n" "$n" 1 ||
		    fail "pg: $n daemon(s) behind nginx did not run: $why"
	done
	pg_cleanup

	echo
	echo "inbound SMS, wrk -t$threads -c$conns -d${duration}s after ${warmup}s warm-up, 127.0.0.1, empty databases"
	echo "(SQLite: synchronous = normal, as config/sampark.conf has it; PostgreSQL 15: fsync and"
	echo " synchronous_commit on, one cluster on a unix socket.  This machine has $cores cores, shared"
	echo " by wrk, nginx, the daemons and PostgreSQL.)"
	row target requests/s "p50 ms" "p99 ms" errors
	row_of "sqlite, 1" pg-sqlite
	row_of "postgresql, 1" pg-1
	row_of "pg 1 + nginx" pg-lb1
	row_of "pg 2 + nginx" pg-lb2
	row_of "pg 3 + nginx" pg-lb3
	echo
	for name in pg-sqlite pg-1 pg-lb1 pg-lb2 pg-lb3; do
		[ -s "$tmp/$name.result" ] || continue
		if [ "$(field "$name" errors)" = 0 ]; then v=PASS; else
			v=FAIL; fail "pg: $name had $(field "$name" errors) errors (socket errors or non-2xx)"; fi
		stored="-"
		[ -s "$tmp/$name.rows" ] && stored=$(awk '{ print $1 " (expected about " $2 ")" }' "$tmp/$name.rows")
		printf '  %-10s errors %s (target 0) %s; interactions stored %s\n' \
		    "$name" "$(field "$name" errors)" "$v" "$stored"
	done
	echo "  one daemon, postgresql / sqlite requests/s:  $(pg_ratio pg-1 pg-sqlite)"
	echo "  behind nginx, 2 daemons / 1:                  $(pg_ratio pg-lb2 pg-lb1)"
	scaling=$(pg_ratio pg-lb3 pg-lb1)
	r="behind nginx, 3 daemons / 1:                  $scaling"
	if [ "$scaling" = "-" ]; then
		echo "  $r   FAIL: not measured"
		fail "pg: scaling not measured"
	elif [ "$cores" -lt "$pg_target_cores" ]; then
		echo "  $r   (target >= $pg_target_scaling where the cores allow it, >= $pg_target_cores)  not applicable: $cores cores"
	else
		if ge "$scaling" "$pg_target_scaling"; then v=PASS; else
			v=FAIL; fail "pg: scaling $scaling < $pg_target_scaling on $cores cores"; fi
		echo "  $r   (target >= $pg_target_scaling, $cores cores)  $v"
	fi
}

for tool in wrk curl python3 sqlite3 cc pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "bench: $tool is not installed (make deps installs it)" >&2
		exit 1
	fi
done
mkdir -p "$outdir"

for section in ${BENCH_SECTIONS:-seed inbound outbound bcsend replies bulk growth broadcast pg}; do
	case $section in
	inbound|outbound|broadcast|bcsend|replies|bulk|growth|seed|pg) "section_$section" ;;
	*) echo "bench: no section '$section'" >&2; exit 2 ;;
	esac
done

echo
if [ -n "$failures" ]; then
	echo "bench: FAIL$failures"
	exit 1
fi
echo "bench: PASS"
