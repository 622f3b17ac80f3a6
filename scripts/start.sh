#!/usr/bin/env bash
# Installs what is needed, starts PostgreSQL and Redis if they are not running, migrates and
# runs the whole product (API on :3000, scheduler, worker).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
system_packages
node_modules
postgres_up
redis_up
local_env
build
cd "$ROOT"
exec node dist/apps/cli/src/main.js start "$@"
