"""The gallery demo step: real Banyuwangi innovations, fast, idempotent, linked to live data."""

from __future__ import annotations

from datetime import date

import pytest

from terpadu.core.models import AuditEntry
from terpadu.gallery import measures
from terpadu.gallery.demo import ENTRIES, clear_demo_gallery, load_demo_gallery
from terpadu.gallery.models import Innovation, ManualFigure
from terpadu.gallery.selectors import innovation_page
from terpadu.gallery.tests.conftest import H, client_for, open_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_agencies(regions, agencies, dispendik):  # type: ignore[no-untyped-def]
    from terpadu.core.testing import AgencyFactory

    return {
        "dpmptsp": AgencyFactory(
            region=regions["banyuwangi"], code="dpmptsp", short_name="DPMPTSP"
        ),
        **agencies,
    }


def test_demo_step_is_idempotent_and_sourced(regions, demo_agencies, garda):
    # Its speed is measured by bench/demo_build.py, not asserted here.
    figures = load_demo_gallery(regions["banyuwangi"], today=date(2026, 11, 28))
    assert figures == {"innovations": len(ENTRIES), "kept": 0}
    names = set(Innovation.objects.values_list("name", flat=True))
    for expected in (
        "Garda Ampuh",
        "Pemburu Bumil Risti / Laskar SAKINA",
        "Gancang Aron",
        "Mal Pelayanan Publik Banyuwangi",
        "Smart Kampung",
    ):
        assert expected in names
    assert not ManualFigure.objects.filter(source="").exists()
    assert ManualFigure.objects.filter(label="Anak putus sekolah ditangani", value=5093).exists()
    # Gancang Aron falls back to Dinkes when the demo has no RSUD agency
    assert Innovation.objects.get(slug="gancang-aron").agency.code == "dinkes"

    audit = AuditEntry.objects.count()
    again = load_demo_gallery(regions["banyuwangi"], today=date(2026, 11, 28))
    assert again == {"innovations": 0, "kept": len(ENTRIES)}
    assert AuditEntry.objects.count() == audit  # nothing written the second time

    # the figures come from the running programme
    open_cases(garda, regions["bwi_village"], 4)
    garda_entry = innovation_page(Innovation.objects.get(slug="garda-ampuh"))
    (outcome,) = measures.outcomes(garda_entry)
    assert outcome.figures[0].value == 4
    page = client_for().get("/inovasi/", **H).content.decode()
    assert "Garda Ampuh" in page and "Smart Kampung" in page

    assert clear_demo_gallery(regions["banyuwangi"]) > 0
    assert not Innovation.objects.filter(slug__in=[e.slug for e in ENTRIES]).exists()


def test_bulk_attach_refuses_a_figure_without_source_and_writes_nothing(innovation):
    from terpadu.core.errors import DomainError
    from terpadu.gallery.services import innovation_attach

    with pytest.raises(DomainError):
        innovation_attach(
            actor=None,
            innovation=innovation,
            measures=[{"kind": "ikm"}],
            figures=[{"label": "x", "value": "5", "period_label": "2016", "source": " "}],
        )
    assert innovation.measures.count() == 1 and innovation.manual_figures.count() == 0
