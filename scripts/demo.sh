#!/usr/bin/env bash
# Demo: builds tlsprobe, starts three TLS servers on 127.0.0.1 and runs `tlsprobe check` on them:
#   A  modern:  openssl s_server, TLS 1.2 and 1.3
#   B  legacy:  openssl s_server, TLS 1.0 only (SECLEVEL=0 ciphers)
#   C  "Azure": resets the connection (TCP RST) when the ClientHello offers at most TLS 1.1,
#               relays TLS 1.2+ clients to a modern backend (scripts/servers/reset_legacy.py)
# Every server it starts is stopped on exit. Nothing but 127.0.0.1 is contacted.
# Needs openssl and python3 (scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in openssl python3 cargo; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "demo: $tool is missing; run scripts/install-deps.sh" >&2
    exit 3
  }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tlsprobe-demo.XXXXXX")
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() { # wait_port PORT NAME LOGFILE
  local i
  for i in $(seq 1 100); do
    if python3 - "$1" 2>/dev/null <<'PY'
import socket, sys
socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=0.5).close()
PY
    then return 0; fi
    sleep 0.1
  done
  echo "demo: $2 did not start; its log:" >&2
  cat "$3" >&2
  exit 3
}

start_server() { # start_server NAME LOGFILE COMMAND...
  local name=$1 logf=$2
  shift 2
  "$@" </dev/null >"$logf" 2>&1 &
  pids+=($!)
}

echo "== building (cargo build --release)"
cargo build --release --quiet

echo "== making a throwaway demo CA and an RSA certificate for localhost"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=tlsprobe demo CA" \
  -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$work/key.pem" -out "$work/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
  -days 60 -extfile "$work/leaf.ext" -out "$work/cert.pem" 2>/dev/null

port_a=$(free_port); port_b=$(free_port); port_c=$(free_port); port_back=$(free_port)

# -www: answer HTTP requests with a status page; s_server then never reads stdin.
start_server "A (TLS 1.2+1.3)" "$work/a.log" openssl s_server -www -accept "127.0.0.1:$port_a" \
  -cert "$work/cert.pem" -key "$work/key.pem" -min_protocol TLSv1.2
start_server "B (TLS 1.0 only)" "$work/b.log" openssl s_server -www -accept "127.0.0.1:$port_b" \
  -cert "$work/cert.pem" -key "$work/key.pem" -tls1 -cipher 'ALL:@SECLEVEL=0'
start_server "C backend" "$work/back.log" openssl s_server -www -accept "127.0.0.1:$port_back" \
  -cert "$work/cert.pem" -key "$work/key.pem" -min_protocol TLSv1.2
start_server "C (reset legacy)" "$work/c.log" python3 scripts/servers/reset_legacy.py \
  127.0.0.1 "$port_c" 127.0.0.1 "$port_back"

wait_port "$port_a" "server A" "$work/a.log"
wait_port "$port_b" "server B" "$work/b.log"
wait_port "$port_back" "server C's backend" "$work/back.log"
wait_port "$port_c" "server C" "$work/c.log"

cat <<INFO
== servers on loopback
   A  127.0.0.1:$port_a   modern: TLS 1.2 and 1.3
   B  127.0.0.1:$port_b   legacy: TLS 1.0 only
   C  127.0.0.1:$port_c   resets clients offering at most TLS 1.1, serves TLS 1.2+
== tlsprobe check --ca-file demo-ca.pem 127.0.0.1:$port_a 127.0.0.1:$port_b 127.0.0.1:$port_c
INFO

set +e
target/release/tlsprobe check --format human --ca-file "$work/ca.pem" "127.0.0.1:$port_a" "127.0.0.1:$port_b" "127.0.0.1:$port_c"
code=$?
set -e

case $code in
  0) echo "== exit 0: everything fine" ;;
  1) echo "== exit 1: warning findings" ;;
  2) echo "== exit 2: critical findings or an unreachable target (expected here: B is TLS 1.0 only)" ;;
  *) echo "== exit $code: tlsprobe could not run the check (usage or internal error)" >&2
     exit "$code" ;;
esac
exit 0
