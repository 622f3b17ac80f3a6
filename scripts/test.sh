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
# One node runner invocation for every server, bot and library suite (then Vitest for the
# dashboard's units; the summary adds both). Files run one at a time: the bot suites measure
# audio timing and share 2 cores with Chromium.
node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=tap \
  'dist/**/*.spec.js' 'dist/**/*.int-spec.js' "$@" | tee "$LOG"
status=${PIPESTATUS[0]}
pass=$(grep -E '^# pass ' "$LOG" | tail -1 | awk '{print $3}')
fail=$(grep -E '^# fail ' "$LOG" | tail -1 | awk '{print $3}')
# The dashboard's unit tests (jsdom, Vitest): their TAP lines count into the same summary.
log "Dashboard unit tests (Vitest, jsdom)"
(cd apps/web && npx vitest run --reporter=tap-flat) | tee "$LOG"
web_status=${PIPESTATUS[0]}
set -e
web_pass=$(grep -cE '^ok ' "$LOG" || true)
web_fail=$(grep -cE '^not ok ' "$LOG" || true)
# A runner that died before reporting counts as a failure, not as nothing.
if [ "$web_status" -ne 0 ] && [ "$web_fail" -eq 0 ]; then web_fail=1; fi
rm -f "$LOG"
echo "$(( ${pass:-0} + web_pass )) passed, $(( ${fail:-0} + web_fail )) failed"
[ "$status" -eq 0 ] || exit "$status"
exit "$web_status"
