#!/usr/bin/env bash
# Faults and concurrency as figures (issue 12): fifty teachers registering, signing in and
# enrolling at once, overlapping imports, a burst of wrong passwords, a PostgreSQL outage (a TCP
# proxy the test cuts), `serve` started before its database, a full disk, and restarts during
# mail delivery. Runs those tests on SQLite, then on PostgreSQL when it is reachable, and prints
# what each measured: answers by status (5xx must be 0), recovery time, duplicate emails.
#   bench/faults.sh            # PostgreSQL at $TEST_DATABASE_URL or postgres://postgres@127.0.0.1:5432/postgres
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PG_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
TESTS=(concurrency:: outage:: mail_shutdown::)

figures() {
  local label="$1"
  shift
  echo "== $label"
  # One test at a time, so each has the machine to itself.
  "$@" cargo test --quiet --test api -- --nocapture --test-threads 1 "${TESTS[@]}" 2>&1 |
    grep -oE 'figure: .*|^test result.*|panicked.*' | sed 's/^figure: /  /'
}

cargo build --quiet --tests
figures "SQLite" env -u TEST_DATABASE_URL
if pg_isready -q -d "$PG_URL" 2>/dev/null || psql "$PG_URL" -qc 'select 1' >/dev/null 2>&1; then
  figures "PostgreSQL" env TEST_DATABASE_URL="$PG_URL"
else
  echo "== PostgreSQL: not reachable at $PG_URL; skipped"
fi
