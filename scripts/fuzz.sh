#!/usr/bin/env bash
# Runs every wire fuzz target for SECONDS each (default 30), corpora seeded from fixtures/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs a nightly toolchain; installs cargo-fuzz if it is missing. Crashes are left in
# fuzz/artifacts/<target>/ and make the script exit non-zero.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-30}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(record_reader server_hello certificate server_key_exchange sniff client_hello target_syntax catalogue watch_history serve_policy reg_file)
fi

# cargo-fuzz needs nightly compiler flags. With a nightly toolchain it also gets AddressSanitizer;
# without one, stable rustc is allowed the flags (RUSTC_BOOTSTRAP=1) and runs without a
# sanitizer: safe Rust needs none to catch panics, overflows and out-of-bounds indexing.
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    fuzz=(cargo +nightly fuzz run)
else
    echo "fuzz.sh: no nightly toolchain; using stable with RUSTC_BOOTSTRAP=1 and no sanitizer" >&2
    export RUSTC_BOOTSTRAP=1
    fuzz=(cargo fuzz run --sanitizer none)
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz --locked
fi

# Seeds: whole server answers for the stream targets, handshake bodies for the parsers.
python3 - "$root/fixtures" "$root/fuzz/corpus" <<'PY'
import sys
from pathlib import Path

fixtures, corpus = Path(sys.argv[1]), Path(sys.argv[2])
by_type = {2: "server_hello", 11: "certificate", 12: "server_key_exchange"}

def handshake_messages(data):
    """Plaintext handshake messages of a server answer (stops at ChangeCipherSpec)."""
    buf, pos = bytearray(), 0
    while pos + 5 <= len(data):
        typ, length = data[pos], int.from_bytes(data[pos + 3:pos + 5], "big")
        payload = data[pos + 5:pos + 5 + length]
        pos += 5 + length
        if typ == 20:
            break
        if typ == 22:
            buf += payload
    i = 0
    while i + 4 <= len(buf):
        length = int.from_bytes(buf[i + 1:i + 4], "big")
        yield buf[i], bytes(buf[i + 4:i + 4 + length])
        i += 4 + length

for f in sorted(fixtures.glob("*.bin")):
    data = f.read_bytes()
    if f.name.startswith("client_hello_"):
        targets = {"client_hello": data, "sniff": data}
    else:
        # record_reader takes a leading chunk-size byte.
        targets = {"record_reader": b"\x03" + data, "sniff": data}
        for typ, body in handshake_messages(data):
            if typ in by_type:
                targets[f"{by_type[typ]}"] = body
    for target, seed in targets.items():
        d = corpus / target
        d.mkdir(parents=True, exist_ok=True)
        (d / f"seed-{f.stem}").write_bytes(seed)

d = corpus / "target_syntax"
d.mkdir(parents=True, exist_ok=True)
for i, t in enumerate(["example.com", "host.test:8443", "[::1]:443", "::1", "10.0.0.1",
                       "https://u:p@login.microsoftonline.com:443/x?y#z",
                       "# comment\na.test\n\n[fe80::1]:1 # trailing\n"]):
    (d / f"seed-{i}").write_text(t)

d = corpus / "catalogue"
d.mkdir(parents=True, exist_ok=True)
(d / "seed-builtin").write_bytes((fixtures.parent / "data" / "azure-backup.toml").read_bytes())
(d / "seed-small").write_text('[[endpoints]]\nhost = "127.0.0.1"\nport = 8443\npurpose = "identity"\n'
                              'components = ["mars"]\ncloud = "public"\nexpected_issuers = ["x"]\n')

d = corpus / "reg_file"
d.mkdir(parents=True, exist_ok=True)
for f in sorted((fixtures / "registry").glob("*.reg")):
    (d / f"seed-{f.stem}").write_bytes(f.read_bytes())
PY

failed=0
for t in "${targets[@]}"; do
    echo "fuzz.sh: $t for ${seconds}s" >&2
    if ! (cd "$root/fuzz" && "${fuzz[@]}" "$t" -- -max_total_time="$seconds"); then
        echo "fuzz.sh: $t FAILED (see fuzz/artifacts/$t/)" >&2
        failed=1
    fi
done
exit "$failed"
