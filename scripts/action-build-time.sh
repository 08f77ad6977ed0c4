#!/usr/bin/env bash
# Measures the action's "Build jobfam" step: cold (empty module and build
# caches, as on a runner's first run or after go.sum changed: modules come
# from the proxy) and warm (both caches present, as actions/cache restores
# them). Runs the step's own command, from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
export GOCACHE="$tmp/gocache" GOMODCACHE="$tmp/gomodcache" GOFLAGS="" GOWORK=off

build() {
  rm -f "$tmp/jobfam"
  local start end
  start=$(date +%s%N)
  go build -trimpath -buildvcs=false -o "$tmp/jobfam" ./cmd/jobfam
  end=$(date +%s%N)
  awk -v ns=$((end - start)) 'BEGIN { printf "%.1f", ns / 1e9 }'
}

echo "$(go version); $(nproc) CPUs; jobfam at $(git rev-parse --short HEAD 2>/dev/null || echo '?')"
cold=$(build)
modules=$(du -sh "$GOMODCACHE" | cut -f1)
warm1=$(build)
warm2=$(build)
# Build cache only (GOCACHE restored, modules not): how much of cold is
# the download.
rm -rf "$GOMODCACHE"
nomods=$(build)
cache=$(du -sh "$GOCACHE" | cut -f1)
printf '| cold: empty GOCACHE and GOMODCACHE | %s s |\n' "$cold"
printf '| warm: both caches restored (run 1, run 2) | %s s, %s s |\n' "$warm1" "$warm2"
printf '| GOCACHE restored, GOMODCACHE empty | %s s |\n' "$nomods"
printf '| cache sizes: GOMODCACHE %s, GOCACHE %s |  |\n' "$modules" "$cache"
