"""Clerical review in the office UI and API: side by side, decisions audited, NIK masked, scoped."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from terpadu.accounts.models import Role
from terpadu.core.models import AuditEntry
from terpadu.core.testing import UserFactory, make_resident
from terpadu.registry import person_index, services
from terpadu.registry.models import PersonLink, RecordAccess, ReviewPair, SourceRecord

NIK = "3510164508150001"
SCHOOL = (
    "nisn,nama_siswa,jk,tanggal_lahir,nik,nama_ibu_kandung,desa,kecamatan,sekolah\n"
    "0012345678,SITI AMINAH,P,05-08-2015,,Sumiati,Sobo,Banyuwangi,SDN 1 Sobo\n"
    "0012345679,Sitti Aminah,P,2014,,,Sobo,Banyuwangi,SDN 2 Sobo\n"
)


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    return client


@pytest.fixture
def pair(regions):  # type: ignore[no-untyped-def]
    """A register record and a school record of one girl, waiting for review."""
    resident = make_resident(village=regions["bwi_village"], nik=NIK)
    resident.birth_date = date(2015, 8, 5)
    resident.mother_name = "Sumiati"
    resident.save()
    services.batch_from_register(region=regions["banyuwangi"])
    services.batch_import(
        region=regions["banyuwangi"],
        source_type="school",
        content=SCHOOL.encode(),
        file_name="siswa.csv",
        reference=date(2026, 1, 1),
    )
    person_index.linkage_run(region=regions["banyuwangi"])
    register = SourceRecord.objects.get(source_type="population")
    school = SourceRecord.objects.get(source_type="school", row_number=3)
    ReviewPair.objects.filter(record_l=register, record_r=school).delete()
    return ReviewPair.objects.create(
        region=regions["banyuwangi"], record_l=register, record_r=school, match_probability=0.72
    )


def test_reviewer_sees_both_records_side_by_side_and_decides(people, pair) -> None:  # type: ignore[no-untyped-def]
    officer = people["agency_officer"]
    client = client_for(officer)
    listing = client.get("/kantor/data-terpadu/tinjau/").content.decode()
    assert f"/kantor/data-terpadu/tinjau/{pair.pk}/" in listing
    page = client.get(f"/kantor/data-terpadu/tinjau/{pair.pk}/").content.decode()
    assert "Siti Aminah" in page and "Sitti Aminah" in page
    assert NIK in page  # an agency officer needs the full NIK
    # The birth year differs (2015 vs 2014); the names do not once standardised.
    assert page.count('class="differs"') == 1
    assert "berbeda" in page
    assert RecordAccess.objects.filter(user=officer, purpose=f"tinjau pasangan #{pair.pk}").exists()
    # No decision chosen: a field message, nothing saved.
    bad = client.post(f"/kantor/data-terpadu/tinjau/{pair.pk}/", {"note": "?"})
    assert bad.status_code == 400 and "Pilih salah satu keputusan" in bad.content.decode()
    assert ReviewPair.objects.get(pk=pair.pk).status == "pending"
    done = client.post(
        f"/kantor/data-terpadu/tinjau/{pair.pk}/", {"decision": "accepted", "note": "sama"}
    )
    assert done.status_code == 302
    decided = ReviewPair.objects.get(pk=pair.pk)
    assert (decided.status, decided.decided_by, decided.note) == ("accepted", officer, "sama")
    entry = AuditEntry.objects.get(action="registry.review_decide")
    assert entry.summary["status"] == ["pending", "accepted"]
    # The next run respects it: both records are one person.
    person_index.linkage_run(region=pair.region)
    assert (
        PersonLink.objects.get(record=pair.record_l).person_id
        == PersonLink.objects.get(record=pair.record_r).person_id
    )


def test_supervisor_sees_masked_nik(people, pair) -> None:  # type: ignore[no-untyped-def]
    page = client_for(people["supervisor"]).get(f"/kantor/data-terpadu/tinjau/{pair.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and NIK not in text and "3510********0001" in text
    assert RecordAccess.objects.filter(user=people["supervisor"], full_nik_shown=False).exists()


@pytest.mark.parametrize("role", ["citizen", "front_desk", "field_worker"])
def test_roles_without_review_duty_get_not_found(role, people, pair) -> None:  # type: ignore[no-untyped-def]
    client = client_for(people[role])
    assert client.get("/kantor/data-terpadu/tinjau/").status_code == 404
    assert client.get(f"/kantor/data-terpadu/tinjau/{pair.pk}/").status_code == 404
    assert client.get("/api/v1/registry/review-pairs").json() == []
    assert not RecordAccess.objects.exists()


def test_other_regency_cannot_see_the_pair_but_the_province_can(
    people, regions, agencies, pair
) -> None:  # type: ignore[no-untyped-def]
    jember = UserFactory(
        username="petugas-jember",
        role=Role.AGENCY_OFFICER,
        region=regions["jember"],
        agency=agencies["jember"],
    )
    client = client_for(jember)
    assert client.get(f"/kantor/data-terpadu/tinjau/{pair.pk}/").status_code == 404
    api = client.post(
        f"/api/v1/registry/review-pairs/{pair.pk}/decision",
        {"decision": "rejected"},
        content_type="application/json",
    )
    assert api.status_code == 404
    assert ReviewPair.objects.get(pk=pair.pk).status == "pending"
    person = PersonLink.objects.get(record=pair.record_l).person_id
    assert client.get(f"/kantor/data-terpadu/orang/{person}/").status_code == 404
    province = client_for(people["province_supervisor"])
    assert province.get(f"/kantor/data-terpadu/tinjau/{pair.pk}/").status_code == 200


def test_api_decision_and_person_record_with_provenance(people, pair) -> None:  # type: ignore[no-untyped-def]
    officer = client_for(people["agency_officer"])
    listed = officer.get("/api/v1/registry/review-pairs").json()
    ours = next(p for p in listed if p["id"] == pair.pk)
    assert ours["left"]["nik"] == NIK
    bad = officer.post(
        f"/api/v1/registry/review-pairs/{pair.pk}/decision",
        {"decision": "maybe"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "decision"
    ok = officer.post(
        f"/api/v1/registry/review-pairs/{pair.pk}/decision",
        {"decision": "rejected", "note": "beda sekolah"},
        content_type="application/json",
    )
    assert ok.status_code == 200 and ok.json()["status"] == "rejected"
    person = PersonLink.objects.get(record=pair.record_l).person_id
    supervisor = client_for(people["supervisor"])
    data = supervisor.get(f"/api/v1/registry/persons/{person}").json()
    assert data["nik"] == "3510********0001"
    sources = {r["record"]["source_type"] for r in data["records"]}
    assert "population" in sources
    assert {r["method"] for r in data["records"]} >= {"register"}
    page = supervisor.get(f"/kantor/data-terpadu/orang/{person}/").content.decode()
    assert "Register kependudukan" in page and NIK not in page
    assert RecordAccess.objects.filter(
        person_id=person, user=people["supervisor"], purpose="lihat data terpadu"
    ).exists()


def test_access_log_is_for_supervisors(people, pair) -> None:  # type: ignore[no-untyped-def]
    client_for(people["agency_officer"]).get(f"/kantor/data-terpadu/tinjau/{pair.pk}/")
    log = client_for(people["supervisor"]).get("/kantor/data-terpadu/log-akses/")
    assert log.status_code == 200 and "petugas" in log.content.decode()
    assert f"tinjau pasangan #{pair.pk}" in log.content.decode()
    assert (
        client_for(people["agency_officer"]).get("/kantor/data-terpadu/log-akses/").status_code
        == 404
    )


def test_home_card_counts_pending_pairs(people, pair) -> None:  # type: ignore[no-untyped-def]
    page = client_for(people["agency_officer"]).get("/beranda/").content.decode()
    assert "/kantor/data-terpadu/tinjau/" in page
