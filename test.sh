#!/usr/bin/env bash
# Runs every test project. Installs what the tests need when it is missing (PostgreSQL, Chromium,
# kubectl), starts a throwaway PostgreSQL unless MC_TEST_POSTGRES is set, stops what it started,
# and ends with one line: "N passed, N failed, N skipped".
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

say() { printf '==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# --- 1. What the tests need -------------------------------------------------------------------
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
missing=()
[ -n "${MC_TEST_POSTGRES:-}" ] || [ -x "$(pg_bin)/initdb" ] || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian's packages"
  as_root apt-get update -q >/dev/null
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- 2. A throwaway PostgreSQL ----------------------------------------------------------------
pg_dir=""
stop_postgres() {
  if [ -n "$pg_dir" ]; then
    run_pg "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$pg_dir"
  fi
}
trap stop_postgres EXIT
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  echo "no free loopback port found" >&2; return 1
}
if [ -z "${MC_TEST_POSTGRES:-}" ]; then
  pg_dir=$(mktemp -d /tmp/multicluster-pg.XXXXXX)
  chmod 755 "$pg_dir"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pg_dir"
  port=$(free_port)
  say "starting PostgreSQL on 127.0.0.1:$port ($pg_dir)"
  run_pg "$(pg_bin)/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync >"$pg_dir.initdb.log" 2>&1 \
    || { cat "$pg_dir.initdb.log"; exit 1; }
  run_pg "$(pg_bin)/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
    start >/dev/null
  rm -f "$pg_dir.initdb.log"
  export MC_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
fi

# --- 3. Every test project --------------------------------------------------------------------
results="$root/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"
say "building"
if ! dotnet build MultiCluster.sln -c Release --nologo -v quiet -clp:ErrorsOnly; then
  echo "the build failed; no test ran"
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
say "testing"
status=0
# Each project writes its .trx under artifacts/test-results/<project>/ (VSTestResultsDirectory).
dotnet test MultiCluster.sln -c Release --no-build --nologo -v quiet \
  --logger "trx" --logger "console;verbosity=normal" \
  --blame-hang-timeout 5m || status=$?

# --- 4. One line of totals over all projects --------------------------------------------------
passed=0 failed=0 skipped=0
while IFS= read -r trx; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  get() { echo "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
  passed=$((passed + $(get passed)))
  failed=$((failed + $(get failed) + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + $(get notExecuted)))
done < <(find "$results" -name '*.trx')
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi  # a crash before any result still fails
# The failures again, just above the totals, so the last lines of a long log say what broke.
if [ "$failed" -gt 0 ]; then
  echo "failed tests:"
  # A result line names the test and its outcome; its <Message> follows on the next lines.
  find "$results" -name '*.trx' -exec awk '
    /<UnitTestResult / && !/outcome="(Passed|NotExecuted)"/ {
      name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name)
      outcome = $0; sub(/.*outcome="/, "", outcome); sub(/".*/, "", outcome)
      gsub(/&quot;/, "\"", name); gsub(/&amp;/, "\\&", name)
      print "  " name " (" outcome ")"; want = 1; next }
    want && /<Message>/ { shown = 0; inmsg = 1; sub(/.*<Message>/, "") }
    inmsg { line = $0; done = sub(/<\/Message>.*/, "", line)
      if (shown++ < 12) print "    " line
      if (done) { inmsg = 0; want = 0 } }
    /<\/UnitTestResult>/ { want = 0; inmsg = 0 }' {} + || true
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
