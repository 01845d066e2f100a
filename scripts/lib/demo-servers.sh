# Sourced by scripts/demo.sh and scripts/readme-samples.sh: starts the three demo TLS servers on
# 127.0.0.1 and stops them when the sourcing script exits.
#   A  modern:  openssl s_server, TLS 1.2 and 1.3
#   B  legacy:  openssl s_server, TLS 1.0 only (SECLEVEL=0 ciphers)
#   C  "Azure": resets the connection (TCP RST) when the ClientHello offers at most TLS 1.1,
#               relays TLS 1.2+ clients to a modern backend (scripts/servers/reset_legacy.py)
# After `start_demo_servers`: $port_a $port_b $port_c, the demo CA in $work/ca.pem.
# DEMO_PORT_BASE=N asks for ports N..N+3 (used when free, so captured samples stay stable).
# Nothing but 127.0.0.1 is contacted. Needs openssl and python3.

for tool in openssl python3; do
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

free_port() { # free_port [PREFERRED]
  python3 - "${1:-0}" <<'PY'
import socket, sys
want = int(sys.argv[1])
for port in ([want] if want else []) + [0]:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
        print(s.getsockname()[1])
        break
    except OSError:
        pass
    finally:
        s.close()
PY
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

start_demo_servers() {
  local here base
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  base=${DEMO_PORT_BASE:-0}
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=tlsprobe demo CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$work/key.pem" -out "$work/leaf.csr" 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$work/leaf.ext"
  openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -days 60 -extfile "$work/leaf.ext" -out "$work/cert.pem" 2>/dev/null

  if [ "$base" -gt 0 ]; then
    port_a=$(free_port "$base"); port_b=$(free_port $((base + 1)))
    port_c=$(free_port $((base + 2))); port_back=$(free_port $((base + 3)))
  else
    port_a=$(free_port); port_b=$(free_port); port_c=$(free_port); port_back=$(free_port)
  fi

  # -www: answer HTTP requests with a status page; s_server then never reads stdin.
  start_server "A (TLS 1.2+1.3)" "$work/a.log" openssl s_server -www -accept "127.0.0.1:$port_a" \
    -cert "$work/cert.pem" -key "$work/key.pem" -min_protocol TLSv1.2
  start_server "B (TLS 1.0 only)" "$work/b.log" openssl s_server -www -accept "127.0.0.1:$port_b" \
    -cert "$work/cert.pem" -key "$work/key.pem" -tls1 -cipher 'ALL:@SECLEVEL=0'
  start_server "C backend" "$work/back.log" openssl s_server -www -accept "127.0.0.1:$port_back" \
    -cert "$work/cert.pem" -key "$work/key.pem" -min_protocol TLSv1.2
  start_server "C (reset legacy)" "$work/c.log" python3 "$here/servers/reset_legacy.py" \
    127.0.0.1 "$port_c" 127.0.0.1 "$port_back"

  wait_port "$port_a" "server A" "$work/a.log"
  wait_port "$port_b" "server B" "$work/b.log"
  wait_port "$port_back" "server C's backend" "$work/back.log"
  wait_port "$port_c" "server C" "$work/c.log"
}
