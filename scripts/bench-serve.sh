#!/usr/bin/env bash
# Exporter benchmark: scrapes per second that one `tlsprobe serve` sustains against loopback TLS
# targets at a fixed concurrency, with p50/p99 scrape latency and peak RSS, next to Debian's
# prometheus-blackbox-exporter (tcp prober with TLS, one handshake per probe) on the same
# targets in the same run. tlsprobe does far more per probe: a hello per protocol version
# (SSL 2.0 to TLS 1.3), the negotiation hello, a full verified handshake and a fallback retry.
#
# Targets: one nginx listening on TARGETS loopback addresses (scripts/servers/nginx_fleet.sh,
# TLS 1.2 + 1.3, ECDSA P-256). Load: wrk, round-robin over the targets, CONCURRENCY connections.
#
# usage: scripts/bench-serve.sh
# env:   TARGETS=50 CONCURRENCY=16 DURATION=20s WORKERS=2 MAX_PROBES=64 BIN=target/release/tlsprobe
set -euo pipefail
cd "$(dirname "$0")/.."

count=${TARGETS:-50}
conc=${CONCURRENCY:-16}
duration=${DURATION:-20s}
workers=${WORKERS:-2}
max_probes=${MAX_PROBES:-64}
bin=${BIN:-target/release/tlsprobe}

for tool in nginx wrk prometheus-blackbox-exporter curl; do
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
pids+=($!)
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
run() { # NAME PORT PREFIX PID
  local out
  out=$(BENCH_TARGETS="$work/targets.txt" BENCH_PREFIX="$3" \
    wrk -t 2 -c "$conc" -d "$duration" --timeout 15s --latency -s "$work/rr.lua" \
    "http://127.0.0.1:$2")
  echo "$out" > "$work/$1.wrk"
  local rps p50 p99 bad
  rps=$(awk '/^Requests\/sec:/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  bad=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  printf '%-28s %10s %10s %10s %9s %10s MB\n' "$1" "$rps" "$p50" "$p99" "${bad:-0}" \
    "$(( $(hwm_kib "$4") / 1024 ))"
}

echo "targets: $count loopback TLS servers (nginx, $workers workers); load: wrk, $conc connections, $duration each"
echo "machine: $(nproc) cores, $(uname -r); tlsprobe --max-probes $max_probes"
printf '%-28s %10s %10s %10s %9s %10s\n' tool "scrapes/s" p50 p99 non-2xx "peak RSS"
run "tlsprobe serve (check)" "$tp_port" "/probe?target=" "$tp_pid"
run "blackbox_exporter (tcp+tls)" "$bb_port" "/probe?module=tls&target=" "$bb_pid"
echo
echo "tlsprobe self-metrics after the run:"
curl -fsS "http://127.0.0.1:$tp_port/metrics" | grep -E '^tlsprobe_(probes_total|probe_failures_total|requests_rejected_total)' || true
