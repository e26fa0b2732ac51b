# lib.sh: what bench/run.sh and bench/soak.sh share.  Sourced, not run.
#
# bench_init NAME: a temporary directory in $tmp, removed on exit together
# with every process whose pid was added to $pids.

bench_init() {
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/sampark-$1.XXXXXX")
	pids=""
	failures=""
	trap bench_cleanup EXIT
	trap 'exit 130' INT TERM
}

bench_cleanup() {
	local p
	for p in $pids; do
		kill -TERM "$p" 2>/dev/null || true
	done
	for p in $pids; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$tmp"
}

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

# wait_ready URL PID: poll URL until it answers 200, while PID lives, for
# ${ready_timeout:-10} seconds at most.
wait_ready() {
	local url=$1 pid=$2 i=0
	while [ $i -lt $((${ready_timeout:-10} * 10)) ]; do
		kill -0 "$pid" 2>/dev/null || return 1
		if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
