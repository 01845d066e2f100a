#!/usr/bin/env python3
"""SSL 3.0-only test server for tlsprobe's integration tests (tlslite-ng).

Usage: ssl3_server.py HOST PORT CERT_PEM KEY_PEM

Listens on HOST:PORT, prints "ACCEPT" on stdout once listening, then serves
connections one at a time: an SSL 3.0 handshake (RSA key exchange, CBC
suites), a one-line reply, close. Exits when stdin reaches end of file (the
test harness holds stdin open and closes it, or kills the process, to stop it).
It is a test fixture only: it does not serve TLS 1.0 or later on purpose.
"""

import socket
import sys
import threading

from tlslite import HandshakeSettings, TLSConnection, X509CertChain, parsePEMKey


def settings():
    s = HandshakeSettings()
    s.minVersion = (3, 0)
    s.maxVersion = (3, 0)
    s.cipherNames = ["aes128", "aes256", "3des"]
    s.macNames = ["sha", "md5"]
    s.keyExchangeNames = ["rsa"]
    s.useExtendedMasterSecret = False
    s.useEncryptThenMAC = False
    return s


def stop_on_stdin_eof(listener):
    try:
        while sys.stdin.buffer.read(4096):
            pass
    finally:
        try:
            listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        listener.close()


def main():
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    host, port, cert_path, key_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    with open(cert_path) as f:
        chain = X509CertChain()
        chain.parsePemList(f.read())
    with open(key_path) as f:
        key = parsePEMKey(f.read(), private=True)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(16)
    threading.Thread(target=stop_on_stdin_eof, args=(listener,), daemon=True).start()
    print("ACCEPT", flush=True)
    hs = settings()
    while True:
        try:
            sock, _ = listener.accept()
        except OSError:
            return 0
        sock.settimeout(10)
        conn = TLSConnection(sock)
        try:
            conn.handshakeServer(certChain=chain, privateKey=key, settings=hs)
            conn.write(b"ssl3 ok\n")
            conn.close()
        except Exception as e:  # any handshake failure: report and go on
            sys.stderr.write("handshake failed: %r\n" % (e,))
        finally:
            try:
                sock.close()
            except OSError:
                pass


if __name__ == "__main__":
    sys.exit(main())
