"""The population register (the Dukcapil base the person index links to).

Households (Kartu Keluarga) and their residents. Every row belongs to a regency
(``region``) and lives in a desa/kelurahan (``village``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Region


class Sex(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class Household(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    kk_number = models.CharField(_("nomor KK"), max_length=16, unique=True)
    address = models.CharField(_("alamat"), max_length=200)
    rt = models.CharField(max_length=3)
    rw = models.CharField(max_length=3)

    class Meta:
        indexes = [models.Index(fields=["region", "village"])]

    def __str__(self) -> str:
        return self.kk_number


class Resident(models.Model):
    class Relationship(models.TextChoices):
        HEAD = "head", _("Kepala keluarga")
        SPOUSE = "spouse", _("Istri/Suami")
        CHILD = "child", _("Anak")
        PARENT = "parent", _("Orang tua")
        OTHER = "other", _("Famili lain")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="members")
    nik = models.CharField(_("NIK"), max_length=16, unique=True)
    name = models.CharField(_("nama"), max_length=120)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=80)
    birth_date = models.DateField(_("tanggal lahir"))
    relationship = models.CharField(
        _("hubungan keluarga"), max_length=10, choices=Relationship.choices
    )
    mother_name = models.CharField(_("nama ibu"), max_length=120, blank=True)
    religion = models.CharField(_("agama"), max_length=20, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=60, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["region", "village"]),
            models.Index(fields=["region", "name"]),
        ]

    def __str__(self) -> str:
        return self.name


class SourceType(models.TextChoices):
    POPULATION = "population", _("Register kependudukan (Dukcapil)")
    SCHOOL = "school", _("Data siswa (Dapodik)")
    MATERNAL = "maternal", _("Kohort ibu hamil (puskesmas)")
    WELFARE = "welfare", _("Data kesejahteraan sosial (DTKS)")


class SourceBatch(models.Model):
    """One imported extract of one source type: version N of that source in a regency.

    A batch is written whole or not at all; its records never change afterwards
    (a corrected extract is a new version).
    """

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    source_type = models.CharField(_("jenis sumber"), max_length=20, choices=SourceType.choices)
    version = models.PositiveIntegerField(_("versi"))
    file_name = models.CharField(_("nama berkas"), max_length=200)
    file_sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    synthetic = models.BooleanField(
        default=False, help_text="Demo data with a known truth column (never real people)."
    )
    linked_run = models.ForeignKey(
        "LinkageRun", on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "source_type", "version"], name="registry_batch_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_type} v{self.version}"


class SourceRecord(models.Model):
    """One row of a batch: what the agency wrote (``data``) and its standard form."""

    batch = models.ForeignKey(SourceBatch, on_delete=models.CASCADE, related_name="records")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    source_type = models.CharField(max_length=20, choices=SourceType.choices)
    row_number = models.PositiveIntegerField()
    external_id = models.CharField(max_length=40, blank=True)
    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="source_records", null=True, blank=True
    )
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    district_code = models.CharField(max_length=16, blank=True)
    nik = models.CharField(max_length=16, blank=True)
    kk = models.CharField(max_length=16, blank=True)
    name = models.CharField(max_length=160)
    name_std = models.CharField(max_length=160)
    name_key = models.CharField(max_length=160)
    sex = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(null=True, blank=True)
    birth_place = models.CharField(max_length=80, blank=True)
    mother_name = models.CharField(max_length=160, blank=True)
    mother_key = models.CharField(max_length=160, blank=True)
    spouse_key = models.CharField(max_length=160, blank=True)
    address = models.CharField(max_length=200, blank=True)
    rt = models.CharField(max_length=3, blank=True)
    rw = models.CharField(max_length=3, blank=True)
    data = models.JSONField(default=dict)
    truth = models.CharField(
        max_length=40, blank=True, help_text="Synthetic data only: the known person."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "row_number"], name="registry_record_row")
        ]
        indexes = [models.Index(fields=["nik"]), models.Index(fields=["region", "source_type"])]

    def __str__(self) -> str:
        return f"{self.source_type}#{self.pk}"


class LinkageRun(models.Model):
    class Mode(models.TextChoices):
        FULL = "full", _("Penuh")
        INCREMENTAL = "incremental", _("Inkremental")

    class Status(models.TextChoices):
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=12, choices=Mode.choices)
    backend = models.CharField(max_length=10, default="duckdb")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    started_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    model_sha256 = models.CharField(max_length=64, blank=True)
    upper_threshold = models.FloatField()
    lower_threshold = models.FloatField()
    figures = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.mode})"


class Person(models.Model):
    """One person of the integrated index: the cluster of source records that describe them."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    nik = models.CharField(_("NIK"), max_length=16, blank=True)
    name = models.CharField(_("nama"), max_length=160)
    sex = models.CharField(_("jenis kelamin"), max_length=1, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    created_run = models.ForeignKey(
        LinkageRun, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["region", "name"]), models.Index(fields=["nik"])]

    def __str__(self) -> str:
        return self.name


class PersonLink(models.Model):
    """A source record's place in the person index, with how it got there."""

    class Method(models.TextChoices):
        REGISTER = "register", _("Register kependudukan")
        NIK = "nik", _("NIK sama")
        MODEL = "model", _("Model probabilistik")
        CLERICAL = "clerical", _("Keputusan petugas")
        SINGLE = "single", _("Belum ada pasangan")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="links")
    record = models.OneToOneField(SourceRecord, on_delete=models.CASCADE, related_name="link")
    match_probability = models.FloatField()
    method = models.CharField(max_length=10, choices=Method.choices)
    run = models.ForeignKey(
        LinkageRun, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )

    def __str__(self) -> str:
        return f"{self.record_id} → {self.person_id}"


class ReviewPair(models.Model):
    """A pair between the auto-reject and auto-link thresholds, for a data officer to decide."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        ACCEPTED = "accepted", _("Orang yang sama")
        REJECTED = "rejected", _("Orang berbeda")
        UNSURE = "unsure", _("Belum yakin")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    record_l = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_r = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    match_probability = models.FloatField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    run = models.ForeignKey(
        LinkageRun, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    decided_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-match_probability", "id"]
        constraints = [
            models.UniqueConstraint(fields=["record_l", "record_r"], name="registry_review_pair"),
            models.CheckConstraint(
                condition=models.Q(record_l__lt=models.F("record_r")),
                name="registry_review_pair_ordered",
            ),
        ]
        indexes = [models.Index(fields=["region", "status"])]

    def __str__(self) -> str:
        return f"{self.record_l_id} ~ {self.record_r_id}"


class RecordAccess(models.Model):
    """Who opened which person's record, when, and why (UU PDP 27/2022)."""

    resident = models.ForeignKey(
        Resident, on_delete=models.CASCADE, related_name="accesses", null=True, blank=True
    )
    # Kept when a re-run dissolves the person: the log outlives the index.
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, related_name="accesses", null=True, blank=True
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(max_length=120)
    full_nik_shown = models.BooleanField(default=False)

    class Meta:
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.resident_id or self.person_id}"
