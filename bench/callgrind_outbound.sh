#!/bin/sh
# bench/callgrind_outbound.sh [path/to/sampark] [N]
#
# The sender's cost per message in instructions, which unlike a wall-clock
# ratio does not move with whatever else the machine runs: N messages
# (default 2000) queued with bench/outbox_fill.py are sent by `sampark
# serve` under callgrind to bench/sink_server, and the instructions of the
# whole run and of the store calls per message are printed.  The outbound
# section of run.sh configures the daemon the same way.  Needs valgrind.
set -eu

sampark=${1:-build/sampark}
n=${2:-2000}
out=build/bench
tmp=$(mktemp -d)
text="Bhadohi loan mela on 12 March at DIC Gyanpur, 10am. Bring Aadhaar and bank passbook. Reply HELP for menu."
sink_pid=
daemon_pid=

cleanup() {
	[ -n "$daemon_pid" ] && kill "$daemon_pid" 2>/dev/null || true
	[ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

mkdir -p "$out"
cc -std=c11 -D_GNU_SOURCE -O2 bench/sink_server.c -o "$out/sink_server" \
    $(pkg-config --cflags --libs libevent)
"$sampark" import stakeholders config/stakeholders.csv --db "$tmp/cg.db" \
    >/dev/null 2>&1
python3 bench/outbox_fill.py "$tmp/cg.db" "$n" "$text" >/dev/null

sink_port=$(free_port)
"$out/sink_server" 127.0.0.1 "$sink_port" 2>/dev/null &
sink_pid=$!
port=$(free_port)
sleep 0.3
env -u SAMPARK_TWILIO_URL_TOKEN SAMPARK_BENCH_TWILIO_TOKEN=bench-auth-token \
    valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" \
    "$sampark" serve -c config/sampark.conf \
    --listen "127.0.0.1:$port" --db "$tmp/cg.db" --set admin_listen= \
    --set public_url="http://127.0.0.1:$port" \
    --set outbound_per_hour=100000000 --set twilio.enabled=yes \
    --set twilio.api_base="http://127.0.0.1:$sink_port" \
    --set twilio.account_sid=AC0123456789abcdef0123456789abcdef \
    --set twilio.auth_token_env=SAMPARK_BENCH_TWILIO_TOKEN \
    --set twilio.from=+15005550006 --set twilio.rate=0 \
    --set twilio.max_inflight=32 2>"$out/callgrind-daemon.log" &
daemon_pid=$!
sent=0
i=0
while [ "$sent" -lt "$n" ] && [ $i -lt 1200 ]; do
	sleep 0.5
	i=$((i + 1))
	sent=$(sqlite3 -cmd '.timeout 5000' "$tmp/cg.db" \
	    "select count(*) from outbox where state = 'sent'")
done
kill -TERM "$daemon_pid"
wait "$daemon_pid" || true
daemon_pid=
echo "sent $sent of $n"
callgrind_annotate --inclusive=yes "$out/callgrind.out" 2>/dev/null |
    awk -v n="$n" '
	/PROGRAM TOTALS/ { v = $1; gsub(",", "", v)
		printf "%-26s %8.0f instructions/message (start-up included)\n", "whole daemon", v / n }
	/^ *[0-9,]+ .*:(store_outbox_claim|store_outbox_finish|store_outbox_attempt_add|on_answer|start|log_transition|twilio_build_send|twilio_parse_send|httpclient_post) \[/ {
		v = $1; gsub(",", "", v)
		name = $0; sub(/ \[.*/, "", name); sub(/.*:/, "", name)
		printf "%-26s %8.0f\n", name, v / n
	}'
