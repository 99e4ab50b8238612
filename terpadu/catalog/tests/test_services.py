"""Versioning of Standar Pelayanan: drafts, publication by the head, audit, past versions kept."""

from __future__ import annotations

import datetime as dt

import pytest

from terpadu.catalog.models import ServiceVersion
from terpadu.catalog.services import (
    service_create,
    service_update,
    service_version_draft_update,
    service_version_publish,
)
from terpadu.catalog.testing import FULL_CONTENT, make_service
from terpadu.core.errors import DomainError
from terpadu.core.models import AuditEntry
from terpadu.core.workdays import local_today

pytestmark = pytest.mark.django_db


def test_publish_supersedes_and_keeps_the_past_version(people, agencies):
    head = people["agency_head"]
    service = make_service(
        agency=agencies["a"],
        code="akta-kelahiran",
        name="Akta Kelahiran",
        effective_date=local_today() - dt.timedelta(days=14),
    )
    v1 = service.current_version
    assert v1.number == 1 and v1.status == "published" and v1.published_by == head

    draft = service_version_draft_update(
        actor=people["agency_officer"],
        service=service,
        content={"completion_time_value": 3, "product": "Kutipan Akta Kelahiran (TTE)"},
    )
    assert draft.number == 2 and draft.status == "draft"
    # The draft starts as a copy of the published version: untouched fields are kept.
    assert draft.requirements == v1.requirements
    service.refresh_from_db()
    assert service.current_version_id == v1.pk  # citizens still see version 1

    later = v1.effective_date + dt.timedelta(days=7)  # a week ago: in force at once
    v2 = service_version_publish(
        actor=head, service=service, effective_date=later, change_note="Tanda tangan elektronik"
    )
    service.refresh_from_db()
    v1.refresh_from_db()
    assert service.current_version_id == v2.pk
    assert v2.status == "published" and v2.effective_date == later
    assert v1.status == "superseded" and v1.completion_time_value == 1
    assert [v.number for v in service.versions.order_by("number")] == [1, 2]

    entry = AuditEntry.objects.filter(action="catalog.service_publish").order_by("-seq").first()
    assert entry.record_id == str(service.pk)
    assert entry.summary["version"] == 2 and entry.summary["previous_version"] == 1
    assert set(entry.summary["changes"]) == {"completion_time_value", "product"}


def test_officer_cannot_publish_and_head_of_other_agency_cannot(people, agencies):
    service = make_service(agency=agencies["a"], code="ktp-el", name="KTP-el", publish=False)
    for actor in (people["agency_officer"], people["supervisor"], people["citizen"]):
        with pytest.raises(DomainError) as err:
            service_version_publish(actor=actor, service=service)
        assert err.value.status == 403
    other_head = make_service(agency=agencies["b"], code="x", name="X").current_version.published_by
    with pytest.raises(DomainError):
        service_version_publish(actor=other_head, service=service)
    service.refresh_from_db()
    assert service.current_version is None


def test_publish_requires_the_six_delivery_components(people, agencies):
    service = service_create(
        actor=people["agency_officer"],
        agency=agencies["a"],
        code="kk-baru",
        name="Kartu Keluarga baru",
        content={"fee_amount": 0},
    )
    with pytest.raises(DomainError) as err:
        service_version_publish(actor=people["agency_head"], service=service)
    fields = {e.field for e in err.value.errors}
    assert {"requirements", "procedure", "product", "complaint_channel"} <= fields
    assert ServiceVersion.objects.get(service=service).status == "draft"


def test_field_errors_and_nothing_saved(people, agencies):
    service = make_service(agency=agencies["a"], code="skck", name="SKCK")
    before = ServiceVersion.objects.count()
    with pytest.raises(DomainError) as err:
        service_version_draft_update(
            actor=people["agency_officer"],
            service=service,
            content={"fee_amount": 30000, "fee_legal_basis": "", "completion_time_value": 0},
        )
    fields = {e.field for e in err.value.errors}
    assert fields == {"fee_legal_basis", "completion_time_value"}
    assert ServiceVersion.objects.count() == before


def test_paid_service_keeps_existing_legal_basis(people, agencies):
    service = make_service(
        agency=agencies["a"], code="paspor", name="Paspor", fee_legal_basis="PP 28/2019"
    )
    draft = service_version_draft_update(
        actor=people["agency_officer"], service=service, content={"fee_amount": 350000}
    )
    assert draft.fee_amount == 350000 and draft.fee_legal_basis == "PP 28/2019"


def test_effective_date_cannot_go_back(people, agencies):
    service = make_service(
        agency=agencies["a"], code="kia", name="KIA", effective_date=dt.date(2030, 1, 1)
    )
    service_version_draft_update(
        actor=people["agency_officer"], service=service, content={"staff_count": "4 orang"}
    )
    with pytest.raises(DomainError) as err:
        service_version_publish(
            actor=people["agency_head"], service=service, effective_date=dt.date(2029, 12, 31)
        )
    assert err.value.errors[0].field == "effective_date"


def test_create_rejects_duplicate_code_and_other_agency(people, agencies):
    make_service(agency=agencies["a"], code="akta-kematian", name="Akta Kematian")
    with pytest.raises(DomainError) as err:
        service_create(
            actor=people["supervisor"], agency=agencies["b"], code="akta-kematian", name="X"
        )
    assert err.value.errors[0].field == "code"
    with pytest.raises(DomainError) as err:
        service_create(
            actor=people["agency_officer"], agency=agencies["b"], code="imunisasi", name="Imunisasi"
        )
    assert err.value.status == 403


def test_update_identity_is_audited_and_reindexed(people, agencies):
    service = make_service(agency=agencies["a"], code="pindah", name="Surat Pindah")
    updated = service_update(
        actor=people["agency_officer"],
        service=service,
        aliases="pindah rumah; pindah domisili\nSKPWNI",
        online_available=True,
    )
    assert updated.aliases == ["pindah rumah", "pindah domisili", "SKPWNI"]
    assert "skpwni" in updated.search_title
    entry = AuditEntry.objects.filter(action="catalog.service_update").last()
    assert entry.summary["online_available"] == [False, True]


def test_full_content_fixture_is_complete():
    assert len(FULL_CONTENT) == 16  # 6 delivery components (8 fields) + 8 management
