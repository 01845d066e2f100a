#!/usr/bin/env bash
# Benchmark: wall time of `tlsprobe check` against one `openssl s_client` full handshake to the
# same loopback nginx, directly and through a forwarder adding 20 ms each way.
# Goal (issue 4): tlsprobe <= 1.5 x s_client on both paths.
#
# usage: scripts/bench-check.sh [RUNS]     (default 15; medians are reported)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-15}
command -v nginx >/dev/null || scripts/install-deps.sh
cargo build --release --quiet
bin=target/release/tlsprobe
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" \
  -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost,IP:127.0.0.1 2>/dev/null
port=$(free_port)
mkdir -p "$work/logs"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/logs/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  server {
    listen 127.0.0.1:$port ssl;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    location / { return 200 "ok\n"; }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)
fwd=$(free_port)
python3 scripts/servers/delay_forwarder.py "$fwd" 127.0.0.1 "$port" 20 > "$work/fwd.log" &
pids+=($!)
for _ in $(seq 50); do
  (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null && grep -q READY "$work/fwd.log" && break
  sleep 0.1
done

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
time_cmd() { # prints wall ms of one run of "$@"
  local s e
  s=$(date +%s%N); "$@" >/dev/null 2>&1 </dev/null || true; e=$(date +%s%N)
  echo $(( (e - s) / 1000 ))e-3 | awk '{printf "%.1f\n", $1}'
}
measure() { # label port
  local p=$1 sc tp
  sc=$(for _ in $(seq "$runs"); do time_cmd openssl s_client -connect 127.0.0.1:$p -servername localhost -brief; done | median)
  tp=$(for _ in $(seq "$runs"); do time_cmd "$bin" check "127.0.0.1:$p" --format json; done | median)
  awk -v sc="$sc" -v tp="$tp" -v l="$2" 'BEGIN { printf "%-28s s_client %7.1f ms   tlsprobe check %7.1f ms   ratio %.2f (goal <= 1.50)\n", l, sc, tp, tp/sc }'
}
echo "runs per figure: $runs (median wall time)"
measure "$port" "direct (loopback)"
measure "$fwd" "forwarder (+20 ms each way)"
