"""The outbox: one row per message, written in the same transaction as the change it announces.

A row is rendered when it is written (subject and body are fixed then), and the
worker delivers it later: it *leases* a batch (``leased_until``), sends, and marks
each row ``sent``. A worker that dies mid-batch leaves its rows ``sending`` with a
lease that runs out; the next sweep takes them again. A message may therefore be
sent twice, but always with the same ``idempotency_key`` (the e-mail Message-ID,
the webhook's ``Idempotency-Key`` header), so the receiving side can drop the
repeat. See ``docs/notifications.md``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Surel")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEBHOOK = "webhook", _("Webhook sistem lain")


#: Channels a citizen may choose for their own messages.
CITIZEN_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.WHATSAPP)


class Outbox(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        DEAD = "dead", _("Gagal permanen")

    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=300)
    template = models.CharField(max_length=120)
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=False
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=64, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pesan keluar")
        verbose_name_plural = _("pesan keluar")
        ordering = ["id"]
        indexes = [
            # the sweep: rows waiting (or whose lease ran out), oldest first
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(status__in=["pending", "sending"]),
                name="outbox_due",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sending", "sent", "dead"]),
                name="outbox_status_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.idempotency_key} ({self.status})"


class WebhookEndpoint(models.Model):
    """A back-office system that follows events by HTTP POST (payload signed with ``secret``)."""

    key = models.SlugField(_("kode"), max_length=60, unique=True)
    url = models.URLField(_("alamat"), max_length=300)
    secret = models.CharField(_("kunci rahasia"), max_length=128)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        verbose_name = _("webhook")
        ordering = ["key"]

    def __str__(self) -> str:
        return self.key
