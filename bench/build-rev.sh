#!/usr/bin/env bash
# A production build of one git revision of this tree in <dir> (never in the checkout's own
# build/), sharing the checkout's node_modules; for benchmarks that compare revisions side by
# side (bench/page-cache.mjs).
#   bash bench/build-rev.sh <rev> <dir>
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: bash bench/build-rev.sh <rev> <dir>" >&2; exit 2; }
src="$(cd "$(dirname "$0")/.." && pwd)"
rm -rf "$2" && mkdir -p "$2"
git -C "$src" archive "$1" | tar -x -C "$2"
ln -s "$src/node_modules" "$2/node_modules"
cd "$2" && npx react-router build >/dev/null && node scripts/precompress.mjs >/dev/null
