"""UU PDP: the recipient and text of a message are erased some time after delivery;
undelivered messages are never touched and an erased message is still never sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from terpadu.notifications.delivery import deliver_due
from terpadu.notifications.models import Outbox
from terpadu.notifications.services import notify, outbox_erase
from terpadu.notifications.tests.test_delivery import CTX

pytestmark = pytest.mark.django_db


def _message(key: str) -> Outbox:
    return notify(
        recipient="081234567890",
        channel="whatsapp",
        template="applications/status",
        context=CTX,
        idempotency_key=key,
    )


def _created(row: Outbox, days_ago: int) -> None:
    Outbox.objects.filter(pk=row.pk).update(created_at=timezone.now() - timedelta(days=days_ago))


def test_old_delivered_messages_lose_recipient_and_text_but_keep_their_record(
    gateway, hook, settings
):
    settings.NOTIFY_KEEP_DAYS = 90
    old = _message("app-1-ev-1-citizen")
    recent = _message("app-2-ev-1-citizen")
    event = notify(
        recipient="siak",
        channel="webhook",
        template="applications.transition",
        context={"event": "application.transition", "code": "7K2QM4TXP9"},
        idempotency_key="app-3-ev-1-siak",
    )
    assert deliver_due(owner="t")["sent"] == 3
    unsent = _message("app-4-ev-1-citizen")  # the gateway is down for this one, say
    for row, days in ((old, 91), (recent, 30), (event, 91), (unsent, 200)):
        _created(row, days)

    assert outbox_erase(now=timezone.now()) == 2

    old.refresh_from_db()
    assert (old.recipient, old.subject, old.body, old.context) == ("", "", "", {})
    assert (old.status, old.channel, old.template) == ("sent", "whatsapp", "applications/status")
    assert old.sent_at is not None
    event.refresh_from_db()
    assert event.recipient == "siak" and event.body == "" and event.context == {}
    recent.refresh_from_db()
    assert recent.recipient == "+6281234567890" and "7K2Q-M4T-XP9" in recent.body
    unsent.refresh_from_db()
    assert unsent.status == "pending" and unsent.recipient == "+6281234567890"
    assert "7K2Q-M4T-XP9" in unsent.body

    assert outbox_erase(now=timezone.now()) == 0  # nothing left to erase
    again = _message("app-1-ev-1-citizen")  # the same event again: still queued once
    assert again.pk == old.pk and Outbox.objects.count() == 4
    assert deliver_due(owner="t")["sent"] == 1  # only the undelivered one
    assert len(gateway.sink) == 3 and gateway.sink.repeats() == 0
