"""A bounded HTTP/1.1 load generator for loopback benchmarks (asyncio, keep-alive connections).

    results = run_load("127.0.0.1", 8100, requests, concurrency=8, max_seconds=30)

`requests` is a list of Request; each of the `concurrency` workers takes the next one until the
list or the time runs out, so every run is bounded in count and time. Only loopback targets.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass, field

_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    @classmethod
    def json(cls, method: str, path: str, payload, headers: dict[str, str] | None = None) -> Request:
        extra = tuple((headers or {}).items()) + (("Content-Type", "application/json"),)
        return cls(method, path, json.dumps(payload).encode(), extra)


@dataclass
class Result:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    bodies: list[bytes] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.latencies_ms)

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    def percentile(self, pct: float) -> float:
        ordered = sorted(self.latencies_ms)
        if not ordered:
            return 0.0
        return ordered[min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))]


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    """(status, body, server keeps the connection open)."""
    status_line = await reader.readline()
    status = int(status_line.split()[1])
    length = 0
    chunked = False
    keep_alive = status_line.startswith(b"HTTP/1.1")
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection":
            keep_alive = value.strip().lower() == "keep-alive"
    if chunked:
        body = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readline()
        return status, body, keep_alive
    return status, (await reader.readexactly(length) if length else b""), keep_alive


async def _worker(host, port, queue: list[Request], result: Result, deadline: float, keep_bodies: bool):
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while queue and time.perf_counter() < deadline:
            request = queue.pop()
            head = [f"{request.method} {request.path} HTTP/1.1", f"Host: {host}:{port}", "Connection: keep-alive"]
            head += [f"{k}: {v}" for k, v in request.headers]
            head.append(f"Content-Length: {len(request.body)}")
            payload = ("\r\n".join(head) + "\r\n\r\n").encode() + request.body
            start = time.perf_counter()  # includes the connect when the previous one was closed
            writer.write(payload)
            await writer.drain()
            status, body, keep_alive = await _read_response(reader)
            result.latencies_ms.append((time.perf_counter() - start) * 1000)
            if not keep_alive:  # gunicorn's sync workers close after each response
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            result.statuses[status] += 1
            if keep_bodies:
                result.bodies.append(body)
    finally:
        writer.close()


def run_load(host: str, port: int, requests: list[Request], *, concurrency: int, max_seconds: float = 60,
             keep_bodies: bool = False) -> Result:  # fmt: skip
    """Send `requests` with `concurrency` connections; stops when done or after `max_seconds`."""
    if host not in _LOOPBACK:
        raise ValueError("load tests only target this machine's loopback address")
    queue = list(reversed(requests))
    result = Result()

    async def main():
        deadline = time.perf_counter() + max_seconds
        start = time.perf_counter()
        await asyncio.gather(
            *(_worker(host, port, queue, result, deadline, keep_bodies) for _ in range(concurrency))
        )
        result.seconds = time.perf_counter() - start

    asyncio.run(main())
    return result
