#!/usr/bin/env bash
# Writes, into DIR, what one nginx needs to look like COUNT separate TLS servers on loopback:
#   DIR/cert.pem, DIR/key.pem  a throwaway ECDSA P-256 self-signed certificate (cheap handshakes,
#                              so the benchmark measures tlsprobe rather than server RSA signing)
#   DIR/nginx.conf             one server block listening on COUNT addresses 127.1.X.Y:PORT
#                              (every 127.0.0.0/8 address reaches lo on Linux; none is added)
#   DIR/targets.txt            the COUNT targets, one a line, for `tlsprobe --targets-file`
# It starts nothing: the caller runs nginx and owns its lifetime.
#
# usage: scripts/servers/nginx_fleet.sh DIR COUNT PORT WORKERS
set -euo pipefail
dir=$1 count=$2 port=$3 workers=$4
if [ "$count" -lt 1 ] || [ "$count" -gt 62500 ]; then
  echo "nginx_fleet: COUNT must be 1..62500" >&2
  exit 2
fi
mkdir -p "$dir/logs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
  -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 -subj /CN=fleet.tlsprobe.test \
  -addext subjectAltName=DNS:fleet.tlsprobe.test 2>/dev/null

# Address i (0-based) is 127.1.(i / 250).(i % 250 + 1): never 127.0.0.1, never .0 or .255.
addr() { echo "127.1.$(($1 / 250)).$(($1 % 250 + 1))"; }

: > "$dir/targets.txt"
listens=""
for ((i = 0; i < count; i++)); do
  a=$(addr "$i")
  listens+="    listen $a:$port ssl;"$'\n'
  echo "$a:$port" >> "$dir/targets.txt"
done

cat > "$dir/nginx.conf" <<CONF
worker_processes $workers;
worker_rlimit_nofile 65536;
pid $dir/nginx.pid;
error_log $dir/logs/error.log crit;
events {
  worker_connections 8192;
  multi_accept on;
}
http {
  access_log off;
  server {
$listens
    ssl_certificate $dir/cert.pem;
    ssl_certificate_key $dir/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ssl_session_tickets off;
    location / { return 200 "ok\n"; }
  }
}
CONF
