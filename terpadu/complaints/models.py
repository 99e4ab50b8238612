"""Complaint (pengaduan) tables: the complaint and its stages, photos, timeline, escalations,
rate-limit counters, categories with their own follow-up limits, and Open311 API clients.

Stages follow SP4N-LAPOR! (domain reference §3): verification and disposition by the
regency's complaint coordinator within 3 working days, the agency's follow-up within
5 working days (or the category's own limit), then the citizen confirms or reopens;
silence for 10 working days after the answer closes the complaint.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency, Region


class Category(models.Model):
    """A complaint category with its own follow-up limit in working days (2/5/14/60 …)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("kode"), max_length=40)
    name = models.CharField(_("nama"), max_length=120)
    description = models.CharField(_("keterangan"), max_length=300, blank=True)
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaint_categories",
        help_text=_("Instansi yang biasanya menangani kategori ini."),
    )
    follow_up_days = models.PositiveSmallIntegerField(
        _("batas tindak lanjut (hari kerja)"),
        default=5,
        help_text=_("Misalnya 2 (ringan), 5 (normatif), 14, atau 60 (perlu pemeriksaan)."),
    )
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kategori pengaduan")
        verbose_name_plural = _("kategori pengaduan")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="unique_complaint_category"),
            models.CheckConstraint(
                condition=Q(follow_up_days__gte=1, follow_up_days__lte=120),
                name="complaint_category_days_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Complaint(models.Model):
    class Channel(models.TextChoices):
        WEB = "web", _("Situs web")
        COUNTER = "counter", _("Loket")
        API = "api", _("API")
        OPEN311 = "open311", _("Open311")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Menunggu verifikasi")
        DISPOSED = "disposed", _("Diteruskan ke instansi")
        ANSWERED = "answered", _("Sudah ditanggapi")
        CLOSED = "closed", _("Selesai")
        REJECTED = "rejected", _("Tidak dapat diproses")
        MERGED = "merged", _("Digabung dengan laporan lain")

    class CloseReason(models.TextChoices):
        CONFIRMED = "confirmed", _("Dikonfirmasi pelapor")
        AUTO = "auto", _("Ditutup otomatis (tidak ada tanggapan pelapor 10 hari kerja)")
        REJECTED = "rejected", _("Ditolak saat verifikasi")
        MERGED = "merged", _("Digabung")

    tracking_code = models.CharField(_("kode lacak"), max_length=20, unique=True)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    text = models.TextField(_("isi pengaduan"), max_length=4000)
    village = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField(_("lokasi"), max_length=250, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    long = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="complaints"
    )
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        help_text=_("Layanan yang dikeluhkan, jika diketahui."),
    )
    is_confidential = models.BooleanField(_("rahasia"), default=False)
    is_anonymous = models.BooleanField(_("anonim"), default=False)
    reporter_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("nomor HP pelapor"), max_length=20, blank=True)
    reporter_email = models.EmailField(_("surel pelapor"), blank=True)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    open311_client = models.ForeignKey(
        "Open311Client", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    open311_token = models.CharField(max_length=40, blank=True, db_index=True)
    media_url = models.URLField(max_length=500, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.SUBMITTED, db_index=True
    )
    submitted_at = models.DateTimeField()
    verify_due = models.DateField(_("batas verifikasi"))
    disposed_at = models.DateTimeField(null=True, blank=True)
    follow_up_due = models.DateField(_("batas tindak lanjut"), null=True, blank=True)
    answer = models.TextField(_("tanggapan instansi"), max_length=4000, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    confirm_due = models.DateField(_("batas konfirmasi pelapor"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    close_reason = models.CharField(max_length=10, choices=CloseReason.choices, blank=True)
    reopen_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="duplicates"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["region", "status", "submitted_at"]),
            models.Index(fields=["agency", "status"]),
            models.Index(fields=["status", "verify_due"]),
            models.Index(fields=["status", "follow_up_due"]),
            models.Index(fields=["status", "confirm_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True, long__isnull=True)
                | Q(lat__gte=-90, lat__lte=90, long__gte=-180, long__lte=180),
                name="complaint_point_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="merged_complaint_has_target",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["disposed", "answered"]) | Q(agency__isnull=False),
                name="disposed_complaint_has_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.tracking_code}"

    @property
    def public_ref(self) -> str:
        """The number shown publicly (the tracking code stays the reporter's secret)."""
        return f"ADU-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.DISPOSED, self.Status.ANSWERED)


def photo_path(instance: ComplaintPhoto, filename: str) -> str:
    return f"complaints/{instance.complaint.submitted_at:%Y/%m}/{filename}"


class ComplaintPhoto(models.Model):
    """A photo, re-encoded without metadata; served only through an access-checked view."""

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"foto #{self.pk}"


class ComplaintEvent(models.Model):
    """The complaint's timeline as the reporter sees it (no personal data in ``note``)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Pengaduan diterima")
        DISPOSED = "disposed", _("Diverifikasi dan diteruskan ke instansi")
        REJECTED = "rejected", _("Tidak dapat diproses")
        ANSWERED = "answered", _("Instansi menanggapi")
        CONFIRMED = "confirmed", _("Pelapor menyatakan selesai")
        REOPENED = "reopened", _("Pelapor membuka kembali")
        AUTO_CLOSED = "auto_closed", _("Ditutup otomatis")
        MERGED = "merged", _("Digabung")
        ESCALATED = "escalated", _("Terlambat: dilaporkan ke pimpinan")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    note = models.TextField(blank=True, max_length=4000)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d}"


class Escalation(models.Model):
    """An overdue step reported to the head: the agency's head (follow-up) or the coordinator's
    supervisors (verification, ``agency`` empty). One row per complaint, stage and due date."""

    class Stage(models.TextChoices):
        VERIFICATION = "verification", _("Verifikasi dan disposisi")
        FOLLOW_UP = "follow_up", _("Tindak lanjut instansi")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="escalations")
    stage = models.CharField(max_length=12, choices=Stage.choices)
    due = models.DateField()
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint", "stage", "due"], name="one_escalation_per_step"
            )
        ]

    def __str__(self) -> str:
        return f"{self.complaint_id} {self.stage} {self.due}"


class RateCounter(models.Model):
    """A fixed-window counter of submissions per address or phone (the key is a keyed hash)."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="one_counter_per_window")
        ]
        indexes = [models.Index(fields=["window_start"])]

    def __str__(self) -> str:
        return f"{self.key[:8]} {self.window_start:%Y-%m-%d %H:%M} {self.count}"


class Open311Client(models.Model):
    """A GeoReport v2 client (an app or another system) with its own API key (hash stored)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("nama klien"), max_length=100, unique=True)
    key_prefix = models.CharField(max_length=8)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("klien Open311")
        verbose_name_plural = _("klien Open311")

    def __str__(self) -> str:
        return self.name
