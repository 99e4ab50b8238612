"""Demo logins: one per role (plus a provincial supervisor and an officer for every agency)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction

from terpadu.accounts.models import Role, User
from terpadu.core.models import Agency, Region
from terpadu.demo.build import StepContext, register_step

DEMO_PASSWORD = "demo-terpadu-2017"


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    password: str
    note: str


PRINTED = [
    ("warga", Role.CITIZEN, "", "Sri Wahyuni", "warga"),
    ("frontdesk", Role.FRONT_DESK, "", "Dewi Lestari", "meja depan MPP"),
    (
        "petugas.dukcapil",
        Role.AGENCY_OFFICER,
        "dukcapil",
        "Agus Setiawan",
        "Dinas Kependudukan dan Pencatatan Sipil",
    ),
    ("kepala.dukcapil", Role.AGENCY_HEAD, "dukcapil", "Hadi Santoso", "kepala Dinas Dukcapil"),
    ("pengawas", Role.SUPERVISOR, "", "Rina Puspitasari", "pengawas MPP Banyuwangi"),
    ("lapangan", Role.FIELD_WORKER, "", "Yuli Astutik", "petugas lapangan"),
    ("admin", Role.ADMIN, "", "Bambang Hermanto", "administrator sistem"),
]


@transaction.atomic
def create_demo_users(*, region_code: str = "35.10") -> list[DemoLogin]:
    """Create (or refresh) the demo logins; idempotent."""
    region = Region.objects.get(code=region_code)
    province = Region.objects.get(code=region_code[:2])
    agencies = {a.code: a for a in Agency.objects.filter(region=region)}
    logins: list[DemoLogin] = []
    password_hash = make_password(DEMO_PASSWORD)  # hashed once: argon2 is slow on purpose

    def ensure(
        username: str, role: str, agency: Agency | None, full_name: str, where: Region
    ) -> User:
        first, _sep, last = full_name.partition(" ")
        user = User.objects.filter(username=username).first() or User(username=username)
        user.role, user.agency, user.region = role, agency, where
        user.first_name, user.last_name = first, last
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.password = password_hash
        user.save()
        return user

    for username, role, agency_code, full_name, note in PRINTED:
        agency = agencies.get(agency_code) if agency_code else None
        if agency_code and agency is None:
            continue
        ensure(username, role, agency, full_name, region)
        logins.append(DemoLogin(str(Role(role).label), username, DEMO_PASSWORD, note))
    ensure("pengawas.jatim", Role.SUPERVISOR, None, "Ratna Kusumawati", province)
    logins.append(
        DemoLogin(
            str(Role.SUPERVISOR.label) + " (provinsi)",
            "pengawas.jatim",
            DEMO_PASSWORD,
            "Provinsi Jawa Timur",
        )
    )
    for code, agency in agencies.items():
        ensure(
            f"petugas.{code}", Role.AGENCY_OFFICER, agency, f"Petugas {agency.short_name}", region
        )
        ensure(f"kepala.{code}", Role.AGENCY_HEAD, agency, f"Kepala {agency.short_name}", region)
    return logins


def _users_step(ctx: StepContext) -> dict[str, int]:
    return {"users": len(create_demo_users(region_code=ctx.regency.code))}


register_step("users", _users_step)
