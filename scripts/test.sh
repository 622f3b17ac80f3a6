#!/usr/bin/env bash
# Installs what is needed and runs every test suite (unit, integration against PostgreSQL and
# Redis, end-to-end with Chromium/PulseAudio/ffmpeg). Ends with "N passed, N failed".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
prepare
log "Type-aware lint (no floating promises, exhaustive switches)"
(cd "$ROOT" && npx eslint --max-warnings 0 .) || die "Lint failed: fix the findings above"
export TEST_DATABASE_URL="${DATABASE_URL%/*}/postgres"
cd "$ROOT"
LOG="$(mktemp)"
set +e
# One runner invocation, so its summary counts every suite. Files run one at a time: the
# bot suites measure audio timing and share 2 cores with Chromium.
node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=tap \
  'dist/**/*.spec.js' 'dist/**/*.int-spec.js' "$@" | tee "$LOG"
status=${PIPESTATUS[0]}
set -e
pass=$(grep -E '^# pass ' "$LOG" | tail -1 | awk '{print $3}')
fail=$(grep -E '^# fail ' "$LOG" | tail -1 | awk '{print $3}')
rm -f "$LOG"
echo "${pass:-0} passed, ${fail:-0} failed"
exit "$status"
