"""A ticket issued before a crash is still there after a restart, and numbering continues.

Runs the real production server (`terpadu serve`) against the test
database, issues tickets over HTTP, kills the whole server with SIGKILL (no
graceful shutdown), starts it again and carries on.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from terpadu.accounts.services import api_token_create
from terpadu.queueing.models import Ticket

pytestmark = pytest.mark.django_db(transaction=True)

TERPADU = str(Path(sys.executable).parent / "terpadu")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start(port: int, var: Path, *, collectstatic: bool = False) -> subprocess.Popen[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        DATABASE_URL=database_url(),
        TERPADU_VAR_DIR=str(var),
        TERPADU_DEMO="1",
        TERPADU_AUDIT_KEY=settings.AUDIT_KEY,
        SECRET_KEY=settings.SECRET_KEY,
    )
    argv = [TERPADU, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    if not collectstatic:
        argv.append("--no-collectstatic")  # the API needs no static files
    proc = subprocess.Popen(
        argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _body = request(port, "GET", "/healthz")
            if status == 200:
                return proc
        except OSError:
            time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("server did not start")


def request(
    port: int, method: str, path: str, body: dict | None = None, token: str = ""
) -> tuple[int, dict]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    headers = {"Host": "127.0.0.1", "Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    response = conn.getresponse()
    raw = response.read()
    conn.close()
    return response.status, (json.loads(raw) if raw.startswith(b"{") else {})


def crash(proc: subprocess.Popen[bytes]) -> None:
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def test_ticket_survives_kill_9_and_numbering_continues(hall, people, tmp_path):
    token = api_token_create(user=people["front_desk"], name="kios")
    port = free_port()
    issue = f"/api/v1/queue/halls/{hall.hall.pk}/tickets"
    proc = start(port, tmp_path / "var")
    try:
        first = request(port, "POST", issue, {"group_id": hall.group_a.pk}, token)
        second = request(port, "POST", issue, {"group_id": hall.group_a.pk}, token)
        assert (first[0], first[1]["label"]) == (201, "A-001")
        assert (second[0], second[1]["label"]) == (201, "A-002")
    finally:
        crash(proc)
    proc = start(port, tmp_path / "var")
    try:
        status, body = request(port, "GET", f"/api/v1/queue/tickets/{second[1]['token']}")
        assert (status, body["label"], body["status"], body["position"]) == (
            200,
            "A-002",
            "waiting",
            1,
        )
        third = request(port, "POST", issue, {"group_id": hall.group_a.pk}, token)
        assert (third[0], third[1]["label"]) == (201, "A-003")
    finally:
        crash(proc)
    assert sorted(Ticket.objects.values_list("number", flat=True)) == [1, 2, 3]
