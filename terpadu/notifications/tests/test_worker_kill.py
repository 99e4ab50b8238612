"""Acceptance: SIGKILL the real ``terpadu worker`` while it delivers 1,000 notifications,
start it again, and nothing is lost; every repeat carries the same idempotency key."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction

from terpadu.notifications.models import Outbox, WebhookEndpoint
from terpadu.notifications.services import notify
from tests.servers import start_smtp_sink, start_webhook_receiver

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
TOTAL = 1000
CTX = {
    "first_name": "Siti",
    "code": "7K2Q-M4T-XP9",
    "service": "Akta Kelahiran",
    "agency": "Dukcapil",
    "state": "Diproses",
    "hint": "Berkas lengkap dan sedang diproses.",
    "reason": "",
    "due": "Jumat, 27 Maret 2026 pukul 16.00 WIB",
    "track_url": "https://terpadu.example/lacak/permohonan/",
}


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("ab")
    return subprocess.Popen(
        [sys.executable, "-m", "terpadu.cli", "worker"],
        cwd=ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )


def wait_for(predicate, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def test_sigkill_mid_delivery_loses_nothing(tmp_path):
    smtp, gateway, hook = start_smtp_sink(), start_webhook_receiver(), start_webhook_receiver()
    sinks = (smtp.sink, gateway.sink, hook.sink)
    for sink in sinks:
        sink.delay = 0.004  # a slow-ish outside world, so the kill lands mid-delivery
    try:
        WebhookEndpoint.objects.create(key="siak", url=hook.url + "hook", secret="s")
        expected: set[str] = set()
        with transaction.atomic():
            for i in range(TOTAL):
                key = f"kill-{i:04d}"
                channel, recipient = (
                    ("email", f"warga{i}@example.org")
                    if i % 10 < 4
                    else ("sms", f"08123456{i:04d}")
                    if i % 10 < 7
                    else ("webhook", "siak")
                )
                notify(
                    recipient=recipient,
                    channel=channel,
                    template="applications/status"
                    if channel != "webhook"
                    else "applications.transition",
                    context={**CTX, "n": i} if channel == "webhook" else CTX,
                    idempotency_key=key,
                )
                expected.add(key)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("PYTEST")},
            "DJANGO_SETTINGS_MODULE": "terpadu.settings_test",
            "TERPADU_VAR_DIR": str(settings.VAR_DIR),
            "DATABASE_URL": database_url(),
            "TERPADU_SMTP_HOST": "127.0.0.1",
            "TERPADU_SMTP_PORT": str(smtp.port),
            "TERPADU_GATEWAY_URL": gateway.url + "kirim",
            "TERPADU_GATEWAY_SECRET": "g",
            "TERPADU_NOTIFY_LEASE_SECONDS": "2",
        }

        def received() -> int:
            return sum(len(s) for s in sinks)

        def keys() -> list[str]:
            out = [k.strip("<>").split("@", 1)[0] for k in smtp.sink.received_keys()]
            return out + gateway.sink.received_keys() + hook.sink.received_keys()

        log = tmp_path / "worker.log"
        started = time.monotonic()
        first = start_worker(env, log)
        try:
            wait_for(lambda: received() >= 250, 40, "the first deliveries")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        at_kill = received()
        assert at_kill < TOTAL, "the worker finished before it could be killed"
        second = start_worker(env, log)
        try:
            wait_for(
                lambda: Outbox.objects.filter(status="sent").count() == TOTAL,
                45,
                "every row marked sent",
            )
        finally:
            second.send_signal(signal.SIGTERM)
            try:
                second.wait(10)
            except subprocess.TimeoutExpired:
                second.kill()
                second.wait(5)
        elapsed = time.monotonic() - started
        got = keys()
        counts = Counter(got)
        repeats = sum(n - 1 for n in counts.values())
        report = {
            "messages": TOTAL,
            "received_before_kill": at_kill,
            "delivered_total": len(got),
            "distinct": len(counts),
            "repeats": repeats,
            "repeated_keys": sorted(k for k, n in counts.items() if n > 1),
            "seconds": round(elapsed, 2),
            "database": connection.vendor,
        }
        print("outbox SIGKILL test:", json.dumps(report))
        artifacts = ROOT / "test-artifacts"
        artifacts.mkdir(exist_ok=True)
        (artifacts / f"outbox_kill_{connection.vendor}.json").write_text(json.dumps(report))
        assert set(counts) == expected  # all 1,000 distinct messages arrived, nothing else
        assert repeats <= 60  # at most what one leased batch can hold
        # every repeat is the same message under the same key (the receiver can drop it)
        for sink in sinks:
            bodies: dict[str, str] = {}
            for item in sink.items:
                assert bodies.setdefault(item.key, item.body) == item.body
    finally:
        for server in (smtp, gateway, hook):
            server.stop()
