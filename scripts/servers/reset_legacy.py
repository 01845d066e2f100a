#!/usr/bin/env python3
"""Loopback TLS front end that resets legacy clients, for tlsprobe's demo.

Usage: reset_legacy.py LISTEN_HOST LISTEN_PORT BACKEND_HOST BACKEND_PORT

For each connection it reads the ClientHello and finds the highest version offered (the
supported_versions extension when present, else legacy_version; SSL 2.0-format hellos use their
version field). A hello offering at most TLS 1.1 gets a TCP reset (SO_LINGER 0, then close),
which is what Azure front ends do to clients that cannot speak TLS 1.2. Any other hello is relayed,
byte for byte, to the backend TLS server. Prints "ACCEPT" once listening; runs until killed.
Test fixture only: it binds loopback addresses and never inspects anything but the hello.
"""

import socket
import struct
import sys
import threading

TLS11 = 0x0302
MAX_HELLO = 64 * 1024
HELLO_TIMEOUT = 10.0


def hello_complete(buf):
    """Returns (done, ok): done when buf holds a whole hello or cannot be one."""
    if not buf:
        return False, False
    if buf[0] & 0x80:  # SSL 2.0 record header
        if len(buf) < 2:
            return False, False
        need = ((buf[0] & 0x7F) << 8 | buf[1]) + 2
        return len(buf) >= need, True
    payload = b""
    pos = 0
    while True:
        if len(buf) - pos < 5:
            return False, True
        ctype, _ver, length = struct.unpack(">BHH", buf[pos:pos + 5])
        if ctype != 0x16:
            return True, False
        if len(buf) - pos - 5 < length:
            return False, True
        payload += buf[pos + 5:pos + 5 + length]
        pos += 5 + length
        if len(payload) >= 4:
            if payload[0] != 1:
                return True, False
            need = int.from_bytes(payload[1:4], "big") + 4
            if len(payload) >= need:
                return True, True


def max_offered_version(buf):
    """Highest version the hello offers, or None if it cannot be parsed."""
    try:
        if buf[0] & 0x80:
            return struct.unpack(">H", buf[3:5])[0]
        payload = b""
        pos = 0
        while pos + 5 <= len(buf):
            length = struct.unpack(">H", buf[pos + 3:pos + 5])[0]
            payload += buf[pos + 5:pos + 5 + length]
            pos += 5 + length
        body = payload[4:4 + int.from_bytes(payload[1:4], "big")]
        legacy = struct.unpack(">H", body[0:2])[0]
        p = 2 + 32
        p += 1 + body[p]                                     # session id
        p += 2 + struct.unpack(">H", body[p:p + 2])[0]       # cipher suites
        p += 1 + body[p]                                     # compression methods
        if p + 2 > len(body):
            return legacy
        end = p + 2 + struct.unpack(">H", body[p:p + 2])[0]
        p += 2
        while p + 4 <= end:
            ext, n = struct.unpack(">HH", body[p:p + 4])
            data = body[p + 4:p + 4 + n]
            p += 4 + n
            if ext == 0x002B and data:
                versions = [struct.unpack(">H", data[1 + i:3 + i])[0]
                            for i in range(0, data[0] - 1, 2)]
                versions = [v for v in versions if (v & 0x0F0F) != 0x0A0A]  # drop GREASE
                if versions:
                    return max(versions)
        return legacy
    except (IndexError, struct.error):
        return None


def pump(src, dst):
    try:
        while True:
            data = src.recv(16384)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    try:
        dst.shutdown(socket.SHUT_WR)
    except OSError:
        pass


def reset(conn):
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def handle(conn, peer, backend):
    conn.settimeout(HELLO_TIMEOUT)
    buf = b""
    try:
        while len(buf) < MAX_HELLO:
            done, _ok = hello_complete(buf)
            if done:
                break
            chunk = conn.recv(4096)
            if not chunk:
                break
            buf += chunk
    except OSError:
        pass
    version = max_offered_version(buf) if buf else None
    if version is None or version <= TLS11:
        shown = "unparsable" if version is None else "0x%04x" % version
        sys.stderr.write("reset_legacy: %s offers %s: reset\n" % (peer, shown))
        reset(conn)
        return
    try:
        up = socket.create_connection(backend, timeout=5)
    except OSError as e:
        sys.stderr.write("reset_legacy: backend unreachable: %s\n" % e)
        reset(conn)
        return
    conn.settimeout(None)
    up.settimeout(None)
    up.sendall(buf)
    t = threading.Thread(target=pump, args=(conn, up), daemon=True)
    t.start()
    pump(up, conn)
    t.join(timeout=30)
    conn.close()
    up.close()


def main():
    if len(sys.argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    host, port = sys.argv[1], int(sys.argv[2])
    backend = (sys.argv[3], int(sys.argv[4]))
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(64)
    print("ACCEPT", flush=True)
    while True:
        conn, peer = listener.accept()
        threading.Thread(target=handle, args=(conn, peer[0], backend), daemon=True).start()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(0)
