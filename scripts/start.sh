#!/usr/bin/env bash
# Installs what is needed, starts PostgreSQL and Redis if they are not running, migrates and
# runs the whole product (API + dashboard on :3000, scheduler, worker, bot runner).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
local_env
prepare
cd "$ROOT"
exec node dist/apps/cli/src/main.js start "$@"
