"""Outreach programme tables: programmes, cases and their work (tasks, visits, escalations),
community reports, and each programme's own records (KSPR screenings, support against a
budget, prescriptions and courier dispatches).

A *programme* is a row per regency plus a rules module in ``terpadu/outreach/programmes``.
Every person a programme finds (through a cohort rule or a report) is one :class:`Case`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency, Region


class Programme(models.Model):
    """One outreach programme in one regency; its rules live in ``programmes/<code>.py``."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(_("kode"), max_length=30)
    name = models.CharField(_("nama"), max_length=120)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    is_active = models.BooleanField(_("aktif"), default=True)
    settings = models.JSONField(
        _("pengaturan"), default=dict, blank=True, help_text=_("Mengganti nilai bawaan program.")
    )

    class Meta:
        ordering = ["region__code", "code"]
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="outreach_programme_unique")
        ]

    def __str__(self) -> str:
        return self.name


class FieldAssignment(models.Model):
    """A field worker (bidan desa, pendamping, RT/RW liaison) covering one desa for a programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="assignments")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outreach_assignments"
    )

    class Meta:
        ordering = ["programme_id", "village__code", "user_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "village", "user"], name="outreach_assignment_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.village_id}"


class Case(models.Model):
    """One person found by a programme, followed until an outcome."""

    class Status(models.TextChoices):
        FOUND = "found", _("Ditemukan")
        VERIFIED = "verified", _("Terverifikasi")
        IN_PROGRESS = "in_progress", _("Ditangani")
        RESOLVED = "resolved", _("Selesai")
        NOT_ELIGIBLE = "not_eligible", _("Tidak memenuhi syarat")
        LOST = "lost", _("Tidak dapat dilacak")

    class Source(models.TextChoices):
        COHORT = "cohort", _("Data terpadu")
        REPORT = "report", _("Laporan warga")
        INTAKE = "intake", _("Petugas")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    district = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    resident = models.ForeignKey(
        "registry.Resident",
        on_delete=models.SET_NULL,
        related_name="outreach_cases",
        null=True,
        blank=True,
    )
    subject_key = models.CharField(max_length=80)
    name = models.CharField(_("nama"), max_length=160)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    age_years = models.PositiveSmallIntegerField(_("umur (perkiraan)"), null=True, blank=True)
    address = models.CharField(_("alamat"), max_length=200, blank=True)
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FOUND)
    level = models.CharField(_("tingkat"), max_length=20, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices)
    outcome = models.CharField(_("hasil"), max_length=30, blank=True)
    outcome_note = models.CharField(_("keterangan hasil"), max_length=300, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        related_name="outreach_cases",
        null=True,
        blank=True,
    )
    found_on = models.DateField(_("tanggal ditemukan"))
    due_date = models.DateField(_("tenggat"), null=True, blank=True)
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "subject_key"],
                condition=Q(closed_at__isnull=True),
                name="outreach_one_open_case_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(
                    status__in=["resolved", "not_eligible", "lost"], closed_at__isnull=False
                )
                | Q(status__in=["found", "verified", "in_progress"], closed_at__isnull=True),
                name="outreach_case_closed_iff_terminal",
            ),
        ]
        indexes = [
            models.Index(fields=["programme", "status"]),
            models.Index(fields=["programme", "subject_key"]),
            models.Index(fields=["region", "village"]),
            models.Index(fields=["assigned_to", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}#{self.pk} {self.name}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class CaseEvent(models.Model):
    """The case's timeline: creation, status, assignment, level, notes, escalations."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(max_length=20)
    from_value = models.CharField(max_length=30, blank=True)
    to_value = models.CharField(max_length=30, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class Task(models.Model):
    """A piece of field work with a due date in working days."""

    class Kind(models.TextChoices):
        VERIFY = "verify", _("Verifikasi")
        VISIT = "visit", _("Kunjungan")
        FOLLOW_UP = "follow_up", _("Kunjungan ulang")
        REFERRAL = "referral", _("Rujukan")
        PLACEMENT = "placement", _("Penempatan sekolah")
        DELIVERY = "delivery", _("Antar obat")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    due_date = models.DateField(_("tenggat"))
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    escalation_level = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [models.Index(fields=["due_date"], name="outreach_task_open_due")]

    def __str__(self) -> str:
        return f"{self.kind} {self.due_date}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None and self.cancelled_at is None


class Escalation(models.Model):
    """An overdue task brought to a supervisor's attention (one row per task and level)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="escalations")
    task = models.ForeignKey(
        Task, on_delete=models.CASCADE, related_name="escalations", null=True, blank=True
    )
    level = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    reason = models.CharField(max_length=300)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    notified = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "level"],
                condition=Q(task__isnull=False),
                name="outreach_escalation_once_per_level",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} L{self.level}"


def _visit_photo_path(instance: VisitPhoto, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"outreach/visits/{instance.note.case_id}/{uuid.uuid4().hex}.{ext}"


class VisitNote(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField(_("tanggal kunjungan"))
    text = models.TextField(_("catatan"), max_length=2000)
    client_id = models.CharField(max_length=36, null=True, blank=True, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.visited_on}"


class VisitPhoto(models.Model):
    """A photo of a visit: re-encoded, kept outside the web root, served after an access check."""

    note = models.ForeignKey(VisitNote, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_visit_photo_path, max_length=200)
    content_type = models.CharField(max_length=20)

    def __str__(self) -> str:
        return str(self.file.name)


class Reporter(models.Model):
    """A registered community reporter (mlijo, kader, RT/RW, school): a citizen user."""

    class Kind(models.TextChoices):
        MLIJO = "mlijo", _("Pedagang sayur keliling (mlijo)")
        KADER = "kader", _("Kader kesehatan")
        RT_RW = "rt_rw", _("Ketua RT/RW")
        SCHOOL = "school", _("Sekolah")
        OTHER = "other", _("Lainnya")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporter_profile"
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    programmes = models.ManyToManyField(Programme, related_name="reporters")
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind}: {self.user_id}"


def _report_photo_path(instance: Report, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"outreach/reports/{instance.programme_id}/{uuid.uuid4().hex}.{ext}"


class Report(models.Model):
    """A community report of someone a programme should find; de-duplicated by ``client_id``."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Diterima")
        FOLLOWED_UP = "followed_up", _("Ditindaklanjuti")

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="reports")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(
        Reporter, on_delete=models.PROTECT, related_name="reports", null=True, blank=True
    )
    reporter_label = models.CharField(_("pelapor"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("nomor HP pelapor"), max_length=20, blank=True)
    client_id = models.CharField(max_length=36, unique=True)
    name = models.CharField(_("nama"), max_length=160)
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    age_years = models.PositiveSmallIntegerField(_("umur (perkiraan)"), null=True, blank=True)
    note = models.TextField(_("yang diamati"), max_length=1000, blank=True)
    signs = models.JSONField(default=list, blank=True)
    photo = models.FileField(upload_to=_report_photo_path, max_length=200, blank=True)
    photo_content_type = models.CharField(max_length=20, blank=True)
    photo_consent = models.BooleanField(default=False)
    received_at = models.DateTimeField()
    case = models.ForeignKey(
        Case, on_delete=models.SET_NULL, related_name="reports", null=True, blank=True
    )
    matched_existing = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    source_key = models.CharField(
        max_length=64, blank=True, help_text="Keyed hash of a public reporter's address (limits)."
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["source_key", "received_at"])]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.client_id}"


class CaseView(models.Model):
    """Who opened which case, when (UU PDP 27/2022: every view of personal data is logged)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="views")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    purpose = models.CharField(max_length=60)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id}"


# --- Garda Ampuh ---------------------------------------------------------------------------


class Budget(models.Model):
    """A programme's budget for one year (Rupiah)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    amount = models.BigIntegerField(_("pagu (Rp)"))

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "year"], name="outreach_budget_year"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="outreach_budget_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.programme_id} {self.year}"


class Support(models.Model):
    """Support given to a case (uang saku, transport, Tabungan Garda Ampuh …)."""

    class Kind(models.TextChoices):
        POCKET_MONEY = "pocket_money", _("Uang saku")
        TRANSPORT = "transport", _("Transport")
        SAVINGS = "savings", _("Tabungan Garda Ampuh")
        SCHOOL_KIT = "school_kit", _("Sepatu dan tas")
        TUITION = "tuition", _("Biaya Paket A/B/C di PKBM")

    class Funder(models.TextChoices):
        PEMDA = "pemda", _("APBD (Pemda)")
        SWADAYA = "swadaya", _("Swadaya masyarakat")
        BUSINESS = "business", _("Dunia usaha")
        SAS = "sas", _("Siswa Asuh Sebaya")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="supports")
    budget = models.ForeignKey(
        Budget, on_delete=models.PROTECT, related_name="supports", null=True, blank=True
    )
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    funder = models.CharField(_("sumber dana"), max_length=10, choices=Funder.choices)
    amount = models.BigIntegerField(_("jumlah (Rp)"))
    given_on = models.DateField(_("tanggal"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["given_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="outreach_support_positive"),
            models.CheckConstraint(
                condition=~Q(funder="pemda") | Q(budget__isnull=False),
                name="outreach_pemda_support_has_budget",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount}"


# --- Maternal risk (KSPR) ------------------------------------------------------------------


class Screening(models.Model):
    """One KSPR card filled at one visit: a score per visit, not one per pregnancy."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="screenings")
    visited_on = models.DateField(_("tanggal kunjungan"))
    gestation_weeks = models.PositiveSmallIntegerField(
        _("umur kehamilan (minggu)"), null=True, blank=True
    )
    items = models.JSONField(default=list)
    score = models.PositiveSmallIntegerField()
    group = models.CharField(max_length=4)
    local_flags = models.JSONField(default=list, blank=True)
    screened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["visited_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(group__in=["KRR", "KRT", "KRST"]), name="outreach_kspr_group"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.score} {self.group}"


# --- Gancang Aron (medicine delivery) ------------------------------------------------------


class CourierPartner(models.Model):
    """A courier company's API (the demo and tests use the local simulator)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    code = models.SlugField(max_length=30)
    name = models.CharField(max_length=120)
    base_url = models.URLField(max_length=200)
    api_key = models.CharField(max_length=200)
    webhook_secret = models.CharField(max_length=200)
    timeout_seconds = models.PositiveSmallIntegerField(default=10)
    max_attempts = models.PositiveSmallIntegerField(default=6)
    is_active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="outreach_courier_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Prescription(models.Model):
    """An outpatient's prescription marked for home delivery (one medicine case)."""

    class Eligibility(models.TextChoices):
        WELFARE = "welfare", _("Warga miskin (DTKS)")
        PBI = "pbi", _("Peserta BPJS PBI")
        PAYING = "paying", _("Pasien umum (bayar tarif jarak)")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="prescription")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    rx_number = models.CharField(_("nomor resep"), max_length=40)
    distance_km = models.DecimalField(_("jarak (km)"), max_digits=5, decimal_places=1)
    eligibility = models.CharField(max_length=8, choices=Eligibility.choices)
    welfare_decile = models.PositiveSmallIntegerField(null=True, blank=True)
    tariff = models.PositiveIntegerField(_("tarif (Rp)"), default=0)
    otp_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency", "rx_number"], name="outreach_rx_unique")
        ]

    def __str__(self) -> str:
        return self.rx_number

    @property
    def is_free(self) -> bool:
        return self.tariff == 0


def _proof_photo_path(instance: Dispatch, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"outreach/proofs/{instance.prescription_id}/{uuid.uuid4().hex}.{ext}"


ACTIVE_DISPATCH = ("pending", "sending", "accepted", "picked_up")


class Dispatch(models.Model):
    """A delivery job for a courier, written in the transaction that asks for it (an outbox row).

    The worker sends it with its ``idempotency_key``; a resend after a crash carries the
    same key, so the courier never creates the job twice.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim ke kurir")
        SENDING = "sending", _("Sedang dikirim ke kurir")
        ACCEPTED = "accepted", _("Diterima kurir")
        PICKED_UP = "picked_up", _("Obat diambil kurir")
        DELIVERED = "delivered", _("Sampai ke pasien")
        FAILED = "failed", _("Gagal diantar")
        FLAGGED = "flagged", _("Kurir tidak menjawab")

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="dispatches"
    )
    partner = models.ForeignKey(CourierPartner, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField(default=1)
    idempotency_key = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    courier_job_id = models.CharField(max_length=64, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    recipient_name = models.CharField(max_length=120, blank=True)
    proof_kind = models.CharField(max_length=8, blank=True)
    proof_photo = models.FileField(upload_to=_proof_photo_path, max_length=200, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["prescription"],
                condition=Q(status__in=ACTIVE_DISPATCH),
                name="outreach_one_active_dispatch",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return self.idempotency_key


class CourierEvent(models.Model):
    """A verified status webhook from the courier (de-duplicated by the courier's event id)."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=64, unique=True)
    status = models.CharField(max_length=10)
    received_at = models.DateTimeField()
    payload = models.JSONField(default=dict)
    applied = models.BooleanField(default=False)

    class Meta:
        ordering = ["received_at", "id"]

    def __str__(self) -> str:
        return f"{self.dispatch_id} {self.status}"
