#!/usr/bin/env bash
# Refreshes docs/screenshots/*.png: builds (API + dashboard), then runs the dashboard's
# end-to-end test in headless Chromium with RAPPORT_SCREENSHOTS_DIR set, which saves every page
# it checks (1280 px wide, full page). Needs PostgreSQL and Redis like the other tests.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
node_modules
postgres_up
redis_up
build
cd "$ROOT"
export TEST_DATABASE_URL="${DATABASE_URL%/*}/postgres"
RAPPORT_SCREENSHOTS_DIR="$ROOT/docs/screenshots" node --test --test-timeout=600000 dist/apps/api/src/web-app/dashboard.e2e.int-spec.js
ls -1 "$ROOT/docs/screenshots"
