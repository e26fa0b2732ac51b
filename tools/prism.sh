#!/bin/sh
# A local Prism mock of Twilio's REST API (OpenAPI description v2010), for
# the conformance test tests/integration/test_twilio_openapi.py.
#
#   tools/prism.sh install        make sure build/prism has Prism 5
#   tools/prism.sh mock PORT      install if needed, then run the mock on
#                                 127.0.0.1:PORT in the foreground
#   tools/prism.sh spec           print the path of the OpenAPI file
#
# Prism needs node and npm: when node is missing, Debian's nodejs and npm
# are installed (as tools/deps.sh installs build packages).  The spec lives
# in shared/specs beside the repository (CI clones the repository next to
# a copy of shared/); $SAMPARK_TWILIO_SPEC overrides it.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
PRISM_DIR="$ROOT/build/prism"
PRISM="$PRISM_DIR/node_modules/.bin/prism"
SPEC=${SAMPARK_TWILIO_SPEC:-"$ROOT/../shared/specs/twilio_api_v2010.json"}

install_prism() {
	if [ -x "$PRISM" ]; then
		return 0
	fi
	if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
		"$ROOT/tools/deps.sh" nodejs npm
	fi
	mkdir -p "$PRISM_DIR"
	echo "prism: installing @stoplight/prism-cli@5 into build/prism" >&2
	npm install --prefix "$PRISM_DIR" --no-audit --no-fund \
	    @stoplight/prism-cli@5 >&2
	[ -x "$PRISM" ] || { echo "prism: install failed" >&2; exit 1; }
}

usage() {
	echo "usage: tools/prism.sh install | mock PORT | spec" >&2
	exit 2
}

[ $# -ge 1 ] || usage
case "$1" in
install)
	install_prism
	;;
spec)
	echo "$SPEC"
	;;
mock)
	[ $# -eq 2 ] || usage
	case "$2" in
	''|*[!0-9]*) usage ;;
	esac
	[ -r "$SPEC" ] || { echo "prism: no spec at $SPEC" >&2; exit 1; }
	install_prism
	# exec: the caller's pid is Prism's, so it can be stopped by pid.
	exec "$PRISM" mock -h 127.0.0.1 -p "$2" "$SPEC"
	;;
*)
	usage
	;;
esac
