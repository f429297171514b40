#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what the tests need, builds, runs every test project,
# and ends with one line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results" "$root/.tools"

log() { printf '== %s\n' "$*" >&2; }

apt_install() {
  # Installs Debian packages that are missing; apt-get update runs once, only when something is missing.
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

# newman (DOKU's Postman collection runner) and an OpenAPI 3.1 validator, pinned, local to the repository.
if [ ! -x "$root/.tools/node_modules/.bin/newman" ] || [ ! -x "$root/.tools/node_modules/.bin/validate-api" ]; then
  log "installing newman and the OpenAPI validator"
  npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error newman@6.2.2 @seriousme/openapi-schema-validator@2.11.0 >&2 \
    || log "npm install failed"
fi
apt_install openssl curl chromium || log "apt install failed"

# PostgreSQL: a scratch cluster on 127.0.0.1 unless LUNAS_TEST_POSTGRES already names one.
pg_dir=""
stop_postgres() {
  [ -n "$pg_dir" ] || return 0
  as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
start_postgres() {
  [ -n "${LUNAS_TEST_POSTGRES:-}" ] && { log "PostgreSQL from LUNAS_TEST_POSTGRES"; return 0; }
  apt_install postgresql || return 1
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -x "$pg_bin/initdb" ] || return 1
  pg_dir=$(mktemp -d /tmp/lunas-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres "$pg_dir"
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-sync >"$results/postgres-initdb.log" 2>&1 || return 1
  for port in 55432 55433 55434 55435 55436; do
    if as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 start \
        -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=128MB" >/dev/null 2>&1; then
      export LUNAS_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres;Pooling=true"
      log "PostgreSQL scratch cluster on 127.0.0.1:$port"
      return 0
    fi
  done
  cp "$pg_dir/server.log" "$results/postgres-server.log" 2>/dev/null
  return 1
}
trap stop_postgres EXIT
start_postgres || log "PostgreSQL could not be started: its tests will be skipped (or fail under CI=true)"

log "building"
if ! dotnet build Lunas.slnx -c Release -nologo -v:q >"$results/build.log" 2>&1; then
  tail -40 "$results/build.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
# The test projects: Lunas's own, and the samples' (a shop's tests against Lunas.Testing).
projects=(tests/*/*.csproj samples/*.Tests/*.csproj)
for project in "${projects[@]}"; do
  name=$(basename "$project" .csproj)
  log "testing $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" \
    --logger "console;verbosity=normal" >"$results/$name.log" 2>&1 || status=1
  grep -E "^\s+(Failed|Skipped) |Total tests|Passed!|Failed!" "$results/$name.log" >&2 || true
done

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
# A test project that crashed before writing its results counts as a failure.
expected=${#projects[@]}; have=$(ls "$results"/*.trx 2>/dev/null | wc -l)
[ "$have" -lt "$expected" ] && failed=$((failed + expected - have))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
