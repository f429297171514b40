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

# newman (DOKU's Postman collection runner), pinned, local to the repository.
if [ ! -x "$root/.tools/node_modules/.bin/newman" ]; then
  log "installing newman"
  npm install --prefix "$root/.tools" --no-audit --no-fund --loglevel=error newman@6.2.2 >&2 || log "newman install failed"
fi
apt_install openssl curl chromium || log "apt install failed"

log "building"
if ! dotnet build Lunas.slnx -c Release -nologo -v:q >"$results/build.log" 2>&1; then
  tail -40 "$results/build.log" >&2
  echo "0 passed, 1 failed"
  exit 1
fi

status=0
for project in tests/*/*.csproj; do
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
expected=$(ls tests/*/*.csproj | wc -l); have=$(ls "$results"/*.trx 2>/dev/null | wc -l)
[ "$have" -lt "$expected" ] && failed=$((failed + expected - have))
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
