"""The demo step: agency costs and the facts of the whole history, idempotent, clearable."""

from __future__ import annotations

from typing import Any

import pytest

from terpadu.cetar.demo import build_demo_facts, clear_demo_facts
from terpadu.cetar.models import AgencyCost, FtApplicationDay, FtBuild

pytestmark = pytest.mark.django_db


def test_demo_step_builds_the_history_and_is_idempotent(world: dict[str, Any]) -> None:
    first = build_demo_facts(world["bwi"], seed=2017)
    # Dukcapil and Dinkes, 12 months each, except Dukcapil's March 2026 that it entered itself
    assert first["costs"] == 23
    assert first["days"] > 200 and FtApplicationDay.objects.exists()
    rows = FtApplicationDay.objects.count()
    again = build_demo_facts(world["bwi"], seed=2017)
    assert again["costs"] == 23 and FtApplicationDay.objects.count() == rows
    assert AgencyCost.objects.count() == 24
    assert FtBuild.objects.filter(finalised_at__isnull=False).exists()
    clear_demo_facts(world["bwi"])
    assert AgencyCost.objects.get().note == "" and not FtApplicationDay.objects.exists()
