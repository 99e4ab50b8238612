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


class RecordAccess(models.Model):
    """Who opened which person's record, when, and why (UU PDP 27/2022)."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    accessed_at = models.DateTimeField(auto_now_add=True)
    purpose = models.CharField(max_length=120)
    full_nik_shown = models.BooleanField(default=False)

    class Meta:
        ordering = ["-accessed_at"]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.resident_id}"
