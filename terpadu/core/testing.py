"""Factories shared by the test suites of every app (factory_boy)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import factory

from terpadu.accounts.models import Role, User
from terpadu.core.models import Agency, Region
from terpadu.registry.models import Household, Resident


def region(code: str, name: str, level: str, parent: Region | None = None) -> Region:
    obj, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return obj


def jatim_regions() -> dict[str, Region]:
    """Jawa Timur with two regencies (Banyuwangi, Jember), a district and a village in each."""
    province = region("35", "Jawa Timur", "province")
    bwi = region("35.10", "Kabupaten Banyuwangi", "regency", province)
    jbr = region("35.09", "Kabupaten Jember", "regency", province)
    bwi_d = region("35.10.16", "Banyuwangi", "district", bwi)
    jbr_d = region("35.09.01", "Kencong", "district", jbr)
    return {
        "province": province,
        "banyuwangi": bwi,
        "jember": jbr,
        "bwi_district": bwi_d,
        "jbr_district": jbr_d,
        "bwi_village": region("35.10.16.1001", "Sobo", "village", bwi_d),
        "jbr_village": region("35.09.01.2001", "Kencong", "village", jbr_d),
    }


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"agency-{n}")
    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    short_name = factory.Sequence(lambda n: f"Dinas {n}")
    kind = Agency.Kind.REGENCY_OFFICE
    phone = "0333-000000"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Uji"
    role = Role.CITIZEN
    password = factory.PostGenerationMethodCall("set_password", "kata-sandi-uji-123")

    @classmethod
    def _after_postgeneration(cls, instance: Any, create: bool, results: Any = None) -> None:
        if create:
            instance.save()


def make_resident(
    *, village: Region, nik: str, name: str = "Siti Aminah", sex: str = "P"
) -> Resident:
    district = village.parent
    regency = district.parent if district is not None and district.parent is not None else village
    household = Household.objects.create(
        region=regency,
        village=village,
        kk_number="9" + nik[1:],
        address="Jl. Contoh 1",
        rt="001",
        rw="002",
    )
    return Resident.objects.create(
        region=regency,
        village=village,
        household=household,
        nik=nik,
        name=name,
        sex=sex,
        birth_place="Banyuwangi",
        birth_date=dt.date(1990, 8, 5),
        relationship=Resident.Relationship.HEAD,
    )
