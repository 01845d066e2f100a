#!/usr/bin/env bash
# Captures real server answers into fixtures/*.bin for the wire codec's unit tests.
#
# Starts `openssl s_server` and `gnutls-serv` on 127.0.0.1 with a throwaway CA + leaf certificate,
# sends ClientHellos built by tlsprobe's own encoder, and saves the raw bytes each server answers.
# When possible (root, `unshare` available) everything runs in a private network namespace, so
# the servers are reachable on loopback only; gnutls-serv (which cannot bind to one address) is
# skipped otherwise. Every server started is killed before the script ends.
#
# Usage: scripts/capture-fixtures.sh [OUT_DIR]   (default: fixtures/)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/fixtures}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for tool in openssl python3 cargo; do
    command -v "$tool" >/dev/null || { echo "capture-fixtures: $tool not found" >&2; exit 1; }
done

echo "capture-fixtures: certificates and DH parameters in $work" >&2
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=tlsprobe fixture CA" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
    -keyout "$work/leaf.key" -out "$work/leaf.csr" 2>/dev/null
printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >"$work/leaf.ext"
openssl x509 -req -in "$work/leaf.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" \
    -CAcreateserial -days 2 -extfile "$work/leaf.ext" -out "$work/leaf.pem" 2>/dev/null
cat "$work/leaf.pem" "$work/ca.pem" >"$work/chain.pem"
openssl dhparam -out "$work/dh1024.pem" 1024 2>/dev/null

echo "capture-fixtures: building the ClientHellos" >&2
mkdir -p "$work/hellos"
(cd "$root" && TLSPROBE_HELLO_DIR="$work/hellos" \
    cargo test --quiet --lib wire::capture::write_capture_hellos -- --ignored --exact >&2)

mkdir -p "$out"
helper=("$root/scripts/capture-fixtures.py" --work "$work" --out "$out")
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null && unshare -n true 2>/dev/null; then
    unshare -n sh -c 'ip link set lo up 2>/dev/null || true; exec python3 "$@"' sh "${helper[@]}"
else
    echo "capture-fixtures: no private network namespace; skipping gnutls-serv" >&2
    python3 "${helper[@]}" --skip-gnutls
fi
