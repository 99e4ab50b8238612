"""Gancang Aron eligibility from the welfare list (DTKS), through the person index."""

from __future__ import annotations

from datetime import date

import pytest
from django.apps import apps
from django.utils import timezone

from .conftest import resident
from .test_medicine import _mark

pytestmark = pytest.mark.django_db


def test_welfare_list_makes_delivery_free(area, programmes, pharmacist):  # type: ignore[no-untyped-def]
    batch_model = apps.get_model("registry", "SourceBatch")
    record_model = apps.get_model("registry", "SourceRecord")
    patient = resident(area["sobo"], "Slamet Riyadi", date(1961, 2, 2), sex="L")
    batch = batch_model.objects.create(
        region=area["regency"],
        source_type="welfare",
        version=1,
        file_name="dtks.csv",
        file_sha256="0" * 64,
        imported_at=timezone.now(),
    )
    record_model.objects.create(
        batch=batch,
        region=area["regency"],
        source_type="welfare",
        row_number=2,
        nik=patient.nik,
        name="SLAMET R",
        name_std="slamet r",
        name_key="slamet r",
        data={"desil": "2"},
    )
    rx, _ = _mark(area, programmes, pharmacist, resident=patient, patient_name="")
    assert (rx.eligibility, rx.welfare_decile, rx.tariff) == ("welfare", 2, 0)
    assert rx.case.name == "Slamet Riyadi"
