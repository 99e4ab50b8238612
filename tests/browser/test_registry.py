"""A data officer on a 360-px phone reviews a pair: side by side, differences marked, one tap to decide."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.conftest import axe_violations, login, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SCHOOL = (
    "nisn,nama_siswa,jk,tanggal_lahir,nik,nama_ibu_kandung,desa,kecamatan,sekolah\n"
    "0012345679,Sitti Aminah,P,2015,,Hj. Sumiyati,Sobo,Banyuwangi,SDN 2 Sobo\n"
)


@pytest.fixture
def pair(regions):
    from terpadu.core.testing import make_resident
    from terpadu.registry import person_index, services
    from terpadu.registry.models import ReviewPair, SourceRecord

    resident = make_resident(village=regions["bwi_village"], nik="3510164508150001")
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
    left = SourceRecord.objects.get(source_type="population")
    right = SourceRecord.objects.get(source_type="school")
    ReviewPair.objects.filter(record_l=left, record_r=right).delete()
    return ReviewPair.objects.create(
        region=regions["banyuwangi"], record_l=left, record_r=right, match_probability=0.7
    )


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_officer_reviews_a_pair_at_360px(live_server, page_at, people, pair):
    page = page_at(360, 740)
    login(page, live_server.url, people["agency_officer"].username, "kata-sandi-uji-123")
    page.goto(f"{live_server.url}/kantor/data-terpadu/tinjau/")
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    page.get_by_role("link", name="Siti Aminah").first.click()
    page.wait_for_url(f"{live_server.url}/kantor/data-terpadu/tinjau/{pair.pk}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Orang yang sama?"
    assert page.get_by_text("berbeda").first.is_visible()
    assert no_horizontal_overflow(page)
    assert axe_violations(page) == []
    screenshot(page, "registry-review-360")
    page.get_by_label("Orang yang sama").check()
    page.get_by_role("button", name="Simpan keputusan").click()
    page.wait_for_url(f"{live_server.url}/kantor/data-terpadu/tinjau/**")
    pair.refresh_from_db()
    assert pair.status == "accepted"
