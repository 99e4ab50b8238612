"""Garda Ampuh: the cohort through the person index against the demo's known truth, the
RT → desa → kecamatan → UPTD ladder, support against the budget, the programme's report."""

from __future__ import annotations

from datetime import date

import pytest

from terpadu.core.errors import DomainError
from terpadu.core.models import Region
from terpadu.demo import population, regions
from terpadu.demo.build import StepContext
from terpadu.outreach import services
from terpadu.outreach.models import Case, Support
from terpadu.outreach.programmes import garda_ampuh
from terpadu.registry.demo_steps import build_registry_demo
from terpadu.registry.models import Resident, SourceRecord

from .conftest import resident, wib

pytestmark = pytest.mark.django_db


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def test_cohort_through_the_person_index_matches_the_known_truth() -> None:
    regions.load_regions()
    regency = Region.objects.get(code=regions.REGENCY_CODE)
    population.build_population(people=2500, seed=2017, regency=regency)
    ctx = StepContext(regency=regency, seed=2017, people=2500, rebuild=True, progress=print)
    build_registry_demo(ctx)
    on = population.REFERENCE_DATE
    programme = services.programme_ensure(region=regency, code="garda_ampuh")

    enrolled_truth = set(
        SourceRecord.objects.filter(region=regency, source_type="school").values_list(
            "truth", flat=True
        )
    )
    school_age = [
        (pk, nik)
        for pk, nik, born in Resident.objects.filter(region=regency).values_list(
            "pk", "nik", "birth_date"
        )
        if 6 <= _age(born, on) <= 18
    ]
    truth = {pk for pk, nik in school_age if nik not in enrolled_truth}
    found = set(garda_ampuh.cohort_ids(programme, on=on))
    hits = len(found & truth)
    precision, recall = hits / len(found), hits / len(truth)
    print(f"cohort {len(found)} truth {len(truth)} precision {precision:.3f} recall {recall:.3f}")
    assert len(truth) > 25  # about 8 % of the school-age children are out of school
    assert precision >= 0.95 and recall >= 0.95

    # the plain anti-join on exact NIK misses the school records written without a NIK
    by_nik = set(
        SourceRecord.objects.filter(region=regency, source_type="school")
        .exclude(nik="")
        .values_list("nik", flat=True)
    )
    naive = {pk for pk, nik in school_age if nik not in by_nik}
    assert len(naive) > 3 * len(truth)

    # opening the cases is idempotent
    first = services.cohort_sync(programme=programme, on=on)
    assert first["opened"] == len(found)
    assert services.cohort_sync(programme=programme, on=on)["opened"] == 0
    assert Case.objects.filter(programme=programme, source="cohort").count() == len(found)


def test_case_climbs_the_ladder_to_uptd(area, programmes, workers):  # type: ignore[no-untyped-def]
    child = resident(area["sobo"], "Bagus Setiawan", date(2011, 3, 3), sex="L")
    case = services.case_open(
        programme=programmes["garda_ampuh"],
        village=area["sobo"],
        name=child.name,
        subject_key=f"resident:{child.pk}",
        source=Case.Source.REPORT,
        resident=child,
    )
    assert case.level == "rt"
    for level in ("desa", "kecamatan", "uptd"):
        case = services.case_set_level(case=case, actor=workers["pendamping"], level=level)
    assert case.level == "uptd"
    assert list(case.events.filter(kind="level").values_list("to_value", flat=True)) == [
        "desa",
        "kecamatan",
        "uptd",
    ]
    with pytest.raises(DomainError):
        services.case_set_level(case=case, actor=workers["pendamping"], level="provinsi")


def test_support_is_recorded_against_the_budget(area, programmes, workers, people):  # type: ignore[no-untyped-def]
    programme = programmes["garda_ampuh"]
    child = resident(area["sobo"], "Dewi Sartika", date(2009, 1, 9))
    case = services.case_open(
        programme=programme,
        village=area["sobo"],
        name=child.name,
        subject_key=f"resident:{child.pk}",
        source=Case.Source.COHORT,
        resident=child,
    )
    now = wib(2026, 8, 3)
    with pytest.raises(DomainError) as exc:
        garda_ampuh.support_record(
            case=case,
            actor=workers["pendamping"],
            kind="savings",
            funder="pemda",
            amount=1_000_000,
            now=now,
        )
    assert "pagu" in exc.value.errors[0].message.lower()
    garda_ampuh.budget_set(programme=programme, year=2026, amount=1_500_000, actor=people["admin"])
    garda_ampuh.support_record(
        case=case,
        actor=workers["pendamping"],
        kind="savings",
        funder="pemda",
        amount=1_000_000,
        now=now,
    )
    with pytest.raises(DomainError) as exc:
        garda_ampuh.support_record(
            case=case,
            actor=workers["pendamping"],
            kind="transport",
            funder="pemda",
            amount=600_000,
            now=now,
        )
    assert "500.000" in exc.value.errors[0].message
    garda_ampuh.support_record(
        case=case,
        actor=workers["pendamping"],
        kind="transport",
        funder="sas",
        amount=600_000,
        now=now,
    )
    assert Support.objects.filter(budget__isnull=True).count() == 1
    with pytest.raises(DomainError):
        garda_ampuh.budget_set(programme=programme, year=2026, amount=900_000, actor=None)


def test_report_found_handled_returned_by_level_and_kecamatan(area, programmes, workers):  # type: ignore[no-untyped-def]
    programme = programmes["garda_ampuh"]
    actor = workers["pendamping"]
    made = []
    for i, village in enumerate(
        [area["sobo"], area["sobo"], area["jambewangi"], area["jambewangi"]]
    ):
        made.append(
            services.case_open(
                programme=programme,
                village=village,
                name=f"Anak {i}",
                subject_key=f"report:anak{i}",
                source=Case.Source.REPORT,
            )
        )
    for case in made[:3]:
        services.case_transition(case=case, actor=actor, target="verified")
        services.case_transition(case=case, actor=actor, target="in_progress")
    services.case_set_level(case=made[0], actor=actor, level="uptd")
    services.case_transition(case=made[0], actor=actor, target="resolved", outcome="paket_c")
    services.case_transition(case=made[3], actor=actor, target="not_eligible", note="Lulus SMA")
    report = garda_ampuh.report_by_level_and_district(programme)
    assert report["total"] == {"found": 3, "handled": 3, "returned": 1}
    levels = {row["code"]: row for row in report["levels"]}
    assert levels["uptd"]["returned"] == 1 and levels["rt"]["found"] == 2
    districts = {row["name"]: row for row in report["districts"]}
    assert districts["Banyuwangi"]["found"] == 2 and districts["Sempu"]["found"] == 1
    assert report["outcomes"]["paket_c"] == 1
