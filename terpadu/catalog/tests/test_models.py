"""Model invariants enforced by the database."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from terpadu.catalog.models import Service, ServiceVersion


@pytest.mark.django_db
def test_one_draft_and_one_published_version_per_service(agencies):  # type: ignore[no-untyped-def]
    agency = agencies["a"]
    service = Service.objects.create(
        region=agency.region, agency=agency, code="akta-kelahiran", name="Akta Kelahiran"
    )
    ServiceVersion.objects.create(service=service, number=1, status="published")
    ServiceVersion.objects.create(service=service, number=2, status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceVersion.objects.create(service=service, number=3, status="draft")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceVersion.objects.create(service=service, number=4, status="published")
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceVersion.objects.create(service=service, number=5, status="superseded", fee_amount=-1)


@pytest.mark.django_db
def test_service_code_unique_per_region(agencies):  # type: ignore[no-untyped-def]
    a, jember = agencies["a"], agencies["jember"]
    Service.objects.create(region=a.region, agency=a, code="ktp-el", name="KTP-el")
    Service.objects.create(region=jember.region, agency=jember, code="ktp-el", name="KTP-el")
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(region=a.region, agency=agencies["b"], code="ktp-el", name="x")
