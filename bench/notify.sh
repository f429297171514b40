#!/usr/bin/env bash
# The notification delivery benchmark, in one command. See bench/README.md.
#
#   bench/notify.sh [--orders N] [--concurrency C] [--latency-orders M] [--deliver-timeout S]
#                   [--provider sqlite|postgres] [--pg CONNECTION-STRING] [--pool-size N]
#                   [--lunas-setting NAME=VALUE]... [--note TEXT] [--no-readme]
#
# Starts a local receiver (Lunas.Bench receiver: 200 to any POST, arrival time per invoice, signatures checked) and
# Lunas (SQLite in a temp dir by default, or a fresh PostgreSQL database) with one merchant whose NotificationUrl is
# the receiver. (a) Delivery throughput: with dispatch off (Lunas__Notifications__Enabled=false) creates N orders and
# pays each through the sandbox (C at once), stops Lunas, starts it again with dispatch on and times the N
# notifications arriving: all queued before the first is sent, so the rate is pure delivery. (b) Idle latency: M
# orders paid one at a time, each waiting for its notification; latency = arrival at the receiver - the pay
# response (same machine, same wall clock). Everything on 127.0.0.1; every process is stopped on exit or failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
script=notify.sh
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
command_line="bench/notify.sh"
for arg in "$@"; do command_line+=$(quote "$arg"); done

orders=10000          # (a) orders paid with dispatch off, then delivered
concurrency=32        # (a) orders created and paid at once
latency_orders=200    # (b) orders paid one at a time
deliver_timeout=300   # (a) seconds allowed for the N notifications to arrive
pay_timeout=900       # seconds allowed for creating and paying the N orders
provider=sqlite
provider_given=""
note=""
write_readme=1
extra_settings=()     # --lunas-setting: more environment for Lunas, e.g. Lunas__Notifications__Concurrency=128

usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --orders) positive "$1" "${2-}"; orders=$2; shift 2 ;;
    --concurrency) positive "$1" "${2-}"; concurrency=$2; shift 2 ;;
    --latency-orders) positive "$1" "${2-}"; latency_orders=$2; shift 2 ;;
    --deliver-timeout) positive "$1" "${2-}"; deliver_timeout=$2; shift 2 ;;
    --provider) case "${2-}" in sqlite|postgres) provider=$2; provider_given=$2 ;; *) echo "notify.sh: --provider is sqlite or postgres" >&2; exit 2 ;; esac; shift 2 ;;
    --pg) pg_given=${2-}; [ -n "$pg_given" ] || { echo "notify.sh: --pg needs a connection string" >&2; exit 2; }; shift 2 ;;
    --pool-size) positive "$1" "${2-}"; pg_pool_size=$2; shift 2 ;;
    --lunas-setting) [[ "${2-}" =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || { echo "notify.sh: --lunas-setting needs NAME=VALUE" >&2; exit 2; }
      extra_settings+=("$2"); shift 2 ;;
    --note) note=${2-}; shift 2 ;;
    --no-readme) write_readme=0; shift ;;
    -h|--help) usage ;;
    *) echo "notify.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
if [ -n "$pg_given" ]; then
  [ "$provider_given" = sqlite ] && { echo "notify.sh: --pg is for --provider postgres" >&2; exit 2; }
  provider=postgres
fi
[ "$orders" -le 5000000 ] || { echo "notify.sh: --orders is at most 5000000" >&2; exit 2; }
rm -f "$out"/*.log "$out"/*.txt "$out"/*.tsv

command -v curl >/dev/null || die "curl is needed"
build_all
if [ "$provider" = postgres ]; then pg_setup; fi

client_id="BRN-BENCH-0002-$(date -u +%Y%m%d)"
secret_key="SK-bench-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
now_us() { echo $(( $(date +%s%N) / 1000 )); }
json_field() { # name json -> number
  sed -n "s/.*\"$1\":\([-0-9.]*\).*/\1/p" <<<"$2"
}

# --- receiver ------------------------------------------------------------------------------------------------------
receiver_url="http://127.0.0.1:$(free_port)"
log "starting the receiver on $receiver_url"
dotnet "$bench_dll" receiver --urls "$receiver_url" --secret-key "$secret_key" >"$out/receiver.log" 2>&1 &
receiver_pid=$!
pids+=("$receiver_pid")
for _ in $(seq 600); do
  kill -0 "$receiver_pid" 2>/dev/null || { cat "$out/receiver.log" >&2; die "the receiver exited while starting"; }
  curl -sf --max-time 2 "$receiver_url/stats" >/dev/null && break
  sleep 0.1
done
stats() { curl -sf --max-time 10 "$receiver_url/stats" || die "the receiver did not answer GET /stats"; }
stats >/dev/null

# --- Lunas ---------------------------------------------------------------------------------------------------------
if [ "$provider" = postgres ]; then
  pg_create_db "lunas_notify_$(date -u +%H%M%S)_$$"
  connection=$pg_connection
else
  mkdir -p "$tmp/data"
  connection="Data Source=$tmp/data/lunas.db"
fi
lunas_url="http://127.0.0.1:$(free_port)"
notify_settings=("Lunas__Merchants__0__NotificationUrl=$receiver_url/notify" ${extra_settings[@]+"${extra_settings[@]}"})

# (a) 1: the orders, paid with dispatch off: their notifications wait in the outbox.
log "starting Lunas ($provider, dispatch off) on $lunas_url"
start_lunas queue "$lunas_url" "$connection" false "${notify_settings[@]}" Lunas__Notifications__Enabled=false
wait_until_answering "$lunas_pid" "$lunas_url" "Lunas" "$out/lunas-queue.log"
log "creating and paying $orders orders, $concurrency at once (dispatch off)"
# CPU seconds used during (a), to see who the two cores go to: Lunas, the pay driver, PostgreSQL (the processes of
# user postgres on this machine: the scratch cluster, or a local --pg one; none for SQLite).
cpu_s() { awk '{ s += $14 + $15 } END { printf "%.2f", s / 100 }' "$@" 2>/dev/null || echo 0; }
pg_cpu_s() { local p files=(); for p in $(pgrep -u postgres 2>/dev/null); do files+=("/proc/$p/stat"); done
  if [ ${#files[@]} -gt 0 ]; then cpu_s "${files[@]}"; else echo 0; fi; }
# The driver's: what this shell's waited-for children used (fields cutime and cstime), before and after.
children_cpu_s() { awk '{ printf "%.2f", ($16 + $17) / 100 }' "/proc/$$/stat"; }
lunas_cpu0=$(cpu_s "/proc/$lunas_pid/stat"); pg_cpu0=$(pg_cpu_s); driver_cpu0=$(children_cpu_s)
fg_run timeout --kill-after=10 "$pay_timeout" dotnet "$bench_dll" pay --url "$lunas_url" --client-id "$client_id" \
  --secret-key "$secret_key" --count "$orders" --concurrency "$concurrency" --prefix N --mode throughput \
  >"$out/pay-throughput.txt" 2>"$out/pay-throughput.log" \
  || { tail -5 "$out/pay-throughput.log" >&2; tail -1 "$out/pay-throughput.txt" >&2; die "paying the orders failed (bench/out/pay-throughput.*)"; }
pay_result=$(grep '^PAY ' "$out/pay-throughput.txt" | tail -1)
log "$pay_result"
lunas_cpu1=$(cpu_s "/proc/$lunas_pid/stat"); pg_cpu1=$(pg_cpu_s); driver_cpu1=$(children_cpu_s)
per_order() { awk -v a="$1" -v b="$2" -v n="$orders" 'BEGIN { printf "%.2f", (b - a) * 1000 / n }'; }
cpu_split="CPU per order: Lunas $(per_order "$lunas_cpu0" "$lunas_cpu1") ms"
[ "$provider" = postgres ] && cpu_split+=", PostgreSQL $(per_order "$pg_cpu0" "$pg_cpu1") ms"
cpu_split+=", the pay driver $(per_order "$driver_cpu0" "$driver_cpu1") ms"
log "$cpu_split"
stop_process "$lunas_pid"
before=$(json_field count "$(stats)")
[ "$before" = 0 ] || die "the receiver got $before notifications while dispatch was off"

# (a) 2: dispatch on; time the queue draining.
log "starting Lunas again with dispatch on; waiting for $orders notifications (at most $deliver_timeout s)"
started_us=$(now_us)
start_lunas deliver "$lunas_url" "$connection" false "${notify_settings[@]}"
deliver_pid=$lunas_pid
deadline=$(( $(date +%s) + deliver_timeout ))
: >"$out/notify-samples.txt"
while :; do
  s=$(stats)
  count=$(json_field count "$s"); count=${count:-0}
  echo "$(( ($(now_us) - started_us) / 1000 )) ms $count" >>"$out/notify-samples.txt"
  [ "$count" -ge "$orders" ] && break
  kill -0 "$deliver_pid" 2>/dev/null || die "Lunas exited while delivering (bench/out/lunas-deliver.log)"
  [ "$(date +%s)" -lt "$deadline" ] || die "only $count of $orders notifications arrived within $deliver_timeout s"
  sleep 0.2
done
sleep 1 # a second more, to see duplicates that would come late
delivered=$(stats)
log "receiver: $delivered"
d_count=$(json_field count "$delivered"); d_distinct=$(json_field distinct "$delivered")
d_dups=$(json_field duplicates "$delivered"); d_bad=$(json_field bad_signatures "$delivered")
d_first=$(json_field first_us "$delivered"); d_last=$(json_field last_us "$delivered")
d_rate=$(json_field rate_per_s "$delivered"); d_steady=$(json_field steady_rate_per_s "$delivered")
[ "$d_distinct" = "$orders" ] || die "$d_distinct distinct invoices notified, expected $orders"
[ "$d_dups" = 0 ] || die "$d_dups notifications arrived twice"
[ "$d_bad" = 0 ] || die "$d_bad notifications had a bad signature"
first_after_ms=$(( (d_first - started_us) / 1000 ))
all_after_ms=$(( (d_last - started_us) / 1000 ))
window_s=$(awk -v a="$d_first" -v b="$d_last" 'BEGIN { printf "%.3f", (b - a) / 1e6 }')
failed_attempts=$(grep -c 'not delivered' "$out/lunas-deliver.log" || true)

# (b) idle latency, on the same Lunas (dispatch on, queue empty).
sleep 1
log "paying $latency_orders orders one at a time, each waiting for its notification"
fg_run timeout --kill-after=10 $(( latency_orders * 15 + 60 )) dotnet "$bench_dll" pay --mode latency --url "$lunas_url" \
  --client-id "$client_id" --secret-key "$secret_key" --count "$latency_orders" --receiver "$receiver_url" --prefix L \
  --out "$out/notify-latency.tsv" >"$out/pay-latency.txt" 2>"$out/pay-latency.log" \
  || { tail -5 "$out/pay-latency.log" >&2; tail -1 "$out/pay-latency.txt" >&2; die "the latency run failed (bench/out/pay-latency.*)"; }
latency_result=$(grep '^PAY ' "$out/pay-latency.txt" | tail -1)
log "$latency_result"
rss_lunas=$(peak_rss_mib "$deliver_pid")
rss_receiver=$(peak_rss_mib "$receiver_pid")
stop_process "$deliver_pid"
final=$(stats)
[ "$(json_field duplicates "$final")" = 0 ] || die "notifications arrived twice: $final"
[ "$(json_field bad_signatures "$final")" = 0 ] || die "notifications with a bad signature: $final"

# --- report --------------------------------------------------------------------------------------------------------
when=$(date -u +%Y-%m-%dT%H:%MZ)
commit=$(commit_line)
machine=$(machine_line)
if [ "$provider" = postgres ]; then
  if [ -n "$pg_given" ]; then store="PostgreSQL given with --pg"; else store="$(pg_version) scratch cluster on 127.0.0.1 (fsync on)"; fi
  store="$store, a fresh database, Maximum Pool Size=$pg_pool_size"
else
  store="SQLite in a fresh temp dir"
fi
settings_text="Lunas's notification defaults"
[ ${#extra_settings[@]} -gt 0 ] && settings_text="${extra_settings[*]}"
setup="$store; $settings_text, RequestLog=false; receiver: Lunas.Bench receiver (Kestrel, checks signatures)"
pay_rate=$(field paid_per_s "$pay_result"); pay_second_half=$(field second_half_per_s "$pay_result")
verdict_rate=$(awk -v r="$d_rate" 'BEGIN { print (r >= 2000 ? "meets" : "misses") }')
verdict_latency=$(awk -v r="$(field p50_ms "$latency_result")" 'BEGIN { print (r <= 200 ? "meets" : "misses") }')
{
  echo
  echo "== Lunas notification benchmark, $when"
  echo "   $setup"
  echo "   $machine; commit $commit"
  echo "(a) $orders orders created and paid with dispatch off: $pay_rate orders/s (the second half $pay_second_half/s; $concurrency at once; create p50 $(field create_p50_ms "$pay_result") ms, pay p50 $(field pay_p50_ms "$pay_result") ms, p99 $(field pay_p99_ms "$pay_result") ms)"
  echo "    $cpu_split"
  echo "    delivery after restart: $d_rate notifications/s first to last arrival ($orders in $window_s s; steady p10-p90 $d_steady/s)"
  echo "    first arrival $first_after_ms ms after the process start, all $orders after $all_after_ms ms; duplicates 0, bad signatures 0, failed attempts $failed_attempts"
  echo "    target >= 2000/s: $verdict_rate"
  echo "(b) idle latency, $latency_orders orders one at a time: pay response -> arrival p50 $(field p50_ms "$latency_result") ms, p90 $(field p90_ms "$latency_result") ms, p99 $(field p99_ms "$latency_result") ms, max $(field max_ms "$latency_result") ms (min $(field min_ms "$latency_result") ms)"
  echo "    pay request sent -> arrival p50 $(field from_request_p50_ms "$latency_result") ms, p99 $(field from_request_p99_ms "$latency_result") ms; the pay call itself p50 $(field pay_p50_ms "$latency_result") ms"
  echo "    target median <= 200 ms: $verdict_latency"
  echo "peak RSS: Lunas (delivering + latency) $rss_lunas MiB, receiver $rss_receiver MiB"
} | tee "$out/summary.txt"

if [ "$write_readme" = 1 ]; then
  {
    echo
    echo "### $when (notifications)"
    echo
    echo "- command: \`$command_line\`"
    echo "- setup: $setup; $machine; commit $commit"
    echo "- (a) throughput: $orders orders created and paid with dispatch off at $pay_rate orders/s (the second half $pay_second_half/s; $concurrency at once)," \
      "($cpu_split), then Lunas restarted with dispatch on: **$d_rate notifications/s** (first to last arrival, $orders in $window_s s;" \
      "steady p10-p90 $d_steady/s); first arrival $first_after_ms ms and the last $all_after_ms ms after the process" \
      "start; no duplicate, no bad signature, $failed_attempts failed attempts (target >= 2,000/s: $verdict_rate)"
    echo "- (b) idle latency, $latency_orders orders one at a time: pay response -> notification arrival" \
      "**p50 $(field p50_ms "$latency_result") ms**, p90 $(field p90_ms "$latency_result") ms," \
      "p99 $(field p99_ms "$latency_result") ms, max $(field max_ms "$latency_result") ms; from the pay request:" \
      "p50 $(field from_request_p50_ms "$latency_result") ms (target median <= 200 ms: $verdict_latency)"
    echo "- peak RSS: Lunas $rss_lunas MiB (delivering and the latency run), receiver $rss_receiver MiB"
    if [ -n "$note" ]; then echo "- note: $note"; fi
  } >>"$root/bench/README.md"
  log "appended to bench/README.md"
fi
