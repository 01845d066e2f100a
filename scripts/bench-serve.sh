#!/usr/bin/env bash
# Exporter benchmark: scrapes per second that one `tlsprobe serve` sustains against loopback TLS
# targets at a fixed concurrency, with p50/p99 scrape latency, CPU per scrape (the exporter's and
# the targets') and peak RSS, next to Debian's prometheus-blackbox-exporter (tcp prober with TLS,
# one handshake per probe) on the same targets in the same run. tlsprobe does far more per
# probe: a hello per protocol version (SSL 2.0 to TLS 1.3), a full verified handshake and a
# fallback retry (lean plan, serve's default: 7 connections to a TLS 1.2 + 1.3 server; the
# parallel plan adds the negotiation and TLS 1.3 hellos: 9).
#
# Two passes: (1) everything shares every core; (2) the exporter alone on CPU 0, targets and load
# generator on the rest: on one machine, the closest to a deployment, where the servers probed
# are other machines and only the exporter's CPU bounds its scrape rate.
#
# Targets: one nginx listening on TARGETS loopback addresses (scripts/servers/nginx_fleet.sh,
# TLS 1.2 + 1.3, ECDSA P-256). Load: wrk, round-robin over the targets, CONCURRENCY connections.
#
# usage: scripts/bench-serve.sh
# env:   TARGETS=50 CONCURRENCY=16 DURATION=20s WORKERS=2 MAX_PROBES=64 BIN=target/release/tlsprobe
#        SPLIT=1|0 (pass 2; default: on with 4+ cores)
set -euo pipefail
cd "$(dirname "$0")/.."

count=${TARGETS:-50}
conc=${CONCURRENCY:-16}
duration=${DURATION:-20s}
workers=${WORKERS:-2}
max_probes=${MAX_PROBES:-64}
bin=${BIN:-target/release/tlsprobe}

for tool in nginx wrk prometheus-blackbox-exporter curl taskset; do
  command -v "$tool" >/dev/null || scripts/install-deps.sh
done
if [ -z "${BIN:-}" ]; then cargo build --release --quiet --bin tlsprobe; fi

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_http() { # URL PID
  for _ in $(seq 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

port=$(free_port)
scripts/servers/nginx_fleet.sh "$work" "$count" "$port" "$workers"
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/logs/stderr.log" &
nginx_pid=$!
pids+=("$nginx_pid")
last=$(tail -n 1 "$work/targets.txt")
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/${last%:*}/${last##*:}") 2>/dev/null && break
  sleep 0.1
done

tp_port=$(free_port)
"$bin" serve --listen "127.0.0.1:$tp_port" --allow 127.0.0.0/8 --max-probes "$max_probes" \
  --max-queue 4096 --timeout 5s 2>"$work/serve.log" &
tp_pid=$!
pids+=("$tp_pid")
tpp_port=$(free_port)
"$bin" serve --listen "127.0.0.1:$tpp_port" --allow 127.0.0.0/8 --max-probes "$max_probes" \
  --max-queue 4096 --timeout 5s --plan parallel 2>"$work/serve-parallel.log" &
tpp_pid=$!
pids+=("$tpp_pid")

cat > "$work/blackbox.yml" <<'YML'
modules:
  tls:
    prober: tcp
    timeout: 5s
    tcp:
      tls: true
      tls_config:
        insecure_skip_verify: true
YML
bb_port=$(free_port)
prometheus-blackbox-exporter --config.file="$work/blackbox.yml" \
  --web.listen-address="127.0.0.1:$bb_port" 2>"$work/blackbox.log" &
bb_pid=$!
pids+=("$bb_pid")

wait_http "http://127.0.0.1:$tp_port/-/healthy" "$tp_pid" || { cat "$work/serve.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$tpp_port/-/healthy" "$tpp_pid" || { cat "$work/serve-parallel.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$bb_port/-/healthy" "$bb_pid" || { cat "$work/blackbox.log" >&2; exit 1; }

first=$(head -n 1 "$work/targets.txt")
tp_ok=$(curl -fsS "http://127.0.0.1:$tp_port/probe?target=$first" | awk '$1=="probe_success"{print $2}')
bb_ok=$(curl -fsS "http://127.0.0.1:$bb_port/probe?module=tls&target=$first" | awk '$1=="probe_success"{print $2}')
echo "sanity: tlsprobe probe_success=$tp_ok, blackbox probe_success=$bb_ok (target $first)"

cat > "$work/rr.lua" <<'LUA'
-- Round-robin over the targets file; every request is one scrape of one target.
local targets = {}
for line in io.lines(os.getenv("BENCH_TARGETS")) do targets[#targets + 1] = line end
local prefix = os.getenv("BENCH_PREFIX")
local i = math.random(#targets)
request = function()
  i = i % #targets + 1
  return wrk.format("GET", prefix .. targets[i], { ["X-Prometheus-Scrape-Timeout-Seconds"] = "10" })
end
LUA

hwm_kib() { awk '/^VmHWM:/{print $2}' "/proc/$1/status"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # utime + stime of one process, 1/100 s
nginx_ticks() {
  local sum=0 p
  for p in $(pgrep -P "$nginx_pid") "$nginx_pid"; do sum=$((sum + $(ticks "$p"))); done
  echo "$sum"
}
pin() { # CPU PID...: every thread of each process onto CPU
  local cpu=$1 p
  shift
  for p in "$@"; do taskset -a -p -c "$cpu" "$p" >/dev/null; done
}
wrk_cpu=0-$(($(nproc) - 1))
run() { # NAME PORT PREFIX PID
  local out e0 n0 e1 n1
  e0=$(ticks "$4")
  n0=$(nginx_ticks)
  out=$(BENCH_TARGETS="$work/targets.txt" BENCH_PREFIX="$3" \
    taskset -c "$wrk_cpu" wrk -t 2 -c "$conc" -d "$duration" --timeout 15s --latency \
    -s "$work/rr.lua" "http://127.0.0.1:$2")
  e1=$(ticks "$4")
  n1=$(nginx_ticks)
  echo "$out" > "$work/$1.wrk"
  local rps p50 p99 bad reqs
  rps=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
  reqs=$(awk '/requests in/{print $1}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  # CPU per scrape, in ms: the exporter's own, and what the targets spent answering it.
  local ecpu ncpu
  ecpu=$(awk -v t=$((e1 - e0)) -v n="$reqs" 'BEGIN{printf "%.2f", n ? t * 10 / n : 0}')
  ncpu=$(awk -v t=$((n1 - n0)) -v n="$reqs" 'BEGIN{printf "%.2f", n ? t * 10 / n : 0}')
  printf '%-34s %10s %10s %10s %8s %11s %11s %9s MB\n' "$1" "$rps" "$p50" "$p99" "${bad:-0}" \
    "$ecpu" "$ncpu" "$(( $(hwm_kib "$4") / 1024 ))"
}
table() {
  printf '%-34s %10s %10s %10s %8s %11s %11s %12s\n' tool "scrapes/s" p50 p99 non-2xx \
    "exp ms/scr" "tgt ms/scr" "peak RSS"
  run "tlsprobe serve (check, lean plan)" "$tp_port" "/probe?target=" "$tp_pid"
  run "tlsprobe serve --plan parallel" "$tpp_port" "/probe?target=" "$tpp_pid"
  run "blackbox_exporter (tcp+tls)" "$bb_port" "/probe?module=tls&target=" "$bb_pid"
}

echo "targets: $count loopback TLS servers (nginx, $workers workers); load: wrk, $conc connections, $duration each"
echo "machine: $(nproc) cores, $(uname -r); tlsprobe --max-probes $max_probes"
echo "exp ms/scr: exporter CPU per scrape; tgt ms/scr: the target servers' CPU per scrape"
echo
echo "1. shared: exporter, targets and load generator on every core"
table
# On 2 cores the targets' one core limits the lean plan (its targets spend about twice
# blackbox's per scrape), so pass 2 runs by default only with 4 cores or more (SPLIT=1 forces it).
if [ "${SPLIT:-}" = 1 ] || { [ -z "${SPLIT:-}" ] && [ "$(nproc)" -ge 4 ]; }; then
  echo
  echo "2. split: the exporter alone on CPU 0; targets and load generator on the other cores"
  echo "   (as deployed: the servers an exporter probes are other machines)"
  pin 0 "$tp_pid" "$tpp_pid" "$bb_pid"
  others=1-$(($(nproc) - 1))
  pin "$others" "$nginx_pid" $(pgrep -P "$nginx_pid")
  wrk_cpu=$others
  table
fi
echo
echo "tlsprobe self-metrics after the run:"
curl -fsS "http://127.0.0.1:$tp_port/metrics" | grep -E '^tlsprobe_(probes_total|probe_failures_total|requests_rejected_total)' || true
