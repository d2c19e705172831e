#!/usr/bin/env bash
# Measures the dashboards against a national-scale database, with /healthz as the baseline of
# the same run (the machines are noisy: read the ratios).
#
#   bench/dashboards.sh                      # SQLite, 400,000 teachers (seeded once into bench/data)
#   TEACHERS=50000 bench/dashboards.sh       # a smaller country
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/ustaz_bench bench/dashboards.sh
#
# Needs: wrk and sqlite3 (apt-get install wrk sqlite3; psql for PostgreSQL), curl, bc, a release build
# (made here if missing).
# Prints p50, p95 and requests/s per URL and the p95 ratio to /healthz; the goal is ≤ 50 ms p95.
set -euo pipefail
cd "$(dirname "$0")/.."

TEACHERS="${TEACHERS:-400000}"
DURATION="${DURATION:-15s}"
CONNECTIONS="${CONNECTIONS:-4}"
BIN="${USTAZ_BIN:-${CARGO_TARGET_DIR:-target}/release/ustaz}"
URL_DB="${BENCH_DATABASE_URL:-}"
if [ -n "$URL_DB" ]; then
  DATA_DIR="${BENCH_DIR:-bench/data-pg-$TEACHERS}"
else
  DATA_DIR="${BENCH_DIR:-bench/data-sqlite-$TEACHERS}"
fi

command -v wrk >/dev/null || { echo "wrk is missing: sudo apt-get install -y wrk" >&2; exit 1; }
[ -x "$BIN" ] || cargo build --release --bin ustaz
mkdir -p "$DATA_DIR"
export USTAZ_DATA_DIR="$DATA_DIR" RUST_LOG=warn
if [ -n "$URL_DB" ]; then export DATABASE_URL="$URL_DB"; else unset DATABASE_URL || true; fi

if [ ! -s "$DATA_DIR/password" ]; then
  if [ -n "$URL_DB" ]; then
    base="${URL_DB%/*}"; name="${URL_DB##*/}"
    psql "$base/postgres" -qc "DROP DATABASE IF EXISTS \"$name\"" -c "CREATE DATABASE \"$name\""
  else
    rm -f "$DATA_DIR/ustaz.db"*
  fi
  echo "seeding $TEACHERS teachers into $DATA_DIR …"
  start=$(date +%s.%N)
  "$BIN" seed-demo --teachers "$TEACHERS" --seed 2025 | tee "$DATA_DIR/seed.txt"
  echo "seed-demo took $(echo "$(date +%s.%N) - $start" | bc) s"
  sed -n 's/.*with password \([^ ]*\).*/\1/p' "$DATA_DIR/seed.txt" > "$DATA_DIR/password"
fi
PASSWORD="$(cat "$DATA_DIR/password")"

PORT=$((20000 + RANDOM % 20000))
export USTAZ_BIND="127.0.0.1:$PORT" USTAZ_BASE_URL="http://127.0.0.1:$PORT"
"$BIN" serve >"$DATA_DIR/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.1; done

# Signs in through the form (CSRF cookie + token) and prints the session cookie header.
session() {
  local jar token
  jar="$(mktemp)"
  token=$(curl -fs -c "$jar" "http://127.0.0.1:$PORT/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=$PASSWORD" "http://127.0.0.1:$PORT/login"
  awk '$6 ~ /ustaz_session/ {printf "%s=%s", $6, $7}' "$jar"
  rm -f "$jar"
}
ADMIN="$(session admin@demo.ustaz.kz)"
COORDINATOR="$(session coordinator.kz-75@demo.ustaz.kz)"
[ -n "$ADMIN" ] && [ -n "$COORDINATOR" ] || { echo "could not sign in (see $DATA_DIR/server.log)" >&2; exit 1; }

LUA="$(mktemp --suffix .lua)"
cat >"$LUA" <<'LUA'
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.2f %.2f %.2f %.1f %d\n",
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests / (summary.duration / 1e6), summary.errors.status + summary.errors.connect + summary.errors.timeout))
end
LUA

measure() { # name cookie path
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" -H "Cookie: $2" -H "Accept-Language: ru" -s "$LUA" "http://127.0.0.1:$PORT$3" | grep '^RESULT')
  echo "$1 $out"
}

# The heap (anonymous memory): SQLite's memory-mapped file pages are the page cache, not ours.
heap_kib() { awk '/^RssAnon/ {print $2}' "/proc/$SERVER/status"; }
RSS_START=$(heap_kib)
# Warm up once (page cache, connection pool).
for p in /healthz /dashboard; do curl -fs -o /dev/null -H "Cookie: $ADMIN" "http://127.0.0.1:$PORT$p"; done
curl -fs --max-time 60 -o /dev/null -H "Cookie: $COORDINATOR" "http://127.0.0.1:$PORT/dashboard/regions/KZ-75" || true

results=$(
  measure healthz "$ADMIN" /healthz
  measure home "visitor=1" /
  measure national "$ADMIN" /dashboard
  measure regional "$COORDINATOR" /dashboard/regions/KZ-75
  measure regional-stalled "$COORDINATOR" '/dashboard/regions/KZ-75?status=stalled&page=3'
  measure regional-search "$COORDINATOR" '/dashboard/regions/KZ-75?q=%D0%BE%D0%B2%D0%B0'
)
rm -f "$LUA"
# The first view after a change computes the figures afresh (later views reuse them until the
# next change): time a few such cold views by bumping the data version by hand.
bump() {
  if [ -n "$URL_DB" ]; then psql "$URL_DB" -qc "UPDATE stats_version SET version = version + 1"
  else sqlite3 "$DATA_DIR/ustaz.db" "UPDATE stats_version SET version = version + 1"; fi
}
cold() { # cookie path
  local total=0 t
  for _ in 1 2 3 4 5; do
    bump
    t=$(curl -fs --max-time 60 -o /dev/null -w '%{time_total}' -H "Cookie: $1" "http://127.0.0.1:$PORT$2")
    total=$(echo "$total + $t" | bc -l)
  done
  echo "$total / 5 * 1000" | bc -l | xargs printf '%.0f'
}
# Every region's figures cached at once (what 20 coordinators looking make the server hold).
for code in $(sed -n 's/.*coordinator of \(KZ-[0-9]*\).*/\1/p' "$DATA_DIR/seed.txt"); do
  curl -fs --max-time 60 -o /dev/null -H "Cookie: $ADMIN" "http://127.0.0.1:$PORT/dashboard/regions/$code"
done
RSS_ALL=$(heap_kib)
COLD_NATIONAL=$(cold "$ADMIN" /dashboard)
COLD_REGIONAL=$(cold "$COORDINATOR" /dashboard/regions/KZ-75)

echo
echo "database: ${URL_DB:-SQLite $DATA_DIR/ustaz.db}, $TEACHERS teachers; wrk $CONNECTIONS connections, $DURATION each"
printf '%-17s %9s %9s %9s %10s %7s %14s\n' url p50_ms p95_ms p99_ms req_per_s errors p95_vs_healthz
base=$(echo "$results" | awk '$1=="healthz"{print $4}')
echo "$results" | while read -r name _ p50 p95 p99 rps errors; do
  printf '%-17s %9s %9s %9s %10s %7s %13.1fx\n' "$name" "$p50" "$p95" "$p99" "$rps" "$errors" "$(echo "$p95 / $base" | bc -l)"
done
echo "first view after a change (figures computed afresh, mean of 5): national ${COLD_NATIONAL} ms, regional ${COLD_REGIONAL} ms"
echo "server heap (RssAnon): $((RSS_START / 1024)) MiB at start, $((RSS_ALL / 1024)) MiB with the national figures and all 20 regions' cached"
