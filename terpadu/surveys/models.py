"""SKM (Survei Kepuasan Masyarakat) tables: questionnaire elements, responses, follow-up plans.

The nine standard unsur are stored by code (``U1`` … ``U9``) in columns ``u1`` …
``u9`` of :class:`SurveyResponse` — the code names the element, never a position
in some form. Their wording (name, question, the four answer labels) is
configuration (:class:`Unsur`) per regency or per unit; a unit may add its own
unsur, whose answers go to :class:`ExtraAnswer`. See ``docs/surveys.md``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency, Region

STANDARD_FIELDS = tuple(f"u{i}" for i in range(1, 10))


def _scale_check(field: str, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": 1, f"{field}__lte": 4}),
        name=name,
    )


class Unsur(models.Model):
    """The wording of one questionnaire element for a regency (``agency`` empty) or one unit."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.CASCADE, related_name="survey_unsur"
    )
    code = models.CharField(_("kode"), max_length=8)
    name = models.CharField(_("unsur"), max_length=120)
    question = models.CharField(_("pertanyaan"), max_length=300)
    label_1 = models.CharField(_("jawaban nilai 1"), max_length=80)
    label_2 = models.CharField(_("jawaban nilai 2"), max_length=80)
    label_3 = models.CharField(_("jawaban nilai 3"), max_length=80)
    label_4 = models.CharField(_("jawaban nilai 4"), max_length=80)
    order = models.PositiveSmallIntegerField(_("urutan"), default=100)
    is_active = models.BooleanField(
        _("aktif"),
        default=True,
        help_text=_("Hanya untuk unsur tambahan; U1–U9 selalu ditanyakan."),
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("unsur SKM")
        verbose_name_plural = _("unsur SKM")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "agency", "code"], name="unique_unsur_per_unit"
            ),
            models.UniqueConstraint(
                fields=["region", "code"],
                condition=Q(agency__isnull=True),
                name="unique_unsur_per_regency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SurveyResponse(models.Model):
    """One filled questionnaire (one per visit when ``visit_ref`` is given)."""

    class Channel(models.TextChoices):
        LINK = "link", _("Tautan")
        KIOSK = "kiosk", _("Anjungan (kios)")
        VISIT = "visit", _("Setelah kunjungan")

    class AgeBand(models.TextChoices):
        UNDER_20 = "lt20", _("< 20 tahun")
        AGE_20 = "20-29", _("20–29 tahun")
        AGE_30 = "30-39", _("30–39 tahun")
        AGE_40 = "40-49", _("40–49 tahun")
        AGE_50 = "50-59", _("50–59 tahun")
        AGE_60 = "60+", _("60 tahun ke atas")

    class Sex(models.TextChoices):
        MALE = "L", _("Laki-laki")
        FEMALE = "P", _("Perempuan")

    class Education(models.TextChoices):
        NONE = "none", _("Tidak/belum sekolah")
        SD = "sd", _("SD/sederajat")
        SMP = "smp", _("SMP/sederajat")
        SMA = "sma", _("SMA/sederajat")
        DIPLOMA = "diploma", _("D1–D3")
        S1 = "s1", _("D4/S1")
        S2 = "s2", _("S2/S3")

    class Occupation(models.TextChoices):
        CIVIL = "civil", _("PNS/TNI/Polri")
        PRIVATE = "private", _("Pegawai swasta")
        SELF = "self", _("Wiraswasta/usahawan")
        STUDENT = "student", _("Pelajar/mahasiswa")
        FARMER = "farmer", _("Petani/nelayan")
        HOME = "home", _("Mengurus rumah tangga")
        OTHER = "other", _("Lainnya")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="survey_responses")
    service = models.ForeignKey(
        "catalog.Service",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    hall = models.ForeignKey(
        "catalog.Hall", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.LINK)
    visit_ref = models.CharField(
        _("rujukan kunjungan"),
        max_length=64,
        blank=True,
        help_text=_("Kode tiket antrean atau permohonan; satu jawaban per kunjungan."),
    )
    submitted_at = models.DateTimeField()
    local_date = models.DateField(help_text=_("Tanggal pengisian (WIB), untuk periode survei."))
    u1 = models.PositiveSmallIntegerField(null=True, blank=True)
    u2 = models.PositiveSmallIntegerField(null=True, blank=True)
    u3 = models.PositiveSmallIntegerField(null=True, blank=True)
    u4 = models.PositiveSmallIntegerField(null=True, blank=True)
    u5 = models.PositiveSmallIntegerField(null=True, blank=True)
    u6 = models.PositiveSmallIntegerField(null=True, blank=True)
    u7 = models.PositiveSmallIntegerField(null=True, blank=True)
    u8 = models.PositiveSmallIntegerField(null=True, blank=True)
    u9 = models.PositiveSmallIntegerField(null=True, blank=True)
    age_band = models.CharField(_("usia"), max_length=8, choices=AgeBand.choices, blank=True)
    sex = models.CharField(_("jenis kelamin"), max_length=1, choices=Sex.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=10, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True
    )
    comment = models.TextField(_("saran dan masukan"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [
            models.Index(fields=["region", "local_date"]),
            models.Index(fields=["agency", "local_date"]),
            models.Index(fields=["service", "local_date"]),
            models.Index(fields=["hall", "local_date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "visit_ref"],
                condition=~Q(visit_ref=""),
                name="one_survey_response_per_visit",
            ),
            *[_scale_check(f, f"survey_{f}_in_scale") for f in STANDARD_FIELDS],
        ]

    def __str__(self) -> str:
        return f"SKM #{self.pk} {self.local_date}"


class ExtraAnswer(models.Model):
    """An answer to an unsur the unit added on top of U1–U9."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="extra")
    code = models.CharField(max_length=8)
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "code"], name="one_extra_answer_per_code"),
            models.CheckConstraint(
                condition=Q(value__gte=1, value__lte=4), name="extra_answer_in_scale"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}={self.value}"


class FollowUpPlan(models.Model):
    """Rencana tindak lanjut: what the unit will do about a weak unsur, recorded and published."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Direncanakan")
        IN_PROGRESS = "in_progress", _("Sedang dikerjakan")
        DONE = "done", _("Selesai")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="survey_plans")
    period = models.CharField(_("periode"), max_length=10, help_text="2026, 2026-S1, 2026-Q3")
    unsur_code = models.CharField(_("unsur"), max_length=8)
    finding = models.TextField(_("temuan"), max_length=1000)
    action = models.TextField(_("rencana tindak lanjut"), max_length=2000)
    responsible = models.CharField(_("penanggung jawab"), max_length=120)
    target_date = models.DateField(_("target selesai"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    is_published = models.BooleanField(_("diumumkan"), default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "period"])]

    def __str__(self) -> str:
        return f"{self.agency} {self.period} {self.unsur_code}"
