#!/bin/sh
# Install or uninstall Sampark: `make install` / `make uninstall` run this
# with the directories in the environment (see the Makefile):
#
#   BIN         the built binary (build/sampark)
#   DESTDIR     staging root, prepended to every path ("" for the system)
#   BINDIR SHAREDIR SYSCONFDIR STATEDIR UNITDIR DOCDIR
#
# Configuration files are never overwritten: when one is already there and
# differs, the new one goes beside it as NAME.dist.  Uninstall removes what
# install put there, and a configuration file only when it is unchanged;
# it never touches the state directory (the database).
#
# As root without DESTDIR, install also creates the `sampark` system user
# and gives it the state directory.
set -eu

mode=${1:?usage: install.sh install|uninstall}
: "${BIN:?}" "${BINDIR:?}" "${SHAREDIR:?}" "${SYSCONFDIR:?}" "${STATEDIR:?}"
: "${UNITDIR:?}" "${DOCDIR:?}"
DESTDIR=${DESTDIR:-}
SRC=$(cd "$(dirname "$0")/.." && pwd)
USER_NAME=sampark
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

say() { printf '%s\n' "$*"; }

# The configuration files that ship: everything in config/ except
# sampark.conf (generated below), so files added there (ivr.conf,
# templates.conf, ...) are installed without a change here.
config_files() {
	for f in "$SRC"/config/*; do
		[ -f "$f" ] || continue
		case "$(basename "$f")" in
		sampark.conf|*~|*.orig|*.rej) continue ;;
		esac
		printf '%s\n' "$f"
	done
}

# The installed sampark.conf: every directive commented out at its default
# (from the binary's own table), with the paths of this installation.
make_conf() {
	"$BIN" help config --format conf | sed \
	    -e "s|^#\([a-z0-9_]*\) = \.\./var/|\1 = $STATEDIR/|" \
	    -e "s|^#\([a-z0-9_]*\) = \.\./prompts|\1 = $SHAREDIR/prompts|" \
	    > "$TMP/sampark.conf"
}

make_unit() {
	sed -e "s|@BINDIR@|$BINDIR|g" -e "s|@SYSCONFDIR@|$SYSCONFDIR|g" \
	    -e "s|@STATEDIR@|$STATEDIR|g" -e "s|@DOCDIR@|$DOCDIR|g" \
	    "$SRC/dist/sampark.service.in" > "$TMP/sampark.service"
}

# install_config SRC DEST MODE: never replace a file someone may have edited.
install_config() {
	if [ ! -e "$2" ]; then
		install -m "$3" "$1" "$2"
		say "  $2"
	elif cmp -s "$1" "$2"; then
		:
	else
		install -m "$3" "$1" "$2.dist"
		say "  $2 exists and differs: new version in $2.dist"
	fi
}

# remove_config SRC DEST: only if unchanged; its .dist if it is ours.
remove_config() {
	if [ -e "$2" ] && cmp -s "$1" "$2"; then
		rm -f "$2"
	elif [ -e "$2" ]; then
		say "  kept $2 (changed since install)"
	fi
	if [ -e "$2.dist" ] && cmp -s "$1" "$2.dist"; then
		rm -f "$2.dist"
	fi
}

do_install() {
	d=$DESTDIR
	make_conf
	make_unit
	install -d -m 0755 "$d$BINDIR" "$d$SHAREDIR" "$d$SYSCONFDIR" \
	    "$d$UNITDIR" "$d$DOCDIR"
	install -m 0755 "$BIN" "$d$BINDIR/sampark"
	say "  $d$BINDIR/sampark"
	install_config "$TMP/sampark.conf" "$d$SYSCONFDIR/sampark.conf" 0644
	config_files | while read -r f; do
		install_config "$f" "$d$SYSCONFDIR/$(basename "$f")" 0644
	done
	install_config "$SRC/dist/secrets.env" "$d$SYSCONFDIR/secrets.env" 0600
	# Prompts and audio are data, replaced on upgrade (customise a copy).
	(cd "$SRC" && find prompts -type d) | while read -r dir; do
		install -d -m 0755 "$d$SHAREDIR/$dir"
	done
	(cd "$SRC" && find prompts -type f) | while read -r f; do
		install -m 0644 "$SRC/$f" "$d$SHAREDIR/$f"
	done
	say "  $d$SHAREDIR/prompts/"
	install -m 0644 "$TMP/sampark.service" "$d$UNITDIR/sampark.service"
	say "  $d$UNITDIR/sampark.service"
	install -m 0644 "$SRC/README.md" "$d$DOCDIR/README.md"
	for f in "$SRC"/docs/*.md; do
		[ -f "$f" ] && install -m 0644 "$f" "$d$DOCDIR/"
	done
	install -d -m 0750 "$d$STATEDIR"
	if [ -z "$d" ] && [ "$(id -u)" -eq 0 ]; then
		if ! id "$USER_NAME" >/dev/null 2>&1; then
			useradd --system --user-group --home-dir "$STATEDIR" \
			    --no-create-home --shell /usr/sbin/nologin \
			    "$USER_NAME"
			say "  created system user $USER_NAME"
		fi
		chown "$USER_NAME:$USER_NAME" "$STATEDIR"
		chmod 0750 "$STATEDIR"
		# The daemon reads its configuration but may not change it.
		chgrp "$USER_NAME" "$SYSCONFDIR"
		chmod 0750 "$SYSCONFDIR"
		command -v systemctl >/dev/null 2>&1 &&
		    systemctl daemon-reload 2>/dev/null || true
	fi
	say "  $d$STATEDIR (state: the database; never removed by uninstall)"
	cat <<EOF

Next: put the provider secrets in $SYSCONFDIR/secrets.env (mode 0600),
edit $SYSCONFDIR/sampark.conf, check it, and start the service:

  sampark check-config -c $SYSCONFDIR/sampark.conf
  systemctl enable --now sampark
  journalctl -u sampark -f

See $DOCDIR/operations.md.
EOF
}

do_uninstall() {
	d=$DESTDIR
	make_conf
	if [ -z "$d" ] && command -v systemctl >/dev/null 2>&1 &&
	    systemctl is-active --quiet sampark 2>/dev/null; then
		say "sampark is running: systemctl disable --now sampark first" >&2
		exit 1
	fi
	rm -f "$d$BINDIR/sampark" "$d$UNITDIR/sampark.service"
	remove_config "$TMP/sampark.conf" "$d$SYSCONFDIR/sampark.conf"
	config_files | while read -r f; do
		remove_config "$f" "$d$SYSCONFDIR/$(basename "$f")"
	done
	remove_config "$SRC/dist/secrets.env" "$d$SYSCONFDIR/secrets.env"
	# Only the files we ship: anything added beside them stays.
	(cd "$SRC" && find prompts -type f) | while read -r f; do
		rm -f "$d$SHAREDIR/$f"
	done
	[ -d "$d$SHAREDIR/prompts" ] &&
	    find "$d$SHAREDIR/prompts" -depth -type d -empty -delete
	rmdir "$d$SHAREDIR" 2>/dev/null || true
	rm -f "$d$DOCDIR/README.md"
	for f in "$SRC"/docs/*.md; do
		[ -f "$f" ] && rm -f "$d$DOCDIR/$(basename "$f")"
	done
	rmdir "$d$DOCDIR" 2>/dev/null || true
	rmdir "$d$SYSCONFDIR" 2>/dev/null || true
	say "uninstalled; $d$STATEDIR (the database) is left as it is"
}

case $mode in
install) do_install ;;
uninstall) do_uninstall ;;
*) echo "usage: install.sh install|uninstall" >&2; exit 2 ;;
esac
