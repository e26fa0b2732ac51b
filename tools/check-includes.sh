#!/bin/sh
# The part of the dependency rule (docs/architecture.md) that include
# paths cannot enforce: which files may include the libraries that own a
# resource.  Prints every breach as file:line and fails if there is one.
set -u
status=0
only() {	# only PATTERN FILE-REGEX WHAT: PATTERN may appear only in FILE-REGEX
	grep -nE "^[[:space:]]*#[[:space:]]*include[[:space:]]*<$1" \
	    gateway/*/*.[ch] handlers/*.[ch] | grep -vE "^($2):" |
	while IFS= read -r hit; do
		echo "$hit: $3" >&2
		echo x
	done | grep -q x && status=1
}
only 'sqlite3\.h' 'gateway/store/[a-z_]+\.[ch]' \
    'only gateway/store/ talks to SQLite'
only 'libpq-fe\.h' 'gateway/store/[a-z_]+\.[ch]' \
    'only gateway/store/ talks to PostgreSQL'
only 'curl/' 'gateway/services/httpclient\.c' \
    'only the HTTP client includes curl'
only 'event2/(http|keyvalq_struct)' 'gateway/daemon/http\.c' \
    "only the HTTP server includes libevent's HTTP"
only 'event2/' 'gateway/daemon/(daemon|http)\.c|gateway/services/(sender|httpclient|worker)\.c' \
    'only the loop owners (daemon.c, http.c, sender.c, httpclient.c, worker.c) use libevent'
# A .c file is compiled, never included.
if grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[^"]*\.c"' \
    gateway/*/*.[ch] handlers/*.[ch] tests/*.c tests/*/*.c >&2; then
	echo "check-includes: a .c file is included (above)" >&2
	status=1
fi
exit $status
