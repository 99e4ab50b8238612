"""Applications (permohonan): what a citizen asks an agency for, its files, its steps and its output.

* ``Application`` belongs to one service version (the version in force when it
  was filed), the service's agency and regency. ``status`` is a workflow state
  (``workflow.py``) or ``draf`` before submission. The clocks are stored where
  the worklist needs them: ``step_due_at``/``step_warn_at`` for the current
  step, ``due_at`` for the whole service (empty while the clock is paused).
* ``ApplicationFile``: an upload for one requirement (PDF, JPEG or PNG, checked
  and re-encoded); a file replaced during *perbaikan* stays, marked not current.
* ``ApplicationEvent``: the timeline (every transition, with its reason).
* ``IssuedDocument``: the output PDF with its number and verification token.
* ``ServiceWorkflow`` / ``DocumentTemplate``: per-service configuration.
* ``TrackingCounter``: the fixed-window counters of the public tracking page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.catalog.models import Service, ServiceVersion
from terpadu.core.models import Agency, Region


class Application(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Daring")
        COUNTER = "counter", _("Loket")

    class NotifyChannel(models.TextChoices):
        EMAIL = "email", _("Surel")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")
        NONE = "none", _("Tanpa pemberitahuan")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="applications")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="applications")
    service_version = models.ForeignKey(
        ServiceVersion, on_delete=models.PROTECT, related_name="applications"
    )
    code = models.CharField(_("kode lacak"), max_length=12, unique=True)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=30, default="draf")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ticket = models.ForeignKey(
        "queueing.Ticket",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    applicant_nik = models.CharField(_("NIK pemohon"), max_length=16)
    applicant_phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("surel"), blank=True)
    notify_channel = models.CharField(
        _("kirim kabar lewat"),
        max_length=10,
        choices=NotifyChannel.choices,
        default=NotifyChannel.NONE,
    )
    data = models.JSONField(_("isian"), default=dict, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_applications",
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    step_started_at = models.DateTimeField(null=True, blank=True)
    step_due_at = models.DateTimeField(null=True, blank=True)
    step_warn_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(_("batas waktu layanan"), null=True, blank=True)
    paused_since = models.DateTimeField(null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True, help_text="[[start, end], ...] ISO")
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["agency", "status", "step_due_at"], name="app_agency_worklist"),
            models.Index(fields=["assigned_to", "step_due_at"], name="app_officer_worklist"),
            models.Index(fields=["applicant", "-id"], name="app_applicant"),
            models.Index(fields=["region", "submitted_at"], name="app_region_submitted"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(channel__in=["online", "counter"]), name="application_channel_known"
            ),
            models.CheckConstraint(
                condition=Q(status="draf") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_code} {self.service_id}"

    @property
    def display_code(self) -> str:
        return display_code(self.code)

    @property
    def first_name(self) -> str:
        return (self.applicant_name or "").split(" ")[0]


def display_code(code: str) -> str:
    """``"7K2QM4TXP9"`` -> ``"7K2Q-M4TX-P9"`` is hard to say; we group 4-3-3: ``"7K2Q-M4T-XP9"``."""
    if len(code) != 10:
        return code
    return f"{code[:4]}-{code[4:7]}-{code[7:]}"


class ApplicationFile(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    requirement = models.PositiveSmallIntegerField(_("persyaratan ke"))
    label = models.CharField(_("persyaratan"), max_length=300)
    file = models.FileField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    original_name = models.CharField(max_length=120, blank=True)
    is_current = models.BooleanField(default=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("berkas permohonan")
        ordering = ["application_id", "requirement", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"],
                condition=Q(is_current=True),
                name="one_current_file_per_requirement",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}#{self.requirement} {self.label}"


class ApplicationEvent(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30, blank=True)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["application_id", "at", "id"]
        indexes = [models.Index(fields=["application", "at"])]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action} {self.at:%Y-%m-%d}"


class IssuedDocument(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="document"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("nomor dokumen"), max_length=80)
    title = models.CharField(_("jenis dokumen"), max_length=200)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(max_length=200)
    sha256 = models.CharField(max_length=64)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("dokumen terbit")
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="unique_document_number")
        ]

    def __str__(self) -> str:
        return self.number


class ServiceWorkflow(models.Model):
    """A service's own workflow (states, step SLAs, transitions); the default applies without one."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="workflow")
    definition = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("alur layanan")

    def __str__(self) -> str:
        return f"workflow {self.service_id}"


class DocumentTemplate(models.Model):
    """The output document of a service: title, body with ``$field`` placeholders, number prefix."""

    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="doc_template")
    title = models.CharField(_("judul"), max_length=200)
    body = models.TextField(_("isi"), help_text=_("Boleh memuat $applicant_name, $child_name, …"))
    number_prefix = models.CharField(_("awalan nomor"), max_length=40, default="474")

    class Meta:
        verbose_name = _("templat dokumen")

    def __str__(self) -> str:
        return self.title


class AgencyBackOffice(models.Model):
    """The webhook an agency's own system receives on every transition of its applications."""

    agency = models.OneToOneField(Agency, on_delete=models.CASCADE, related_name="back_office")
    endpoint = models.ForeignKey(
        "notifications.WebhookEndpoint", on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("sistem instansi")

    def __str__(self) -> str:
        return f"{self.agency_id} → {self.endpoint_id}"


class TrackingCounter(models.Model):
    """Failed tracking look-ups per key (hashed address or code) and fixed window."""

    key = models.CharField(max_length=64)
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="unique_tracking_window")
        ]

    def __str__(self) -> str:
        return f"{self.key[:8]}@{self.window_start:%H:%M}={self.count}"
