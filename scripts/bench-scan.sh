#!/usr/bin/env bash
# Benchmark: `tlsprobe scan` against sslscan, testssl.sh, nmap --script ssl-enum-ciphers and
# sslyze (pip), on the same loopback servers (modern, legacy, strict s_server; gnutls-serv;
# an nginx with 7 suites), directly and through a forwarder adding 20 ms each way. TCP
# connections are counted by a counting relay (scripts/servers/counting_forwarder.py). Prints
# per tool and server: median wall time, connections, versions and suites found, agreement
# with sslscan; then the goals (issue 14: >= 10x faster than the fastest of sslscan and nmap,
# fewer connections than every peer, no suite missed).
#
# usage: scripts/bench-scan.sh [RUNS] [DELAY_MS]     (default 3 runs, 20 ms)
# Not a test: it installs the peers and takes several minutes (testssl.sh is slow).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
delay=${2:-20}
command -v nginx >/dev/null && command -v gnutls-serv >/dev/null || scripts/install-deps.sh
missing=()
command -v sslscan >/dev/null || missing+=(sslscan)
command -v nmap >/dev/null || missing+=(nmap)
command -v testssl >/dev/null || command -v testssl.sh >/dev/null || missing+=(testssl.sh)
if ((${#missing[@]})); then
  sudo_cmd=(); [ "$(id -u)" = 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}"
fi
venv=${SSLYZE_VENV:-target/bench-sslyze-venv}
if [ ! -x "$venv/bin/sslyze" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet sslyze
fi
cargo build --release --quiet
exec python3 scripts/bench-scan.py target/release/tlsprobe "$venv/bin/sslyze" "$runs" "$delay"
