#!/usr/bin/env bash
# The test command of the README: every project's lint, typecheck, tests and build on the
# embedded database, then the database-backed tests again on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false NX_SKIP_NX_CACHE=${NX_SKIP_NX_CACHE:-false}

echo "== lint, typecheck, test, build (embedded PGlite) =="
npx nx run-many -t lint typecheck test build --outputStyle=static

PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if node -e "const {Client}=require('pg');const c=new Client({connectionString:process.argv[1]});c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1))" "$PG_URL"; then
  echo "== database tests again on PostgreSQL ($PG_URL) =="
  DATABASE_URL="$PG_URL" npx nx run-many -t test -p persistence venue-core provincial-core integration e2e --outputStyle=static --skip-nx-cache
elif [ "${REQUIRE_POSTGRES:-0}" = "1" ]; then
  echo "PostgreSQL is not reachable at $PG_URL and REQUIRE_POSTGRES=1" >&2
  exit 1
else
  echo "PostgreSQL not reachable at $PG_URL: the PostgreSQL pass was skipped (set TEST_DATABASE_URL to run it)"
fi
echo "all tests passed"
