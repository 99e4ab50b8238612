"""Delivery to a real local SMTP sink and webhook receiver: signatures, idempotency keys,
retries with back-off, permanent failures, and leases that run out."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from terpadu.notifications.delivery import backoff_seconds, deliver_due, lease
from terpadu.notifications.models import Outbox
from terpadu.notifications.services import notify

pytestmark = pytest.mark.django_db

CTX = {
    "first_name": "Siti",
    "code": "7K2Q-M4T-XP9",
    "service": "Akta Kelahiran",
    "agency": "Dukcapil",
    "state": "Perlu perbaikan",
    "hint": "Perbaiki berkas.",
    "reason": "KK buram",
    "due": "",
    "track_url": "https://terpadu.example/lacak/permohonan/",
}


def test_email_carries_the_idempotency_key_as_message_id(smtp):
    notify(
        recipient="siti@example.org",
        channel="email",
        template="applications/status",
        context=CTX,
        idempotency_key="app-1-ev-2-citizen",
    )
    assert deliver_due(owner="t")["sent"] == 1
    (mail,) = smtp.sink.items
    assert mail.key.startswith("<app-1-ev-2-citizen@")
    assert mail.headers["Subject"] == "Permohonan 7K2Q-M4T-XP9: Perlu perbaikan"
    assert "Catatan petugas: KK buram" in mail.body
    assert Outbox.objects.get().status == "sent"


def test_notify_twice_with_one_key_queues_once(db):
    for _ in range(2):
        notify(
            recipient="+6281234567890",
            channel="sms",
            template="applications/status",
            context=CTX,
            idempotency_key="same",
        )
    assert Outbox.objects.count() == 1


def test_gateway_and_webhook_payloads_are_signed_with_the_key_header(gateway, hook):
    notify(
        recipient="081234567890",
        channel="whatsapp",
        template="applications/status",
        context=CTX,
        idempotency_key="wa-1",
    )
    notify(
        recipient="siak",
        channel="webhook",
        template="applications.transition",
        context={"event": "application.transition", "code": "7K2QM4TXP9"},
        idempotency_key="hook-1",
    )
    assert deliver_due(owner="t")["sent"] == 2
    (sms,) = gateway.sink.items
    payload = json.loads(sms.body)
    assert payload["to"] == "+6281234567890" and payload["channel"] == "whatsapp"
    assert "KK buram" in payload["body"] and "\n\n" not in payload["body"]
    assert sms.headers["Idempotency-Key"] == "wa-1"
    ts = sms.headers["X-Terpadu-Timestamp"]
    expected = hmac.new(b"rahasia-gateway", ts.encode() + b"." + sms.body.encode(), hashlib.sha256)
    assert sms.headers["X-Terpadu-Signature"] == "sha256=" + expected.hexdigest()
    (event,) = hook.sink.items
    assert json.loads(event.body) == {"code": "7K2QM4TXP9", "event": "application.transition"}
    assert event.headers["Idempotency-Key"] == "hook-1"


def test_a_failing_gateway_is_retried_with_back_off_then_succeeds(gateway):
    gateway.sink.fail_next = 1
    notify(
        recipient="081234567890",
        channel="sms",
        template="applications/status",
        context=CTX,
        idempotency_key="sms-1",
    )
    assert deliver_due(owner="t") == {"sent": 0, "failed": 1, "batches": 1}
    row = Outbox.objects.get()
    assert row.status == "pending" and row.attempts == 1 and "503" in row.last_error
    wait = (row.next_attempt_at - timezone.now()).total_seconds()
    assert 7 <= wait <= 12.5  # 10 s ± 20 %
    assert deliver_due(owner="t")["sent"] == 0  # not due yet
    Outbox.objects.update(next_attempt_at=timezone.now())
    assert deliver_due(owner="t")["sent"] == 1
    assert len(gateway.sink) == 1


def test_back_off_doubles_and_is_capped():
    assert [backoff_seconds(n, jitter=False) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert backoff_seconds(30, jitter=False) == 3600


def test_permanent_refusals_and_exhausted_attempts_end_dead(gateway, settings):
    gateway.sink.status = 400
    notify(
        recipient="081234567890",
        channel="sms",
        template="applications/status",
        context=CTX,
        idempotency_key="sms-400",
    )
    deliver_due(owner="t")
    assert Outbox.objects.get(idempotency_key="sms-400").status == "dead"
    gateway.sink.status = 200
    settings.TERPADU_GATEWAY_URL = ""  # gateway not configured: retried, then given up
    settings.NOTIFY_MAX_ATTEMPTS = 2
    notify(
        recipient="081234567890",
        channel="sms",
        template="applications/status",
        context=CTX,
        idempotency_key="sms-nogw",
    )
    for _ in range(2):
        deliver_due(owner="t")
        Outbox.objects.filter(status="pending").update(next_attempt_at=timezone.now())
    row = Outbox.objects.get(idempotency_key="sms-nogw")
    assert row.status == "dead" and row.attempts == 2 and "GATEWAY_URL" in row.last_error


def test_a_lease_that_runs_out_is_taken_again_by_another_worker(smtp):
    notify(
        recipient="siti@example.org",
        channel="email",
        template="applications/status",
        context=CTX,
        idempotency_key="e-1",
    )
    taken = lease(owner="crashed", batch=10)
    assert [r.status for r in taken] == ["sending"]
    assert lease(owner="other", batch=10) == []  # still leased
    later = timezone.now() + timedelta(hours=1)
    again = lease(owner="other", batch=10, now=later)
    assert [r.idempotency_key for r in again] == ["e-1"]
    assert again[0].attempts == 2
