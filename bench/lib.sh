# Shared by bench/run.sh and bench/notify.sh (sourced, not run). The caller sets `script` (its name for messages)
# and `root` (the repository), and has `set -euo pipefail`. Provides: the temporary dir and the cleanup trap (every
# process in `pids` stopped, databases created on a given cluster dropped, the scratch PostgreSQL cluster stopped and
# removed, the temporary dir removed — on exit, failure, Ctrl-C or TERM), the Release builds, free ports, waiting for
# a server, peak RSS, RESULT-line fields, and PostgreSQL (a scratch cluster or one given by connection string).

log() { printf '== %s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$script" "$*" >&2; exit 1; }
quote() { # an argument as a shell word: bare when safe, else in single quotes
  if [[ "$1" =~ ^[A-Za-z0-9_./=:,+-]+$ ]]; then printf ' %s' "$1"; else printf " '%s'" "${1//\'/\'\\\'\'}"; fi
}
positive() { [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "$script: $1 needs a positive integer, got '${2-}'" >&2; exit 2; }; }

# --- processes and files, cleaned up whatever happens --------------------------------------------------------------
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lunas-bench.XXXXXX")
out="$root/bench/out"
mkdir -p "$out"
pids=()          # every process started; stopped on exit
pg_dir=""        # the scratch cluster's dir (empty: none started)
pg_bin=""
pg_admin=""      # connection string to the cluster's maintenance database
pg_given=""      # --pg: a cluster we do not own; databases created there are dropped on exit
pg_created=()    # databases created on a given cluster
pg_pool_size=64

stop_process() { # pid: TERM, up to 15 s to exit, then KILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM ERR
  set +e
  for pid in "${pids[@]}"; do stop_process "$pid"; done
  if [ -n "$pg_given" ] && [ -f "${bench_dll:-}" ]; then
    for db in "${pg_created[@]}"; do
      timeout 60 dotnet "$bench_dll" pgdb drop --connection "$pg_given" --database "$db" >/dev/null 2>&1 \
        || echo "$script: could not drop database $db" >&2
    done
  fi
  pg_stop_scratch
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'echo "$script: command failed at line $LINENO" >&2' ERR
trap 'exit 130' INT
trap 'exit 143' TERM

# --- tools and builds ----------------------------------------------------------------------------------------------
apt_install() { # package...: installs what is missing (apt-get update only if the first try fails)
  local missing=() pkg sudo=""
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2 \
    || { $sudo apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2; }
}

build_all() { # Release builds of src/Lunas.Server and bench/Lunas.Bench, one after the other (never the solution)
  log "building Release Lunas and the bench tool"
  dotnet build -c Release -nologo -v q src/Lunas.Server >"$out/build.log" 2>&1 \
    || { tail -30 "$out/build.log" >&2; die "building src/Lunas.Server failed (bench/out/build.log)"; }
  dotnet build -c Release -nologo -v q bench/Lunas.Bench >>"$out/build.log" 2>&1 \
    || { tail -30 "$out/build.log" >&2; die "building bench/Lunas.Bench failed (bench/out/build.log)"; }
  lunas_dll="$root/src/Lunas.Server/bin/Release/net10.0/lunas.dll"
  bench_dll="$root/bench/Lunas.Bench/bin/Release/net10.0/Lunas.Bench.dll"
  [ -f "$lunas_dll" ] && [ -f "$bench_dll" ] || die "build output missing"
}

# --- helpers -------------------------------------------------------------------------------------------------------
free_port() { # a port nothing listens on, below the usual ephemeral range (32768-60999) so that no outgoing
  local port  # connection holds it either
  for port in $(shuf -i 20000-32000 -n 100); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  die "no free port found"
}

fg_run() { # command...: runs it in the background and waits, so that INT/TERM stop the script (and it) at once
  "$@" &
  local pid=$!
  pids+=("$pid")
  wait "$pid"
}

wait_until_answering() { # pid url name log [path]: any HTTP answer to a POST within 60 s
  local pid=$1 url=$2 name=$3 logfile=$4 path=${5:-/checkout/v1/payment} code
  for _ in $(seq 600); do
    if ! kill -0 "$pid" 2>/dev/null; then
      grep -m1 -i 'exception' "$logfile" | cut -c1-400 >&2 || tail -5 "$logfile" >&2
      die "$name exited while starting (log: ${logfile#"$root"/})"
    fi
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -X POST -H 'Content-Type: application/json' \
      --data '{}' "$url$path" || true)
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

machine_line() {
  local cpu
  cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
  echo "$(nproc) cores ($cpu), .NET $(dotnet --version)"
}

commit_line() {
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain -- src 2>/dev/null)" ]; then commit="$commit + uncommitted changes in src/"; fi
  echo "$commit"
}

# --- Lunas ---------------------------------------------------------------------------------------------------------
# start_lunas label url connection-string request-log [VAR=value ...]: starts Lunas in the background with one
# merchant ($client_id, $secret_key), appends its pid to `pids` and sets `lunas_pid`. Output: bench/out/lunas-LABEL.log.
start_lunas() {
  local label=$1 url=$2 connection=$3 request_log=$4 dir="$tmp/run-$1"
  shift 4
  mkdir -p "$dir"
  (
    cd "$dir"
    export ConnectionStrings__Lunas="$connection" Lunas__Database__Provider="$provider"
    export Lunas__Merchants__0__ClientId="$client_id" Lunas__Merchants__0__SecretKey="$secret_key"
    export Lunas__Merchants__0__Name="Lunas Bench Merchant" Lunas__RequestLog="$request_log"
    export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    for assignment in "$@"; do export "${assignment?}"; done
    exec dotnet "$lunas_dll" --urls "$url"
  ) >>"$out/lunas-$label.log" 2>&1 &
  lunas_pid=$!
  pids+=("$lunas_pid")
}

# --- PostgreSQL ----------------------------------------------------------------------------------------------------
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Sets pg_admin: the given cluster (--pg), or a scratch cluster started here on 127.0.0.1 (trust auth, fsync on,
# max_connections=300), stopped and removed on exit.
pg_setup() {
  if [ -n "$pg_given" ]; then pg_admin=$pg_given; log "PostgreSQL from --pg"; return 0; fi
  pg_bin=/usr/lib/postgresql/15/bin
  if [ ! -x "$pg_bin/initdb" ]; then
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  fi
  if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
    apt_install postgresql || die "could not install postgresql"
    pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  fi
  [ -x "$pg_bin/initdb" ] || die "no PostgreSQL initdb found under /usr/lib/postgresql"
  pg_dir=$(mktemp -d /tmp/lunas-bench-pg.XXXXXX)
  chmod 700 "$pg_dir"
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$pg_dir"
  # --no-sync only skips initdb's final flush of the template files; the server runs with fsync on.
  as_postgres "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres -E UTF8 --no-sync >"$out/postgres-initdb.log" 2>&1 \
    || { tail -5 "$out/postgres-initdb.log" >&2; die "initdb failed (bench/out/postgres-initdb.log)"; }
  local port try started=0
  for try in 1 2 3 4 5; do # another process may take the port between the check and the bind: try another
    port=$(free_port)
    if as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start \
        -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null 2>&1; then
      started=1
      break
    fi
  done
  [ "$started" = 1 ] || { tail -20 "$pg_dir/server.log" >&2 2>/dev/null; die "PostgreSQL did not start"; }
  pg_admin="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  log "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }') scratch cluster on 127.0.0.1:$port ($pg_dir, fsync on)"
}

pg_stop_scratch() {
  [ -n "$pg_dir" ] || return 0
  if [ -f "$pg_dir/data/postmaster.pid" ]; then
    as_postgres "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast -w -t 30 stop >/dev/null 2>&1 || {
      local pm
      pm=$(head -1 "$pg_dir/data/postmaster.pid" 2>/dev/null || true)
      [ -n "$pm" ] && kill -KILL "$pm" 2>/dev/null
    }
  fi
  cp "$pg_dir/server.log" "$out/postgres-server.log" 2>/dev/null
  rm -rf "$pg_dir"
  pg_dir=""
}

pg_version() { # "PostgreSQL 15.x" of the cluster in use
  if [ -n "$pg_bin" ]; then echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{ print $3 }')"; else echo "PostgreSQL (given with --pg)"; fi
}

# pg_create_db name: creates the database; sets pg_connection, Lunas's connection string (Database=name,
# Maximum Pool Size=$pg_pool_size). Not in a $(...) subshell: it records the name for the cleanup.
pg_create_db() {
  local name=$1
  [ -n "$pg_given" ] && pg_created+=("$name")
  pg_connection=$(timeout 90 dotnet "$bench_dll" pgdb create --connection "$pg_admin" --database "$name" \
    --pool-size "$pg_pool_size" 2>>"$out/pgdb.log") || die "could not create database $name (bench/out/pgdb.log)"
}
