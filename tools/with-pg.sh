#!/bin/sh
# tools/with-pg.sh DIR COMMAND [ARG...]
#
# Run COMMAND with SAMPARK_TEST_PG naming a throwaway PostgreSQL cluster
# made under DIR (tools/pg_cluster.sh), which is stopped and removed at
# the end whatever happened: the unit tests of the store (a fresh
# database per test, tests/temp_db.c) and the integration suite (one per
# daemon, tests/integration/harness.py) run on it this way.  A cluster
# that cannot start counts as a failed test in build/test-results.txt.
set -u
dir=$1
shift
trap './tools/pg_cluster.sh stop "$dir" >/dev/null 2>&1' EXIT INT TERM
url=$(./tools/pg_cluster.sh start "$dir") || {
	echo "with-pg: no PostgreSQL cluster (make deps installs postgresql-15)" >&2
	mkdir -p build
	echo "postgresql-cluster 0 1" >>build/test-results.txt
	exit 1
}
echo "== on PostgreSQL: $url"
SAMPARK_TEST_PG=$url "$@"
