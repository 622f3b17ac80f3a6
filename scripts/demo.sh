#!/usr/bin/env bash
# The product's main job end to end, with no vendor accounts: installs what is missing,
# starts PostgreSQL + Redis, migrates, runs the whole product plus the meeting simulator,
# then a new user invites the bot to a simulated Google Meet call through the API, the bot
# joins, announces itself, records, leaves, and the pipeline produces the report — printed
# here and open in the dashboard at http://localhost:3000. Ctrl-C stops everything.
# Pass --once to stop after the report (used to check the script itself).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
local_env
prepare
cd "$ROOT"
node dist/apps/cli/src/main.js start --demo --sim-port "${SIM_PORT:-4010}" &
PRODUCT=$!
trap 'kill $PRODUCT 2>/dev/null; wait $PRODUCT 2>/dev/null' EXIT
node dist/apps/cli/src/main.js demo --api "http://127.0.0.1:${PORT:-3000}" --sim "http://127.0.0.1:${SIM_PORT:-4010}"
if [ "${1:-}" = "--once" ]; then exit 0; fi
log "The product keeps running (demo mode): http://localhost:${PORT:-3000} — Ctrl-C to stop"
wait $PRODUCT
