#!/usr/bin/env bash
# soak.sh: the soak test behind `make soak` (not part of `make test`).
#
#   bench/soak.sh [path/to/sampark]        (default build/sampark)
#
# Runs the daemon for SOAK_SECONDS under mixed load, all on 127.0.0.1:
#   - inbound SMS webhooks (wrk, bench/soak_inbound.lua: console provider,
#     a unique sender and message id per request, paced);
#   - delivery-status callbacks (wrk, bench/soak_status.lua: Exotel form,
#     URL token, ids the outbox does not know);
#   - a broadcast every SOAK_BROADCAST_EVERY seconds to SOAK_CONTACTS
#     contacts (POST /api/v1/broadcasts on the admin listener), sent
#     through the Twilio adapter to bench/sink_server.c standing in for
#     Twilio's API;
#   - GET /metrics on the admin listener every 10 s.
# After a warm-up (SOAK_WARMUP seconds of the same load, so that caches
# and the abuse table reach their steady size) it records the resident
# memory and open descriptors, runs the measured period, waits for the
# outbox to drain, records them again and stops the daemon with SIGTERM.
#
# Reports requests/s, p99 and errors per stream, broadcast messages sent,
# RSS and fds at start and end.  Exit status 1 when a target is missed:
# errors > 0, RSS growth >= 5 %, descriptors grew by more than 8, a
# broadcast message not sent, or an unclean stop.
#
# Environment:
#   SOAK_SECONDS           measured duration (default 600)
#   SOAK_WARMUP            warm-up before the start figures (default 60)
#   SOAK_CONNECTIONS       wrk connections for inbound (default 16);
#                          status callbacks use a quarter of them
#   SOAK_DELAY_MS          pause per connection between requests (10)
#   SOAK_BROADCAST_EVERY   seconds between broadcasts (default 60)
#   SOAK_CONTACTS          recipients of each broadcast (default 500)
# Logs, wrk output and the RSS samples are kept in build/soak/.

set -eu

sampark=${1:-build/sampark}
case $sampark in
/*) ;;
*) sampark=$PWD/$sampark ;;
esac
cd "$(dirname "$0")/.."

secs=${SOAK_SECONDS:-600}
warmup=${SOAK_WARMUP:-60}
conns=${SOAK_CONNECTIONS:-16}
status_conns=$(( conns / 4 > 0 ? conns / 4 : 1 ))
export SOAK_DELAY_MS=${SOAK_DELAY_MS:-10}
bcast_every=${SOAK_BROADCAST_EVERY:-60}
ncontacts=${SOAK_CONTACTS:-500}
outdir=build/soak
sink_bin=$outdir/sink_server
admin_token=soak-admin-token
url_token=soak-url-token
twilio_sid=AC0123456789abcdef0123456789abcdef
. bench/lib.sh
bench_init soak

rss_kb() {
	awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"
}

fd_count() {
	ls "/proc/$1/fd" | wc -l
}

sq() {
	sqlite3 -cmd '.timeout 5000' "$db" "$1"
}

# field FILE KEY: a value from the RESULT line of a wrk output.
field() {
	grep '^RESULT ' "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"
}

# wrk_bg NAME SCRIPT PATH SECONDS CONNECTIONS RUN: wrk in the background.
wrk_bg() {
	wrk -t2 -c"$5" -d"${4}s" --latency --timeout 10s -s "$2" \
	    "http://127.0.0.1:$port$3" -- "$6" >"$outdir/$1.wrk" 2>&1 &
	wrk_pids="$wrk_pids $!"
}

for tool in wrk curl python3 sqlite3 cc pkg-config; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "soak: $tool is not installed (make deps installs it)" >&2
		exit 1
	fi
done
if [ ! -x "$sampark" ]; then
	echo "soak: $sampark does not exist (make builds it)" >&2
	exit 1
fi
mkdir -p "$outdir"
rm -f "$outdir"/*.wrk "$outdir"/rss.txt

# ---- the provider sink ----
cc -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -Werror bench/sink_server.c \
    -o "$sink_bin" $(pkg-config --cflags --libs libevent)
sink_port=$(free_port)
"$sink_bin" 127.0.0.1 "$sink_port" 2>"$outdir/sink.log" &
sink_pid=$!
pids="$pids $sink_pid"
wait_ready "http://127.0.0.1:$sink_port/" "$sink_pid" ||
    { echo "soak: sink not ready, see $outdir/sink.log" >&2; exit 1; }

# ---- configuration: ours, with broadcasts at any hour ----
# Top-level keys must come before any [section]: prepended to a copy.
cp -r config prompts "$tmp/"
conf=$tmp/config/sampark.conf
{ printf 'quiet_hours =\ndaily_cap = 100\n'; cat config/sampark.conf; } >"$conf"

# ---- the database: directory and the broadcast's contacts ----
db=$tmp/soak.db
"$sampark" import stakeholders config/stakeholders.csv --db "$db" \
    >"$outdir/import.log" 2>&1
python3 - "$tmp/contacts.csv" "$ncontacts" <<'EOF'
import sys
path, n = sys.argv[1], int(sys.argv[2])
districts = ["bhadohi", "mirzapur", "samastipur"]
with open(path, "w") as f:
    f.write("phone,name,district,language,role,groups\n")
    for i in range(n):
        f.write("+9196%08d,Soak %d,%s,%s,entrepreneur,soak\n" % (
            i, i, districts[i % 3], "hi" if i % 2 else "en"))
EOF
"$sampark" import contacts "$tmp/contacts.csv" --db "$db" \
    >>"$outdir/import.log" 2>&1

# ---- the daemon ----
port=$(free_port)
admin_port=$(free_port)
env SAMPARK_SOAK_TWILIO_TOKEN=soak-auth-token \
    SAMPARK_EXOTEL_URL_TOKEN=$url_token SAMPARK_ADMIN_TOKEN=$admin_token \
    "$sampark" serve -c "$conf" --listen "127.0.0.1:$port" \
    --db "$db" --set admin_listen="127.0.0.1:$admin_port" \
    --set public_url="http://127.0.0.1:$port" \
    --set twilio.enabled=yes \
    --set twilio.api_base="http://127.0.0.1:$sink_port" \
    --set twilio.account_sid=$twilio_sid \
    --set twilio.auth_token_env=SAMPARK_SOAK_TWILIO_TOKEN \
    --set twilio.from=+15005550006 --set twilio.rate=200 \
    --set twilio.max_inflight=8 --set exotel.enabled=yes \
    --set outbound_per_hour=10000000 \
    2>"$outdir/sampark.log" &
daemon_pid=$!
pids="$pids $daemon_pid"
if ! wait_ready "http://127.0.0.1:$port/healthz" "$daemon_pid"; then
	tail -n 20 "$outdir/sampark.log" >&2
	echo "soak: the daemon did not start, see $outdir/sampark.log" >&2
	exit 1
fi
rss_boot=$(rss_kb "$daemon_pid")
fds_boot=$(fd_count "$daemon_pid")

echo "soak: daemon on 127.0.0.1:$port (admin $admin_port), sink on $sink_port"
echo "soak: warm-up ${warmup}s, then ${secs}s measured; inbound $conns" \
    "connections, status $status_conns, ${SOAK_DELAY_MS} ms pause;" \
    "a broadcast to $ncontacts every ${bcast_every}s"

# ---- warm-up ----
wrk_pids=""
wrk_bg warm-inbound bench/soak_inbound.lua /sms/console "$warmup" \
    "$conns" 0
wrk_bg warm-status bench/soak_status.lua "/status/exotel/$url_token" \
    "$warmup" "$status_conns" 0
for p in $wrk_pids; do wait "$p" || true; done
rss_start=$(rss_kb "$daemon_pid")
fds_start=$(fd_count "$daemon_pid")

# ---- the measured run ----
broadcasts=0
bcast_fail=0
scrapes=0
scrape_fail=0
wrk_pids=""
t0=$(date +%s)
wrk_bg inbound bench/soak_inbound.lua /sms/console "$secs" "$conns" 1
wrk_bg status bench/soak_status.lua "/status/exotel/$url_token" "$secs" \
    "$status_conns" 1
next_bcast=$t0
next_tick=$t0
while :; do
	running=0
	for p in $wrk_pids; do
		kill -0 "$p" 2>/dev/null && running=1
	done
	[ $running = 1 ] || break
	if ! kill -0 "$daemon_pid" 2>/dev/null; then
		fail "the daemon died during the run"
		break
	fi
	now=$(date +%s)
	if [ "$now" -ge "$next_bcast" ] && [ "$now" -lt $((t0 + secs - 5)) ]; then
		# Through the admin API, as the dashboard does: `sampark
		# broadcast create` would hold the database's write lock from
		# another process and the daemon would rightly answer some
		# webhooks 503 meanwhile.
		if curl -fsS --max-time 30 -X POST \
		    -H "Authorization: Bearer $admin_token" \
		    -H "Content-Type: application/json" \
		    -d "{\"to\": \"group:soak\", \"template\": \"scheme_deadline\",
		    \"provider\": \"twilio\", \"vars\": {\"scheme\": \"PMEGP\",
		    \"date\": \"31-Dec\", \"place\": \"DIC-$broadcasts\"}}" \
		    "http://127.0.0.1:$admin_port/api/v1/broadcasts" \
		    >>"$outdir/broadcast.log" 2>&1; then
			broadcasts=$((broadcasts + 1))
		else
			bcast_fail=$((bcast_fail + 1))
		fi
		next_bcast=$((next_bcast + bcast_every))
	fi
	if [ "$now" -ge "$next_tick" ]; then
		scrapes=$((scrapes + 1))
		curl -fsS --max-time 5 -H "Authorization: Bearer $admin_token" \
		    -o "$outdir/metrics.txt" \
		    "http://127.0.0.1:$admin_port/metrics" ||
		    scrape_fail=$((scrape_fail + 1))
		echo "$((now - t0)) $(rss_kb "$daemon_pid") $(fd_count "$daemon_pid")" \
		    >>"$outdir/rss.txt"
		next_tick=$((next_tick + 10))
	fi
	sleep 1
done
for p in $wrk_pids; do wait "$p" || true; done

# The broadcasts drain (at twilio.rate); then the end figures.
queued=$(sq "select count(*) from outbox where broadcast_id is not null")
i=0
while [ $i -lt 120 ]; do
	left=$(sq "select count(*) from outbox where broadcast_id is not null
	    and state in ('queued', 'sending')")
	[ "$left" = 0 ] && break
	sleep 1
	i=$((i + 1))
done
sent=$(sq "select count(*) from outbox where broadcast_id is not null
    and state = 'sent'")
sink_posts=$(curl -fsS --max-time 5 "http://127.0.0.1:$sink_port/count" ||
    echo "-")
rss_end=$(rss_kb "$daemon_pid")
fds_end=$(fd_count "$daemon_pid")
kill -TERM "$daemon_pid"
rc=0
wait "$daemon_pid" || rc=$?
pids=$(echo $pids | tr ' ' '\n' | grep -vx "$daemon_pid" | tr '\n' ' ' || true)
rows=$(sq "select count(*) from interactions")

# ---- the report ----
row() {
	printf '  %-10s %12s %10s %10s %10s\n' "$@"
}
echo
echo "soak: ${secs}s of mixed load after ${warmup}s warm-up, 127.0.0.1"
row stream requests/s "p50 ms" "p99 ms" errors
total_errors=0
for s in inbound status; do
	f=$outdir/$s.wrk
	if grep -q '^RESULT ' "$f" 2>/dev/null; then
		row "$s" "$(field "$f" rps)" "$(field "$f" p50_ms)" \
		    "$(field "$f" p99_ms)" "$(field "$f" errors)"
		total_errors=$((total_errors + $(field "$f" errors)))
	else
		row "$s" - - - -
		fail "no result from wrk for $s, see $f"
	fi
done
echo
echo "  broadcasts          $broadcasts created ($bcast_fail refused), $queued messages, $sent sent, sink answered $sink_posts"
echo "  /metrics scrapes    $scrapes ($scrape_fail failed)"
echo "  interactions rows   $rows"
growth=$(awk -v a="$rss_start" -v b="$rss_end" \
    'BEGIN { printf "%.2f", (a > 0) ? (b - a) * 100 / a : 0 }')
echo "  RSS kB              boot $rss_boot, start $rss_start (after warm-up), end $rss_end: growth $growth %   (target < 5 %)"
echo "  open fds            boot $fds_boot, start $fds_start, end $fds_end"
echo "  exit on SIGTERM     $rc"
echo "  RSS samples (s rss_kB fds): $outdir/rss.txt"

[ "$total_errors" = 0 ] || fail "$total_errors errors (socket errors or non-2xx)"
awk -v g="$growth" 'BEGIN { exit !(g + 0 < 5) }' ||
    fail "RSS grew $growth % (target < 5 %)"
[ $((fds_end - fds_start)) -le 8 ] || fail "descriptors grew from $fds_start to $fds_end"
[ "$bcast_fail" = 0 ] || fail "$bcast_fail broadcasts refused, see $outdir/broadcast.log"
[ "$sent" = "$queued" ] || fail "$sent of $queued broadcast messages sent"
[ "$scrape_fail" = 0 ] || fail "$scrape_fail /metrics scrapes failed"
[ "$rc" = 0 ] || fail "the daemon exited $rc on SIGTERM, see $outdir/sampark.log"

echo
if [ -n "$failures" ]; then
	echo "soak: FAIL$failures"
	exit 1
fi
echo "soak: PASS"
