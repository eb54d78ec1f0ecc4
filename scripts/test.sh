#!/usr/bin/env bash
# `npm test`: everything, in the order a failure is cheapest to find.
#   lint → typecheck → build → unit+integration on PGlite → the same on PostgreSQL
#   (when TEST_DATABASE_URL is set) → the same on Node 24 → Playwright + axe in Chromium →
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

if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "== unit and integration tests on PostgreSQL"
  TEST_DB=postgres npx vitest run
else
  echo "== TEST_DATABASE_URL unset: PostgreSQL run not done"
fi

# Deployers run the current LTS: the same suite on Node 24 (the npm registry's `node` package).
if [ "${SKIP_NODE24:-0}" != "1" ]; then
  NODE24_DIR=.cache/node24
  if [ ! -x "$NODE24_DIR/node_modules/.bin/node" ]; then
    mkdir -p "$NODE24_DIR"
    (cd "$NODE24_DIR" && echo '{"private":true}' > package.json && npm install --no-audit --no-fund node@24 >/dev/null)
  fi
  NODE24="$PWD/$NODE24_DIR/node_modules/.bin/node"
  echo "== unit and integration tests on Node $("$NODE24" --version)"
  "$NODE24" node_modules/vitest/vitest.mjs run
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
