"""Delivering the outbox: lease a batch, send each row, mark it; retry with back-off.

- **Lease**: a sweep takes up to ``batch`` rows that are due (``pending`` with
  ``next_attempt_at`` reached, or ``sending`` whose lease ran out) and marks them
  ``sending`` with ``leased_until = now + NOTIFY_LEASE_SECONDS`` and its own
  ``lease_owner``, counting the attempt. PostgreSQL skips rows another worker has
  locked (``FOR UPDATE SKIP LOCKED``); SQLite serialises the lease transaction.
- **Send**, then mark ``sent`` at once (one small transaction per row), only if
  the lease is still ours. A worker killed between the send and the mark leaves the
  row ``sending``; when the lease runs out another sweep sends it again with the
  same idempotency key, so the receiver can drop the repeat.
- **Failure**: ``pending`` again after ``10 s × 2^(attempt-1)`` (capped at an hour,
  ±20 % jitter), ``dead`` after ``NOTIFY_MAX_ATTEMPTS`` or at once for a permanent
  refusal (HTTP 4xx other than 408/429, an unknown webhook, a bad address).

Channels: e-mail over SMTP (Django's backend; ``Message-ID`` is the idempotency
key); SMS and WhatsApp through the gateway at ``TERPADU_GATEWAY_URL``; webhooks to
``WebhookEndpoint.url``. HTTP bodies are JSON, signed
``X-Terpadu-Signature: sha256=HMAC(secret, "<timestamp>.<body>")`` and carry the
``Idempotency-Key`` header.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import random
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from terpadu.notifications.models import Channel, Outbox, WebhookEndpoint

BASE_DELAY = 10
MAX_DELAY = 3600
HTTP_TIMEOUT = 10


class PermanentFailure(Exception):
    """The receiver refused the message for good: do not retry."""


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def backoff_seconds(attempt: int, *, jitter: bool = True) -> float:
    delay = min(MAX_DELAY, BASE_DELAY * 2 ** max(0, attempt - 1))
    return delay * (random.uniform(0.8, 1.2) if jitter else 1.0)


def _due_q(now: datetime) -> Q:
    return Q(status=Outbox.Status.PENDING, next_attempt_at__lte=now) | Q(
        status=Outbox.Status.SENDING, leased_until__lt=now
    )


def lease(*, owner: str, batch: int = 50, now: datetime | None = None) -> list[Outbox]:
    """Take up to ``batch`` due rows for ``owner`` (they are ``sending`` afterwards)."""
    now = now or timezone.now()
    until = now + timedelta(seconds=int(settings.NOTIFY_LEASE_SECONDS))
    with transaction.atomic():
        ids = list(
            Outbox.objects.filter(_due_q(now))
            .order_by("next_attempt_at", "id")
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)[:batch]
        )
        if not ids:
            return []
        Outbox.objects.filter(_due_q(now), id__in=ids).update(
            status=Outbox.Status.SENDING,
            lease_owner=owner,
            leased_until=until,
            attempts=F("attempts") + 1,
        )
    return list(
        Outbox.objects.filter(id__in=ids, lease_owner=owner, leased_until=until).order_by("id")
    )


def _mark_sent(row: Outbox, owner: str) -> None:
    Outbox.objects.filter(pk=row.pk, lease_owner=owner, status=Outbox.Status.SENDING).update(
        status=Outbox.Status.SENT, sent_at=timezone.now(), leased_until=None, last_error=""
    )


def _mark_failed(row: Outbox, owner: str, error: str, *, permanent: bool) -> None:
    dead = permanent or row.attempts >= int(settings.NOTIFY_MAX_ATTEMPTS)
    Outbox.objects.filter(pk=row.pk, lease_owner=owner, status=Outbox.Status.SENDING).update(
        status=Outbox.Status.DEAD if dead else Outbox.Status.PENDING,
        next_attempt_at=timezone.now() + timedelta(seconds=backoff_seconds(row.attempts)),
        leased_until=None,
        last_error=error[:500],
    )


# -- channels ----------------------------------------------------------------------


def _message_id(key: str) -> str:
    domain = str(settings.DEFAULT_FROM_EMAIL).rsplit("@", 1)[-1].strip(" >") or "terpadu.local"
    return f"<{key}@{domain}>"


def send_email(row: Outbox, connection: Any) -> None:
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        to=[row.recipient],
        connection=connection,
        headers={"Message-ID": _message_id(row.idempotency_key)},
    )
    message.send(fail_silently=False)


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def post_json(url: str, body: bytes, *, secret: str, key: str) -> None:
    if not url.startswith(("http://", "https://")):
        raise PermanentFailure(f"alamat tidak valid: {url[:80]}")
    timestamp = str(int(time.time()))
    request = urllib.request.Request(  # noqa: S310 - the scheme is checked above
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "Idempotency-Key": key,
            "X-Terpadu-Timestamp": timestamp,
            "X-Terpadu-Signature": sign(secret, timestamp, body),
            "User-Agent": "Terpadu-Notifications/1",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            response.read(1024)
    except urllib.error.HTTPError as exc:
        if 400 <= exc.code < 500 and exc.code not in (408, 429):
            raise PermanentFailure(f"HTTP {exc.code}") from None
        raise


def send_gateway(row: Outbox) -> None:
    url = str(getattr(settings, "TERPADU_GATEWAY_URL", ""))
    if not url:
        raise RuntimeError("TERPADU_GATEWAY_URL belum diatur")
    body = json.dumps(
        {
            "channel": row.channel,
            "to": row.recipient,
            "body": row.body,
            "idempotency_key": row.idempotency_key,
        },
        ensure_ascii=False,
    ).encode()
    post_json(
        url,
        body,
        secret=str(getattr(settings, "TERPADU_GATEWAY_SECRET", "")),
        key=row.idempotency_key,
    )


def send_webhook(row: Outbox, endpoints: dict[str, WebhookEndpoint]) -> None:
    endpoint = endpoints.get(row.recipient)
    if endpoint is None or not endpoint.is_active:
        raise PermanentFailure(f"webhook '{row.recipient}' tidak ada atau tidak aktif")
    post_json(endpoint.url, row.body.encode(), secret=endpoint.secret, key=row.idempotency_key)


# -- the sweep ---------------------------------------------------------------------


def deliver_batch(rows: list[Outbox], *, owner: str) -> dict[str, int]:
    counts = {"sent": 0, "failed": 0}
    endpoints = {
        e.key: e
        for e in WebhookEndpoint.objects.filter(
            key__in={r.recipient for r in rows if r.channel == Channel.WEBHOOK}
        )
    }
    connection = None
    try:
        for row in rows:
            try:
                if row.channel == Channel.EMAIL:
                    if connection is None:
                        connection = get_connection(fail_silently=False)
                        connection.open()
                    send_email(row, connection)
                elif row.channel in (Channel.SMS, Channel.WHATSAPP):
                    send_gateway(row)
                elif row.channel == Channel.WEBHOOK:
                    send_webhook(row, endpoints)
                else:
                    raise PermanentFailure(f"saluran '{row.channel}' tidak dikenal")
            except PermanentFailure as exc:
                _mark_failed(row, owner, str(exc), permanent=True)
                counts["failed"] += 1
            except Exception as exc:  # network, SMTP, gateway down: retry later
                _mark_failed(row, owner, f"{type(exc).__name__}: {exc}", permanent=False)
                counts["failed"] += 1
                if row.channel == Channel.EMAIL and connection is not None:
                    connection.close()
                    connection = None
            else:
                _mark_sent(row, owner)
                counts["sent"] += 1
    finally:
        if connection is not None:
            connection.close()
    return counts


def deliver_due(
    *,
    owner: str | None = None,
    batch: int = 50,
    budget_seconds: float = 20.0,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, int]:
    """Deliver what is due until nothing is left or the time budget is spent."""
    owner = owner or worker_id()
    started = clock()
    total = {"sent": 0, "failed": 0, "batches": 0}
    while clock() - started < budget_seconds:
        rows = lease(owner=owner, batch=batch)
        if not rows:
            break
        counts = deliver_batch(rows, owner=owner)
        total["sent"] += counts["sent"]
        total["failed"] += counts["failed"]
        total["batches"] += 1
    return total
