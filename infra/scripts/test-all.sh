#!/usr/bin/env bash
# Installs everything and runs the whole suite: type-check, lint, unit and end-to-end tests.
set -euo pipefail
cd "$(dirname "$0")/../.."
# Node 24 (fetched from the npm registry when this machine's Node is older).
. infra/scripts/use-node.sh
npm ci --no-audit --no-fund
npm run typecheck
npm run api:types:check
npm run db:types:check
npm run lint
npm test
