"""The synthetic Banyuwangi: regions, agencies, a consistent and deterministic population."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from terpadu.core.models import Agency, Region, WorkCalendar
from terpadu.core.nik import parse_nik
from terpadu.demo import build as demo_build
from terpadu.demo.agencies import AGENCIES
from terpadu.demo.build import StepContext, build_demo, register_step
from terpadu.demo.models import DemoBuild
from terpadu.demo.population import REFERENCE_DATE, allocate
from terpadu.demo.regions import load_calendars, load_regions
from terpadu.registry.models import Household, Resident

PEOPLE = 2000


@pytest.fixture
def built(db):  # type: ignore[no-untyped-def]
    return build_demo(people=PEOPLE, seed=2017)


def _age(born: date) -> int:
    return (
        REFERENCE_DATE.year
        - born.year
        - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
    )


@pytest.mark.django_db
def test_regions_are_banyuwangis_real_codes() -> None:
    first = load_regions()
    assert first["created"] == 1 + 1 + 25 + 217
    assert Region.objects.get(code="35").name == "Jawa Timur"
    regency = Region.objects.get(code="35.10")
    assert regency.level == Region.Level.REGENCY
    assert regency.parent is not None and regency.parent.code == "35"
    districts = Region.objects.filter(level=Region.Level.DISTRICT, parent=regency)
    assert districts.count() == 25
    villages = Region.objects.filter(level=Region.Level.VILLAGE, code__startswith="35.10.")
    assert villages.count() == 217
    assert villages.filter(is_kelurahan=True).count() == 28
    kota = Region.objects.get(code="35.10.16")
    assert kota.name == "Banyuwangi"
    assert kota.children.count() == 18
    assert all(v.is_kelurahan for v in kota.children.all())
    assert Region.objects.get(code="35.10.25").name == "Blimbingsari"
    assert Region.objects.get(code="35.10.25.2001").parent.code == "35.10.25"  # type: ignore[union-attr]
    # Idempotent.
    again = load_regions()
    assert again == {"created": 0, "updated": 0, "total": 244}
    assert Region.objects.count() == 244


@pytest.mark.django_db
def test_calendars_default_and_mpp() -> None:
    load_regions()
    load_calendars()
    load_calendars()
    regency = Region.objects.get(code="35.10")
    default = WorkCalendar.objects.get(region=regency, is_region_default=True)
    assert default.name == "Kalender Pemkab Banyuwangi"
    assert not default.saturday_open
    mpp = WorkCalendar.objects.get(region=regency, name="MPP Banyuwangi")
    assert mpp.saturday_open and not mpp.is_region_default
    assert WorkCalendar.objects.filter(region=regency).count() == 2


def test_agencies(built) -> None:  # type: ignore[no-untyped-def]
    regency = Region.objects.get(code="35.10")
    agencies = Agency.objects.filter(region=regency)
    codes = set(agencies.values_list("code", flat=True))
    # Every MPP agency is there (other apps' demo steps may add more, e.g. the outreach RSUD).
    assert {a.code for a in AGENCIES} <= codes
    assert len(AGENCIES) >= 20
    assert {"dukcapil", "dpmptsp", "samsat", "bpjs-kesehatan", "bank-jatim", "polresta"} <= codes
    mpp = agencies.filter(code__in=[a.code for a in AGENCIES])
    assert set(mpp.values_list("kind", flat=True)) == set(Agency.Kind.values)
    assert all(a.calendar is not None and a.calendar.saturday_open for a in mpp)
    assert all(a.phone and a.opening_hours and a.address for a in mpp)


def test_population_size_and_households(built) -> None:  # type: ignore[no-untyped-def]
    assert built["people"] == PEOPLE
    assert Resident.objects.count() == PEOPLE
    households = Household.objects.count()
    assert built["households"] == households
    assert 2.8 <= PEOPLE / households <= 3.8
    heads = Counter(
        Resident.objects.filter(relationship="head").values_list("household_id", flat=True)
    )
    assert len(heads) == households
    assert set(heads.values()) == {1}
    # People are spread over most villages.
    assert Resident.objects.values("village_id").distinct().count() > 150


def test_niks_and_kks_are_consistent_and_unique(built) -> None:  # type: ignore[no-untyped-def]
    rows = list(Resident.objects.values_list("nik", "sex", "birth_date", "village__parent__code"))
    niks = [r[0] for r in rows]
    assert len(set(niks)) == len(niks) == PEOPLE
    for nik, sex, born, district in rows:
        info = parse_nik(nik, century_hint=REFERENCE_DATE)
        assert info.valid, (nik, info.problems)
        assert info.district == district
        assert info.sex == sex
        assert info.birth_date == born
        assert (int(nik[6:8]) > 40) == (sex == "P")
    kks = list(Household.objects.values_list("kk_number", "village__parent__code"))
    assert len({k for k, _ in kks}) == len(kks)
    for kk, district in kks:
        assert len(kk) == 16 and kk.isdigit()
        assert kk[:6] == district.replace(".", "")
        registered = date(2000 + int(kk[10:12]), int(kk[8:10]), int(kk[6:8]))
        assert date(2005, 1, 1) <= registered <= REFERENCE_DATE


def test_family_relations_are_plausible(built) -> None:  # type: ignore[no-untyped-def]
    members: dict[int, list[Resident]] = {}
    for r in Resident.objects.order_by("id"):
        members.setdefault(r.household_id, []).append(r)
    checked = 0
    for people in members.values():
        head = next(p for p in people if p.relationship == "head")
        assert _age(head.birth_date) >= 18
        spouse = next((p for p in people if p.relationship == "spouse"), None)
        mother = spouse if spouse else (head if head.sex == "P" else None)
        for child in (p for p in people if p.relationship == "child"):
            if mother is not None:
                assert child.mother_name == mother.name
                assert 15 <= _age(mother.birth_date) - _age(child.birth_date) <= 50
                checked += 1
    assert checked > 300
    assert all(r.name and r.mother_name and r.birth_place for r in Resident.objects.all())


def test_age_pyramid_and_sex_ratio(built) -> None:  # type: ignore[no-untyped-def]
    ages = [_age(b) for b in Resident.objects.values_list("birth_date", flat=True)]
    n = len(ages)
    under_15 = sum(a < 15 for a in ages) / n
    over_65 = sum(a >= 65 for a in ages) / n
    assert 0.20 <= under_15 <= 0.30
    assert 0.04 <= over_65 <= 0.10
    assert sum(a < 5 for a in ages) / n > sum(70 <= a < 75 for a in ages) / n
    men = Resident.objects.filter(sex="L").count() / n
    assert 0.46 <= men <= 0.54
    religions = Counter(Resident.objects.values_list("religion", flat=True))
    assert religions.most_common(1)[0][0] == "Islam"
    students = Resident.objects.filter(occupation="Pelajar/Mahasiswa")
    assert all(5 <= _age(b) <= 30 for b in students.values_list("birth_date", flat=True))


def test_deterministic_and_reused(built) -> None:  # type: ignore[no-untyped-def]
    first = list(Resident.objects.order_by("id").values_list("name", "nik")[:50])
    again = build_demo(people=PEOPLE, seed=2017)
    assert again["reused"] is True
    assert again["people"] == PEOPLE
    assert Resident.objects.count() == PEOPLE
    assert DemoBuild.objects.count() == 1

    rebuilt = build_demo(people=PEOPLE, seed=2017, rebuild=True)
    assert rebuilt["reused"] is False
    assert Resident.objects.count() == PEOPLE
    assert list(Resident.objects.order_by("id").values_list("name", "nik")[:50]) == first
    assert DemoBuild.objects.count() == 1

    other = build_demo(people=1500, seed=2017)
    assert other["reused"] is False
    assert Resident.objects.count() == 1500
    assert Household.objects.count() == other["households"]

    reseeded = build_demo(people=1500, seed=7)
    assert list(Resident.objects.order_by("id").values_list("name", "nik")[:50]) != first[:50]
    assert reseeded["people"] == 1500


@pytest.mark.django_db
def test_registered_steps_run_once_and_clear(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(demo_build, "EXTRA_STEPS", [])
    calls: list[str] = []

    def step(ctx: StepContext) -> dict[str, int]:
        calls.append(f"run {ctx.people}")
        return {"things": 3}

    def clear() -> None:
        calls.append("clear")

    build_demo(people=500, seed=1)
    register_step("things", step, clear=clear)
    reused = build_demo(people=500, seed=1)
    assert (
        reused["reused"] and reused["steps_run"] == ["things"] and reused["things"] == {"things": 3}
    )
    assert build_demo(people=500, seed=1)["steps_run"] == []
    built = build_demo(people=600, seed=1)
    assert built["things"] == {"things": 3}
    assert calls == ["run 500", "clear", "run 600"]


def test_allocate_is_exact() -> None:
    assert sum(allocate(1_800_000, [1.0, 2.5, 3.3, 0.1])) == 1_800_000
    assert allocate(10, [1, 1]) == [5, 5]
