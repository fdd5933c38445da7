#!/bin/bash
# Lighthouse (mobile defaults: slow 4G, 4x CPU) against the real sleep-api binary with a month of
# seeded data, in Debian Chromium; the median of RUNS runs per page (issue 11). Not part of CI: it
# is slow and noisy; docs/performance.md records the figures with the machine load.
#
# Lighthouse is not a dependency of the app: install it once outside the repository, e.g.
#   mkdir -p /tmp/lh && (cd /tmp/lh && npm install lighthouse@12.2.3)
# then run
#   LIGHTHOUSE=/tmp/lh/node_modules/.bin/lighthouse scripts/lighthouse.sh [page …]
# Pages default to every page route that exists in this build; {day} is replaced by yesterday.
# Environment: RUNS (3), CHROME_PATH (/usr/bin/chromium), OUT (a temp folder for the JSON reports),
# BINARY (a built sleep-api; default: go build ./cmd/sleep-api).
set -euo pipefail
cd "$(dirname "$0")/.."

LIGHTHOUSE=${LIGHTHOUSE:-/tmp/lh/node_modules/.bin/lighthouse}
RUNS=${RUNS:-3}
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
OUT=${OUT:-$(mktemp -d /tmp/sleep-lighthouse-XXXXXX)}
CHROME_FLAGS="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-background-timer-throttling --disable-component-update --disable-default-apps --disable-sync --no-first-run --metrics-recording-only --mute-audio"
mkdir -p "$OUT"
[ -x "$LIGHTHOUSE" ] || { echo "lighthouse not found at $LIGHTHOUSE (see the header of this script)" >&2; exit 2; }

if [ $# -gt 0 ]; then
	PAGES=("$@")
else
	PAGES=(/login / /trends "/day/{day}" /sleep/new)
	for p in /diary /data /settings; do
		[ -d "sleep-ui/src/routes${p}" ] && PAGES+=("$p")
	done
fi

BIN=${BINARY:-}
if [ -z "$BIN" ]; then
	BIN="$OUT/sleep-api"
	go build -o "$BIN" ./cmd/sleep-api
fi

# The server: a fresh database with a month of data, one session cookie for the signed-in pages.
coproc SERVER { exec go run ./scripts/lighthouse -binary "$BIN"; }
trap 'exec {SERVER[1]}>&- 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true' EXIT
read -r line <&"${SERVER[0]}"
URL=$(sed -E 's/^URL=([^ ]+) .*/\1/' <<<"$line")
COOKIE=$(sed -E 's/.* COOKIE=(.*) DAY=.*/\1/' <<<"$line")
DAY=$(sed -E 's/.* DAY=(.*)$/\1/' <<<"$line")

echo "lighthouse $("$LIGHTHOUSE" --version), $("$CHROME_PATH" --version 2>/dev/null), $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "server $URL, reports in $OUT"
printf '%-14s %12s %14s %16s  %s\n' page performance accessibility best-practices "runs (perf) / TBT ms / LCP ms"
for page in "${PAGES[@]}"; do
	path=${page//\{day\}/$DAY}
	headers='{}'
	[ "$path" != /login ] && headers=$(jq -cn --arg c "$COOKIE" '{Cookie: $c}')
	name=$(tr '/{}' '___' <<<"$page")
	for i in $(seq 1 "$RUNS"); do
		"$LIGHTHOUSE" "$URL$path" --quiet --output=json --output-path="$OUT/${name}_$i.json" \
			--only-categories=performance,accessibility,best-practices \
			--extra-headers="$headers" --chrome-flags="$CHROME_FLAGS" >/dev/null 2>"$OUT/${name}_$i.log" ||
			echo "  run $i of $page failed: see $OUT/${name}_$i.log" >&2
	done
	jq -s -r --arg page "$page" '
		map(select(.runtimeError == null and .categories.performance.score != null))
		| if length == 0 then "\($page)\tfailed\t-\t-\tsee the .log files" else . end
		| if type == "string" then . else
		def median: sort | .[(length / 2 | floor)];
		def score(c): [.[] | .categories[c].score * 100 | round] ;
		[score("performance"), score("accessibility"), score("best-practices"),
		 [.[] | .audits["total-blocking-time"].numericValue | round],
		 [.[] | .audits["largest-contentful-paint"].numericValue | round],
		 [.[] | .finalDisplayedUrl]] as [$p, $a, $b, $tbt, $lcp, $urls]
		| "\($page)\t\($p | median)\t\($a | median)\t\($b | median)\t\($p | join(" ")) / \($tbt | join(" ")) / \($lcp | join(" "))" end' \
		"$OUT/${name}"_*.json | awk -F'\t' '{ printf "%-14s %12s %14s %16s  %s\n", $1, $2, $3, $4, $5 }'
	# A signed-in page that redirected to /login would measure the wrong page.
	if [ "$path" != /login ] && jq -r '.finalDisplayedUrl' "$OUT/${name}"_*.json | grep -q '/login'; then
		echo "  warning: $page ended on the login page (session not accepted?)" >&2
	fi
done
