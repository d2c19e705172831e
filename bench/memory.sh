#!/usr/bin/env bash
# Measures the server's memory before, at the peak of and after three loads, each on a server of
# its own, against the idle server of the same run as the baseline (the machines are noisy: read
# the ratios):
#   sign-ins    SIGN_INS (200) sign-ins sent at once, on a country of SMALL_TEACHERS (2,000);
#   reads       READS_DURATION (20 s) of the pages a teacher (courses, lessons, a certificate's PDF)
#               and a coordinator (the region's dashboard, its downloads) open, READS_CONNECTIONS (32)
#               connections each, same country;
#   dashboards  the national and every region's dashboard computed, then computed afresh after
#               a change, on a country of TEACHERS (400,000; seeded once, a few minutes).
#
#   bench/memory.sh                               # all three
#   LOADS="sign-ins reads" bench/memory.sh        # without the 400,000-teacher country
#   USTAZ_BIN=/tmp/ustaz-other bench/memory.sh    # another build of the server
#
# Memory is read from /proc/<pid>/status: RssAnon (the heap, anonymous memory: SQLite's
# memory-mapped file pages are the page cache, not ours), sampled every 50 ms for the peak, and
# "after" SETTLE (10) seconds after the load. The goal is <= 256 MiB after every load.
# Needs: curl, wrk, sqlite3, bc (apt-get install wrk sqlite3 bc), a release build (made here if
# missing). SQLite only.
set -euo pipefail
cd "$(dirname "$0")/.."

SMALL_TEACHERS="${SMALL_TEACHERS:-2000}"
TEACHERS="${TEACHERS:-400000}"
SIGN_INS="${SIGN_INS:-200}"
READS_DURATION="${READS_DURATION:-20s}"
READS_CONNECTIONS="${READS_CONNECTIONS:-32}"
SETTLE="${SETTLE:-10}"
LOADS="${LOADS:-sign-ins reads dashboards}"
GOAL_MIB=256
BIN="${USTAZ_BIN:-${CARGO_TARGET_DIR:-target}/release/ustaz}"

for tool in curl wrk sqlite3 bc; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: apt-get install -y $tool" >&2; exit 1; }
done
[ -x "$BIN" ] || cargo build --release --bin ustaz
export RUST_LOG=warn
unset DATABASE_URL || true
WORK="$(mktemp -d)"
SERVER=""
SAMPLER=""
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# A demo country of $2 teachers in $1 (seeded once; bench/dashboards.sh uses the same folders).
seed() {
  local dir="$1" teachers="$2" start
  mkdir -p "$dir"
  if [ ! -s "$dir/password" ]; then
    rm -f "$dir/ustaz.db"*
    echo "seeding $teachers teachers into $dir …" >&2
    start=$(date +%s.%N)
    USTAZ_DATA_DIR="$dir" "$BIN" seed-demo --teachers "$teachers" --seed 2025 >"$dir/seed.txt"
    echo "seed-demo took $(echo "$(date +%s.%N) - $start" | bc) s" >&2
    sed -n 's/.*with password \([^ ]*\).*/\1/p' "$dir/seed.txt" >"$dir/password"
  fi
}

start_server() { # data dir
  PORT=$((20000 + RANDOM % 20000))
  BASE="http://127.0.0.1:$PORT"
  USTAZ_DATA_DIR="$1" USTAZ_BIND="127.0.0.1:$PORT" USTAZ_BASE_URL="$BASE" \
    "$BIN" serve >>"$1/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 100); do curl -fs "$BASE/healthz" >/dev/null && return; sleep 0.1; done
  echo "the server did not start (see $1/server.log)" >&2
  exit 1
}

stop_server() {
  kill "$SERVER" 2>/dev/null || true
  wait "$SERVER" 2>/dev/null || true
  SERVER=""
}

anon_kib() { awk '/^RssAnon/ {print $2}' "/proc/$SERVER/status"; }
hwm_kib() { awk '/^VmHWM/ {print $2}' "/proc/$SERVER/status"; }

# Keeps the highest RssAnon seen in $WORK/peak until stopped.
start_sampler() {
  anon_kib >"$WORK/peak"
  (
    peak=$(cat "$WORK/peak")
    while kill -0 "$SERVER" 2>/dev/null; do
      now=$(anon_kib 2>/dev/null || echo 0)
      if [ "${now:-0}" -gt "$peak" ]; then peak=$now; echo "$peak" >"$WORK/peak"; fi
      sleep 0.05
    done
  ) &
  SAMPLER=$!
}

stop_sampler() {
  kill "$SAMPLER" 2>/dev/null || true
  wait "$SAMPLER" 2>/dev/null || true
  SAMPLER=""
}

# Signs in through the form (CSRF cookie + token) and prints the session cookie header.
session() { # email password
  local jar token
  jar="$(mktemp -p "$WORK")"
  token=$(curl -fs -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
  curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf_token=$token" \
    --data-urlencode "email=$1" --data-urlencode "password=$2" "$BASE/login"
  awk '$6 ~ /ustaz_session/ {printf "%s=%s", $6, $7}' "$jar"
}

RESULTS=()
# Measures `$2 …` (a function) on the running server and keeps a line for the summary.
measure() { # name command…
  local name="$1" before peak after hwm
  shift
  sleep 1
  before=$(anon_kib)
  start_sampler
  "$@"
  stop_sampler
  peak=$(cat "$WORK/peak")
  sleep "$SETTLE"
  after=$(anon_kib)
  hwm=$(hwm_kib)
  RESULTS+=("$(printf '%-11s %10d %10d %10d %8.1fx %8.1fx %8s %12d' "$name" \
    $((before / 1024)) $((peak / 1024)) $((after / 1024)) \
    "$(echo "$peak / $before" | bc -l)" "$(echo "$after / $before" | bc -l)" \
    "$([ $((after / 1024)) -le $GOAL_MIB ] && echo yes || echo NO)" $((hwm / 1024)))")
}

# ---- 200 sign-ins at once ------------------------------------------------------------------

sign_ins() {
  local jar token
  jar="$WORK/anonymous"
  token=$(curl -fs -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n1)
  # The demo's staff accounts (the administrator and 20 coordinators) share its password.
  sed -n 's/.*: \([^ ]*@demo\.ustaz\.kz\)$/\1/p' "$SMALL_DIR/seed.txt" >"$WORK/staff"
  for i in $(seq "$SIGN_INS"); do sed -n "$(((i - 1) % $(wc -l <"$WORK/staff") + 1))p" "$WORK/staff"; done >"$WORK/emails"
  export BASE jar token PASSWORD_SMALL
  xargs -P "$SIGN_INS" -I{} sh -c 'curl -s -o /dev/null --max-time 60 -b "$jar" \
      -w "%{http_code} %header{retry-after}\n" --data-urlencode "csrf_token=$token" \
      --data-urlencode "email=$1" --data-urlencode "password=$PASSWORD_SMALL" "$BASE/login"' _ {} \
    <"$WORK/emails" >"$WORK/sign-ins"
}

sign_in_summary() {
  local ok busy busy_with_retry other
  ok=$(awk '$1 == 303' "$WORK/sign-ins" | wc -l)
  busy=$(awk '$1 == 503' "$WORK/sign-ins" | wc -l)
  busy_with_retry=$(awk '$1 == 503 && $2 > 0' "$WORK/sign-ins" | wc -l)
  other=$(awk '$1 != 303 && $1 != 503' "$WORK/sign-ins" | wc -l)
  echo "sign-ins: $SIGN_INS at once: $ok signed in, $busy told busy (503, $busy_with_retry with Retry-After), $other other answers$(
    [ "$other" -gt 0 ] && printf ' (%s)' "$(awk '$1 != 303 && $1 != 503 {print $1}' "$WORK/sign-ins" | sort | uniq -c | xargs)")"
}

# ---- 20 s of a teacher's and a coordinator's pages -------------------------------------------

LUA="$WORK/paths.lua"
cat >"$LUA" <<'LUA'
-- Cycles through the paths given after `--`, and counts the answers that are not 2xx.
local threads, paths, i = {}, {}, 0
failed = 0
setup = function(thread) table.insert(threads, thread) end
init = function(args) for _, p in ipairs(args) do paths[#paths + 1] = p end end
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
response = function(status) if status >= 300 then failed = failed + 1 end end
done = function(summary)
  local bad = summary.errors.connect + summary.errors.read + summary.errors.timeout
  for _, thread in ipairs(threads) do bad = bad + thread:get("failed") end
  io.write(string.format("RESULT %d %.1f %d\n", summary.requests, summary.requests / (summary.duration / 1e6), bad))
end
LUA

reads() {
  wrk -t1 -c"$READS_CONNECTIONS" -d"$READS_DURATION" --timeout 30s -H "Cookie: $TEACHER" -H "Accept-Language: kk" -s "$LUA" "$BASE" -- \
    / /courses "/courses/$COURSE" /learn "/learn/$COURSE/$MODULE" /certificates "/certificates/$SERIAL.pdf" /account \
    | grep '^RESULT' >"$WORK/reads-teacher" &
  local teacher=$!
  wrk -t1 -c"$READS_CONNECTIONS" -d"$READS_DURATION" --timeout 30s -H "Cookie: $COORDINATOR" -H "Accept-Language: ru" -s "$LUA" "$BASE" -- \
    "/dashboard/regions/$REGION" "/dashboard/regions/$REGION?status=stalled" \
    "/dashboard/regions/$REGION?page=2" "/dashboard/regions/$REGION?q=%D0%BE%D0%B2%D0%B0" /account / \
    "/dashboard/regions/$REGION/teachers/export?format=xlsx" "/dashboard/regions/$REGION/schools/export?format=csv" \
    | grep '^RESULT' >"$WORK/reads-coordinator"
  wait "$teacher"
}

# ---- The dashboards at national scale -----------------------------------------------------

regions_at_once() {
  sed -n 's/.*coordinator of \(KZ-[0-9]*\).*/\1/p' "$BIG_DIR/seed.txt" |
    xargs -P 4 -I{} curl -fs --max-time 300 -o /dev/null -H "Cookie: $ADMIN" "$BASE/dashboard/regions/{}"
}

dashboards() {
  # Every view computed, then computed afresh after a change (the version counter moved).
  for _ in 1 2; do
    sqlite3 "$BIG_DIR/ustaz.db" "UPDATE stats_version SET version = version + 1"
    curl -fs --max-time 300 -o /dev/null -H "Cookie: $ADMIN" "$BASE/dashboard"
    regions_at_once
  done
}

# ---- Runs ---------------------------------------------------------------------------------

SMALL_DIR="${BENCH_SMALL_DIR:-bench/data-sqlite-$SMALL_TEACHERS}"
BIG_DIR="${BENCH_DIR:-bench/data-sqlite-$TEACHERS}"
NOTES=()
echo "server: $BIN" >&2

if [[ " $LOADS " == *" sign-ins "* || " $LOADS " == *" reads "* ]]; then
  seed "$SMALL_DIR" "$SMALL_TEACHERS"
  PASSWORD_SMALL="$(cat "$SMALL_DIR/password")"
  DB="$SMALL_DIR/ustaz.db"
  # A teacher with a certificate, given the staff's password to sign in with.
  read -r TEACHER_EMAIL SERIAL COURSE < <(sqlite3 -separator ' ' "$DB" "SELECT u.email, c.serial, k.slug
    FROM certificates c JOIN users u ON u.id = c.user_id JOIN courses k ON k.id = c.course_id
    WHERE c.revoked_at IS NULL ORDER BY c.id LIMIT 1")
  sqlite3 "$DB" "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE role = 'admin' LIMIT 1)
    WHERE email = '$TEACHER_EMAIL'"
  REGION=$(sqlite3 "$DB" "SELECT r.code FROM users u JOIN regions r ON r.id = u.region_id WHERE u.email = '$TEACHER_EMAIL'")
  MODULE=$(sqlite3 "$DB" "SELECT m.slug FROM modules m JOIN courses k ON k.id = m.course_id
    WHERE k.slug = '$COURSE' ORDER BY m.position LIMIT 1")
fi

if [[ " $LOADS " == *" sign-ins "* ]]; then
  start_server "$SMALL_DIR"
  curl -fs -o /dev/null "$BASE/login"
  measure sign-ins sign_ins
  NOTES+=("$(sign_in_summary)")
  stop_server
fi

if [[ " $LOADS " == *" reads "* ]]; then
  start_server "$SMALL_DIR"
  TEACHER="$(session "$TEACHER_EMAIL" "$PASSWORD_SMALL")"
  COORDINATOR="$(session "coordinator.$(echo "$REGION" | tr 'A-Z' 'a-z')@demo.ustaz.kz" "$PASSWORD_SMALL")"
  [ -n "$TEACHER" ] && [ -n "$COORDINATOR" ] || { echo "could not sign in (see $SMALL_DIR/server.log)" >&2; exit 1; }
  for p in / /courses /learn /account; do curl -fs -o /dev/null -H "Cookie: $TEACHER" "$BASE$p"; done
  curl -fs -o /dev/null -H "Cookie: $COORDINATOR" "$BASE/dashboard/regions/$REGION"
  measure reads reads
  read -r _ t_requests t_rps t_failed <"$WORK/reads-teacher"
  read -r _ c_requests c_rps c_failed <"$WORK/reads-coordinator"
  NOTES+=("reads: $READS_DURATION, $READS_CONNECTIONS connections each: teacher $t_requests requests ($t_rps/s, $t_failed not 2xx), coordinator of $REGION $c_requests ($c_rps/s, $c_failed not 2xx)")
  stop_server
fi

if [[ " $LOADS " == *" dashboards "* ]]; then
  seed "$BIG_DIR" "$TEACHERS"
  start_server "$BIG_DIR"
  ADMIN="$(session admin@demo.ustaz.kz "$(cat "$BIG_DIR/password")")"
  [ -n "$ADMIN" ] || { echo "could not sign in (see $BIG_DIR/server.log)" >&2; exit 1; }
  curl -fs -o /dev/null -H "Cookie: $ADMIN" "$BASE/account"
  start=$(date +%s.%N)
  measure dashboards dashboards
  NOTES+=("dashboards: $TEACHERS teachers, national and 20 regions (4 at once) computed twice, $(printf '%.0f' "$(echo "$(date +%s.%N) - $start - $SETTLE - 1" | bc)") s")
  stop_server
fi

echo
echo "memory of $BIN (MiB of RssAnon; peak sampled every 50 ms; after = $SETTLE s after the load)"
printf '%-11s %10s %10s %10s %9s %9s %8s %12s\n' load before peak after peak/bef after/bef "<=${GOAL_MIB}" VmHWM_MiB
for line in "${RESULTS[@]}"; do echo "$line"; done
for note in "${NOTES[@]}"; do echo "$note"; done
