#!/usr/bin/env bash
# `npm run bench`: every benchmark under bench/ that exists, one after another (they share the
# machine's CPUs and PostgreSQL, so never in parallel). Needs a production build (`npm run build`)
# and PostgreSQL at BENCH_PG_URL (default postgres://postgres@127.0.0.1:5432/postgres).
# Exits non-zero when any benchmark misses its target or fails; runs the rest anyway.
set -u
cd "$(dirname "$0")/.."
[ -f build/server/index.js ] || { echo "bench: no build; run \`npm run build\` first" >&2; exit 2; }
status=0
for name in logins start convocatorias-list ficha uploads deadline-rush evaluacion; do
  file="bench/$name.mjs"
  [ -f "$file" ] || continue
  echo "=== bench: $name ($(date -u +%FT%TZ))"
  if ! node "$file"; then
    echo "=== bench: $name FAILED or missed its target" >&2
    status=1
  fi
done
exit $status
