"""The demo step: every state, realistic clocks (some overdue), deterministic, idempotent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from terpadu.applications.demo import clear_demo_applications, load_demo_applications
from terpadu.applications.models import Application, ApplicationEvent, IssuedDocument
from terpadu.core.testing import make_resident

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 4, 15, 3, 0, tzinfo=UTC)  # Wednesday 10:00 WIB, after Idul Fitri


@pytest.fixture
def residents(regions):  # type: ignore[no-untyped-def]
    for i in range(30):
        make_resident(
            village=regions["bwi_village"], nik=f"35100145089{i:05d}", name=f"Warga Contoh {i}"
        )


def snapshot() -> list[tuple[str, str, str]]:
    return list(Application.objects.order_by("code").values_list("code", "status", "applicant_nik"))


def test_demo_applications_cover_every_state_and_are_deterministic(
    regions, akta, residents, upload_dir
):
    bwi = regions["banyuwangi"]
    counts = load_demo_applications(bwi, seed=7, count=600, now=NOW)
    assert counts["applications"] == 600
    statuses = set(Application.objects.values_list("status", flat=True))
    assert statuses == {
        "diajukan",
        "verifikasi",
        "perbaikan",
        "diproses",
        "disetujui",
        "ditolak",
        "selesai",
    }
    assert Application.objects.filter(step_due_at__lt=NOW).exists()  # some are late
    assert Application.objects.filter(status="perbaikan", due_at__isnull=True).exists()
    assert not Application.objects.filter(status="selesai", completed_at__isnull=True).exists()
    # every event is in order and within the six months before "now"
    first = ApplicationEvent.objects.order_by("at").first()
    last = ApplicationEvent.objects.order_by("-at").first()
    assert first is not None and last is not None and last.at <= NOW
    assert (NOW - first.at).days <= 183
    assert (
        IssuedDocument.objects.count()
        == Application.objects.filter(status__in=["disetujui", "selesai"]).count()
    )
    before = snapshot()
    again = load_demo_applications(bwi, seed=7, count=600, now=NOW)
    assert again["reused"] is True and snapshot() == before
    clear_demo_applications(bwi)
    load_demo_applications(bwi, seed=7, count=600, now=NOW)
    assert snapshot() == before


def test_a_demo_document_renders_on_request_and_verifies(client, regions, akta, residents, people):
    from terpadu.applications.codes import document_token
    from terpadu.applications.views import document_verification

    load_demo_applications(regions["banyuwangi"], seed=3, count=200, now=NOW)
    document = IssuedDocument.objects.select_related("application").first()
    assert document is not None and not document.file
    client.force_login(people["agency_officer"])
    response = client.get(
        f"/permohonan/{document.application_id}/dokumen.pdf", HTTP_HOST="127.0.0.1"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert document_verification(document_token(document.pk, document.number))["valid"]
