"""A local courier partner for the demo and the tests (``python -m terpadu.outreach.courier_sim``).

It speaks the protocol of :mod:`terpadu.outreach.courier`: ``POST /v1/jobs`` creates a job
once per ``Idempotency-Key`` (a repeated key returns the same job, like a real partner),
and the partner's status changes are sent back as webhooks signed with HMAC-SHA256.

Knobs, for tests: ``delay`` (seconds to wait *after* creating a job and before answering,
so a client can time out or be killed while the job exists), ``down`` (answer 503),
``silent`` (never answer within the client's timeout). ``advance(job_id, status, …)``
sends one webhook; ``auto`` (the demo) walks every job through accepted → picked up →
delivered with a photo as proof.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import io
import json
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from terpadu.outreach.courier import signed_headers


@dataclass
class SimJob:
    job_id: str
    key: str
    body: dict[str, Any]
    status: str = "accepted"
    created_at: float = field(default_factory=time.time)


class CourierSimulator:
    def __init__(
        self,
        *,
        api_key: str = "sim-key",
        secret: str = "sim-secret",  # noqa: S107 - a simulator's well-known demo secret
        host: str = "127.0.0.1",
        port: int = 0,
        delay: float = 0.0,
        auto: float = 0.0,
    ) -> None:
        self.api_key = api_key
        self.secret = secret
        self.delay = delay
        self.down = False
        self.silent = False
        self.auto = auto
        self.jobs: dict[str, SimJob] = {}
        self.by_id: dict[str, SimJob] = {}
        self.requests = 0
        self.answered = 0
        self.in_flight = 0  # jobs created whose answer has not been sent yet
        self.lock = threading.Lock()
        self.webhook_log: list[tuple[str, int]] = []
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return None

            def _send(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path == "/v1/jobs":
                    with sim.lock:
                        jobs = [
                            {"job_id": j.job_id, "key": j.key, "status": j.status}
                            for j in sim.jobs.values()
                        ]
                    self._send(200, {"jobs": jobs, "requests": sim.requests})
                else:
                    self._send(404, {"error": "not found"})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                if self.path != "/v1/jobs":
                    self._send(404, {"error": "not found"})
                    return
                with sim.lock:
                    sim.requests += 1
                if self.headers.get("Authorization") != f"Bearer {sim.api_key}":
                    self._send(401, {"error": "unauthorised"})
                    return
                if sim.silent:
                    time.sleep(30)
                    return
                if sim.down:
                    self._send(503, {"error": "maintenance"})
                    return
                key = self.headers.get("Idempotency-Key", "")
                try:
                    body = json.loads(raw or b"{}")
                except json.JSONDecodeError:
                    self._send(400, {"error": "bad json"})
                    return
                if not key:
                    self._send(400, {"error": "Idempotency-Key required"})
                    return
                with sim.lock:
                    job = sim.jobs.get(key)
                    created = job is None
                    if job is None:
                        job = SimJob(job_id="JOB-" + uuid.uuid4().hex[:10], key=key, body=body)
                        sim.jobs[key] = job
                        sim.by_id[job.job_id] = job
                        sim.in_flight += 1
                if created and sim.delay:
                    time.sleep(sim.delay)  # the job exists; the answer is late
                self._send(201 if created else 200, {"job_id": job.job_id, "status": job.status})
                with sim.lock:
                    sim.answered += 1
                    if created:
                        sim.in_flight -= 1
                if created and sim.auto:
                    threading.Thread(target=sim._auto_walk, args=(job,), daemon=True).start()

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def created(self) -> int:
        return len(self.jobs)

    def start(self) -> CourierSimulator:
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> CourierSimulator:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def job_for(self, key: str) -> SimJob | None:
        with self.lock:
            return self.jobs.get(key)

    def webhook_body(self, job: SimJob, status: str, **extra: Any) -> bytes:
        body = {
            "event_id": "EV-" + uuid.uuid4().hex[:12],
            "job_id": job.job_id,
            "reference": job.key,
            "status": status,
            "at": int(time.time()),
            **extra,
        }
        return json.dumps(body).encode()

    def advance(
        self, job_id: str, status: str, *, callback_url: str = "", secret: str = "", **extra: Any
    ) -> int:
        """Move a job on and send its signed webhook; returns the HTTP status we got back."""
        job = self.by_id[job_id]
        job.status = status
        body = self.webhook_body(job, status, **extra)
        url = callback_url or str(job.body.get("callback_url") or "")
        request = urllib.request.Request(  # noqa: S310 - the URL the client gave us
            url, data=body, method="POST", headers=signed_headers(secret or self.secret, body)
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                code = int(response.status)
        except urllib.error.HTTPError as exc:
            code = exc.code
        self.webhook_log.append((status, code))
        return code

    def _auto_walk(self, job: SimJob) -> None:
        for status in ("picked_up", "delivered"):
            time.sleep(self.auto)
            extra: dict[str, Any] = {}
            if status == "delivered":
                extra = {"recipient_name": job.body.get("dropoff", {}).get("name", "Penerima")}
                extra["photo_b64"] = proof_photo_b64()
            try:
                self.advance(job.job_id, status, **extra)
            except (urllib.error.URLError, OSError):
                return


def proof_photo_b64() -> str:
    """A tiny JPEG standing in for the courier's doorstep photo."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 140, 60)).save(buffer, format="JPEG")
    return base64.b64encode(buffer.getvalue()).decode()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Simulator mitra kurir Gancang Aron")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--api-key", default="sim-key")
    parser.add_argument("--secret", default="sim-secret")
    parser.add_argument("--auto", type=float, default=5.0, help="detik per langkah status")
    args = parser.parse_args(argv)
    sim = CourierSimulator(api_key=args.api_key, secret=args.secret, port=args.port, auto=args.auto)
    print(f"courier simulator on {sim.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        sim.server.serve_forever()


if __name__ == "__main__":
    main()
