#!/usr/bin/env bash
# Shared set-up steps for scripts/start.sh, scripts/test.sh and .ci/run.
# Idempotent: installs only what is missing, starts only what is stopped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DATA="$ROOT/.data"
mkdir -p "$DATA"
log() { printf '\033[1m[rapport]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[rapport] %s\033[0m\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "Missing system packages: ${missing[*]} (no apt-get here: install them by hand)"
  log "Installing system packages: ${missing[*]}"
  if [ $APT_UPDATED -eq 0 ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

system_packages() {
  # Chromium drives Meet/Teams; PulseAudio + ffmpeg record; espeak-ng + sox make test speech.
  apt_install chromium ffmpeg pulseaudio pulseaudio-utils espeak-ng sox postgresql-client redis-tools ca-certificates openssl
}

node_modules() {
  command -v npm >/dev/null || die "Node.js and npm are needed (Node 20+ to bootstrap; the project pins Node 22 itself)"
  if [ ! -x "$ROOT/node_modules/.bin/node" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    log "Installing npm packages (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
  export PATH="$ROOT/node_modules/.bin:$PATH"
  node --version | grep -q '^v22\.' || die "Expected Node 22 from node_modules/.bin, got $(node --version)"
}

build() {
  log "Building (tsc)"
  (cd "$ROOT" && npm run --silent build)
}

# PostgreSQL: use DATABASE_URL if it answers; else start an installed cluster; else install
# PostgreSQL and initialise a private cluster under .data/postgres.
postgres_up() {
  local url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/rapport}"
  if pg_isready -q -d "$url" 2>/dev/null; then export DATABASE_URL="$url"; return 0; fi
  if command -v pg_lsclusters >/dev/null && [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
    log "Starting the installed PostgreSQL cluster"
    local ver; ver=$(pg_lsclusters -h | awk 'NR==1{print $1}')
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || $SUDO pg_ctlcluster "$ver" main start || true
  else
    apt_install postgresql
    local bin; bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
    if [ -n "$(pg_lsclusters -h 2>/dev/null)" ]; then
      local ver; ver=$(pg_lsclusters -h | awk 'NR==1{print $1}')
      pg_ctlcluster --skip-systemctl-redirect "$ver" main start 2>/dev/null || true
    elif [ ! -f "$DATA/postgres/PG_VERSION" ]; then
      log "Initialising a private PostgreSQL cluster in .data/postgres"
      mkdir -p "$DATA/postgres" && chown -R postgres: "$DATA/postgres" 2>/dev/null || true
      runuser -u postgres -- "$bin/initdb" -D "$DATA/postgres" -A trust >/dev/null
      runuser -u postgres -- "$bin/pg_ctl" -D "$DATA/postgres" -l "$DATA/postgres.log" -o "-p 5432 -k /tmp" start >/dev/null
    fi
  fi
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL is not reachable at 127.0.0.1:5432; set DATABASE_URL to a running PostgreSQL 15+"
  export DATABASE_URL="$url"
}

# Redis: use REDIS_URL if it answers; else start (or install and start) a local server.
redis_up() {
  local url="${REDIS_URL:-redis://127.0.0.1:6379}"
  if redis-cli -u "$url" ping >/dev/null 2>&1; then export REDIS_URL="$url"; return 0; fi
  command -v redis-server >/dev/null || apt_install redis-server
  log "Starting Redis"
  mkdir -p "$DATA/redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no --dir "$DATA/redis" --logfile "$DATA/redis.log"
  for _ in $(seq 1 20); do redis-cli -u "$url" ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -u "$url" ping >/dev/null 2>&1 || die "Redis is not reachable at $url; set REDIS_URL to a running Redis"
  export REDIS_URL="$url"
}

# Secrets for a local install, generated once into .env (never committed).
local_env() {
  if [ ! -f "$ROOT/.env" ]; then
    log "Writing .env with fresh local secrets"
    {
      echo "JWT_SECRET=$(openssl rand -base64 48 | tr -d '\n')"
      echo "MASTER_KEYS=k1:$(openssl rand -base64 32 | tr -d '\n')"
    } > "$ROOT/.env"
    chmod 600 "$ROOT/.env"
  fi
  set -a; . "$ROOT/.env"; set +a
}

# Everything the product and its tests need on this machine, then a fresh build.
prepare() {
  system_packages
  node_modules
  postgres_up
  redis_up
  build
}
