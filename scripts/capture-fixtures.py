#!/usr/bin/env python3
"""Runs one real TLS server per scenario on 127.0.0.1, sends a prepared ClientHello and saves the
raw answer. Called by capture-fixtures.sh, which prepares certificates and hellos in --work."""

import argparse
import socket
import subprocess
import sys
import time
from pathlib import Path

READY_TIMEOUT = 15.0  # seconds for a server to start listening
IDLE_TIMEOUT = 1.5  # stop reading after this long without data
TOTAL_TIMEOUT = 8.0  # stop reading after this long in any case
MAX_ANSWER = 256 * 1024


def scenarios(w: Path):
    """(fixture name, hello name, server command)."""
    s_server = ["openssl", "s_server", "-quiet", "-cert", str(w / "leaf.pem"),
                "-key", str(w / "leaf.key"), "-cert_chain", str(w / "ca.pem")]
    gnutls = ["gnutls-serv", "--echo", "--x509certfile", str(w / "chain.pem"),
              "--x509keyfile", str(w / "leaf.key")]
    legacy = ["-cipher", "ALL:@SECLEVEL=0"]
    return [
        ("openssl_tls10_ecdhe_rsa", "tls10", s_server + ["-tls1"] + legacy),
        ("openssl_tls11_ecdhe_rsa", "tls11", s_server + ["-tls1_1"] + legacy),
        ("openssl_tls12_ecdhe_rsa", "tls12_ecdhe",
         s_server + ["-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256"]),
        ("openssl_tls12_dhe_rsa_1024", "tls12_dhe",
         s_server + ["-tls1_2", "-dhparam", str(w / "dh1024.pem"),
                     "-cipher", "DHE-RSA-AES128-GCM-SHA256:@SECLEVEL=0"]),
        ("openssl_tls13_x25519", "tls13", s_server + ["-tls1_3"]),
        ("openssl_tls13_p256", "tls13", s_server + ["-tls1_3", "-groups", "P-256"]),
        ("openssl_tls13_hrr_p384", "tls13", s_server + ["-tls1_3", "-groups", "P-384"]),
        ("openssl_alert_protocol_version", "tls10", s_server + ["-tls1_2"]),
        ("openssl_tls13_hello_to_tls12_only", "tls13", s_server + ["-tls1_2"]),
        ("openssl_ssl3_hello_to_modern", "ssl3", s_server),
        ("openssl_alert_handshake_failure", "tls12_rc4", s_server),
        ("gnutls_tls12_ecdhe_rsa", "tls12_ecdhe",
         gnutls + ["--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2"]),
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start listening")


def exchange(port: int, hello: bytes) -> bytes:
    answer = bytearray()
    with socket.create_connection(("127.0.0.1", port), timeout=2.0) as s:
        s.sendall(hello)
        s.settimeout(IDLE_TIMEOUT)
        deadline = time.monotonic() + TOTAL_TIMEOUT
        while time.monotonic() < deadline and len(answer) < MAX_ANSWER:
            try:
                chunk = s.recv(16384)
            except (socket.timeout, ConnectionResetError):
                break
            if not chunk:
                break
            answer += chunk
    return bytes(answer)


def run(name, hello_name, cmd, work: Path, out: Path) -> None:
    hello = bytes.fromhex((work / "hellos" / f"{hello_name}.hex").read_text().strip())
    port = free_port()
    if cmd[0] == "openssl":
        cmd = cmd + ["-4", "-accept", f"127.0.0.1:{port}"]
    else:
        cmd = cmd + ["--port", str(port)]
    log = open(work / f"{name}.log", "wb")
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_ready(port, proc)
        time.sleep(0.2)  # let the server finish with the readiness connection
        answer = exchange(port, hello)
    finally:
        proc.kill()
        proc.wait(timeout=10)
        log.close()
    if not answer:
        raise RuntimeError(f"{name}: server sent nothing (see {work / (name + '.log')})")
    (out / f"{name}.bin").write_bytes(answer)
    print(f"capture-fixtures: {name}: {len(answer)} bytes", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--skip-gnutls", action="store_true")
    args = ap.parse_args()
    # The hellos themselves, as seeds for the client_hello fuzz target.
    for hex_file in sorted((args.work / "hellos").glob("*.hex")):
        hello = bytes.fromhex(hex_file.read_text().strip())
        (args.out / f"client_hello_{hex_file.stem}.bin").write_bytes(hello)
    failed = 0
    for name, hello_name, cmd in scenarios(args.work):
        if args.skip_gnutls and cmd[0] == "gnutls-serv":
            continue
        try:
            run(name, hello_name, cmd, args.work, args.out)
        except Exception as e:  # report and go on with the other scenarios
            print(f"capture-fixtures: {name} FAILED: {e}", file=sys.stderr)
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
