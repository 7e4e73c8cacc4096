#!/usr/bin/env bash
# Starts the product the way infra/Dockerfile installs it, without Docker: build, then a clean folder holding
# only dist/, package.json and the lockfile with production dependencies installed (`npm ci --omit=dev`, what
# the image's `npm prune --omit=dev` leaves). The API, the worker and the mail-in process are started there in
# production mode against this machine's PostgreSQL and Redis and a local SMTP address; each must stay up, and
# the API must answer /health/ready. A runtime import of a devDependency fails here (the process exits with
# "Cannot find module"), which the test suite cannot see because it runs with dev dependencies installed.
# Before mailparser and smtp-server moved to `dependencies`, this check failed: the API and mail-in exited at
# once with "Cannot find module 'mailparser'".
#
# Usage: bash infra/scripts/production-install-check.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
# Node 24 (fetched from the npm registry when this machine's Node is older).
. infra/scripts/use-node.sh

if [ "${1:-}" != "--no-build" ]; then
  npm run --silent build
fi

work=$(mktemp -d -t cophub-prod-XXXXXX)
run_id="prodcheck_$(date +%s)_$$"
db_name="cophub_${run_id}"
pids=()

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

cleanup() {
  local status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"${db_name}\" WITH (FORCE)" >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "${run_id}:*" 2>/dev/null | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null 2>&1 || true
  if [ "$status" -ne 0 ]; then
    for f in "$work"/*.log; do
      [ -f "$f" ] || continue
      echo "---- last lines of $(basename "$f") ----"
      tail -n 30 "$f"
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

echo "production install in $work"
cp -r "$repo/dist" "$work/dist"
cp "$repo/package.json" "$repo/package-lock.json" "$work/"
(cd "$work" && npm ci --omit=dev --no-audit --no-fund --loglevel=error >"$work/npm-ci.log" 2>&1) || {
  echo "npm ci --omit=dev failed"
  exit 1
}

# The object store adapters are loaded only when STORAGE chooses them, so starting with local disk below would
# not notice their SDKs missing: load both here, from the production install.
(cd "$work" && node -e "require('./dist/libs/resources/src/storage/s3.storage.js'); require('./dist/libs/resources/src/storage/azure-blob.storage.js')") || {
  echo "FAIL: an object store adapter does not load from a production install"
  exit 1
}

api_port=$(free_port)
mail_in_port=$(free_port)
smtp_port=$(free_port)
export NODE_ENV=production
export HOST=127.0.0.1
export PORT="$api_port"
export PUBLIC_URL="http://127.0.0.1:${api_port}"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${db_name}"
export REDIS_URL="redis://127.0.0.1:6379"
export QUEUE_PREFIX="$run_id"
export JWT_SECRET
JWT_SECRET=$(node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))")
# Nothing listens here: the processes must start without sending mail, as an image does before its first email.
export SMTP_URL="smtp://127.0.0.1:${smtp_port}"
export MAIL_IN_DOMAIN="mail.prodcheck.localhost"
export MAIL_IN_HOST=127.0.0.1
export MAIL_IN_PORT="$mail_in_port"
export STORAGE_DIR="$work/storage"
export LOG_LEVEL=warn

cd "$work"
node dist/libs/schema/src/cli.js migrate >"$work/migrate.log" 2>&1 || {
  echo "migrations failed"
  exit 1
}

start() {
  local name=$1
  shift
  "$@" >"$work/$name.log" 2>&1 &
  pids+=("$!")
  eval "pid_$name=$!"
}
start api node --max-old-space-size="${API_HEAP_MB:-192}" dist/apps/api/src/main.js
start worker node dist/apps/worker/src/main.js
start mail_in node dist/apps/mail-in/src/main.js

alive() { kill -0 "$1" 2>/dev/null; }

# Ready: the API answers /health/ready (PostgreSQL and Redis through its own connections) and mail-in takes SMTP.
deadline=$((SECONDS + ${PROD_CHECK_START_SECONDS:-90}))
api_ready=false
mail_in_ready=false
while [ "$SECONDS" -lt "$deadline" ]; do
  for name in api worker mail_in; do
    pid_var="pid_$name"
    if ! alive "${!pid_var}"; then
      echo "FAIL: $name exited during start-up"
      exit 1
    fi
  done
  if ! $api_ready && curl -fsS "http://127.0.0.1:${api_port}/health/ready" >/dev/null 2>&1; then api_ready=true; fi
  if ! $mail_in_ready && (exec 3<>"/dev/tcp/127.0.0.1/${mail_in_port}") 2>/dev/null; then mail_in_ready=true; fi
  if $api_ready && $mail_in_ready; then break; fi
  sleep 1
done
$api_ready || { echo "FAIL: the API did not answer /health/ready in time"; exit 1; }
$mail_in_ready || { echo "FAIL: mail-in did not accept SMTP connections in time"; exit 1; }

# Each process must stay up, not merely start: a lazily loaded module fails on first use.
sleep "${PROD_CHECK_STAY_SECONDS:-10}"
for name in api worker mail_in; do
  pid_var="pid_$name"
  if ! alive "${!pid_var}"; then
    echo "FAIL: $name exited after start-up"
    exit 1
  fi
done
curl -fsS "http://127.0.0.1:${api_port}/health/ready" >/dev/null || { echo "FAIL: /health/ready after start-up"; exit 1; }
curl -fsS "http://127.0.0.1:${api_port}/" -o /dev/null || { echo "FAIL: the web app is not served"; exit 1; }
echo "production install: api, worker and mail-in started from a production-only install and stayed up; /health/ready 200"
