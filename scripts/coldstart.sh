#!/bin/sh
# Cold start, idle RSS and memory after a login burst of the real sleep-api binary (issue 11).
# Not part of CI: the figures depend on the machine and its load; docs/performance.md records them.
#
#   scripts/coldstart.sh                      # build ./cmd/sleep-api, 21 cold starts, 20-login burst, 60 s watch
#   scripts/coldstart.sh -runs 51 -burst 0    # more cold starts, skip the burst
#   scripts/coldstart.sh -binary ./sleep-api  # measure a given binary
set -eu
cd "$(dirname "$0")/.."
exec go run ./scripts/coldstart "$@"
