"""Who sees what: another agency's officer gets the same 404 as for a missing id — the
application, its files and its PDF, in HTML and in the API."""

from __future__ import annotations

import pytest

from terpadu.accounts.services import api_token_create
from terpadu.applications.models import IssuedDocument
from terpadu.applications.services import application_transition
from terpadu.core.testing import UserFactory

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "127.0.0.1"}


@pytest.fixture
def issued(submitted, people):  # type: ignore[no-untyped-def]
    for action in ("verify", "accept", "approve"):
        application_transition(actor=people["agency_officer"], application=submitted, action=action)
    return submitted


@pytest.fixture
def outsiders(regions, agencies):  # type: ignore[no-untyped-def]
    return {
        "dinkes": UserFactory(
            username="petugas.dinkes",
            role="agency_officer",
            region=regions["banyuwangi"],
            agency=agencies["b"],
        ),
        "jember": UserFactory(
            username="petugas.jember",
            role="agency_officer",
            region=regions["jember"],
            agency=agencies["jember"],
        ),
        "other_citizen": UserFactory(
            username="warga2", role="citizen", region=regions["banyuwangi"]
        ),
    }


def urls(app):  # type: ignore[no-untyped-def]
    file_id = app.files.first().pk
    return [
        f"/kantor/permohonan/{app.pk}/",
        f"/permohonan/{app.pk}/",
        f"/permohonan/berkas/{file_id}/",
        f"/permohonan/{app.pk}/dokumen.pdf",
    ]


def api_urls(app):  # type: ignore[no-untyped-def]
    file_id = app.files.first().pk
    return [
        f"/api/v1/applications/{app.pk}",
        f"/api/v1/applications/files/{file_id}",
        f"/api/v1/applications/{app.pk}/document",
    ]


@pytest.mark.parametrize("who", ["dinkes", "jember", "other_citizen"])
def test_outsiders_get_the_same_404_as_a_missing_id(client, issued, outsiders, who):
    user = outsiders[who]
    client.force_login(user)
    for url in urls(issued):
        assert client.get(url, **HOST).status_code == 404, url
    missing = client.get("/kantor/permohonan/999999/", **HOST)
    assert missing.status_code == 404
    token = api_token_create(user=user, name="uji")
    client.logout()
    for url in api_urls(issued):
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}", **HOST)
        assert response.status_code == 404, url
        assert response.json()["code"] == "not_found"
    response = client.post(
        f"/api/v1/applications/{issued.pk}/transitions",
        {"action": "complete"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        **HOST,
    )
    assert response.status_code == 404
    issued.refresh_from_db()
    assert issued.status == "disetujui"


def test_the_applicant_and_the_agency_open_files_and_the_pdf(client, issued, people, citizen):
    for user in (citizen, people["agency_officer"], people["agency_head"]):
        client.force_login(user)
        for url in urls(issued)[2:]:
            response = client.get(url, **HOST)
            assert response.status_code == 200, (user, url)
            assert response["Cache-Control"] == "private, no-store"
    assert IssuedDocument.objects.filter(application=issued).exists()


def test_supervisors_read_the_application_but_not_the_files(client, issued, people):
    client.force_login(people["supervisor"])
    page = client.get(f"/kantor/permohonan/{issued.pk}/", **HOST)
    assert page.status_code == 200
    assert "/permohonan/berkas/" not in page.content.decode()
    for url in urls(issued)[2:]:
        assert client.get(url, **HOST).status_code == 404


def test_officer_sees_the_full_nik_and_the_action_buttons(client, issued, people):
    client.force_login(people["agency_officer"])
    html = client.get(f"/kantor/permohonan/{issued.pk}/", **HOST).content.decode()
    assert "3510014508900001" in html
    assert "Selesai/diserahkan" in html
    client.force_login(people["supervisor"])
    html = client.get(f"/kantor/permohonan/{issued.pk}/", **HOST).content.decode()
    assert "3510014508900001" not in html and "3510********0001" in html
