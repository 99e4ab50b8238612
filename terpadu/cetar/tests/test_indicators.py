"""Each indicator against values computed by hand on the March 2026 events of ``world``.

Working days in March 2026 (national calendar): 18 (cuti bersama Nyepi), 19 (Nyepi),
20, 23, 24 (cuti bersama Idul Fitri) are closed, so 17 → 25 March is one working day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from terpadu.cetar import facts
from terpadu.cetar.indicators import BY_ID, INDICATORS
from terpadu.cetar.indicators.base import NO_DATA, Facts, percentile
from terpadu.cetar.selectors import Slice, breakdown, load_facts, overview, series
from terpadu.cetar.tests.conftest import MARCH
from terpadu.core.models import AuditEntry
from terpadu.surveys.ikm import ikm_from_rows

pytestmark = pytest.mark.django_db


def values(s: Slice) -> dict[str, Any]:
    return {row.indicator.id: row.value.value for row in overview(s, public=False)}


@pytest.fixture
def built(world: dict[str, Any]) -> dict[str, Any]:
    facts.build_days(dt.date(2026, 2, 1), MARCH[1], audit=False)
    return world


def test_every_indicator_has_a_complete_definition() -> None:
    letters = {i.letter for i in INDICATORS}
    assert letters == {"cepat", "efektif", "tanggap", "transparan", "akuntabel", "responsif"}
    for i in INDICATORS:
        assert i.name_id and i.name_en and i.formula and i.formula_en and i.reads and i.caveats
        assert i.unit and i.direction in ("higher", "lower")
        assert set(i.facts) and all(t.startswith("ft_") for t in i.facts)


def test_application_indicators_by_hand(built: dict[str, Any]) -> None:
    v = values(Slice(*MARCH, region_ids=(built["bwi"].id,)))
    # SLA 3 working days. Decided in March: A1 (2 wd, online, first time), A2 (5 wd − 2 wd perbaikan = 3,
    # in SLA), A3 (rejected, 8 wd, late), A5 (17 → 25 March over the holidays = 1 wd, in SLA)
    assert v["sla_compliance"] == pytest.approx(75.0)
    assert v["completion_median"] == 2  # nearest rank of [1, 2, 3, 8]
    assert v["completion_p90"] == 8
    assert v["first_time_right"] == pytest.approx(50.0)  # A1 and A5
    assert v["completion_rate"] == pytest.approx(80.0)  # 4 decided ÷ 5 started (one draft)
    assert v["digital_takeup"] == pytest.approx(25.0)
    assert v["cost_per_transaction"] == pytest.approx(250_000)  # Rp 1.000.000 ÷ 4


def test_hall_indicators_by_hand(built: dict[str, Any]) -> None:
    v = values(Slice(*MARCH, region_ids=(built["bwi"].id,)))
    assert v["hall_wait_median"] == 10  # waits 5, 10, 30 (the waiting ticket not counted)
    assert v["counter_utilisation"] == pytest.approx(30 / 35 * 100)  # 3 × 10 min in 08:05–08:40


def test_complaint_indicators_by_hand(built: dict[str, Any]) -> None:
    v = values(Slice(*MARCH, region_ids=(built["bwi"].id,)))
    # first responses: C1 answered 5 wd after submission (in time: due 10 March), C2 rejected
    # 6 March after its verification due 5 March, C3 first answered 16 March (due 9 March)
    assert v["complaint_response_in_time"] == pytest.approx(100 / 3)
    assert v["complaint_first_response"] == 5  # [4, 5, 10]
    assert v["complaints_public"] == pytest.approx(75.0)  # C3 is rahasia
    assert v["complaints_followed_up"] == pytest.approx(200 / 3)  # C1, C3 of C1, C3, C4
    assert v["escalations_resolved"] == pytest.approx(50.0)
    assert v["complaint_reopen_rate"] == pytest.approx(50.0)  # C3 of C1, C3
    assert v["citizen_confirmed"] == pytest.approx(50.0)  # C1 confirmed, C3 auto-closed


def test_transparency_and_skm_by_hand(built: dict[str, Any]) -> None:
    bwi = (built["bwi"].id,)
    v = values(Slice(*MARCH, region_ids=bwi))
    assert v["service_standard_published"] == pytest.approx(100 / 3)  # s1 of s1, s2, s3
    # 2026-Q1: agency a has a plan published 10 April (≤ 30 April), agency b has none
    assert v["skm_published_on_time"] == pytest.approx(50.0)
    assert v["skm_plans_recorded"] == pytest.approx(50.0)
    # IKM of March for the regency: answers 4, 3 and 2 → NRR 3 → 75.00
    assert v["ikm"] == pytest.approx(75.0)
    mine = values(Slice(*MARCH, region_ids=bwi, agency_id=built["a"].id))
    assert mine["ikm"] == pytest.approx(87.5)
    assert mine["ikm_change"] == pytest.approx(12.5)  # February was 75.00


def test_ikm_is_the_surveys_app_computation(built: dict[str, Any]) -> None:
    expected = ikm_from_rows([{f"U{i}": a for i in range(1, 10)} for a in (4, 3, 2)])
    v = values(Slice(*MARCH, region_ids=(built["bwi"].id,)))
    assert v["ikm"] == float(expected.ikm)


def test_no_data_is_not_zero(built: dict[str, Any]) -> None:
    empty = Slice(dt.date(2025, 1, 1), dt.date(2025, 1, 31), region_ids=(built["bwi"].id,))
    for row in overview(empty, public=False):
        assert row.value.value is None, row.indicator.id
        assert row.text == NO_DATA
        assert row.met is None
    assert BY_ID["sla_compliance"].format(None) == "tidak ada data"
    assert percentile({}, 0.5).value is None


def test_target_met_follows_direction(built: dict[str, Any]) -> None:
    rows = {
        r.indicator.id: r
        for r in overview(Slice(*MARCH, region_ids=(built["bwi"].id,)), public=False)
    }
    assert rows["sla_compliance"].met is False  # 75 % < 90 %
    assert rows["completion_median"].met is True  # 2 ≤ 3 working days (lower is better)
    assert rows["hall_wait_median"].met is True  # 10 ≤ 15 minutes


def test_audit_chain_intact_and_broken(world: dict[str, Any]) -> None:
    facts.build_days(*MARCH, audit=True)
    s = Slice(*MARCH, region_ids=(world["bwi"].id,))
    assert values(s)["audit_chain_intact"] == 100.0
    AuditEntry.objects.filter(seq=1).update(action="diubah")
    facts.build_days(*MARCH, audit=True)
    assert values(s)["audit_chain_intact"] == 0.0


def test_drill_down_to_service_and_kecamatan(built: dict[str, Any], regions: Any) -> None:
    s = Slice(*MARCH, region_ids=(built["bwi"].id,))
    by_agency = dict(breakdown(s, BY_ID["sla_compliance"], "agency", public=False))
    assert by_agency[built["a"].id].value.value == pytest.approx(75.0)
    by_service = dict(breakdown(s, BY_ID["sla_compliance"], "service", public=False))
    assert set(by_service) == {built["s1"].id}
    # the applicant's kecamatan comes from the NIK (35.10.16)
    by_district = dict(breakdown(s, BY_ID["completion_rate"], "district", public=False))
    assert by_district[regions["bwi_district"].id].value.value == pytest.approx(80.0)
    # the hall has no kecamatan: not available, rather than a wrong figure
    assert breakdown(s, BY_ID["hall_wait_median"], "district") == []
    cut = Slice(*MARCH, region_ids=(built["bwi"].id,), district_id=regions["bwi_district"].id)
    row = next(r for r in overview(cut, public=False) if r.indicator.id == "hall_wait_median")
    assert row.value.note == "tidak tersedia" and not row.available


def test_monthly_series_has_every_month(built: dict[str, Any]) -> None:
    s = Slice(dt.date(2026, 1, 1), MARCH[1], region_ids=(built["bwi"].id,))
    points = series(s, BY_ID["ikm"], "month", public=False)
    assert [k for k, _ in points] == ["2026-01", "2026-02", "2026-03"]
    assert [r.value.value for _, r in points] == [None, 75.0, 75.0]
    change = series(
        Slice(
            dt.date(2026, 2, 1), MARCH[1], region_ids=(built["bwi"].id,), agency_id=built["a"].id
        ),
        BY_ID["ikm_change"],
        "month",
        public=False,
    )
    assert [r.value.value for _, r in change] == [None, 12.5]


def test_facts_are_additive_across_agencies(built: dict[str, Any]) -> None:
    s = Slice(*MARCH, region_ids=(built["bwi"].id,))
    whole = load_facts(s, ["ft_application_day"])[None]
    parts = load_facts(s, ["ft_application_day"], "agency")
    assert whole.get("ft_application_day", "decided") == sum(
        f.get("ft_application_day", "decided") for f in parts.values()
    )
    assert Facts().get("ft_application_day", "decided") == 0
