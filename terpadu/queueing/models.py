"""The hall e-queue: tickets per counter group and local day, counters' state, bookings, events.

* ``Ticket`` — "A-001": a number per counter group (``CounterGroup.letter``) and
  local day (Asia/Jakarta), handed out from the ``GroupDay`` counter row with one
  atomic ``INSERT … ON CONFLICT DO UPDATE … RETURNING``. A transfer ends the
  ticket as ``transferred`` and issues a new ticket in the target group
  (``transferred_from``), so numbers stay unique per group and day.
* ``CounterState`` — whether a loket is open, paused or closed, who opened it,
  and ``calls`` (call attempts; the compare-and-swap value that makes a
  double-click harmless and drives the priority rule).
* ``HallSettings`` — per-hall rules: priority lane (UU 25/2009 Pasal 29),
  booking slots and the check-in window, how calls are spoken.
* ``Booking`` / ``BookingSlot`` — a day and time slot per service; the slot row
  keeps the count so capacity holds under concurrency.
* ``QueueEvent`` — every ticket state change, written in the same statement as
  the change; the worker seals them into the audit chain in batches
  (``sealed_seq`` = the ``AuditEntry.seq``), see docs/queue.md.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terpadu.catalog.models import Counter, CounterGroup, Hall, Service


class PriorityReason(models.TextChoices):
    """Who may use the priority lane (UU 25/2009 Pasal 29), plus the lane's other users."""

    ELDERLY = "lansia", _("Lanjut usia")
    DISABILITY = "disabilitas", _("Penyandang disabilitas")
    PREGNANT = "ibu_hamil", _("Ibu hamil")
    INFANT = "bayi", _("Orang tua dengan bayi/balita")
    BOOKING = "janji", _("Janji temu (booking)")
    TRANSFER = "pindahan", _("Pindahan dari loket lain")


#: The reasons a citizen chooses at the kiosk (the others are set by the system).
CITIZEN_PRIORITY_REASONS = (
    PriorityReason.ELDERLY,
    PriorityReason.DISABILITY,
    PriorityReason.PREGNANT,
    PriorityReason.INFANT,
)


def default_booking_start() -> dt.time:
    """08.00 — a callable, not a fixed ``time`` (Django's check fields.W161 flags those)."""
    return dt.time(8, 0)


def default_booking_end() -> dt.time:
    return dt.time(14, 0)


class HallSettings(models.Model):
    """The queue rules of one hall (created with defaults when first needed)."""

    hall = models.OneToOneField(Hall, on_delete=models.CASCADE, related_name="queue_settings")
    priority_every = models.PositiveSmallIntegerField(
        _("prioritas setiap N panggilan"),
        default=2,
        help_text=_(
            "1 = antrean prioritas selalu dipanggil lebih dulu; N = setiap panggilan ke-N "
            "sebuah loket mengambil antrean prioritas lebih dulu; 0 = tanpa jalur prioritas."
        ),
    )
    bookings_in_priority_lane = models.BooleanField(
        _("pemegang janji temu masuk jalur prioritas"), default=True
    )
    slot_minutes = models.PositiveSmallIntegerField(_("lama slot (menit)"), default=30)
    slot_capacity = models.PositiveSmallIntegerField(_("kapasitas per slot"), default=4)
    booking_start = models.TimeField(_("slot pertama"), default=default_booking_start)
    booking_end = models.TimeField(_("slot berakhir"), default=default_booking_end)
    booking_days_ahead = models.PositiveSmallIntegerField(
        _("pemesanan paling jauh (hari)"), default=14
    )
    checkin_before_minutes = models.PositiveSmallIntegerField(
        _("check-in paling awal (menit sebelum slot)"), default=30
    )
    checkin_after_minutes = models.PositiveSmallIntegerField(
        _("check-in paling lambat (menit sesudah slot)"), default=15
    )
    speak_digits = models.BooleanField(
        _("sebut nomor per angka"),
        default=False,
        help_text=_("Ya: 'A nol satu dua'; tidak: 'A dua belas'."),
    )
    kiosk_key = models.CharField(_("kunci anjungan"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("aturan antrean gedung")

    def __str__(self) -> str:
        return f"{self.hall_id}"


class BookingCapacity(models.Model):
    """A service's own slot length and capacity in a hall (overrides the hall's defaults)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    slot_minutes = models.PositiveSmallIntegerField(_("lama slot (menit)"), default=30)
    capacity = models.PositiveSmallIntegerField(_("kapasitas per slot"), default=4)

    class Meta:
        verbose_name = _("kapasitas janji temu layanan")
        constraints = [
            models.UniqueConstraint(fields=["hall", "service"], name="unique_booking_capacity")
        ]

    def __str__(self) -> str:
        return f"{self.hall_id}/{self.service_id}: {self.capacity}"


class GroupDay(models.Model):
    """The numbering row of one counter group on one local day (``last_number`` = last issued)."""

    group = models.ForeignKey(
        CounterGroup, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group", "day"], name="unique_group_day"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id}@{self.day}: {self.last_number}"


class Ticket(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Menunggu")
        CALLED = "called", _("Dipanggil")
        SERVING = "serving", _("Sedang dilayani")
        DONE = "done", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")
        TRANSFERRED = "transferred", _("Dipindahkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    class Source(models.TextChoices):
        KIOSK = "kiosk", _("Anjungan")
        FRONT_DESK = "front_desk", _("Meja depan")
        BOOKING = "booking", _("Janji temu")
        TRANSFER = "transfer", _("Pindahan")
        API = "api", _("Sistem lain")

    # FK indexes that the composite indexes below already cover are left out (cheaper writes).
    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="+", db_index=False)
    group = models.ForeignKey(
        CounterGroup, on_delete=models.PROTECT, related_name="tickets", db_index=False
    )
    letter = models.CharField(_("huruf"), max_length=2)
    day = models.DateField(_("tanggal"))
    number = models.PositiveIntegerField(_("nomor"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    priority = models.BooleanField(_("prioritas"), default=False)
    priority_reason = models.CharField(
        _("alasan prioritas"), max_length=12, choices=PriorityReason.choices, blank=True
    )
    source = models.CharField(_("sumber"), max_length=12, choices=Source.choices)
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    token = models.CharField(max_length=24, unique=True)
    issued_at = models.DateTimeField(_("diambil"))
    called_at = models.DateTimeField(_("dipanggil"), null=True, blank=True)
    served_at = models.DateTimeField(_("mulai dilayani"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    recall_count = models.PositiveSmallIntegerField(_("dipanggil ulang"), default=0)
    transfer_reason = models.CharField(_("alasan pindah"), max_length=300, blank=True)
    transferred_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="transferred_to"
    )

    class Meta:
        verbose_name = _("tiket antrean")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "day", "number"], name="unique_ticket_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="ticket_number_positive"
            ),
        ]
        indexes = [
            # call next: the oldest waiting ticket of a group (and of its priority lane)
            models.Index(
                fields=["group", "id"],
                condition=models.Q(status="waiting"),
                name="ticket_waiting",
            ),
            models.Index(
                fields=["group", "id"],
                condition=models.Q(status="waiting", priority=True),
                name="ticket_waiting_priority",
            ),
            # a counter's current ticket
            models.Index(
                fields=["counter"],
                condition=models.Q(status__in=["called", "serving"]),
                name="ticket_at_counter",
            ),
            models.Index(fields=["hall", "day", "status"], name="ticket_hall_day"),
            models.Index(fields=["group", "day", "finished_at"], name="ticket_group_finished"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return ticket_label(self.letter, self.number)


def ticket_label(letter: str, number: int) -> str:
    return f"{letter}-{number:03d}"


class CounterState(models.Model):
    """Whether a loket is open; ``calls`` counts call attempts (compare-and-swap on call next)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Buka")
        PAUSED = "paused", _("Istirahat")
        CLOSED = "closed", _("Tutup")

    counter = models.OneToOneField(
        Counter, on_delete=models.CASCADE, primary_key=True, related_name="queue_state"
    )
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.CLOSED
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    calls = models.PositiveIntegerField(default=0)
    note = models.CharField(_("keterangan"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("status loket")

    def __str__(self) -> str:
        return f"{self.counter_id}: {self.status}"


class BookingSlot(models.Model):
    """One service's slot on one day in one hall, with its running count (capacity holds under concurrency)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    start = models.TimeField()
    capacity = models.PositiveSmallIntegerField()
    booked = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["hall", "service", "date", "start"], name="unique_booking_slot"
            ),
            models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("capacity")), name="slot_not_overbooked"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service_id} {self.date} {self.start}: {self.booked}/{self.capacity}"


class Booking(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked", _("Terjadwal")
        CHECKED_IN = "checked_in", _("Sudah check-in")
        CANCELLED = "cancelled", _("Dibatalkan")
        NO_SHOW = "no_show", _("Tidak datang")

    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="+")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    slot = models.ForeignKey(BookingSlot, on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("tanggal"))
    start = models.TimeField(_("jam"))
    code = models.CharField(_("kode janji temu"), max_length=12, unique=True)
    token = models.CharField(max_length=32, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    phone = models.CharField(_("nomor HP"), max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.BOOKED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # A keyed hash of the public client's address (rate limit; the address is not kept).
    source_key = models.CharField(max_length=64, blank=True, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    ticket = models.OneToOneField(
        Ticket, null=True, blank=True, on_delete=models.SET_NULL, related_name="booking"
    )

    class Meta:
        verbose_name = _("janji temu")
        ordering = ["date", "start", "id"]
        indexes = [
            models.Index(fields=["status", "date"], name="booking_status_date"),
            models.Index(fields=["hall", "date"], name="booking_hall_date"),
            models.Index(fields=["source_key", "created_at"], name="booking_source_recent"),
        ]

    def __str__(self) -> str:
        return self.code


class TicketNotice(models.Model):
    """An optional heads-up when a ticket becomes 3rd in line (WhatsApp or SMS, via the outbox).

    Personal data kept minimal: the number is erased as soon as the message is
    queued (the outbox row then carries it) or the ticket leaves the queue
    without one; officers only ever see ``masked``.
    """

    class Channel(models.TextChoices):
        WHATSAPP = "whatsapp", "WhatsApp"
        SMS = "sms", "SMS"

    ticket = models.OneToOneField(
        Ticket, on_delete=models.CASCADE, primary_key=True, related_name="notice"
    )
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    masked = models.CharField(_("nomor HP (disamarkan)"), max_length=24)
    created_at = models.DateTimeField()
    queued_at = models.DateTimeField(null=True, blank=True)
    ended = models.BooleanField(default=False)  # the ticket left the queue first

    class Meta:
        verbose_name = _("pemberitahuan antrean")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(queued_at=None, ended=False),
                name="ticketnotice_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.masked}"


class QueueEvent(models.Model):
    """One ticket or counter event (the statistics read these); sealed into the audit chain later."""

    class Kind(models.TextChoices):
        ISSUED = "issued", _("Tiket diambil")
        CALLED = "called", _("Dipanggil")
        RECALLED = "recalled", _("Dipanggil ulang")
        STARTED = "started", _("Mulai dilayani")
        FINISHED = "finished", _("Selesai")
        NO_SHOW = "no_show", _("Tidak hadir")
        TRANSFERRED = "transferred", _("Dipindahkan")
        CANCELLED = "cancelled", _("Dibatalkan")

    hall = models.ForeignKey(Hall, on_delete=models.PROTECT, related_name="+", db_index=False)
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    counter = models.ForeignKey(
        Counter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_index=False
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_index=False,
    )
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    data = models.JSONField(default=dict, blank=True)
    # AuditEntry.seq once sealed; 0 = bulk-loaded history covered by one audit entry for the load.
    sealed_seq = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["hall", "id"], name="queueevent_hall"),
            # The board's "last calls": a backward walk of this hall's calls alone, whatever the
            # planner's statistics say about the (fast-growing) event table.
            models.Index(
                fields=["hall", "id"],
                condition=models.Q(kind__in=["called", "recalled"]),
                name="queueevent_calls",
            ),
            models.Index(
                fields=["id"], condition=models.Q(sealed_seq=None), name="queueevent_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.ticket_id}"
