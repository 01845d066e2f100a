#!/usr/bin/env bash
# Regenerates the sample reports in README.md from real runs against the demo servers
# (scripts/lib/demo-servers.sh: modern, TLS 1.0-only, reset-on-legacy on 127.0.0.1), so the
# README shows what the current build prints. Each sample sits between
#   <!-- sample:NAME -->  and  <!-- /sample -->
# and is replaced whole; the text around the markers is left alone.
#
#   scripts/readme-samples.sh            # rewrite README.md (debug build; no --release)
#   scripts/readme-samples.sh --print    # print the samples instead of writing them
#
# Output is captured at 100 columns without colour. Nothing but 127.0.0.1 is contacted, and
# every server is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

print=0
[ "${1:-}" = "--print" ] && print=1

cargo build --quiet
bin=target/debug/tlsprobe

# Fixed ports when free keep the samples stable from one run to the next.
DEMO_PORT_BASE=${DEMO_PORT_BASE:-24431}
source scripts/lib/demo-servers.sh
start_demo_servers

samples="$work/samples"
mkdir -p "$samples"
cp "$work/ca.pem" "$samples/demo-ca.pem"
cat >"$samples/catalogue.toml" <<TOML
# The demo servers as an Azure Backup catalogue (azure-backup --catalogue FILE).
expected_issuers = ["tlsprobe demo CA"]

[[endpoints]]
host = "127.0.0.1"
port = $port_a
purpose = "identity"
components = ["mars", "mabs"]
cloud = "public"

[[endpoints]]
host = "127.0.0.1"
port = $port_c
purpose = "service"
components = ["mars", "mabs"]
cloud = "public"

[[endpoints]]
host = "127.0.0.1"
port = $port_b
purpose = "storage"
components = ["mars"]
cloud = "public"
TOML

# sample NAME ARGS...: runs `tlsprobe ARGS` in the samples directory and keeps
# "$ tlsprobe ARGS" plus its output (stdout and stderr) and exit code.
sample() {
  local name=$1
  shift
  local code=0
  {
    printf '$ tlsprobe %s\n' "$*"
    (cd "$samples" && env -u NO_COLOR COLUMNS=100 "$OLDPWD/$bin" "$@" 2>&1) || code=$?
    printf '$ echo $?\n%s\n' "$code"
  } >"$samples/$name.txt"
}

a="127.0.0.1:$port_a"
b="127.0.0.1:$port_b"
c="127.0.0.1:$port_c"
sample check-one check --format human --ca-file demo-ca.pem "$c"
sample check-three check --format human --ca-file demo-ca.pem "$a" "$b" "$c"
sample check-quiet check --format human -q --ca-file demo-ca.pem "$a" "$b" "$c"
sample azure-backup azure-backup --format human -q --catalogue catalogue.toml --ca-file demo-ca.pem
sample explain explain --format human tcp-refused
sample simulate simulate --format human --client win2008r2 --ca-file demo-ca.pem "$c"

if [ "$print" = 1 ]; then
  for f in "$samples"/*.txt; do
    echo "== $(basename "$f" .txt)"
    cat "$f"
  done
  exit 0
fi

python3 - README.md "$samples" <<'PY'
import pathlib, re, sys
readme = pathlib.Path(sys.argv[1])
samples = pathlib.Path(sys.argv[2])
text = readme.read_text()
pattern = re.compile(r"(<!-- sample:([a-z0-9-]+) -->\n)(.*?)(<!-- /sample -->)", re.S)
seen = set()
def fill(m):
    name = m.group(2)
    f = samples / f"{name}.txt"
    if not f.exists():
        sys.exit(f"readme-samples: README asks for sample {name!r}, which this script does not make")
    seen.add(name)
    body = f.read_text().rstrip("\n")
    return f"{m.group(1)}```console\n{body}\n```\n{m.group(4)}"
new = pattern.sub(fill, text)
missing = {p.stem for p in samples.glob("*.txt")} - seen
if missing:
    print(f"readme-samples: not placed in README (no marker): {', '.join(sorted(missing))}", file=sys.stderr)
readme.write_text(new)
print(f"readme-samples: updated {len(seen)} sample(s) in {readme}")
PY
