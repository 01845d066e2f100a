#!/usr/bin/env bash
# Scale benchmark: wall time and peak RSS of `tlsprobe check --targets-file` over many loopback
# TLS targets, to show that memory stays flat from 100 to 1,000 targets.
# Goal (issue "Reliability and scale"): 1,000 targets in < 15 s and < 150 MB peak RSS.
#
# One nginx (WORKERS worker processes) listens on 1,000 addresses 127.1.X.Y:PORT, so every target
# is a distinct IP; each target costs 8 connections (6 version probes, the negotiation hello and
# the full handshake), hence the open-files limit printed below.
#
# usage: scripts/bench-scale.sh [SIZE...]          (default: 100 1000)
# env:   RUNS=3 CONCURRENCY=256 TIMEOUT=5s WORKERS=2 BIN=target/release/tlsprobe
#        (CONCURRENCY may list several values, e.g. "64 256 1000", to see memory follow it)
set -euo pipefail
cd "$(dirname "$0")/.."

sizes=("$@")
[ "${#sizes[@]}" -gt 0 ] || sizes=(100 1000)
runs=${RUNS:-3}
read -r -a concurrencies <<< "${CONCURRENCY:-256}"
timeout=${TIMEOUT:-5s}
workers=${WORKERS:-2}
bin=${BIN:-target/release/tlsprobe}
max=0
for n in "${sizes[@]}"; do [ "$n" -gt "$max" ] && max=$n; done

command -v nginx >/dev/null || scripts/install-deps.sh
[ -x /usr/bin/time ] || scripts/install-deps.sh
if [ -z "${BIN:-}" ]; then cargo build --release --quiet --bin tlsprobe; fi

work=$(mktemp -d)
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then
    kill "$nginx_pid" 2>/dev/null || true
    wait "$nginx_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
scripts/servers/nginx_fleet.sh "$work" "$max" "$port" "$workers"
# master in the foreground of its own job (daemon off) so the trap can stop it and its workers
nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' 2>"$work/logs/stderr.log" &
nginx_pid=$!
last=$(tail -n 1 "$work/targets.txt")
ready=0
for _ in $(seq 100); do
  if [ -s "$work/nginx.pid" ] && (exec 3<>"/dev/tcp/${last%:*}/${last##*:}") 2>/dev/null; then
    ready=1
    break
  fi
  kill -0 "$nginx_pid" 2>/dev/null || break
  sleep 0.1
done
if [ "$ready" != 1 ]; then
  echo "nginx did not start:" >&2
  cat "$work/logs/stderr.log" "$work/logs/error.log" >&2 2>/dev/null || true
  exit 1
fi

echo "tlsprobe:    $("$bin" --version 2>/dev/null || echo "$bin")"
echo "machine:     $(nproc) CPUs; ulimit -n (soft/hard): $(ulimit -Sn)/$(ulimit -Hn)"
echo "server:      $(nginx -v 2>&1 | sed 's/^nginx version: //'), $workers workers, $max addresses 127.1.X.Y:$port, ECDSA P-256, TLS 1.2+1.3"
echo "command:     $bin check --targets-file FILE --format jsonl --concurrency C --timeout $timeout"
echo "runs:        $runs per size"
echo

# field NAME FILE: the value of a `/usr/bin/time -v` line
field() { sed -n "s/^[[:space:]]*$1: //p" "$2"; }
# wall-clock h:mm:ss.ss or m:ss.ss -> seconds
seconds() { awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; printf "%.2f", s }'; }

printf '%-7s %-5s %-3s %7s %8s %8s %11s %5s %7s  %s\n' \
  targets conc run wall_s user_s sys_s peak_rss_MB cpu% results outcome_summary
for n in "${sizes[@]}"; do
  head -n "$n" "$work/targets.txt" > "$work/targets-$n.txt"
  for c in "${concurrencies[@]}"; do
    for r in $(seq "$runs"); do
      out="$work/out.jsonl"
      tv="$work/time.txt"
      code=0
      /usr/bin/time -v -o "$tv" "$bin" check --targets-file "$work/targets-$n.txt" \
        --format jsonl --concurrency "$c" --timeout "$timeout" > "$out" 2>"$work/err.txt" || code=$?
      wall=$(field 'Elapsed (wall clock) time (h:mm:ss or m:ss)' "$tv" | seconds)
      user=$(field 'User time (seconds)' "$tv")
      sys=$(field 'System time (seconds)' "$tv")
      rss_kb=$(field 'Maximum resident set size (kbytes)' "$tv")
      cpu=$(field 'Percent of CPU this job got' "$tv")
      lines=$(wc -l < "$out")
      # How the TLS 1.3 probes ended: a healthy run is all "accepted".
      summary=$(python3 - "$out" <<'PY'
import collections, json, sys
c = collections.Counter()
for line in open(sys.argv[1]):
    t = json.loads(line)
    for ep in t.get("endpoints", []):
        for p in ep.get("protocols", []):
            if p.get("version") == "TLS1.3":
                c["tls13_" + p.get("outcome", "?")] += 1
        c["highest_" + str(ep.get("highest_version"))] += 1
print(" ".join(f"{k}={v}" for k, v in sorted(c.items())))
PY
)
      printf '%-7s %-5s %-3s %7s %8s %8s %11.1f %5s %7s  %s (exit %s)\n' "$n" "$c" "$r" "$wall" \
        "$user" "$sys" "$(awk -v k="$rss_kb" 'BEGIN { print k / 1024 }')" "$cpu" "$lines" \
        "$summary" "$code"
    done
  done
done
echo
echo "goal for 1000 targets: wall < 15 s, peak RSS < 150 MB"
