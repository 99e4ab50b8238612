"""The demo steps are deterministic, idempotent and produce every stage."""

from __future__ import annotations

import pytest

from terpadu.complaints.demo import (
    clear_demo_complaints,
    demo_open311_key,
    load_demo_complaints,
)
from terpadu.complaints.models import Complaint
from terpadu.complaints.open311.keys import open311_client_for_key
from terpadu.complaints.tests.conftest import wib

pytestmark = pytest.mark.django_db


def test_complaints_demo_is_deterministic_and_idempotent(regions, agencies, people):
    now = wib(2026, 6, 15, 12)
    first = load_demo_complaints(regions["banyuwangi"], seed=5, count=80, now=now)
    codes = set(Complaint.objects.values_list("tracking_code", flat=True))
    statuses = set(Complaint.objects.values_list("status", flat=True))
    assert len(codes) == 80
    assert {"submitted", "disposed", "answered", "closed", "rejected"} <= statuses
    again = load_demo_complaints(regions["banyuwangi"], seed=5, count=80, now=now)
    assert again["reused"] and Complaint.objects.count() == 80
    clear_demo_complaints(regions["banyuwangi"])
    second = load_demo_complaints(regions["banyuwangi"], seed=5, count=80, now=now)
    assert set(Complaint.objects.values_list("tracking_code", flat=True)) == codes
    assert {k: v for k, v in first.items()} == {k: v for k, v in second.items()}
    assert open311_client_for_key(demo_open311_key()) is not None
