#!/usr/bin/env python3
"""A TCP forwarder that counts the connections it accepts and can delay every chunk.

Used by scripts/bench-scan.sh to count how many TCP connections each scanner opens (the count is
rewritten to COUNT_FILE on every accept) and, with DELAY_MS > 0, to put a round-trip time
between the scanner and a loopback server (the SYN and SYN-ACK trips are emulated by waiting
before the backend connection is used, as scripts/servers/delay_forwarder.py does).
Listens on 127.0.0.1 only and forwards to a 127.0.0.1 / [::1] backend only.

usage: counting_forwarder.py LISTEN_PORT BACKEND_HOST BACKEND_PORT DELAY_MS COUNT_FILE
Prints "READY" once listening; runs until killed. Writing 0 to COUNT_FILE resets the count.
"""
import asyncio
import os
import sys

count = 0


def bump(path):
    global count
    try:
        with open(path) as f:
            if f.read().strip() == "0":
                count = 0
    except OSError:
        pass
    count += 1
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(count))
    os.replace(tmp, path)


async def pipe(reader, writer, delay):
    loop = asyncio.get_running_loop()
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            if delay:
                due = loop.time() + delay
                await asyncio.sleep(max(0.0, due - loop.time()))
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def handle(client_r, client_w, host, port, delay, path):
    bump(path)
    if delay:
        await asyncio.sleep(delay)  # the SYN's one-way trip
    try:
        server_r, server_w = await asyncio.open_connection(host, port)
    except OSError:
        client_w.close()
        return
    if delay:
        await asyncio.sleep(delay)  # the SYN-ACK's trip back
    await asyncio.gather(pipe(client_r, server_w, delay), pipe(server_r, client_w, delay))


async def main():
    listen_port, host, port = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    delay, path = float(sys.argv[4]) / 1000.0, sys.argv[5]
    if host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("backend must be on loopback")
    with open(path, "w") as f:
        f.write("0")
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, host, port, delay, path), "127.0.0.1", listen_port, backlog=1024
    )
    print("READY", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
