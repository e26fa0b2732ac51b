#!/bin/sh
# tools/run-unit-pg.sh DIR TEST...
#
# The unit tests that stand on the store, run again against PostgreSQL:
# a throwaway cluster under DIR (tools/pg_cluster.sh), a fresh database
# per test (tests/temp_db.c, SAMPARK_TEST_PG), the cluster stopped and
# removed at the end whatever happened.  Results are recorded as
# tools/run-unit.sh records them.
set -u
dir=$1
shift
trap './tools/pg_cluster.sh stop "$dir" >/dev/null 2>&1' EXIT INT TERM
url=$(./tools/pg_cluster.sh start "$dir") || {
	echo "run-unit-pg: no PostgreSQL cluster (make deps installs postgresql-15)" >&2
	mkdir -p build
	echo "postgresql-cluster 0 1" >>build/test-results.txt
	exit 1
}
echo "== the store's tests on PostgreSQL ($url)"
SAMPARK_TEST_PG=$url ./tools/run-unit.sh "$@"
