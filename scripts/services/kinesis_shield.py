"""Runs kinesis-mock and relays its plain (HTTP/1.1 + h2c) port through a byte pipe that absorbs client resets.

kinesis-mock 0.6.2 stops serving its plain port for good when a client resets a connection that still has a
request in flight: a process killed with SIGKILL, a request timeout that closes the socket, a fault-injecting proxy.
Its TLS port survives the same. Tests do all of those on purpose, so the plain port is served by this relay: it
passes bytes both ways unchanged, and when the client goes away (end of stream or reset) it keeps the upstream
connection open and reads it until kinesis-mock has been quiet for QUIET_SECONDS (its answers to what was sent have
arrived), then closes it: kinesis-mock only ever sees an orderly close of an idle connection. HTTP/2 (h2c)
connections, SubscribeToShard's, are closed at once as before: kinesis-mock keeps a subscription while its connection
lives and refuses another one for the same consumer and shard. It is not a fake of anything: every request and answer is kinesis-mock's own.

usage: kinesis_shield.py LISTEN_PORT UPSTREAM_PORT -- COMMAND...   (COMMAND runs kinesis-mock; we exit with it)
"""
import asyncio
import signal
import sys
import time

CHUNK = 256 * 1024
QUIET_SECONDS = 20


def log(text):
    print(f"[kinesis_shield] {time.strftime('%Y-%m-%dT%H:%M:%S')} {text}", file=sys.stderr, flush=True)


H2_PREFACE = b"PRI * HTTP/2.0"


async def client_to_upstream(client, upstream, kind):
    first = True
    try:
        while data := await client.read(CHUNK):
            if first:
                kind.append("h2c" if data.startswith(H2_PREFACE) else "http/1.1")
                first = False
            upstream.write(data)
            await upstream.drain()
    except (ConnectionError, OSError):
        pass  # the client went away: what it sent so far is all kinesis-mock gets


async def upstream_to_client(upstream, client, client_left):
    """Until kinesis-mock closes the connection; once the client left, until kinesis-mock was quiet QUIET_SECONDS."""
    client_gone = False
    while True:
        try:
            if client_left.is_set():
                data = await asyncio.wait_for(upstream.read(CHUNK), QUIET_SECONDS)
            else:
                data = await upstream.read(CHUNK)
        except asyncio.TimeoutError:
            return  # nothing more is coming: an answer in flight would have arrived by now
        except (ConnectionError, OSError):
            return
        if not data:
            return
        if client_gone or client_left.is_set():
            continue  # keep reading, so that kinesis-mock's writes never hit a reset
        try:
            client.write(data)
            await client.drain()
        except (ConnectionError, OSError):
            client_gone = True


async def serve_connection(client_reader, client_writer, upstream_port):
    try:
        upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", upstream_port)
    except OSError as e:
        log(f"cannot reach kinesis-mock's plain port {upstream_port}: {e}")
        client_writer.close()
        return
    client_left = asyncio.Event()
    kind = []
    up = asyncio.create_task(client_to_upstream(client_reader, upstream_writer, kind))
    down = asyncio.create_task(upstream_to_client(upstream_reader, client_writer, client_left))
    done, _ = await asyncio.wait({up, down}, return_when=asyncio.FIRST_COMPLETED)
    if up in done and kind == ["h2c"]:
        # An HTTP/2 connection (SubscribeToShard) is closed at once, as the client closed it: kinesis-mock allows one
        # subscription per consumer and shard, and keeps it while the connection lives; it survives these closes.
        down.cancel()
    elif up in done:
        # The client went away (end of stream or reset). The connection to kinesis-mock stays open, without even a
        # half-close (which kinesis-mock never answers by closing), until its answers to what was sent are read.
        client_left.set()
        await down
    try:
        client_writer.close()
    except (ConnectionError, OSError):
        pass
    up.cancel()
    upstream_writer.close()  # nothing unread is left on it: an orderly close


async def main(listen_port, upstream_port, command):
    child = await asyncio.create_subprocess_exec(*command)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, child.terminate)
    server = await asyncio.start_server(lambda r, w: serve_connection(r, w, upstream_port), "127.0.0.1",
                                        listen_port, reuse_address=True)
    async with server:
        code = await child.wait()
    return code


if __name__ == "__main__":
    if len(sys.argv) < 5 or sys.argv[3] != "--":
        sys.exit(__doc__)
    sys.exit(asyncio.run(main(int(sys.argv[1]), int(sys.argv[2]), sys.argv[4:])))
