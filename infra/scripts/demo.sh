#!/usr/bin/env bash
# One command from a fresh clone to a running product with a seeded demo community:
# install, build, migrate, seed, then run the worker and the API on localhost.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Node 24 (fetched from the npm registry when this machine's Node is older).
. infra/scripts/use-node.sh

npm ci --no-audit --no-fund
npm run build

if [ ! -f .env ]; then
  # Development secrets are generated once, kept in .env (git-ignored), never committed.
  cp .env.example .env
  secret=$(node -e "console.log(require('crypto').randomBytes(48).toString('base64url'))")
  sed -i "s|^JWT_SECRET=.*|JWT_SECRET=${secret}|" .env
  echo "wrote .env with a new JWT_SECRET"
fi

npm run --silent migrate
npm run --silent seed

# Inbound mail: share+<community>@ and reply-by-email addresses on this domain, SMTP on :2525.
export MAIL_IN_DOMAIN="${MAIL_IN_DOMAIN:-mail.cophub.localhost}"

node dist/apps/worker/src/main.js &
worker=$!
node dist/apps/mail-in/src/main.js &
mailin=$!
trap 'kill $worker $mailin 2>/dev/null || true' EXIT INT TERM
echo "worker started (pid $worker); inbound mail on 127.0.0.1:${MAIL_IN_PORT:-2525} for @${MAIL_IN_DOMAIN} (pid $mailin)"
echo "open http://localhost:${PORT:-3000}/ — API docs at /api/docs, local mail at /dev/mail"
node --max-old-space-size="${API_HEAP_MB:-192}" dist/apps/api/src/main.js
