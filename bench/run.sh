#!/usr/bin/env bash
# The create-payment load benchmark, in one command. See bench/README.md.
#
#   bench/run.sh [--duration S] [--threads N] [--connections N] [--timeout S] [--max-rate R]
#                [--provider sqlite|postgres] [--pg CONNECTION-STRING] [--pool-size N] [--instances 1|2]
#                [--request-log-compare] [--lunas-setting NAME=VALUE]... [--note TEXT] [--no-readme]
#
# Builds Release Lunas and bench/Lunas.Bench, starts Lunas on 127.0.0.1 with a fresh database (SQLite in a temp
# dir, or a new PostgreSQL database on a scratch cluster started here or on --pg's) and one configured merchant,
# replays pre-signed unique create-payment requests with wrk for a bounded time (with --instances 2: two Lunas
# processes on one PostgreSQL database, each driven by its own wrk at the same time), records peak RSS, then runs
# the same requests against the bare Kestrel + JsonDocument baseline (one process), prints the figures and appends
# a dated entry to bench/README.md. Everything listens on 127.0.0.1 only; every process it starts (and the scratch
# cluster) is stopped on exit, failure or interrupt. Logs of the last run: bench/out/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
script=run.sh
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
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
provider=sqlite
provider_given=""
instances=1
extra_settings=()     # --lunas-setting: more environment for Lunas, e.g. DOTNET_TieredPGO=0

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) positive "$1" "${2-}"; duration=$2; shift 2 ;;
    --threads) positive "$1" "${2-}"; threads=$2; shift 2 ;;
    --connections) positive "$1" "${2-}"; connections=$2; shift 2 ;;
    --timeout) positive "$1" "${2-}"; timeout=$2; shift 2 ;;
    --max-rate) positive "$1" "${2-}"; max_rate=$2; shift 2 ;;
    --provider) case "${2-}" in sqlite|postgres) provider=$2; provider_given=$2 ;; *) echo "run.sh: --provider is sqlite or postgres" >&2; exit 2 ;; esac; shift 2 ;;
    --pg) pg_given=${2-}; [ -n "$pg_given" ] || { echo "run.sh: --pg needs a connection string" >&2; exit 2; }; shift 2 ;;
    --pool-size) positive "$1" "${2-}"; pg_pool_size=$2; shift 2 ;;
    --instances) case "${2-}" in 1|2) instances=$2 ;; *) echo "run.sh: --instances is 1 or 2" >&2; exit 2 ;; esac; shift 2 ;;
    --request-log-compare) request_log_compare=1; shift ;;
    --lunas-setting) [[ "${2-}" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || { echo "run.sh: --lunas-setting needs NAME=VALUE" >&2; exit 2; }
      extra_settings+=("$2"); shift 2 ;;
    --note) note=${2-}; shift 2 ;;
    --no-readme) write_readme=0; shift ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
# Request-Timestamps are fixed when the requests are generated and Lunas accepts +-5 minutes.
if [ "$duration" -gt 240 ]; then echo "run.sh: --duration is at most 240 s (timestamps must stay within 5 minutes)" >&2; exit 2; fi
if [ "$connections" -lt "$threads" ]; then echo "run.sh: --connections must be at least --threads" >&2; exit 2; fi
if [ -n "$pg_given" ]; then
  [ "$provider_given" = sqlite ] && { echo "run.sh: --pg is for --provider postgres" >&2; exit 2; }
  provider=postgres
fi
if [ "$instances" -gt 1 ] && [ "$provider" != postgres ]; then
  echo "run.sh: --instances 2 needs --provider postgres (two processes on one SQLite file is not a supported setup)" >&2; exit 2
fi
# With several instances each wrk gets its share of the threads and connections.
wrk_threads=$(( threads / instances )); [ "$wrk_threads" -ge 1 ] || wrk_threads=1
wrk_connections=$(( connections / instances ))
[ "$wrk_connections" -ge "$wrk_threads" ] || { echo "run.sh: --connections too small for $instances instances" >&2; exit 2; }
rm -f "$out"/*.log "$out"/*.txt

# --- tools ---------------------------------------------------------------------------------------------------------
command -v wrk >/dev/null || apt_install wrk || die "could not install wrk"
command -v curl >/dev/null || die "curl is needed"
build_all
if [ "$provider" = postgres ]; then pg_setup; fi

# --- helpers -------------------------------------------------------------------------------------------------------
client_id="BRN-BENCH-0001-$(date -u +%Y%m%d)"
secret_key="SK-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
request_count=$((duration * max_rate))

generate() { # file count first-index
  dotnet "$bench_dll" gen --client-id "$client_id" --secret-key "$secret_key" --count "$2" --first "$3" --out "$1" \
    2>>"$out/gen.log" || die "generating requests failed (bench/out/gen.log)"
}

send_one() { # url file: sends the file's first request with curl, prints the status
  local cid rid ts sig body
  IFS=$'\t' read -r cid rid ts sig body < <(sed -n 2p "$2")
  curl -s -o "$out/preflight-body.txt" -w '%{http_code}' --max-time 10 "$1/checkout/v1/payment" \
    -H 'Content-Type: application/json' -H "Client-Id: $cid" -H "Request-Id: $rid" \
    -H "Request-Timestamp: $ts" -H "Signature: $sig" --data-binary "$body" || echo "000"
}

run_wrk() { # url file mode label: sets wrk_result (the RESULT line); wrk's whole output in bench/out/wrk-LABEL.txt
  local url=$1 file=$2 mode=$3 label=$4 result
  fg_run timeout --kill-after=10 $((duration + 180)) \
    wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout "${timeout}s" -s "$root/bench/create-payment.lua" \
      "$url" -- "$file" "$threads" "$mode" >"$out/wrk-$label.txt" 2>&1 \
    || { cat "$out/wrk-$label.txt" >&2; die "wrk against $label failed"; }
  result=$(grep '^RESULT ' "$out/wrk-$label.txt" | tail -1 || true)
  [ -n "$result" ] || { cat "$out/wrk-$label.txt" >&2; die "wrk printed no RESULT line for $label"; }
  wrk_result=$result
}

# Several wrk processes at once, one per instance, started together (GO file) and stopped after $duration s each.
# run_wrk_parallel label url1 file1 url2 file2 ...: sets parallel_results[], one RESULT line per instance (in order).
# Not in a $(...) subshell, so that its wrk processes are in `pids` for the cleanup.
run_wrk_parallel() {
  local label=$1 go="$tmp/$1.go" slack=4 k=0 waited=0 all
  shift
  local urls=() files=() wpids=()
  while [ $# -gt 0 ]; do urls+=("$1"); files+=("$2"); shift 2; done
  rm -f "$go"
  for k in "${!urls[@]}"; do
    rm -f "${files[$k]}.loaded"
    timeout --kill-after=10 $((duration + slack + 180)) \
      wrk -t"$wrk_threads" -c"$wrk_connections" -d"$((duration + slack))s" --timeout "${timeout}s" \
        -s "$root/bench/create-payment.lua" "${urls[$k]}" -- "${files[$k]}" "$wrk_threads" once "$go" "$duration" \
        >"$out/wrk-$label-$((k + 1)).txt" 2>&1 &
    wpids+=($!)
    pids+=($!)
  done
  # Every wrk loads its file, then waits for the GO file; the deadline runs from GO, wrk's own -d from its start.
  while :; do
    all=1
    for k in "${!files[@]}"; do
      [ -f "${files[$k]}.loaded" ] || all=0
      kill -0 "${wpids[$k]}" 2>/dev/null || { cat "$out/wrk-$label-$((k + 1)).txt" >&2; die "wrk $((k + 1)) against $label exited while loading"; }
    done
    [ "$all" = 1 ] && break
    waited=$((waited + 1))
    [ "$waited" -lt $((slack * 10 - 10)) ] || die "the wrk processes did not load their requests within $((slack - 1)) s (raise the slack in run.sh)"
    sleep 0.1
  done
  touch "$go"
  for k in "${!wpids[@]}"; do
    wait "${wpids[$k]}" || { cat "$out/wrk-$label-$((k + 1)).txt" >&2; die "wrk $((k + 1)) against $label failed"; }
  done
  parallel_results=()
  for k in "${!files[@]}"; do
    parallel_results+=("$(grep '^RESULT ' "$out/wrk-$label-$((k + 1)).txt" | tail -1 || true)")
    [ -n "${parallel_results[$k]}" ] || { cat "$out/wrk-$label-$((k + 1)).txt" >&2; die "wrk $((k + 1)) printed no RESULT line for $label"; }
  done
}

# Starts Lunas ($instances processes) on a fresh database, checks one signed request on each, replays the generated
# requests (one file per instance), records peak RSS. Sets: lunas_results[] lunas_rss[] (one per instance),
# lunas_files[] (the request files, reused by the baseline).
bench_lunas() { # label request_log(true|false)
  local label=$1 request_log=$2 dir="$tmp/$1" connection k url status per
  local urls=() ipids=()
  mkdir -p "$dir"
  if [ "$provider" = postgres ]; then
    pg_create_db "lunas_bench_${label//-/_}_$(date -u +%H%M%S)_$$"
    connection=$pg_connection
  else
    connection="Data Source=$dir/lunas.db"
  fi
  for k in $(seq "$instances"); do
    url="http://127.0.0.1:$(free_port)"
    log "starting Lunas ($label #$k, RequestLog=$request_log, $provider) on $url"
    start_lunas "$label-$k" "$url" "$connection" "$request_log" ${extra_settings[@]+"${extra_settings[@]}"}
    urls+=("$url")
    ipids+=("$lunas_pid")
  done
  for k in "${!urls[@]}"; do
    wait_until_answering "${ipids[$k]}" "${urls[$k]}" "Lunas #$((k + 1))" "$out/lunas-$label-$((k + 1)).log"
    generate "$dir/preflight-$k.tsv" 1 $((90000000 + k))
    status=$(send_one "${urls[$k]}" "$dir/preflight-$k.tsv")
    [ "$status" = "200" ] || { cat "$out/preflight-body.txt" >&2; echo >&2
      die "Lunas #$((k + 1)) answered $status to a signed create-payment request (401: signature or clock; see bench/out/)"; }
  done

  per=$(( (request_count + instances - 1) / instances ))
  lunas_files=()
  for k in "${!urls[@]}"; do
    log "generating $per signed requests for instance $((k + 1))"
    generate "$dir/requests-$k.tsv" "$per" $((k * per))
    lunas_files+=("$dir/requests-$k.tsv")
  done
  if [ "$instances" = 1 ]; then
    log "wrk: ${duration}s, $threads threads, $connections connections against Lunas ($label)"
    run_wrk "${urls[0]}" "${lunas_files[0]}" once "$label"
    lunas_results=("$wrk_result")
  else
    log "wrk x$instances at once: ${duration}s, each $wrk_threads threads, $wrk_connections connections against its Lunas ($label)"
    local args=()
    for k in "${!urls[@]}"; do args+=("${urls[$k]}" "${lunas_files[$k]}"); done
    run_wrk_parallel "$label" "${args[@]}"
    lunas_results=("${parallel_results[@]}")
  fi
  lunas_rss=()
  for k in "${!ipids[@]}"; do lunas_rss+=("$(peak_rss_mib "${ipids[$k]}")"); done
  for k in "${!ipids[@]}"; do stop_process "${ipids[$k]}"; done
  for k in "${!lunas_results[@]}"; do log "#$((k + 1)) ${lunas_results[$k]}"; done
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
check_all() { # label: checks every instance's result
  local k
  local k name=$1
  for k in "${!lunas_results[@]}"; do
    [ "$instances" -gt 1 ] && name="$1 #$((k + 1))"
    check_lunas_result "$name" "${lunas_results[$k]}"
  done
}
bench_lunas lunas false
check_all "Lunas"
results_lunas=("${lunas_results[@]}") rsss_lunas=("${lunas_rss[@]}")
files_lunas=("${lunas_files[@]}")
if [ "$request_log_compare" = 1 ]; then
  bench_lunas lunas-requestlog true
  check_all "Lunas (RequestLog=true)"
  results_lunas_log=("${lunas_results[@]}") rsss_lunas_log=("${lunas_rss[@]}")
fi

# --- baseline ------------------------------------------------------------------------------------------------------
port=$(free_port)
bare_url="http://127.0.0.1:$port"
log "starting the bare baseline on $bare_url"
dotnet "$bench_dll" bare --urls "$bare_url" >"$out/bare.log" 2>&1 &
bare_pid=$!
pids+=("$bare_pid")
wait_until_answering "$bare_pid" "$bare_url" "the bare endpoint" "$out/bare.log"
# Always one process, one wrk with all threads and connections, on the first instance's request file. The baseline
# checks nothing, so each thread loops over its slice when it runs out.
log "wrk: ${duration}s, $threads threads, $connections connections against the bare endpoint"
run_wrk "$bare_url" "${files_lunas[0]}" loop bare
result_bare=$wrk_result
rss_bare=$(peak_rss_mib "$bare_pid")
stop_process "$bare_pid"
log "$result_bare"
[ "$(field non_ok "$result_bare")" = "0" ] || die "bare: non-200 responses ($(field status "$result_bare"))"

# --- report --------------------------------------------------------------------------------------------------------
line_for() { # result rss
  printf '%s/s, p50 %s ms, p99 %s ms, peak RSS %s MiB (%s requests in %s s, %s)' \
    "$(field created_per_s "$1")" "$(field p50_ms "$1")" "$(field p99_ms "$1")" "$2" \
    "$(field requests "$1")" "$(field duration_s "$1")" "$(field status "$1")"
}
# combine result...: "sum union worst_p50 worst_p99 total_ok" over several instances' RESULT lines. sum: the
# instances' rates added; union: all 200s over the time from the first request of any to the last response of any.
combine() {
  local r
  for r in "$@"; do
    echo "$(field created_per_s "$r") $(field ok "$r") $(field first_us "$r") $(field last_us "$r") $(field p50_ms "$r") $(field p99_ms "$r")"
  done | awk '{ sum += $1; ok += $2; if (NR == 1 || $3 < first) first = $3; if ($4 > last) last = $4
               if ($5 > p50) p50 = $5; if ($6 > p99) p99 = $6 }
             END { printf "%.1f %.1f %.3f %.3f %d\n", sum, (last > first ? ok / ((last - first) / 1e6) : 0), p50, p99, ok }'
}
read -r rate_lunas union_lunas p50_lunas p99_lunas ok_lunas < <(combine "${results_lunas[@]}")
if [ "$request_log_compare" = 1 ]; then
  read -r rate_lunas_log union_lunas_log p50_lunas_log p99_lunas_log _ < <(combine "${results_lunas_log[@]}")
fi
rate_bare=$(field created_per_s "$result_bare")
ratio=$(awk -v a="$rate_lunas" -v b="$rate_bare" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }')
when=$(date -u +%Y-%m-%dT%H:%MZ)
commit=$(commit_line)
machine="$(machine_line), $({ wrk --version 2>&1 || true; } | awk 'NR == 1 { print $1, $2 }')"
if [ "$provider" = postgres ]; then
  if [ -n "$pg_given" ]; then store="PostgreSQL given with --pg"; else store="$(pg_version) scratch cluster on 127.0.0.1 (fsync on, max_connections=300)"; fi
  store="$store, a fresh database per target, Maximum Pool Size=$pg_pool_size"
else
  store="SQLite in a fresh temp dir"
fi
if [ "$instances" -gt 1 ]; then
  setup="$duration s, $instances Lunas processes on one database, each driven by its own wrk at once ($wrk_threads thread(s), $wrk_connections connections each; $threads threads, $connections connections in all), --timeout ${timeout}s, $store"
else
  setup="$duration s, wrk $threads threads, $connections connections, --timeout ${timeout}s, $store"
fi
[ ${#extra_settings[@]} -gt 0 ] && setup="$setup; Lunas with ${extra_settings[*]}"

{
  echo
  echo "== Lunas create-payment benchmark, $when"
  echo "   $setup"
  echo "   $machine; commit $commit"
  if [ "$instances" = 1 ]; then
    echo "Lunas created payments:   $(line_for "${results_lunas[0]}" "${rsss_lunas[0]}")"
    if [ "$request_log_compare" = 1 ]; then
      echo "  with RequestLog=true:    $(line_for "${results_lunas_log[0]}" "${rsss_lunas_log[0]}")"
    fi
  else
    echo "Lunas x$instances created payments: $rate_lunas/s (sum; all 200s over the union window: $union_lunas/s), worse p50 $p50_lunas ms, worse p99 $p99_lunas ms"
    for k in "${!results_lunas[@]}"; do echo "  instance $((k + 1)):             $(line_for "${results_lunas[$k]}" "${rsss_lunas[$k]}")"; done
    if [ "$request_log_compare" = 1 ]; then
      echo "  with RequestLog=true:    $rate_lunas_log/s (sum; union $union_lunas_log/s), worse p50 $p50_lunas_log ms, worse p99 $p99_lunas_log ms"
      for k in "${!results_lunas_log[@]}"; do echo "    instance $((k + 1)):           $(line_for "${results_lunas_log[$k]}" "${rsss_lunas_log[$k]}")"; done
    fi
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
    if [ "$instances" = 1 ]; then
      r=${results_lunas[0]}
      echo "- Lunas (RequestLog=false): **$rate_lunas created payments/s**, p50 $(field p50_ms "$r") ms," \
        "p99 $(field p99_ms "$r") ms, peak RSS ${rsss_lunas[0]} MiB ($(field requests "$r") requests, all 200)"
      if [ "$request_log_compare" = 1 ]; then
        r=${results_lunas_log[0]}
        echo "- Lunas (RequestLog=true): $rate_lunas_log created payments/s," \
          "p50 $(field p50_ms "$r") ms, p99 $(field p99_ms "$r") ms, peak RSS ${rsss_lunas_log[0]} MiB"
      fi
    else
      echo "- Lunas x$instances (RequestLog=false): **$rate_lunas created payments/s** (sum of the instances; all 200s over" \
        "the union window: $union_lunas/s), worse p50 $p50_lunas ms, worse p99 $p99_lunas ms ($ok_lunas requests, all 200)"
      for k in "${!results_lunas[@]}"; do
        r=${results_lunas[$k]}
        echo "  - instance $((k + 1)): $(field created_per_s "$r")/s, p50 $(field p50_ms "$r") ms, p99 $(field p99_ms "$r") ms," \
          "peak RSS ${rsss_lunas[$k]} MiB ($(field ok "$r") requests in $(field duration_s "$r") s)"
      done
      if [ "$request_log_compare" = 1 ]; then
        echo "- Lunas x$instances (RequestLog=true): $rate_lunas_log created payments/s (sum), worse p50 $p50_lunas_log ms," \
          "worse p99 $p99_lunas_log ms, peak RSS ${rsss_lunas_log[*]} MiB"
      fi
    fi
    echo "- bare baseline (one process): $rate_bare req/s, p50 $(field p50_ms "$result_bare") ms, p99 $(field p99_ms "$result_bare") ms," \
      "peak RSS $rss_bare MiB"
    echo "- **ratio Lunas / bare: $ratio**"
    if [ -n "$note" ]; then echo "- note: $note"; fi
  } >>"$root/bench/README.md"
  log "appended to bench/README.md"
fi
