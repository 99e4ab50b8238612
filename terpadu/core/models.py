"""Shared kernel tables: regions, agencies, office calendars and the audit chain.

Every agency, hall, person and domain record belongs to a regency or city
(``Region`` of level ``regency``). A user whose region is a province sees all
regencies inside it; everyone else sees only their own regency.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Region(models.Model):
    """An administrative area by Kemendagri code (35, 35.10, 35.10.01, 35.10.01.2001)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        REGENCY = "regency", _("Kabupaten/Kota")
        DISTRICT = "district", _("Kecamatan")
        VILLAGE = "village", _("Desa/Kelurahan")

    code = models.CharField(max_length=13, unique=True)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_kelurahan = models.BooleanField(default=False)

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def regency_code(self) -> str:
        return self.code[:5]


class WorkCalendar(models.Model):
    """An office's working-day rules: Saturday, cuti bersama, and its own closed days."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="calendars")
    name = models.CharField(_("nama"), max_length=120)
    saturday_open = models.BooleanField(_("buka hari Sabtu"), default=False)
    cuti_bersama_open = models.BooleanField(_("buka saat cuti bersama"), default=False)
    is_region_default = models.BooleanField(default=False)

    class Meta:
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(is_region_default=True),
                name="one_default_calendar_per_region",
            )
        ]

    def __str__(self) -> str:
        return self.name


class LocalDay(models.Model):
    """A day closed (or, rarely, opened) by local decree, e.g. a Bupati's regional leave."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="local_days")
    calendar = models.ForeignKey(
        WorkCalendar,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="local_days",
        help_text=_("Kosong: berlaku untuk semua kantor di daerah ini."),
    )
    date = models.DateField(_("tanggal"))
    name = models.CharField(_("keterangan"), max_length=200)
    is_open = models.BooleanField(_("hari kerja (bukan libur)"), default=False)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["region", "calendar", "date"], name="unique_local_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Agency(TimeStampedModel):
    """An OPD / instansi serving at the hall: regency office, vertical agency, state company, bank."""

    class Kind(models.TextChoices):
        REGENCY_OFFICE = "regency_office", _("Perangkat daerah")
        VERTICAL = "vertical", _("Instansi vertikal")
        STATE_COMPANY = "state_company", _("BUMN/BUMD")
        BANK = "bank", _("Bank")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="agencies")
    code = models.SlugField(max_length=40)
    name = models.CharField(_("nama"), max_length=200)
    short_name = models.CharField(_("singkatan"), max_length=60)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=40, blank=True)
    email = models.EmailField(_("surel"), blank=True)
    opening_hours = models.CharField(_("jam layanan"), max_length=200, blank=True)
    calendar = models.ForeignKey(
        WorkCalendar, null=True, blank=True, on_delete=models.SET_NULL, related_name="agencies"
    )

    class Meta:
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_agency_code_per_region")
        ]

    def __str__(self) -> str:
        return self.short_name or self.name


class AuditEntry(models.Model):
    """One link of the tamper-evident chain; ``digest`` covers ``prev_digest``."""

    seq = models.BigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    record_type = models.CharField(max_length=60)
    record_id = models.CharField(max_length=64)
    region_code = models.CharField(max_length=13, blank=True)
    summary = models.JSONField(default=dict)
    prev_digest = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)

    class Meta:
        ordering = ["seq"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.record_type}:{self.record_id}"
