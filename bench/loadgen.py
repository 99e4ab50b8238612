"""A small HTTP load generator for bench/queue_load.py (one thread, non-blocking sockets, stdlib only).

Runs in its own process: ``python bench/loadgen.py < plan.json > result.json``.

It is one event loop (``selectors``) over raw sockets with HTTP/1.1
keep-alive, so it costs the shared 2 cores little per request (about a tenth of
what one thread per client with ``http.client`` cost: ``bench/results`` records
``loadgen_cpu_ms_per_request``), and a slow generator cannot hold a server worker
waiting for it to read or close.

Two kinds of run:

* ``closed``: N clients each send back-to-back requests for D seconds
  (saturation throughput). Each client has a list of request templates it
  cycles through, on its own keep-alive connection.
* ``open``: streams each send requests at a fixed rate for D seconds (a morning
  peak at a given rate). Latency is measured from the request's *scheduled*
  time, so a stalled server cannot hide its queueing (no coordinated omission);
  a request due while all of its stream's connections are busy goes out on a new
  connection at once (a stream models many independent clients, such as phones),
  never waits for an earlier answer. The send-to-response time and how late the
  generator itself sent (``send_lag``) are reported too.

A request template: {"op": name, "method": "GET"|"POST", "path": ..., "body": {...}|null,
"token": bearer|null, "headers": {...}, "etag": true (send If-None-Match with the
stream's last ETag for that path), "keep": true (return the JSON body)}.
A stream or client may say ``"keepalive": false`` (a new connection per request,
``Connection: close``: phones polling every few seconds from many devices).
Per op it reports count, errors, throughput and p50/p95/p99/max in ms, and it
returns the JSON bodies of ops marked ``"keep": true`` (issued and called tickets,
for the duplicate/loss check).
"""

from __future__ import annotations

import contextlib
import errno
import gc
import heapq
import json
import resource
import selectors
import socket
import sys
import time
from typing import Any

REQUEST_TIMEOUT = 30.0
MAX_CONNECTIONS_PER_STREAM = 64


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[index], 2)


class Recorder:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = {}
        self.service: dict[str, list[float]] = {}
        self.lag: list[float] = []
        self.errors: dict[str, int] = {}
        self.statuses: dict[str, dict[int, int]] = {}
        self.kept: dict[str, list[Any]] = {}

    def add(self, op: str, latency: float, service: float, status: int, body: Any) -> None:
        self.latency.setdefault(op, []).append(latency)
        self.service.setdefault(op, []).append(service)
        counts = self.statuses.setdefault(op, {})
        counts[status] = counts.get(status, 0) + 1
        if status >= 500 or status == 0:
            self.errors[op] = self.errors.get(op, 0) + 1
        if body is not None:
            self.kept.setdefault(op, []).append(body)

    def summary(self, seconds: float) -> dict[str, Any]:
        ops = {}
        for op, values in self.latency.items():
            service = self.service[op]
            ops[op] = {
                "count": len(values),
                "errors": self.errors.get(op, 0),
                "statuses": {str(k): v for k, v in sorted(self.statuses[op].items())},
                "per_second": round(len(values) / seconds, 1),
                "p50_ms": percentile(values, 50),
                "p95_ms": percentile(values, 95),
                "p99_ms": percentile(values, 99),
                "max_ms": round(max(values), 2),
                "service_p50_ms": percentile(service, 50),
                "service_p99_ms": percentile(service, 99),
            }
        return ops


def build(req: dict[str, Any], keepalive: bool) -> tuple[bytes, bytes]:
    """The request's bytes before and after the (optional) If-None-Match header."""
    body = b""
    lines = [f"{req.get('method', 'GET')} {req['path']} HTTP/1.1", "Host: 127.0.0.1"]
    if req.get("body") is not None:
        body = json.dumps(req["body"]).encode()
        lines.append("Content-Type: application/json")
    if req.get("method", "GET") != "GET" or body:
        lines.append(f"Content-Length: {len(body)}")
    if req.get("token"):
        lines.append(f"Authorization: Bearer {req['token']}")
    for name, value in (req.get("headers") or {}).items():
        lines.append(f"{name}: {value}")
    if not keepalive:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n").encode(), b"\r\n" + body


class Stream:
    """A client (closed loop) or a stream of clients (open loop) with its templates and ETags."""

    def __init__(self, requests: list[dict[str, Any]], keepalive: bool) -> None:
        self.requests = requests
        self.keepalive = keepalive
        self.built = [build(r, keepalive) for r in requests]
        self.etags: dict[str, bytes] = {}
        self.idle: list[Conn] = []
        self.open = 0
        self.i = 0


class Conn:
    __slots__ = (
        "buf",
        "chunked",
        "close",
        "connecting",
        "etag",
        "fresh",
        "head",
        "length",
        "out",
        "req",
        "retried",
        "scheduled",
        "sent",
        "sock",
        "status",
        "stream",
    )

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.sock: socket.socket | None = None
        self.req: int = -1
        self.scheduled = 0.0
        self.sent = 0.0
        self.retried = False
        self.reset()

    def reset(self) -> None:
        self.buf = b""
        self.out = b""
        self.head = False
        self.length = -1
        self.chunked = False
        self.close = False
        self.status = 0
        self.etag = b""
        self.fresh = False
        self.connecting = False


class Loop:
    def __init__(self, port: int, rec: Recorder) -> None:
        self.port = port
        self.rec = rec
        self.sel = selectors.DefaultSelector()
        self.inflight = 0

    # --- sending ---------------------------------------------------------------

    def start(self, stream: Stream, index: int, scheduled: float) -> None:
        conn = stream.idle.pop() if stream.idle else None
        if conn is None:
            if stream.open >= MAX_CONNECTIONS_PER_STREAM:
                # every connection of this stream is busy: count it as not answered
                self.rec.add(stream.requests[index]["op"], REQUEST_TIMEOUT * 1000, 0, 0, None)
                return
            conn = Conn(stream)
            stream.open += 1
        conn.req = index
        conn.scheduled = scheduled
        conn.retried = False
        self.inflight += 1
        self.send(conn)

    def send(self, conn: Conn) -> None:
        stream = conn.stream
        before, after = stream.built[conn.req]
        req = stream.requests[conn.req]
        if req.get("etag") and req["path"] in stream.etags:
            before += b"If-None-Match: " + stream.etags[req["path"]] + b"\r\n"
        conn.reset()
        conn.out = before + after
        conn.sent = time.perf_counter()
        if conn.sock is None:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            sock.setblocking(False)
            err = sock.connect_ex(("127.0.0.1", self.port))
            conn.sock = sock
            conn.fresh = True
            if err not in (0, errno.EINPROGRESS):
                self.fail(conn)
                return
            conn.connecting = True
            self.sel.register(sock, selectors.EVENT_WRITE, conn)
            return
        conn.fresh = False
        self.sel.register(conn.sock, selectors.EVENT_WRITE, conn)

    def writable(self, conn: Conn) -> None:
        assert conn.sock is not None
        if conn.connecting:
            conn.connecting = False
            if conn.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
                self.fail(conn)
                return
        try:
            n = conn.sock.send(conn.out)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            self.retry_or_fail(conn)
            return
        conn.out = conn.out[n:]
        if not conn.out:
            self.sel.modify(conn.sock, selectors.EVENT_READ, conn)

    # --- receiving -------------------------------------------------------------

    def readable(self, conn: Conn) -> None:
        assert conn.sock is not None
        try:
            data = conn.sock.recv(65536)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            data = b""
        if not data:
            if conn.head and conn.length < 0 and not conn.chunked:
                self.done(conn, conn.buf)  # body delimited by the close
            else:
                self.retry_or_fail(conn)
            return
        conn.buf += data
        if not conn.head:
            end = conn.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = conn.buf[:end].split(b"\r\n")
            conn.buf = conn.buf[end + 4 :]
            conn.head = True
            conn.status = int(head[0].split(b" ", 2)[1])
            for line in head[1:]:
                name, _, value = line.partition(b":")
                name = name.strip().lower()
                if name == b"content-length":
                    conn.length = int(value)
                elif name == b"transfer-encoding" and b"chunked" in value.lower():
                    conn.chunked = True
                elif name == b"connection" and value.strip().lower() == b"close":
                    conn.close = True
                elif name == b"etag":
                    conn.etag = value.strip()
            if conn.status in (204, 304) or conn.stream.requests[conn.req].get("method") == "HEAD":
                conn.length = 0
        if conn.chunked:
            body = dechunk(conn.buf)
            if body is not None:
                self.done(conn, body)
        elif conn.length >= 0 and len(conn.buf) >= conn.length:
            self.done(conn, conn.buf[: conn.length])

    def done(self, conn: Conn, body: bytes) -> None:
        now = time.perf_counter()
        stream = conn.stream
        req = stream.requests[conn.req]
        kept = None
        if req.get("keep") and 200 <= conn.status < 300:
            try:
                kept = json.loads(body)
            except ValueError:
                kept = None
        if conn.etag:
            stream.etags[req["path"]] = conn.etag
        self.rec.add(
            req["op"], (now - conn.scheduled) * 1000, (now - conn.sent) * 1000, conn.status, kept
        )
        self.inflight -= 1
        assert conn.sock is not None
        if conn.close or not stream.keepalive:
            self.sel.unregister(conn.sock)
            conn.sock.close()
            conn.sock = None
        else:
            self.sel.unregister(conn.sock)
        stream.idle.append(conn)
        self.after(conn)

    def after(self, conn: Conn) -> None:
        """Hook for the closed loop: send the client's next request."""

    def drop(self, conn: Conn) -> None:
        if conn.sock is not None:
            with contextlib.suppress(KeyError, ValueError):
                self.sel.unregister(conn.sock)
            conn.sock.close()
            conn.sock = None

    def retry_or_fail(self, conn: Conn) -> None:
        # A kept-alive connection the server had closed: send again once on a new one.
        reused = not conn.fresh
        nothing = not conn.head
        self.drop(conn)
        if reused and nothing and not conn.retried:
            conn.retried = True
            self.send(conn)
            return
        self.fail(conn, dropped=True)

    def fail(self, conn: Conn, dropped: bool = False) -> None:
        if not dropped:
            self.drop(conn)
        now = time.perf_counter()
        req = conn.stream.requests[conn.req]
        self.rec.add(req["op"], (now - conn.scheduled) * 1000, (now - conn.sent) * 1000, 0, None)
        self.inflight -= 1
        conn.stream.idle.append(conn)
        self.after(conn)

    def poll(self, timeout: float) -> None:
        for key, mask in self.sel.select(timeout):
            conn = key.data
            if mask & selectors.EVENT_WRITE:
                self.writable(conn)
            elif mask & selectors.EVENT_READ:
                self.readable(conn)

    def expire(self, deadline: float) -> None:
        """Count requests still unanswered at the deadline as errors."""
        for key in list(self.sel.get_map().values()):
            conn = key.data
            self.fail(conn)


def dechunk(buf: bytes) -> bytes | None:
    body = b""
    pos = 0
    while True:
        end = buf.find(b"\r\n", pos)
        if end < 0:
            return None
        size = int(buf[pos:end].split(b";")[0], 16)
        if size == 0:
            return body if buf.find(b"\r\n", end + 2) >= 0 else None
        if len(buf) < end + 2 + size + 2:
            return None
        body += buf[end + 2 : end + 2 + size]
        pos = end + 2 + size + 2


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def closed(plan: dict[str, Any]) -> dict[str, Any]:
    rec = Recorder()
    loop = Loop(plan["port"], rec)
    stop = [0.0]

    def after(conn: Conn) -> None:
        now = time.perf_counter()
        if now < stop[0]:
            stream = conn.stream
            stream.idle.remove(conn)
            stream.i += 1
            conn.req = stream.i % len(stream.requests)
            conn.scheduled = now
            conn.retried = False
            loop.inflight += 1
            loop.send(conn)

    loop.after = after  # type: ignore[method-assign]
    streams = [Stream(c, plan.get("keepalive", True)) for c in plan["clients"]]
    cpu0 = cpu_seconds()
    started = time.perf_counter()
    stop[0] = started + plan["seconds"]
    for stream in streams:
        loop.start(stream, 0, time.perf_counter())
    while loop.inflight and time.perf_counter() < stop[0] + REQUEST_TIMEOUT:
        loop.poll(0.05)
    loop.expire(stop[0])
    seconds = time.perf_counter() - started
    count = sum(len(v) for v in rec.latency.values())
    return {
        "seconds": round(seconds, 2),
        "ops": rec.summary(seconds),
        "kept": rec.kept,
        "loadgen_cpu_ms_per_request": round((cpu_seconds() - cpu0) * 1000 / max(1, count), 3),
    }


def open_loop(plan: dict[str, Any]) -> dict[str, Any]:
    rec = Recorder()
    loop = Loop(plan["port"], rec)
    streams = [Stream(s["requests"], s.get("keepalive", True)) for s in plan["streams"]]
    start_at = time.perf_counter() + 0.2
    timers: list[tuple[float, int, int]] = []  # (scheduled, stream index, sequence number)
    total = []
    for k, spec in enumerate(plan["streams"]):
        n = int(plan["seconds"] * spec["rate"])
        total.append(n)
        if n:
            heapq.heappush(timers, (start_at + spec.get("offset", 0.0) / spec["rate"], k, 0))
    lag: list[float] = []
    cpu0 = cpu_seconds()
    while timers or loop.inflight:
        now = time.perf_counter()
        while timers and timers[0][0] <= now:
            scheduled, k, i = heapq.heappop(timers)
            spec = plan["streams"][k]
            stream = streams[k]
            lag.append((now - scheduled) * 1000)
            loop.start(stream, i % len(stream.requests), scheduled)
            if i + 1 < total[k]:
                heapq.heappush(
                    timers, (start_at + (spec.get("offset", 0.0) + i + 1) / spec["rate"], k, i + 1)
                )
            now = time.perf_counter()
        if not timers and now > start_at + plan["seconds"] + REQUEST_TIMEOUT:
            break
        timeout = max(0.0, timers[0][0] - now) if timers else 0.05
        loop.poll(min(timeout, 0.05))
    loop.expire(time.perf_counter())
    seconds = max(plan["seconds"], time.perf_counter() - start_at)
    count = sum(len(v) for v in rec.latency.values())
    return {
        "seconds": round(seconds, 2),
        "ops": rec.summary(plan["seconds"]),
        "kept": rec.kept,
        "send_lag_ms": {
            "p50": percentile(lag, 50),
            "p99": percentile(lag, 99),
            "max": round(max(lag), 2) if lag else None,
        },
        "loadgen_cpu_ms_per_request": round((cpu_seconds() - cpu0) * 1000 / max(1, count), 3),
    }


def main() -> None:
    plan = json.load(sys.stdin)
    # Latency counts from each request's scheduled send time, so a pause of this
    # process would be booked as the server's latency. Its garbage is freed by
    # reference counting; the cyclic collector is not needed for one short run.
    gc.freeze()
    gc.disable()
    result = closed(plan) if plan["kind"] == "closed" else open_loop(plan)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
