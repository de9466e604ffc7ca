#!/usr/bin/env bash
# Measures layerlab against the docker CLI (always) and dive, glow, lazydocker
# (when on PATH), side by side in one run on this machine's daemon, and prints
# the budgets table (docs/performance.md). Needs a running daemon, tmux, script
# and Debian's busybox-static. Extra arguments go to the harness:
#   bench/run.sh --reps 5 --idle 60s      (the defaults)
#   bench/run.sh --quick --reps 1 --idle 5s   (small images: tries the script)
#   bench/run.sh --classroom --n 30        (the classroom server's load test, as root;
#                                           bench/classroom/main.go says what it measures)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
go build -o "$out/layerlab" .
if [ "${1:-}" = "--classroom" ]; then
  shift
  go run ./bench/classroom --bin "$out/layerlab" "$@"
  exit
fi
# The start-up floors layerlab is measured against in the same run.
go build -o "$out/floor-empty" ./bench/floor/empty
go build -o "$out/floor-libs" ./bench/floor/libs
go run ./bench --bin "$out/layerlab" --floor-empty "$out/floor-empty" --floor-libs "$out/floor-libs" "$@"
