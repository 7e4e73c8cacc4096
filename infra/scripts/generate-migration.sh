#!/usr/bin/env bash
# Generates a migration from the difference between the entities and a freshly migrated scratch
# database. Read it before committing, then add it to libs/core/src/db/migrations/index.ts.
set -euo pipefail
cd "$(dirname "$0")/../.."
name=${1:?usage: npm run migration:generate -- MigrationName}
db="cophub_gen_$$"
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
trap 'psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
node -r @swc-node/register -e "require('./libs/core/src/db/run-migrations').runMigrations(process.env.DATABASE_URL).catch(e=>{console.error(e.message);process.exit(1)})"
node -r @swc-node/register node_modules/typeorm/cli.js migration:generate -p -d apps/api/src/data-source.ts "libs/core/src/db/migrations/$name"
