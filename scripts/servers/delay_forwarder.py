#!/usr/bin/env python3
"""A TCP forwarder that delays every chunk by a fixed time in each direction.

Used by the benchmarks to put a round-trip time between a client and a loopback server.
Listens on 127.0.0.1 only and forwards to a 127.0.0.1 / [::1] backend only.

usage: delay_forwarder.py LISTEN_PORT BACKEND_HOST BACKEND_PORT DELAY_MS
Prints "READY" once listening; runs until killed.
"""
import asyncio
import sys


async def pipe(reader, writer, delay):
    loop = asyncio.get_running_loop()
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            # Deliver each chunk `delay` after it arrived, preserving order.
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


async def handle(client_r, client_w, host, port, delay):
    await asyncio.sleep(delay)  # the SYN's one-way trip
    try:
        server_r, server_w = await asyncio.open_connection(host, port)
    except OSError:
        client_w.close()
        return
    await asyncio.sleep(delay)  # the SYN-ACK's trip back
    await asyncio.gather(pipe(client_r, server_w, delay), pipe(server_r, client_w, delay))


async def main():
    listen_port, host, port, delay_ms = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    if host not in ("127.0.0.1", "::1", "localhost"):
        sys.exit("backend must be on loopback")
    delay = delay_ms / 1000.0
    server = await asyncio.start_server(
        lambda r, w: handle(r, w, host, port, delay), "127.0.0.1", listen_port
    )
    print("READY", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
