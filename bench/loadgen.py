"""A small HTTP load generator for bench/queue_load.py (threads + http.client, stdlib only).

Runs in its own process: ``python bench/loadgen.py < plan.json > result.json``.

Two kinds of run:

* ``closed``: N clients each send back-to-back requests for D seconds
  (saturation throughput). Each client has a list of request templates it
  cycles through.
* ``open``: streams each send requests at a fixed rate for D seconds
  (a morning peak at a given rate). Latency is measured from the request's
  *scheduled* time, so a stalled server cannot hide its queueing (no
  coordinated omission); the send-to-response time is reported too.

A request template: {"op": name, "method": "GET"|"POST", "path": ..., "body": {...}|null,
"token": bearer|null, "etag": true (send If-None-Match with the last ETag)}.
Per op it reports count, errors, throughput and p50/p95/p99/max in ms, and it
returns the JSON bodies of ops marked ``"keep": true`` (issued and called tickets,
for the duplicate/loss check).
"""

from __future__ import annotations

import http.client
import json
import sys
import threading
import time
from typing import Any


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return round(ordered[index], 2)


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = {}
        self.service: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.statuses: dict[str, dict[int, int]] = {}
        self.kept: dict[str, list[Any]] = {}

    def add(self, op: str, latency: float, service: float, status: int, body: Any) -> None:
        with self.lock:
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


class Client:
    """One virtual client: its own connection (re-opened when gunicorn closes it)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None
        self.etags: dict[str, str] = {}

    def send(self, req: dict[str, Any]) -> tuple[int, bytes]:
        headers = {"Host": "127.0.0.1"}
        body = None
        if req.get("body") is not None:
            body = json.dumps(req["body"])
            headers["Content-Type"] = "application/json"
        if req.get("token"):
            headers["Authorization"] = f"Bearer {req['token']}"
        if req.get("headers"):
            headers.update(req["headers"])
        if req.get("etag") and req["path"] in self.etags:
            headers["If-None-Match"] = self.etags[req["path"]]
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.conn.request(req.get("method", "GET"), req["path"], body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("ETag"):
                    self.etags[req["path"]] = response.getheader("ETag") or ""
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    return 0, b""
        return 0, b""


def _do(client: Client, rec: Recorder, req: dict[str, Any], scheduled: float) -> None:
    sent = time.perf_counter()
    status, data = client.send(req)
    done = time.perf_counter()
    kept = None
    if req.get("keep") and 200 <= status < 300:
        try:
            kept = json.loads(data)
        except ValueError:
            kept = None
    rec.add(req["op"], (done - scheduled) * 1000, (done - sent) * 1000, status, kept)


def closed(plan: dict[str, Any]) -> dict[str, Any]:
    rec = Recorder()
    stop = time.perf_counter() + plan["seconds"]
    barrier = threading.Barrier(len(plan["clients"]) + 1)

    def run(requests: list[dict[str, Any]]) -> None:
        client = Client(plan["port"])
        barrier.wait()
        i = 0
        while time.perf_counter() < stop:
            req = requests[i % len(requests)]
            _do(client, rec, req, time.perf_counter())
            i += 1

    threads = [threading.Thread(target=run, args=(c,)) for c in plan["clients"]]
    for t in threads:
        t.start()
    barrier.wait()
    started = time.perf_counter()
    stop = started + plan["seconds"]
    for t in threads:
        t.join()
    seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "ops": rec.summary(seconds), "kept": rec.kept}


def open_loop(plan: dict[str, Any]) -> dict[str, Any]:
    rec = Recorder()
    barrier = threading.Barrier(len(plan["streams"]) + 1)
    start_at = [0.0]

    def run(stream: dict[str, Any]) -> None:
        client = Client(plan["port"])
        interval = 1.0 / stream["rate"]
        requests = stream["requests"]
        barrier.wait()
        t0 = start_at[0] + stream.get("offset", 0.0) * interval
        n = int(plan["seconds"] * stream["rate"])
        for i in range(n):
            scheduled = t0 + i * interval
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            _do(client, rec, requests[i % len(requests)], scheduled)

    threads = [threading.Thread(target=run, args=(s,)) for s in plan["streams"]]
    for t in threads:
        t.start()
    start_at[0] = time.perf_counter() + 0.2
    barrier.wait()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - start_at[0]
    return {"seconds": round(seconds, 2), "ops": rec.summary(seconds), "kept": rec.kept}


def main() -> None:
    plan = json.load(sys.stdin)
    result = closed(plan) if plan["kind"] == "closed" else open_loop(plan)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
