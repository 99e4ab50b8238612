"""Maternal risk: the bidan's KSPR card schedules follow-ups and referrals by risk group."""

from __future__ import annotations

from datetime import date

import pytest

from terpadu.core.errors import DomainError
from terpadu.outreach import services
from terpadu.outreach.models import Screening
from terpadu.outreach.programmes import maternal

from .conftest import wib

pytestmark = pytest.mark.django_db


def _reported(area, programmes, client="c0ffee00-0000-4000-8000-00000000aa01"):  # type: ignore[no-untyped-def]
    report, _ = services.report_submit(
        programme=programmes["maternal"],
        client_id=client,
        name="Yuliana",
        village=area["sobo"],
        age_years=37,
        signs=["age_over_35"],
        now=wib(2026, 4, 6),
    )
    return report.case


def test_very_high_risk_card_schedules_referral_to_hospital(area, programmes, workers):  # type: ignore[no-untyped-def]
    case = _reported(area, programmes)
    screening = maternal.screening_record(
        case=case,
        actor=workers["bidan"],
        items=["6", "10", "12"],
        gestation_weeks=14,
        local_flags=["age_over_35", "previous_caesarean"],
        now=wib(2026, 4, 8),
    )
    assert (screening.score, screening.group) == (18, "KRST")
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.data["kspr_group"] == "KRST"
    open_tasks = {t.kind: t.due_date for t in case.tasks.filter(done_at__isnull=True)}
    assert open_tasks == {"follow_up": date(2026, 4, 15), "referral": date(2026, 4, 13)}
    assert case.tasks.get(kind="verify").done_at is not None
    assert case.due_date == date(2026, 4, 13)


def test_low_risk_card_schedules_a_monthly_visit_only(area, programmes, workers):  # type: ignore[no-untyped-def]
    case = _reported(area, programmes)
    maternal.screening_record(case=case, actor=workers["bidan"], items=[], now=wib(2026, 4, 8))
    open_tasks = list(case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True))
    assert [(t.kind, t.due_date) for t in open_tasks] == [
        ("follow_up", date(2026, 5, 7))
    ]  # 1 May closed


def test_a_later_card_replaces_the_plan(area, programmes, workers):  # type: ignore[no-untyped-def]
    case = _reported(area, programmes)
    maternal.screening_record(case=case, actor=workers["bidan"], items=["17"], now=wib(2026, 4, 8))
    maternal.screening_record(case=case, actor=workers["bidan"], items=[], now=wib(2026, 4, 20))
    assert Screening.objects.filter(case=case).count() == 2  # one score per visit
    open_tasks = case.tasks.filter(done_at__isnull=True, cancelled_at__isnull=True)
    assert [t.kind for t in open_tasks] == ["follow_up"]
    assert case.tasks.filter(kind="referral", cancelled_at__isnull=False).count() == 1


def test_card_validation_changes_nothing(area, programmes, workers):  # type: ignore[no-untyped-def]
    case = _reported(area, programmes)
    with pytest.raises(DomainError) as exc:
        maternal.screening_record(
            case=case,
            actor=workers["bidan"],
            items=["99"],
            gestation_weeks=60,
            local_flags=["nope"],
            now=wib(2026, 4, 8),
        )
    assert {e.field for e in exc.value.errors} == {"items", "gestation_weeks", "local_flags"}
    assert not Screening.objects.exists()
    case.refresh_from_db()
    assert case.status == "found"


def test_local_criteria_are_a_separate_configurable_rule_set(programmes):  # type: ignore[no-untyped-def]
    programme = programmes["maternal"]
    codes = [c.code for c in maternal.local_criteria(programme)]
    assert "height_under_150" in codes and "7" not in codes  # not KSPR's ≤ 145 cm item
    programme.settings = {"local_criteria": [{"code": "anemia_hb", "label": "Hb < 11"}]}
    assert maternal.local_criteria(programme)[-1].code == "anemia_hb"


def test_outcome_closes_the_pregnancy(area, programmes, workers):  # type: ignore[no-untyped-def]
    case = _reported(area, programmes)
    maternal.screening_record(case=case, actor=workers["bidan"], items=["7"], now=wib(2026, 4, 8))
    case = services.case_transition(
        case=case, actor=workers["bidan"], target="resolved", outcome="safe_delivery"
    )
    assert case.outcome == "safe_delivery"
    with pytest.raises(DomainError):
        maternal.screening_record(case=case, actor=workers["bidan"], items=[])
