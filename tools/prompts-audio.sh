#!/bin/sh
# Render the prompts of <dir>/<lang>.txt to <dir>/audio/<lang>/<key>.wav
# (8 kHz, mono, 16-bit WAV, what telephone providers play) with espeak-ng,
# for providers without text-to-speech in the caller's language.
#
#   tools/prompts-audio.sh [prompts-dir]        (make prompts)
#
# Recorded files win.  What this script writes is listed in
# <dir>/audio/<lang>/.generated as "key text-sha256 wav-sha256".  A WAV
# that is not listed there, or whose content no longer matches the listed
# checksum (someone copied a recording over it), is a recording: it is
# never touched again, and its line is dropped.  A generated WAV is made
# again only when its text changes.  Keys with {placeholders} are skipped:
# their text is only known when the message is sent.
set -eu

DIR=${1:-prompts}
command -v espeak-ng >/dev/null || { echo "prompts: espeak-ng is not installed (make prompts installs it)" >&2; exit 1; }
command -v sox >/dev/null || { echo "prompts: sox is not installed" >&2; exit 1; }

sha() { sha256sum | cut -d' ' -f1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT INT TERM

made=0 kept=0 recorded=0
for txt in "$DIR"/*.txt; do
	[ -f "$txt" ] || continue
	lang=$(basename "$txt" .txt)
	case "$lang" in
	hi) voice=hi ;;
	en) voice=en ;;
	*) voice=$lang ;;
	esac
	out="$DIR/audio/$lang"
	mkdir -p "$out"
	manifest="$out/.generated"
	touch "$manifest"
	: > "$TMP/manifest"
	while IFS= read -r line || [ -n "$line" ]; do
		case "$line" in ''|'#'*) continue ;; esac
		case "$line" in *=*) ;; *) continue ;; esac
		key=$(printf '%s' "${line%%=*}" | tr -d ' \t')
		text=$(printf '%s' "${line#*=}" | sed 's/^[ \t]*//; s/\\n/. /g')
		case "$key" in ''|*[!a-z0-9_.]*) continue ;; esac
		case "$text" in *'{'*) continue ;; esac
		wav="$out/$key.wav"
		tsum=$(printf '%s' "$text" | sha)
		old=$(grep "^$key " "$manifest" || true)
		if [ -e "$wav" ] || [ -L "$wav" ]; then
			wsum=$(sha < "$wav")
			if [ -z "$old" ] || [ "$(echo "$old" | cut -d' ' -f3)" != "$wsum" ]; then
				recorded=$((recorded + 1))
				continue	# a recording: never overwritten
			fi
			if [ "$(echo "$old" | cut -d' ' -f2)" = "$tsum" ]; then
				echo "$old" >> "$TMP/manifest"
				kept=$((kept + 1))
				continue
			fi
		fi
		espeak-ng -v "$voice" -s 140 -w "$TMP/raw.wav" "$text"
		sox -V1 "$TMP/raw.wav" -r 8000 -c 1 -b 16 "$TMP/out.wav" gain -3
		mv "$TMP/out.wav" "$wav"
		echo "$key $tsum $(sha < "$wav")" >> "$TMP/manifest"
		made=$((made + 1))
	done < "$txt"
	mv "$TMP/manifest" "$manifest"
done
echo "prompts: $made rendered, $kept unchanged, $recorded recorded (kept)"
