#!/usr/bin/env bash
# Runs a benchmark from a production build of a COPY of the working tree, so that building
# never touches the checkout's own build/ (a dev server or a test run may be using it).
#   bash bench/in-copy.sh /tmp/cas-bench node bench/uploads.mjs
# The copy shares the checkout's node_modules (a symlink); everything else is copied fresh.
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: bash bench/in-copy.sh <dir> <command…>" >&2; exit 2; }
src="$(cd "$(dirname "$0")/.." && pwd)"
dir="$1"; shift
rm -rf "$dir" && mkdir -p "$dir"
rsync -a --exclude node_modules --exclude build --exclude .git --exclude data --exclude .cache --exclude test-results "$src/" "$dir/"
ln -s "$src/node_modules" "$dir/node_modules"
cd "$dir"
npx react-router build >/dev/null && node scripts/precompress.mjs >/dev/null
exec "$@"
