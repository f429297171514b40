#!/usr/bin/env bash
# The create-payment load benchmark, in one command. See bench/README.md.
#
#   bench/run.sh [--duration S] [--threads N] [--connections N] [--timeout S] [--max-rate R]
#                [--request-log-compare] [--note TEXT] [--no-readme]
#
# Builds Release Lunas and bench/Lunas.Bench, starts Lunas on 127.0.0.1 with a fresh SQLite data dir and one
# configured merchant, replays pre-signed unique create-payment requests with wrk for a bounded time, records Lunas's
# peak RSS, then runs the same requests against the bare Kestrel + JsonDocument baseline, prints the figures and
# appends a dated entry to bench/README.md. Everything listens on 127.0.0.1 only; every process it starts is stopped
# on exit, failure or interrupt. Logs of the last run: bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
quote() { # an argument as a shell word: bare when safe, else in single quotes
  if [[ "$1" =~ ^[A-Za-z0-9_./=:,+-]+$ ]]; then printf ' %s' "$1"; else printf " '%s'" "${1//\'/\'\\\'\'}"; fi
}
command_line="bench/run.sh"
for arg in "$@"; do command_line+=$(quote "$arg"); done

duration=20         # seconds of load per target
threads=2           # wrk threads
connections=64      # wrk connections (over all threads)
timeout=5           # wrk --timeout, seconds
max_rate=15000      # upper bound on Lunas's rate: duration x max_rate unique requests are generated
request_log_compare=0
note=""
write_readme=1

usage() { sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: $1 needs a positive integer, got '$2'" >&2; exit 2; }; }
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) positive "$1" "${2-}"; duration=$2; shift 2 ;;
    --threads) positive "$1" "${2-}"; threads=$2; shift 2 ;;
    --connections) positive "$1" "${2-}"; connections=$2; shift 2 ;;
    --timeout) positive "$1" "${2-}"; timeout=$2; shift 2 ;;
    --max-rate) positive "$1" "${2-}"; max_rate=$2; shift 2 ;;
    --request-log-compare) request_log_compare=1; shift ;;
    --note) note=${2-}; shift 2 ;;
    --no-readme) write_readme=0; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
# Request-Timestamps are fixed when the requests are generated and Lunas accepts +-5 minutes.
if [ "$duration" -gt 240 ]; then echo "run.sh: --duration is at most 240 s (timestamps must stay within 5 minutes)" >&2; exit 2; fi
if [ "$connections" -lt "$threads" ]; then echo "run.sh: --connections must be at least --threads" >&2; exit 2; fi

log() { printf '== %s\n' "$*" >&2; }
die() { printf 'run.sh: %s\n' "$*" >&2; exit 1; }

# --- processes and files, cleaned up whatever happens --------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lunas-bench.XXXXXX")
out="$root/bench/out"
mkdir -p "$out"
rm -f "$out"/*.log "$out"/*.txt
pids=()

stop_process() { # pid: TERM, up to 15 s to exit, then KILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do stop_process "$pid"; done
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'echo "run.sh: command failed at line $LINENO" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools ---------------------------------------------------------------------------------------------------------
if ! command -v wrk >/dev/null; then
  log "installing wrk"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2 \
    || { $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq wrk >&2; } \
    || die "could not install wrk"
fi
command -v curl >/dev/null || die "curl is needed"

log "building Release Lunas and the bench tool"
dotnet build -c Release -nologo -v q src/Lunas.Server >"$out/build.log" 2>&1 \
  || { tail -30 "$out/build.log" >&2; die "building src/Lunas.Server failed (bench/out/build.log)"; }
dotnet build -c Release -nologo -v q bench/Lunas.Bench >>"$out/build.log" 2>&1 \
  || { tail -30 "$out/build.log" >&2; die "building bench/Lunas.Bench failed (bench/out/build.log)"; }
lunas_dll="$root/src/Lunas.Server/bin/Release/net10.0/lunas.dll"
bench_dll="$root/bench/Lunas.Bench/bin/Release/net10.0/Lunas.Bench.dll"
[ -f "$lunas_dll" ] && [ -f "$bench_dll" ] || die "build output missing"

# --- helpers -------------------------------------------------------------------------------------------------------
free_port() {
  local port
  for port in $(shuf -i 20000-45000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

wait_until_answering() { # pid url name log: any HTTP answer within 60 s
  local pid=$1 url=$2 name=$3 logfile=$4 code
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      grep -m1 -i 'exception' "$logfile" | cut -c1-400 >&2 || tail -5 "$logfile" >&2
      die "$name exited while starting (log: ${logfile#"$root"/})"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST -H 'Content-Type: application/json' \
      --data '{}' "$url/checkout/v1/payment" || true)
    [ "$code" != "000" ] && return 0
    sleep 0.1
  done
  die "$name did not answer within 60 s"
}

field() { # name "RESULT ..." -> value
  local pair
  for pair in $2; do [ "${pair%%=*}" = "$1" ] && { echo "${pair#*=}"; return 0; }; done
  echo ""
}

peak_rss_mib() { # pid -> VmHWM in MiB
  awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "?"
}

client_id="BRN-BENCH-0001-$(date -u +%Y%m%d)"
secret_key="SK-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
request_count=$((duration * max_rate))

generate() { # file count
  dotnet "$bench_dll" gen --client-id "$client_id" --secret-key "$secret_key" --count "$2" --out "$1" 2>>"$out/gen.log" \
    || die "generating requests failed (bench/out/gen.log)"
}

send_one() { # url file: sends the file's first request with curl, prints the status
  local cid rid ts sig body
  IFS=$'\t' read -r cid rid ts sig body < <(sed -n 2p "$2")
  curl -s -o "$out/preflight-body.txt" -w '%{http_code}' --max-time 10 "$1/checkout/v1/payment" \
    -H 'Content-Type: application/json' -H "Client-Id: $cid" -H "Request-Id: $rid" \
    -H "Request-Timestamp: $ts" -H "Signature: $sig" --data-binary "$body" || echo "000"
}

run_wrk() { # url file mode label -> RESULT line on stdout, wrk's whole output in bench/out/wrk-LABEL.txt
  local url=$1 file=$2 mode=$3 label=$4 result
  timeout --kill-after=10 $((duration + 180)) \
    wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout "${timeout}s" -s "$root/bench/create-payment.lua" \
      "$url" -- "$file" "$threads" "$mode" >"$out/wrk-$label.txt" 2>&1 \
    || { cat "$out/wrk-$label.txt" >&2; die "wrk against $label failed"; }
  result=$(grep '^RESULT ' "$out/wrk-$label.txt" | tail -1)
  [ -n "$result" ] || { cat "$out/wrk-$label.txt" >&2; die "wrk printed no RESULT line for $label"; }
  echo "$result"
}

# Starts Lunas with a fresh data dir, checks one signed request, replays the generated requests, records peak RSS.
# Sets: lunas_result lunas_rss
bench_lunas() { # label request_log(true|false)
  local label=$1 request_log=$2 dir="$tmp/$1" port pid url status
  mkdir -p "$dir"
  port=$(free_port)
  url="http://127.0.0.1:$port"
  log "starting Lunas ($label, RequestLog=$request_log) on $url"
  (
    cd "$dir"
    export ConnectionStrings__Lunas="Data Source=$dir/lunas.db"
    export Lunas__Merchants__0__ClientId="$client_id" Lunas__Merchants__0__SecretKey="$secret_key"
    export Lunas__Merchants__0__Name="Lunas Bench Merchant" Lunas__RequestLog="$request_log"
    export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    exec dotnet "$lunas_dll" --urls "$url"
  ) >"$out/lunas-$label.log" 2>&1 &
  pid=$!
  pids+=("$pid")
  wait_until_answering "$pid" "$url" "Lunas" "$out/lunas-$label.log"

  generate "$dir/preflight.tsv" 1
  status=$(send_one "$url" "$dir/preflight.tsv")
  [ "$status" = "200" ] || { cat "$out/preflight-body.txt" >&2; echo >&2
    die "Lunas answered $status to a signed create-payment request (401: signature or clock; see bench/out/)"; }

  log "generating $request_count signed requests"
  generate "$dir/requests.tsv" "$request_count"
  log "wrk: ${duration}s, $threads threads, $connections connections against Lunas ($label)"
  lunas_result=$(run_wrk "$url" "$dir/requests.tsv" once "$label")
  lunas_rss=$(peak_rss_mib "$pid")
  stop_process "$pid"
  log "$lunas_result"
}

check_lunas_result() { # label result
  local ok non_ok exhausted timeouts
  ok=$(field ok "$2"); non_ok=$(field non_ok "$2"); exhausted=$(field exhausted "$2"); timeouts=$(field errors_timeout "$2")
  [ "$exhausted" = "0" ] || die "$1: the $request_count generated requests ran out: raise --max-rate (figures invalid)"
  [ "$non_ok" = "0" ] || die "$1: $non_ok responses were not 200 ($(field status "$2"); 401: signature or clock, 409: Request-Id reused)"
  [ "$timeouts" = "0" ] || die "$1: $timeouts requests timed out"
  [ "${ok:-0}" -gt 0 ] || die "$1: no request succeeded"
}

# --- Lunas ---------------------------------------------------------------------------------------------------------
bench_lunas lunas false
result_lunas=$lunas_result rss_lunas=$lunas_rss
check_lunas_result "Lunas" "$result_lunas"
if [ "$request_log_compare" = 1 ]; then
  bench_lunas lunas-requestlog true
  result_lunas_log=$lunas_result rss_lunas_log=$lunas_rss
  check_lunas_result "Lunas (RequestLog=true)" "$result_lunas_log"
fi

# --- baseline ------------------------------------------------------------------------------------------------------
port=$(free_port)
bare_url="http://127.0.0.1:$port"
log "starting the bare baseline on $bare_url"
dotnet "$bench_dll" bare --urls "$bare_url" >"$out/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_until_answering "$bare_pid" "$bare_url" "the bare endpoint" "$out/bare.log"
# Same request file as Lunas. The baseline checks nothing, so each thread loops over its slice when it runs out.
log "wrk: ${duration}s, $threads threads, $connections connections against the bare endpoint"
result_bare=$(run_wrk "$bare_url" "$tmp/lunas/requests.tsv" loop bare)
rss_bare=$(peak_rss_mib "$bare_pid")
stop_process "$bare_pid"
log "$result_bare"
[ "$(field non_ok "$result_bare")" = "0" ] || die "bare: non-200 responses ($(field status "$result_bare"))"

# --- report --------------------------------------------------------------------------------------------------------
rate_lunas=$(field created_per_s "$result_lunas")
rate_bare=$(field created_per_s "$result_bare")
ratio=$(awk -v a="$rate_lunas" -v b="$rate_bare" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }')
line_for() { # result rss
  printf '%s/s, p50 %s ms, p99 %s ms, peak RSS %s MiB (%s requests in %s s, %s)' \
    "$(field created_per_s "$1")" "$(field p50_ms "$1")" "$(field p99_ms "$1")" "$2" \
    "$(field requests "$1")" "$(field duration_s "$1")" "$(field status "$1")"
}
when=$(date -u +%Y-%m-%dT%H:%MZ)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- src 2>/dev/null)" ]; then commit="$commit + uncommitted changes in src/"; fi
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
machine="$(nproc) cores ($cpu), .NET $(dotnet --version), $({ wrk --version 2>&1 || true; } | awk 'NR == 1 { print $1, $2 }')"
setup="$duration s, wrk $threads threads, $connections connections, --timeout ${timeout}s, SQLite in a fresh temp dir"

{
  echo
  echo "== Lunas create-payment benchmark, $when"
  echo "   $setup"
  echo "   $machine; commit $commit"
  echo "Lunas created payments:   $(line_for "$result_lunas" "$rss_lunas")"
  if [ "$request_log_compare" = 1 ]; then
    echo "  with RequestLog=true:    $(line_for "$result_lunas_log" "$rss_lunas_log")"
  fi
  echo "bare Kestrel + JsonDocument: $(line_for "$result_bare" "$rss_bare")"
  echo "ratio Lunas / bare:       $ratio"
} | tee "$out/summary.txt"

if [ "$write_readme" = 1 ]; then
  {
    echo
    echo "### $when"
    echo
    echo "- command: \`$command_line\`"
    echo "- setup: $setup; $machine; commit $commit"
    echo "- Lunas (RequestLog=false): **$rate_lunas created payments/s**, p50 $(field p50_ms "$result_lunas") ms," \
      "p99 $(field p99_ms "$result_lunas") ms, peak RSS $rss_lunas MiB ($(field requests "$result_lunas") requests, all 200)"
    if [ "$request_log_compare" = 1 ]; then
      echo "- Lunas (RequestLog=true): $(field created_per_s "$result_lunas_log") created payments/s," \
        "p50 $(field p50_ms "$result_lunas_log") ms, p99 $(field p99_ms "$result_lunas_log") ms, peak RSS $rss_lunas_log MiB"
    fi
    echo "- bare baseline: $rate_bare req/s, p50 $(field p50_ms "$result_bare") ms, p99 $(field p99_ms "$result_bare") ms," \
      "peak RSS $rss_bare MiB"
    echo "- **ratio Lunas / bare: $ratio**"
    if [ -n "$note" ]; then echo "- note: $note"; fi
  } >>"$root/bench/README.md"
  log "appended to bench/README.md"
fi
