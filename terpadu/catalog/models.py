"""The service catalogue: services, their Standar Pelayanan versions, and where they are delivered.

Every row belongs to a regency (``region``), directly or through its parent
(versions through their service, counters and counter groups through their hall).

* ``Service`` is the stable identity of a service (code, agency, everyday names,
  where it is offered). Its content — the 14 components of Standar Pelayanan
  (PermenPANRB 15/2014; UU 25/2009 Pasal 21) — lives in ``ServiceVersion``.
* A ``ServiceVersion`` is ``draft`` while an agency edits it, ``published`` once an
  agency head publishes it and its effective date has come, ``scheduled`` while
  that date (Asia/Jakarta) is still ahead, and ``superseded`` when a newer version
  takes over. The periodic job ``catalog_promote_versions`` makes a scheduled
  version current on its date. Past versions are never deleted, so an
  application filed under version 3 keeps pointing at version 3.
* ``Service.current_version`` points at the version in force (status
  ``published``; null until the first one takes effect).
* The hall: ``Hall`` (e.g. MPP Banyuwangi) → ``CounterGroup`` (a letter, "A", the
  queue prefix, serving a set of services) → ``Counter`` (loket number, staffed
  by one agency, serving a set of services). The queue builds on these.
* ``ServicePoint``: a place outside (or being) the hall where services are
  delivered — the hall itself, a desa office (Smart Kampung) or a mobile unit.
* ``LifeEvent``: a citizen's situation (birth, death, marriage …) with the
  bundle of services in the order they are done (``LifeEventService.position``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency, Region, TimeStampedModel


class ServiceCategory(models.Model):
    """A browsing category (Kependudukan, Perizinan usaha, Kesehatan …)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("kategori layanan")
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="unique_category_slug")
        ]

    def __str__(self) -> str:
        return self.name


class Service(TimeStampedModel):
    """One service of one agency; its Standar Pelayanan content is in its versions."""

    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Kabupaten/kota; selalu sama dengan daerah instansinya."),
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="services")
    code = models.SlugField(_("kode"), max_length=80)
    name = models.CharField(_("nama layanan"), max_length=200)
    aliases = models.JSONField(
        _("nama sehari-hari"),
        default=list,
        blank=True,
        help_text=_("Nama yang dipakai warga, mis. 'bikin KTP', 'akte lahir'."),
    )
    summary = models.CharField(_("ringkasan"), max_length=300, blank=True)
    category = models.ForeignKey(
        ServiceCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="services",
        verbose_name=_("kategori"),
    )
    life_events: models.ManyToManyField[LifeEvent, LifeEventService] = models.ManyToManyField(
        "LifeEvent", through="LifeEventService", related_name="services", blank=True
    )
    online_available = models.BooleanField(_("dapat diajukan daring"), default=False)
    booking_available = models.BooleanField(_("dapat pesan antrean"), default=True)
    is_active = models.BooleanField(_("aktif"), default=True)
    current_version = models.ForeignKey(
        "ServiceVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Versi yang sedang berlaku (terbit)."),
    )
    # Normalised text kept by the services for full-text search (see search.py).
    search_title = models.TextField(default="", blank=True, editable=False)
    search_body = models.TextField(default="", blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("layanan")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_service_code")
        ]
        indexes = [
            models.Index(fields=["region", "agency", "is_active"]),
            models.Index(fields=["region", "category"]),
        ]

    def __str__(self) -> str:
        return self.name


class CompletionUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("hari kerja")
    HOURS = "hours", _("jam")


class ServiceVersion(models.Model):
    """One version of a service's Standar Pelayanan (all 14 components)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Konsep")
        SCHEDULED = "scheduled", _("Terbit, belum berlaku")
        PUBLISHED = "published", _("Berlaku")
        SUPERSEDED = "superseded", _("Sudah diganti")

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("nomor versi"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    effective_date = models.DateField(_("tanggal berlaku"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.CharField(_("catatan perubahan"), max_length=300, blank=True)

    # A. Service delivery components (must be published).
    requirements = models.JSONField(
        _("persyaratan"), default=list, blank=True, help_text='[{"document": "...", "note": ""}]'
    )
    procedure = models.JSONField(
        _("sistem, mekanisme dan prosedur"), default=list, blank=True, help_text='["langkah 1"]'
    )
    completion_time_value = models.PositiveIntegerField(_("jangka waktu pelayanan"), default=1)
    completion_time_unit = models.CharField(
        _("satuan jangka waktu"),
        max_length=12,
        choices=CompletionUnit.choices,
        default=CompletionUnit.WORKING_DAYS,
    )
    fee_amount = models.BigIntegerField(_("biaya/tarif (Rp)"), default=0, help_text=_("0 = gratis"))
    fee_legal_basis = models.TextField(_("dasar hukum biaya"), blank=True)
    product = models.TextField(_("produk pelayanan"), blank=True)
    complaint_channel = models.TextField(_("penanganan pengaduan, saran dan masukan"), blank=True)

    # B. Management components.
    legal_basis = models.TextField(_("dasar hukum"), blank=True)
    facilities = models.TextField(_("sarana, prasarana dan/atau fasilitas"), blank=True)
    staff_competence = models.TextField(_("kompetensi pelaksana"), blank=True)
    internal_control = models.TextField(_("pengawasan internal"), blank=True)
    staff_count = models.TextField(_("jumlah pelaksana"), blank=True)
    service_guarantee = models.TextField(_("jaminan pelayanan"), blank=True)
    safety_guarantee = models.TextField(_("jaminan keamanan dan keselamatan pelayanan"), blank=True)
    performance_evaluation = models.TextField(_("evaluasi kinerja pelaksana"), blank=True)

    # Form fields an online application for this service needs (applications issue):
    # [{"name": "child_name", "label": "Nama anak", "type": "text", "required": true}]
    extra_fields = models.JSONField(_("isian tambahan permohonan"), default=list, blank=True)

    class Meta:
        ordering = ["service_id", "-number"]
        verbose_name = _("versi standar pelayanan")
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="unique_service_version"),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(status="draft"),
                name="one_draft_per_service",
            ),
            models.UniqueConstraint(
                fields=["service"],
                condition=models.Q(status="published"),
                name="one_published_per_service",
            ),
            models.CheckConstraint(condition=models.Q(fee_amount__gte=0), name="fee_not_negative"),
        ]
        indexes = [
            # The periodic job's question: which scheduled versions are due?
            models.Index(
                fields=["effective_date"],
                condition=models.Q(status="scheduled"),
                name="version_scheduled_due",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_id} v{self.number} ({self.status})"

    @property
    def is_free(self) -> bool:
        return self.fee_amount == 0

    def requirement_list(self) -> list[dict[str, Any]]:
        return [r for r in self.requirements if isinstance(r, dict)]


DELIVERY_FIELDS: tuple[str, ...] = (
    "requirements",
    "procedure",
    "completion_time_value",
    "completion_time_unit",
    "fee_amount",
    "fee_legal_basis",
    "product",
    "complaint_channel",
)
MANAGEMENT_FIELDS: tuple[str, ...] = (
    "legal_basis",
    "facilities",
    "staff_competence",
    "internal_control",
    "staff_count",
    "service_guarantee",
    "safety_guarantee",
    "performance_evaluation",
)
CONTENT_FIELDS: tuple[str, ...] = (*DELIVERY_FIELDS, *MANAGEMENT_FIELDS, "extra_fields")


class LifeEvent(models.Model):
    """A citizen's situation with the services it needs, in the order they are done."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("peristiwa hidup")
        constraints = [
            models.UniqueConstraint(fields=["region", "slug"], name="unique_life_event_slug")
        ]

    def __str__(self) -> str:
        return self.name


class LifeEventService(models.Model):
    life_event = models.ForeignKey(LifeEvent, on_delete=models.CASCADE, related_name="steps")
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(_("catatan"), max_length=200, blank=True)

    class Meta:
        ordering = ["life_event_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["life_event", "service"], name="unique_life_event_service"
            )
        ]

    def __str__(self) -> str:
        return f"{self.life_event_id}#{self.position} {self.service_id}"


class Hall(models.Model):
    """A service hall (Mal Pelayanan Publik) with its counters."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    opening_hours = models.CharField(_("jam layanan"), max_length=200, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gedung layanan")
        constraints = [models.UniqueConstraint(fields=["region", "code"], name="unique_hall_code")]

    def __str__(self) -> str:
        return self.name


class CounterGroup(models.Model):
    """Counters sharing one queue, named by a letter ("A") used as the ticket prefix."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="counter_groups")
    letter = models.CharField(_("huruf"), max_length=2)
    name = models.CharField(_("nama"), max_length=120)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="counter_groups"
    )
    services = models.ManyToManyField(Service, related_name="counter_groups", blank=True)

    class Meta:
        ordering = ["hall_id", "letter"]
        verbose_name = _("kelompok loket")
        constraints = [
            models.UniqueConstraint(fields=["hall", "letter"], name="unique_counter_group_letter")
        ]

    def __str__(self) -> str:
        return f"{self.letter} {self.name}"


class Counter(models.Model):
    """A loket: one desk in a hall, staffed by one agency (or the MPP front office)."""

    hall = models.ForeignKey(Hall, on_delete=models.CASCADE, related_name="counters")
    number = models.PositiveSmallIntegerField(_("nomor loket"))
    name = models.CharField(_("nama"), max_length=120, blank=True)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="counters"
    )
    counter_group = models.ForeignKey(
        CounterGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="counters"
    )
    services = models.ManyToManyField(Service, related_name="counters", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["hall_id", "number"]
        verbose_name = _("loket")
        constraints = [
            models.UniqueConstraint(fields=["hall", "number"], name="unique_counter_number")
        ]

    def __str__(self) -> str:
        return f"Loket {self.number} {self.name}".strip()


class ServicePoint(models.Model):
    """Where services are delivered: the hall, a desa office (Smart Kampung) or a mobile unit."""

    class Kind(models.TextChoices):
        HALL = "hall", _("Mal Pelayanan Publik")
        DESA = "desa", _("Kantor desa (Smart Kampung)")
        MOBILE = "mobile", _("Layanan keliling")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    code = models.SlugField(max_length=60)
    name = models.CharField(_("nama"), max_length=160)
    village = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    hall = models.ForeignKey(
        Hall, null=True, blank=True, on_delete=models.SET_NULL, related_name="service_points"
    )
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    schedule = models.CharField(_("jadwal"), max_length=200, blank=True)
    services = models.ManyToManyField(Service, related_name="service_points", blank=True)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("titik layanan")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_service_point_code")
        ]

    def __str__(self) -> str:
        return self.name
