#!/bin/sh
# tools/pg_cluster.sh start|stop|url|status [DIR]
# tools/pg_cluster.sh standby PRIMARY_DIR DIR | promote DIR | crash DIR
#
# A throwaway PostgreSQL 15 cluster for the tests: made with initdb under
# DIR (default build/pg), listening on a unix socket in DIR only (no TCP),
# trust authentication for the one role "sampark", no fsync (the tests
# never outlive it).  initdb refuses to run as root, so as root the
# cluster belongs to the postgres system user (the postgresql-15 package
# makes it), as anyone else to that user.  PG_CLUSTER_DURABLE=1 keeps
# the server's own fsync and synchronous commit (the benchmarks, which
# compare it with SQLite's durable commits).  start prints the connection
# URI the store takes; stop stops it and deletes DIR.  Every step is
# bounded in time.
#
# Failover (tests/integration/test_pg_failover.py): PG_CLUSTER_PRIMARY=1
# starts a cluster that streams its WAL and commits only once a standby
# has it (synchronous_standby_names '*', synchronous_commit on, so a
# commit acknowledged is on the standby too); standby copies a running
# primary into DIR with pg_basebackup -R and starts it streaming from it
# over the unix socket; promote makes a standby the primary; crash stops
# a cluster at once (-m immediate) and keeps DIR.
set -eu

bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
dir=${2:-${PG_CLUSTER_DIR:-build/pg}}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
data=$dir/data

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

url() {
	echo "postgresql:///postgres?host=$dir&user=sampark"
}

running() {
	[ -f "$data/postmaster.pid" ] && as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

case ${1:-} in
start)
	if running; then
		url
		exit 0
	fi
	if [ ! -f "$data/PG_VERSION" ]; then
		rm -rf "$data"
		[ "$(id -u)" = 0 ] && chown postgres "$dir"
		as_owner timeout 120 "$bin/initdb" -D "$data" -U sampark \
		    -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 || {
			cat "$dir/initdb.log" >&2
			exit 1
		}
	fi
	fast="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
	[ -n "${PG_CLUSTER_DURABLE:-}" ] && fast=""
	[ -n "${PG_CLUSTER_PRIMARY:-}" ] && fast="-c fsync=off \
	    -c wal_level=replica -c max_wal_senders=4 \
	    -c synchronous_commit=on -c synchronous_standby_names='*'"
	as_owner "$bin/pg_ctl" -D "$data" -l "$dir/server.log" -w -t 60 \
	    -o "-k $dir -c listen_addresses= $fast -c max_connections=300" \
	    start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	url
	;;
stop)
	if running; then
		as_owner "$bin/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null
	fi
	rm -rf "$dir"
	;;
url)
	url
	;;
standby)
	# $2 is the primary's DIR; the standby's is $3.
	primary=$(cd "$2" && pwd)
	sdir=${3:?usage: $0 standby PRIMARY_DIR DIR}
	mkdir -p "$sdir"
	sdir=$(cd "$sdir" && pwd)
	rm -rf "$sdir/data"
	[ "$(id -u)" = 0 ] && chown postgres "$sdir"
	as_owner timeout 120 "$bin/pg_basebackup" -D "$sdir/data" \
	    -h "$primary" -U sampark -R -X stream -c fast \
	    >"$sdir/basebackup.log" 2>&1 || {
		cat "$sdir/basebackup.log" >&2
		exit 1
	}
	as_owner "$bin/pg_ctl" -D "$sdir/data" -l "$sdir/server.log" -w -t 60 \
	    -o "-k $sdir -c listen_addresses= -c fsync=off \
	    -c max_connections=300 -c hot_standby=on" start >/dev/null || {
		cat "$sdir/server.log" >&2
		exit 1
	}
	echo "postgresql:///postgres?host=$sdir&user=sampark"
	;;
promote)
	as_owner "$bin/pg_ctl" -D "$data" -w -t 60 promote >/dev/null
	;;
crash)
	if running; then
		as_owner "$bin/pg_ctl" -D "$data" -m immediate -w -t 60 \
		    stop >/dev/null
	fi
	;;
status)
	running
	;;
*)
	echo "usage: $0 start|stop|url|status|promote|crash [DIR]" >&2
	echo "       $0 standby PRIMARY_DIR DIR" >&2
	exit 2
	;;
esac
