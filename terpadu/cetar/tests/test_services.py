"""Entering an agency's monthly cost: who may, what is checked, the audit entry, the figure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from terpadu.cetar import facts
from terpadu.cetar.indicators import BY_ID
from terpadu.cetar.models import AgencyCost
from terpadu.cetar.selectors import Slice, overview
from terpadu.cetar.services import agency_cost_set
from terpadu.cetar.tests.conftest import MARCH
from terpadu.core.errors import DomainError, NotFound
from terpadu.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_head_enters_cost_and_the_figure_follows(busy: dict[str, Any], people: Any) -> None:
    agency_cost_set(
        actor=people["agency_head"], agency=busy["a"], month=dt.date(2026, 3, 1), amount=2_400_000
    )
    assert AgencyCost.objects.get(agency=busy["a"], month=dt.date(2026, 3, 1)).amount == 2_400_000
    assert AuditEntry.objects.filter(action="cetar.cost_set").count() == 1
    facts.build_days(*MARCH, audit=False)
    row = overview(Slice(*MARCH, region_ids=(busy["bwi"].id,)), [BY_ID["cost_per_transaction"]])[0]
    assert row.value.value == pytest.approx(200_000)  # Rp 2.400.000 ÷ 12 decided
    assert row.text == "Rp 200.000"


def test_only_the_agency_head_or_admin(busy: dict[str, Any], people: Any) -> None:
    for role in ("agency_officer", "supervisor", "citizen"):
        with pytest.raises(NotFound):
            agency_cost_set(
                actor=people[role], agency=busy["a"], month=dt.date(2026, 3, 1), amount=1
            )
    with pytest.raises(NotFound):  # another agency's head
        agency_cost_set(
            actor=people["agency_head"], agency=busy["b"], month=dt.date(2026, 3, 1), amount=1
        )
    agency_cost_set(actor=people["admin"], agency=busy["b"], month=dt.date(2026, 3, 1), amount=1)


def test_bad_input_is_refused_field_by_field(busy: dict[str, Any], people: Any) -> None:
    with pytest.raises(DomainError) as exc:
        agency_cost_set(
            actor=people["agency_head"], agency=busy["a"], month=dt.date(2026, 3, 5), amount=-5
        )
    assert {e.field for e in exc.value.errors} == {"month", "amount"}
    assert AgencyCost.objects.filter(agency=busy["a"]).count() == 1  # the fixture's own
