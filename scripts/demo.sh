#!/usr/bin/env bash
# Demo: builds tlsprobe, starts three TLS servers on 127.0.0.1 and runs `tlsprobe check` on them,
# then `simulate` (an unpatched Windows Server 2008 R2) and `scan`:
#   A  modern:  openssl s_server, TLS 1.2 and 1.3
#   B  legacy:  openssl s_server, TLS 1.0 only (SECLEVEL=0 ciphers)
#   C  "Azure": resets the connection (TCP RST) when the ClientHello offers at most TLS 1.1,
#               relays TLS 1.2+ clients to a modern backend (scripts/servers/reset_legacy.py)
# Every server it starts is stopped on exit. Nothing but 127.0.0.1 is contacted.
# Needs openssl and python3 (scripts/install-deps.sh installs them).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo >/dev/null 2>&1 || {
  echo "demo: cargo is missing" >&2
  exit 3
}
# The servers (and their cleanup on exit) live in scripts/lib/demo-servers.sh.
source scripts/lib/demo-servers.sh

echo "== building (cargo build --release)"
cargo build --release --quiet

echo "== starting the demo servers (throwaway CA, RSA certificate for localhost)"
start_demo_servers

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

# The Windows side: what an unpatched Windows Server 2008 R2 (TLS 1.0 only) gets from C, and
# whether the article's fix (KB3140245 + the TLS 1.2 Client keys) is proven to work there.
echo
echo "== tlsprobe simulate --client win2008r2 127.0.0.1:$port_c"
set +e
target/release/tlsprobe simulate --format human --client win2008r2 "127.0.0.1:$port_c"
code=$?
set -e
[ "$code" -le 2 ] || { echo "== exit $code: simulate could not run" >&2; exit "$code"; }

# Every suite A accepts per version, in the server's order, with groups and signature schemes.
echo
echo "== tlsprobe scan --ca-file demo-ca.pem 127.0.0.1:$port_a"
set +e
target/release/tlsprobe scan --format human --ca-file "$work/ca.pem" "127.0.0.1:$port_a"
code=$?
set -e
[ "$code" -le 2 ] || { echo "== exit $code: scan could not run" >&2; exit "$code"; }
exit 0
