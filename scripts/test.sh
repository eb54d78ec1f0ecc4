#!/usr/bin/env bash
# `npm test`: everything, in the order a failure is cheapest to find.
#   lint → typecheck → build → unit+integration on PGlite (the machine's Node) → the same on
#   PostgreSQL (when TEST_DATABASE_URL is set) on Node 24 → Playwright + axe in Chromium →
#   the cluster journey through nginx (when TEST_DATABASE_URL is set).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
[ -x node_modules/.bin/vitest ] || npm ci --no-audit --no-fund
npm run lint
npm run typecheck
npm run build

echo "== unit and integration tests on PGlite (Node $(node --version))"
npx vitest run

# Deployers run the current LTS on PostgreSQL: the PostgreSQL run uses Node 24 (the npm registry's
# `node` package), so every test runs once on each Node and each database kind without a third run
# (docs/testing.md). SKIP_NODE24=1 uses the machine's Node instead.
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  NODE_FOR_PG=node
  if [ "${SKIP_NODE24:-0}" != "1" ]; then
    NODE24_DIR=.cache/node24
    if [ ! -x "$NODE24_DIR/node_modules/.bin/node" ]; then
      mkdir -p "$NODE24_DIR"
      (cd "$NODE24_DIR" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund node@24 >/dev/null)
    fi
    NODE_FOR_PG="$PWD/$NODE24_DIR/node_modules/.bin/node"
  fi
  echo "== unit and integration tests on PostgreSQL (Node $("$NODE_FOR_PG" --version))"
  TEST_DB=postgres "$NODE_FOR_PG" node_modules/vitest/vitest.mjs run
else
  echo "== TEST_DATABASE_URL unset: PostgreSQL run (on Node 24) not done"
fi

echo "== end-to-end tests in Chromium"
npx playwright test

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  # nginx in front of two app processes on PostgreSQL and s3rver, one restarted mid-journey (docs/deploy.md).
  echo "== the cluster journey through nginx"
  npx playwright test -c playwright.cluster.config.ts
else
  echo "== TEST_DATABASE_URL unset: cluster journey not run"
fi
