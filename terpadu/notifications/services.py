"""Writes on the outbox: ``notify`` (call it inside the transaction of the change)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from terpadu.core.errors import DomainError, bilingual, field_error
from terpadu.notifications.models import CITIZEN_CHANNELS, Channel, Outbox, WebhookEndpoint
from terpadu.notifications.render import render_message

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9]{8,15}$")


def normalise_phone(value: str) -> str:
    """``"0812-3456 7890"`` -> ``"+6281234567890"``; ``""`` when it is not a phone number."""
    raw = re.sub(r"[\s\-().]", "", str(value or ""))
    if raw.startswith("08"):
        raw = "+62" + raw[1:]
    elif raw.startswith("62"):
        raw = "+" + raw
    return raw if _PHONE.match(raw) else ""


def valid_recipient(channel: str, recipient: str) -> bool:
    if channel == Channel.EMAIL:
        return bool(_EMAIL.match(recipient or ""))
    if channel in (Channel.SMS, Channel.WHATSAPP):
        return bool(normalise_phone(recipient))
    if channel == Channel.WEBHOOK:
        return WebhookEndpoint.objects.filter(key=recipient, is_active=True).exists()
    return False


@transaction.atomic
def notify(
    *,
    recipient: str,
    channel: str,
    template: str,
    context: Mapping[str, Any],
    idempotency_key: str,
) -> Outbox:
    """Queue one message; the same ``idempotency_key`` twice queues it once.

    Rendered now (``messages/<template>.txt``: first line the subject, then the
    body; a webhook's body is ``context`` as JSON), delivered by the worker after
    the surrounding transaction commits (a rolled-back change sends nothing).
    """
    existing = Outbox.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    if channel not in Channel.values:
        raise DomainError(
            code="invalid",
            message=bilingual("Saluran pesan tidak dikenal.", "Unknown channel."),
            errors=[field_error("channel", "Saluran tidak dikenal.", "Unknown channel.")],
        )
    if channel in (Channel.SMS, Channel.WHATSAPP):
        recipient = normalise_phone(recipient) or recipient
    if channel == Channel.WEBHOOK:
        # a machine reads it: the body is the event itself, as canonical JSON
        subject = template
        body = json.dumps(dict(context), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    else:
        subject, body = render_message(template, dict(context), channel=channel)
    now = timezone.now()
    try:
        with transaction.atomic():
            return Outbox.objects.create(
                channel=channel,
                recipient=recipient[:300],
                template=template[:120],
                context=dict(context),
                subject=subject[:300],
                body=body,
                idempotency_key=idempotency_key[:120],
                next_attempt_at=now,
                created_at=now,
            )
    except IntegrityError:  # a concurrent notify with the same key won
        return Outbox.objects.get(idempotency_key=idempotency_key)


#: What an erased recipient reads as (the row stays: its idempotency key still refuses a repeat).
ERASED = ""


def outbox_erase(*, now: datetime) -> int:
    """Erase the personal data of messages delivered or given up ``NOTIFY_KEEP_DAYS`` ago.

    Recipient (citizen channels; a webhook's recipient is an endpoint key), subject,
    body and context are cleared; channel, template, status, times and the idempotency
    key stay, so the count of what was sent remains and a repeat is still refused.
    Messages not yet delivered are never touched. Returns the number of rows erased.
    """
    cutoff = now - timedelta(days=settings.NOTIFY_KEEP_DAYS)
    done = Outbox.objects.filter(
        status__in=[Outbox.Status.SENT, Outbox.Status.DEAD], created_at__lt=cutoff
    )
    with transaction.atomic():
        erased = (
            done.filter(channel__in=CITIZEN_CHANNELS)
            .exclude(recipient=ERASED, body="")
            .update(recipient=ERASED, subject="", body="", context={})
        )
        erased += (
            done.filter(channel=Channel.WEBHOOK)
            .exclude(body="")
            .update(subject="", body="", context={})
        )
    return erased
