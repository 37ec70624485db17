#!/usr/bin/env bash
# Adds a migration for both storage providers: scripts/add-migration.sh NAME
# (Before the first release, the Initial migration may instead be regenerated: pass --reset.)
set -euo pipefail
cd "$(dirname "$0")/../src/Kilowallet.Server"
dotnet tool restore >/dev/null
if [ "${1:-}" = "--reset" ]; then
  rm -rf Storage/Migrations
  name=Initial
else
  name=${1:?usage: add-migration.sh NAME | --reset}
fi
dotnet ef migrations add "$name" --context SqliteKilowalletDb --output-dir Storage/Migrations/Sqlite
dotnet ef migrations add "$name" --context PostgresKilowalletDb --output-dir Storage/Migrations/Postgres
rm -f design-time.db
