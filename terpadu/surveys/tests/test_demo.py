"""The SKM demo step is deterministic and idempotent, with plans for the weakest unsur."""

from __future__ import annotations

import pytest

from terpadu.surveys.demo import clear_demo_surveys, load_demo_surveys
from terpadu.surveys.models import SurveyResponse
from terpadu.surveys.tests.conftest import wib

pytestmark = pytest.mark.django_db


def test_surveys_demo(regions, agencies, catalog, people):
    now = wib(2026, 11, 20)
    result = load_demo_surveys(regions["banyuwangi"], seed=3, count=400, now=now)
    assert result["responses"] == 400
    assert result["plans"] >= 1  # dukcapil's head records and publishes a plan
    fields = ("submitted_at", "agency_id", "u1", "u3", "u9", "channel")
    rows = sorted(SurveyResponse.objects.values_list(*fields))
    assert load_demo_surveys(regions["banyuwangi"], seed=3, count=400, now=now)["reused"]
    clear_demo_surveys(regions["banyuwangi"])
    load_demo_surveys(regions["banyuwangi"], seed=3, count=400, now=now)
    assert sorted(SurveyResponse.objects.values_list(*fields)) == rows
    dates = SurveyResponse.objects.values_list("local_date", flat=True)
    assert (max(dates) - min(dates)).days > 300
