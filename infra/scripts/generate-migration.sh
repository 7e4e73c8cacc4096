#!/usr/bin/env bash
# Generates a migration for one module from the difference between the entities and a freshly migrated scratch
# database: `npm run migration:generate -- <module> <Name>` writes libs/<module>/src/db/migrations/<timestamp>-<Name>.ts.
# Read it before committing (it must touch that module's tables only), then add it to the module's
# libs/<module>/src/db/migrations/index.ts; @cophub/schema runs every module's list in timestamp order.
set -euo pipefail
cd "$(dirname "$0")/../.."
module=${1:?usage: npm run migration:generate -- <module> <MigrationName>}
name=${2:?usage: npm run migration:generate -- <module> <MigrationName>}
if [ ! -d "libs/$module/src" ]; then
  echo "no library libs/$module (the module that owns the tables the migration changes)" >&2
  exit 1
fi
db="cophub_gen_$$"
psql -q -h 127.0.0.1 -U postgres -c "CREATE DATABASE $db"
trap 'psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
node -r @swc-node/register -e "require('./libs/schema/src/run-migrations').runMigrations(process.env.DATABASE_URL).catch(e=>{console.error(e.message);process.exit(1)})"
mkdir -p "libs/$module/src/db/migrations"
node -r @swc-node/register node_modules/typeorm/cli.js migration:generate -p -d apps/api/src/data-source.ts "libs/$module/src/db/migrations/$name"
echo "now list it in libs/$module/src/db/migrations/index.ts"
