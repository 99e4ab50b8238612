"""Users, their role, their region and (for officers) their agency."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from terpadu.core.models import Agency, Region


class Role(models.TextChoices):
    CITIZEN = "citizen", _("Warga")
    FRONT_DESK = "front_desk", _("Petugas front office MPP")
    AGENCY_OFFICER = "agency_officer", _("Petugas instansi")
    AGENCY_HEAD = "agency_head", _("Kepala instansi")
    SUPERVISOR = "supervisor", _("Pengawas MPP")
    FIELD_WORKER = "field_worker", _("Petugas lapangan")
    ADMIN = "admin", _("Administrator sistem")


AGENCY_ROLES = frozenset({Role.AGENCY_OFFICER, Role.AGENCY_HEAD})
STAFF_ROLES = frozenset(set(Role) - {Role.CITIZEN})
# Roles whose work needs the full NIK (identity checks at the desk, administration).
FULL_NIK_ROLES = frozenset({Role.FRONT_DESK, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.ADMIN})


class User(AbstractUser):
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.CITIZEN)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("Kabupaten/kota tempat bertugas; provinsi untuk peran tingkat provinsi."),
    )
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    phone = models.CharField(_("nomor HP"), max_length=20, blank=True)
    nik = models.CharField(_("NIK"), max_length=16, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=["agency_officer", "agency_head"])
                | models.Q(agency__isnull=False),
                name="agency_roles_have_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_province_level(self) -> bool:
        return self.region is not None and self.region.level == Region.Level.PROVINCE

    @property
    def sees_full_nik(self) -> bool:
        return self.role in FULL_NIK_ROLES or self.is_superuser


def current_user(request: HttpRequest) -> User:
    """The request's user as our User model (views behind login_required)."""
    return cast(User, request.user)


class LoginFailure(models.Model):
    """A failed login, kept for throttling (username and address)."""

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["username", "created_at"]),
            models.Index(fields=["address", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.username}@{self.address}"


class ApiToken(models.Model):
    """A bearer token for a machine client; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
