"""Gallery tables: innovations, their awards, photos, documents, contacts, the platform
measures their outcomes are read from, figures entered by hand (always with a source),
and the replication kits imported into a region.

Measured figures are never stored here: a :class:`Measure` only says *where* to read
them (an outreach programme, a CETAR indicator of a service, the IKM of a service);
``terpadu/gallery/measures.py`` reads them live.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency, Region


class Theme(models.TextChoices):
    EDUCATION = "education", _("Pendidikan")
    HEALTH = "health", _("Kesehatan")
    SOCIAL = "social_protection", _("Perlindungan sosial")
    LICENSING = "licensing", _("Perizinan")
    CIVIL_REGISTRATION = "civil_registration", _("Administrasi kependudukan")
    PUBLIC_SERVICE = "public_service", _("Pelayanan publik terpadu")
    VILLAGE = "village", _("Desa digital")
    OTHER = "other", _("Lainnya")


class Stage(models.TextChoices):
    IDEA = "idea", _("Gagasan")
    PILOT = "pilot", _("Uji coba")
    RUNNING = "running", _("Berjalan")
    REPLICATED = "replicated", _("Direplikasi")


class Innovation(models.Model):
    """A public-service innovation of one agency in one regency."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    slug = models.SlugField(_("alamat singkat"), max_length=80, unique=True)
    name = models.CharField(_("nama inovasi"), max_length=160)
    tagline = models.CharField(_("ringkasan satu kalimat"), max_length=240, blank=True)
    start_date = models.DateField(_("tanggal mulai"), null=True, blank=True)
    problem = models.TextField(_("masalah yang dijawab"), max_length=4000, blank=True)
    how_it_works = models.TextField(_("cara kerja"), max_length=6000, blank=True)
    theme = models.CharField(_("tema"), max_length=20, choices=Theme.choices)
    stage = models.CharField(_("tahap"), max_length=12, choices=Stage.choices, default=Stage.IDEA)
    is_public = models.BooleanField(_("tampil di galeri publik"), default=False)
    contact_name = models.CharField(_("nama kontak"), max_length=120, blank=True)
    contact_role = models.CharField(_("jabatan kontak"), max_length=120, blank=True)
    contact_email = models.EmailField(_("surel kontak"), blank=True)
    contact_phone = models.CharField(_("telepon kontak"), max_length=40, blank=True)
    replicated_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="replications",
        null=True,
        blank=True,
        verbose_name=_("replikasi dari"),
    )
    #: where a replication came from when the original lives in another deployment
    origin_label = models.CharField(_("asal replikasi"), max_length=200, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["is_public", "theme"]),
            models.Index(fields=["region", "agency"]),
        ]

    def __str__(self) -> str:
        return self.name


class Award(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Provinsi")
        NATIONAL = "national", _("Nasional")
        INTERNATIONAL = "international", _("Internasional")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="awards")
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    name = models.CharField(_("penghargaan"), max_length=200)
    giver = models.CharField(_("pemberi"), max_length=200)
    level = models.CharField(_("tingkat"), max_length=14, choices=Level.choices)
    source_url = models.URLField(_("sumber"), max_length=300, blank=True)

    class Meta:
        ordering = ["-year", "id"]

    def __str__(self) -> str:
        return self.display()

    def display(self) -> str:
        return f"{self.name} — {self.giver}" + (f" ({self.year})" if self.year else "")


def _photo_path(instance: Photo, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"gallery/photos/{instance.innovation_id}/{uuid.uuid4().hex}.{ext}"


def _document_path(instance: Document, filename: str) -> str:
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"gallery/documents/{instance.innovation_id}/{uuid.uuid4().hex}.{ext}"


class Photo(models.Model):
    """A public photo of an innovation: checked by content, re-encoded, served by a view."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(upload_to=_photo_path, max_length=200)
    content_type = models.CharField(max_length=20)
    caption = models.CharField(_("keterangan"), max_length=200, blank=True)
    alt_text = models.CharField(_("teks alternatif"), max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return str(self.file.name)


class Document(models.Model):
    """A public document (PDF or image) of an innovation: SOP, decree, evaluation report."""

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(upload_to=_document_path, max_length=200)
    content_type = models.CharField(max_length=30)
    title = models.CharField(_("judul dokumen"), max_length=200)
    size = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class Measure(models.Model):
    """Where one outcome of an innovation is read from, live.

    * ``outreach``: the cases of an outreach programme (found / handled / resolved);
    * ``cetar``: a CETAR indicator, optionally of one service or agency;
    * ``ikm``: the IKM of a service or agency before and after ``pivot_date``.
    """

    class Kind(models.TextChoices):
        OUTREACH = "outreach", _("Program jemput bola")
        CETAR = "cetar", _("Indikator CETAR")
        IKM = "ikm", _("Indeks Kepuasan Masyarakat")

    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=160, blank=True)
    programme_code = models.SlugField(max_length=30, blank=True)
    indicator_id = models.CharField(max_length=40, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    pivot_date = models.DateField(_("tanggal pembanding"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="outreach") | ~Q(programme_code=""),
                name="gallery_measure_outreach_has_programme",
            ),
            models.CheckConstraint(
                condition=~Q(kind="cetar") | ~Q(indicator_id=""),
                name="gallery_measure_cetar_has_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.programme_code or self.indicator_id}"


class ManualFigure(models.Model):
    """A figure entered by hand (a press report, an evaluation): always with its source.

    Shown apart from measured figures and never added to them.
    """

    innovation = models.ForeignKey(
        Innovation, on_delete=models.CASCADE, related_name="manual_figures"
    )
    label = models.CharField(_("keterangan angka"), max_length=200)
    value = models.DecimalField(_("nilai"), max_digits=16, decimal_places=2)
    unit = models.CharField(_("satuan"), max_length=30, blank=True)
    period_label = models.CharField(_("periode"), max_length=60)
    source = models.CharField(_("sumber"), max_length=200)
    source_url = models.URLField(_("tautan sumber"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(source=""), name="gallery_manual_has_source")
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.value}"

    def value_text(self) -> str:
        """Indonesian format, ``Rp`` in front: ``5.093 anak``, ``Rp 3.330.000.000``."""
        decimals = 0 if self.value == self.value.to_integral_value() else 2
        text = f"{self.value:,.{decimals}f}".replace(",", "_").replace(".", ",").replace("_", ".")
        if self.unit == "Rp":
            return f"Rp {text}"
        return f"{text} {self.unit}".strip()


class KitImport(models.Model):
    """A replication kit imported into a region (re-importing the same kit changes nothing)."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    innovation = models.ForeignKey(Innovation, on_delete=models.CASCADE, related_name="kit_imports")
    source_region_code = models.CharField(max_length=13)
    source_slug = models.SlugField(max_length=80)
    kit_version = models.PositiveSmallIntegerField()
    sha256 = models.CharField(max_length=64)
    imported_at = models.DateTimeField()
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, related_name="+", null=True, blank=True
    )
    summary = models.JSONField(default=dict)

    class Meta:
        ordering = ["-imported_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["region", "sha256"], name="gallery_kit_once_per_region")
        ]

    def __str__(self) -> str:
        return f"{self.source_slug} → {self.region_id}"
