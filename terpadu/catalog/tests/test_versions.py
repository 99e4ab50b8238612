"""A version published with a future effective date takes over on that date (Asia/Jakarta)."""

from __future__ import annotations

import datetime as dt

import pytest

from terpadu.catalog.models import Service, ServiceVersion
from terpadu.catalog.search import service_search
from terpadu.catalog.services import (
    promote_due_versions,
    service_version_draft_update,
    service_version_publish,
)
from terpadu.catalog.testing import make_service
from terpadu.core.errors import DomainError
from terpadu.core.models import AuditEntry
from terpadu.core.periodic import JOBS
from terpadu.core.workdays import local_today

pytestmark = pytest.mark.django_db

NEW_DOCUMENT = "Surat keterangan lahir dari Puskesmas Sobokerto"


def _schedule(people, service: Service, days: int) -> ServiceVersion:
    service_version_draft_update(
        actor=people["agency_officer"],
        service=service,
        content={
            "requirements": [{"document": NEW_DOCUMENT, "note": ""}],
            "completion_time_value": 3,
        },
    )
    return service_version_publish(
        actor=people["agency_head"],
        service=service,
        effective_date=local_today() + dt.timedelta(days=days),
        change_note="Syarat baru mulai bulan depan",
    )


def _file_application(people, service: Service):  # type: ignore[no-untyped-def]
    from terpadu.applications.services import Applicant, application_apply

    return application_apply(
        actor=people["front_desk"],
        service=Service.objects.get(pk=service.pk),
        applicant=Applicant(name="Siti Aminah", nik="3510014508900001"),
        data={},
    )


def test_future_version_waits_then_switches_on_its_date(client, people, agencies):
    service = make_service(
        agency=agencies["a"],
        code="akta-kelahiran",
        name="Akta Kelahiran",
        effective_date=local_today() - dt.timedelta(days=30),
    )
    v1 = service.current_version
    filed = _file_application(people, service)
    assert filed.service_version_id == v1.pk

    v2 = _schedule(people, service, days=10)
    service.refresh_from_db()
    assert v2.status == ServiceVersion.Status.SCHEDULED
    assert service.current_version_id == v1.pk
    # Citizens still see version 1: page, search index, new applications.
    page = client.get("/layanan/akta-kelahiran/").content.decode()
    assert "Sobokerto" not in page and "versi 1" in page
    assert service_search(region_id=service.region_id, query="sobokerto") == []
    assert _file_application(people, service).service_version_id == v1.pk
    entry = AuditEntry.objects.filter(action="catalog.service_publish").order_by("-seq").first()
    assert entry.summary["scheduled"] is True and entry.summary["version"] == 2

    # The day before: nothing changes.
    assert promote_due_versions(today=v2.effective_date - dt.timedelta(days=1)) == 0
    service.refresh_from_db()
    assert service.current_version_id == v1.pk

    # On the date the new version is current, searchable, and used for new applications.
    assert promote_due_versions(today=v2.effective_date) == 1
    service.refresh_from_db()
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert service.current_version_id == v2.pk
    assert (v1.status, v2.status) == ("superseded", "published")
    page = client.get("/layanan/akta-kelahiran/").content.decode()
    assert "Sobokerto" in page and "versi 2" in page
    hits = service_search(region_id=service.region_id, query="sobokerto")
    assert [h.service.code for h in hits] == ["akta-kelahiran"]
    assert _file_application(people, service).service_version_id == v2.pk
    # Past applications keep the version they were filed under.
    filed.refresh_from_db()
    assert filed.service_version_id == v1.pk
    entry = AuditEntry.objects.filter(action="catalog.version_effective").get()
    assert entry.actor_label == "system" and entry.record_id == str(service.pk)
    assert entry.summary == {
        "version": 2,
        "previous_version": 1,
        "effective_date": v2.effective_date.isoformat(),
    }
    # Running again does nothing.
    assert promote_due_versions(today=v2.effective_date + dt.timedelta(days=5)) == 0


def test_officer_sees_when_the_new_version_starts(client, people, agencies):
    service = make_service(agency=agencies["a"], code="kia", name="Kartu Identitas Anak")
    v2 = _schedule(people, service, days=20)
    date = f"{v2.effective_date.day} "  # "berlaku mulai 18 Desember 2026"
    client.force_login(people["agency_officer"])
    office = client.get(f"/kantor/layanan/{service.pk}/").content.decode()
    assert "Versi 2 sudah terbit dan berlaku mulai " + date in office
    assert "Sampai tanggal itu warga melihat versi 1." in office
    # The form shows version 2's content: a new draft builds on it, not on version 1.
    assert "Sobokerto" in office
    listing = client.get("/kantor/layanan/").content.decode()
    assert f"Versi baru berlaku mulai {v2.effective_date:%d-%m-%Y}" in listing
    public = client.get("/layanan/kia/").content.decode()
    assert "berlaku mulai " + date in public and "Sobokerto" not in public
    # Citizens do not see the note.
    client.logout()
    assert "berlaku mulai" not in client.get("/layanan/kia/").content.decode()
    client.force_login(people["citizen"])
    assert "berlaku mulai" not in client.get("/layanan/kia/").content.decode()


def test_next_draft_builds_on_the_scheduled_version_and_cannot_predate_it(people, agencies):
    service = make_service(agency=agencies["a"], code="kk-baru", name="Kartu Keluarga Baru")
    v2 = _schedule(people, service, days=10)
    draft = service_version_draft_update(
        actor=people["agency_officer"], service=service, content={"staff_count": "5 orang"}
    )
    assert draft.number == 3 and draft.requirements[0]["document"] == NEW_DOCUMENT
    with pytest.raises(DomainError) as err:
        service_version_publish(actor=people["agency_head"], service=service)  # today
    assert err.value.errors[0].field == "effective_date"
    # A later date is fine; on that date v3 wins and v2, never in force, is superseded.
    v3 = service_version_publish(
        actor=people["agency_head"],
        service=service,
        effective_date=v2.effective_date + dt.timedelta(days=1),
    )
    assert promote_due_versions(today=v3.effective_date) == 1
    service.refresh_from_db()
    assert service.current_version_id == v3.pk
    statuses = dict(service.versions.values_list("number", "status"))
    assert statuses == {1: "superseded", 2: "superseded", 3: "published"}


def test_first_version_with_a_future_date_is_not_public_until_then(client, people, agencies):
    service = make_service(
        agency=agencies["a"],
        code="akta-kematian",
        name="Akta Kematian",
        effective_date=local_today() + dt.timedelta(days=3),
    )
    assert service.current_version is None
    assert client.get("/layanan/akta-kematian/").status_code == 404
    promote_due_versions(today=local_today() + dt.timedelta(days=3))
    assert client.get("/layanan/akta-kematian/").status_code == 200


def test_the_worker_runs_the_switch_every_minute(people, agencies):
    from terpadu.catalog.tasks import catalog_promote_versions

    job = {j.name: j for j in JOBS}["catalog_promote_versions"]
    assert job.every_seconds == 60
    assert job.task_path == "terpadu.catalog.tasks.catalog_promote_versions"
    # The task switches on what is due today (Asia/Jakarta): a version dated today
    # that is still scheduled (the worker was down at midnight) is caught up.
    service = make_service(agency=agencies["a"], code="skck", name="SKCK")
    v2 = _schedule(people, service, days=1)
    ServiceVersion.objects.filter(pk=v2.pk).update(effective_date=local_today())
    assert catalog_promote_versions.call() == 1
    service.refresh_from_db()
    assert service.current_version_id == v2.pk
