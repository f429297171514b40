#!/usr/bin/env bash
# The start-up benchmark, in one command. See bench/README.md.
#
#   bench/startup.sh [--runs N] [--single-file] [--note TEXT] [--no-readme]
#
# Times Lunas from the process start to its first `GET /healthz` 200 (polled every 5 ms), on SQLite with one
# configured merchant: once on a fresh database (migrations, the merchant, the console's operator) and N times more on
# that same database (a restart). Targets: the Release build (`dotnet lunas.dll`, what `dotnet run -c Release` and the
# other benchmarks run) and, with --single-file, the published single file (the linux-x64 publish profile: precompiled,
# self-contained). The targets take turns, so that what else runs on the machine weighs on them alike. Everything on
# 127.0.0.1; every process is stopped on exit or failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
script=startup.sh
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
command_line="bench/startup.sh"
for arg in "$@"; do command_line+=$(quote "$arg"); done

runs=7
single_file=0
note=""
write_readme=1
usage() { sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) positive "$1" "${2-}"; runs=$2; shift 2 ;;
    --single-file) single_file=1; shift ;;
    --note) note=${2-}; shift 2 ;;
    --no-readme) write_readme=0; shift ;;
    -h|--help) usage ;;
    *) echo "startup.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ "$runs" -le 100 ] || { echo "startup.sh: --runs is at most 100" >&2; exit 2; }
command -v curl >/dev/null || die "curl is needed"

build_all
targets=(build)
declare -A launch=([build]="dotnet $lunas_dll")
if [ "$single_file" = 1 ]; then
  log "publishing the single file (src/Lunas.Server, PublishProfile=linux-x64)"
  dotnet publish src/Lunas.Server -p:PublishProfile=linux-x64 -o "$tmp/publish" -nologo -v q >"$out/publish.log" 2>&1 \
    || { tail -30 "$out/publish.log" >&2; die "publishing failed (bench/out/publish.log)"; }
  targets+=(single-file)
  launch[single-file]="$tmp/publish/lunas"
fi

client_id="BRN-BENCH-0003-$(date -u +%Y%m%d)"
secret_key="SK-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# start_once target: sets elapsed_ms, from the start to the first /healthz 200, on the target's database (made on its
# first start). Not in a $(...) subshell: the process goes into `pids` for the cleanup.
start_once() {
  local target=$1 dir="$tmp/$1" port url t0 t1 pid
  mkdir -p "$dir/cwd" "$dir/home"
  port=$(free_port)
  url="http://127.0.0.1:$port"
  t0=$(date +%s%N)
  (
    cd "$dir/cwd"
    export ConnectionStrings__Lunas="Data Source=$dir/lunas.db" HOME="$dir/home"
    export Lunas__Merchants__0__ClientId="$client_id" Lunas__Merchants__0__SecretKey="$secret_key"
    export Lunas__Merchants__0__Name="Lunas Bench Merchant" ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    # shellcheck disable=SC2086
    exec ${launch[$target]} --urls "$url"
  ) >>"$out/lunas-startup-$target.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  for _ in $(seq 6000); do # 30 s at most
    if curl -sf -o /dev/null --max-time 1 "$url/healthz"; then
      t1=$(date +%s%N)
      stop_process "$pid"
      elapsed_ms=$(( (t1 - t0) / 1000000 ))
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || die "$target exited while starting (bench/out/lunas-startup-$target.log)"
    sleep 0.005
  done
  die "$target did not answer /healthz within 30 s"
}

declare -A fresh warm
for target in "${targets[@]}"; do
  log "$target: fresh database"
  start_once "$target"
  fresh[$target]=$elapsed_ms
  warm[$target]=""
done
for run in $(seq "$runs"); do
  for target in "${targets[@]}"; do
    start_once "$target"
    log "$target: restart $run: $elapsed_ms ms"
    warm[$target]+="$elapsed_ms "
  done
done

summary() { # "ms ms ..." -> "median X ms (min Y, max Z)"
  tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { printf "median %d ms (min %d, max %d, %d starts)", a[int((NR + 1) / 2)], a[1], a[NR], NR }'
}

stamp=$(date -u +%Y-%m-%dT%H:%MZ)
entry="### $stamp — start-up"$'\n\n'
entry+="- command: \`$command_line\`"$'\n'
entry+="- setup: SQLite, one configured merchant, start to the first \`/healthz\` 200 (polled every 5 ms); $(machine_line); commit $(commit_line)"$'\n'
for target in "${targets[@]}"; do
  line="- $target: **restart $(summary "${warm[$target]}")**, fresh database ${fresh[$target]} ms"
  echo "RESULT target=$target fresh_ms=${fresh[$target]} restart_ms=\"${warm[$target]% }\""
  entry+="$line"$'\n'
done
[ -n "$note" ] && entry+="- note: $note"$'\n'
printf '\n%s' "$entry"
if [ "$write_readme" = 1 ]; then
  printf '\n%s' "$entry" >>"$root/bench/README.md"
  log "appended to bench/README.md"
fi
