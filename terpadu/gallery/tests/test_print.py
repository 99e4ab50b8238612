"""The exhibition poster (A4, A1) and the competition proposal (DOCX, PDF)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from terpadu.gallery.poster import render_poster
from terpadu.gallery.services import award_add, manual_figure_add
from terpadu.gallery.tests.conftest import H, client_for, open_cases, resolve
from tests.qr import qr_payloads

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def decorated(innovation, garda, regions):  # type: ignore[no-untyped-def]
    cases = open_cases(garda, regions["bwi_village"], 6)
    for case in cases[:4]:
        resolve(case)
    manual_figure_add(
        actor=None,
        innovation=innovation,
        label="Anak putus sekolah yang ditangani",
        value="5093",
        period_label="s.d. 31 Des 2016",
        source="okezone, 5 Jan 2017",
    )
    award_add(
        actor=None,
        innovation=innovation,
        year=2017,
        name="Top 99 Inovasi Pelayanan Publik",
        giver="KemenPANRB",
        level="national",
    )
    return innovation


@pytest.mark.parametrize(("size", "scale"), [("a4", 2.0), ("a1", 0.75)])
def test_poster_has_the_live_figures_and_a_qr_code_to_the_page(decorated, size, scale):
    url = "http://127.0.0.1/inovasi/garda-ampuh/"
    pdf = render_poster(decorated, size=size, url=url, as_of=date(2026, 11, 28))
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (
        (595, 842) if size == "a4" else (1684, 2384)
    )
    text = _text(pdf)
    assert "Hasil terukur per 28/11/2026" in text
    assert "Ditemukan: 6" in text and "Selesai: 4" in text
    assert "5.093" in text and "okezone" in text and "bukan hasil pengukuran Terpadu" in text
    assert qr_payloads(pdf, scale) == [url]


def test_poster_view_prints_todays_figures_with_the_absolute_url(decorated, garda, regions):
    c = client_for()
    response = c.get("/inovasi/garda-ampuh/poster-a4.pdf", **H)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert qr_payloads(response.content, 2.0) == ["http://127.0.0.1/inovasi/garda-ampuh/"]
    assert "Ditemukan: 6" in _text(response.content)
    open_cases(garda, regions["bwi_village"], 1, start=50)  # live: the next print shows 7
    assert "Ditemukan: 7" in _text(c.get("/inovasi/garda-ampuh/poster-a4.pdf", **H).content)
    assert c.get("/inovasi/garda-ampuh/poster-a3.pdf", **H).status_code == 404


def test_proposal_docx_and_pdf_are_filled_from_the_innovation(decorated, people):
    from docx import Document

    c = client_for(people["supervisor"])
    docx = c.get(f"/kantor/inovasi/{decorated.pk}/proposal.docx", **H)
    assert docx.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    for expected in (
        "Proposal inovasi pelayanan publik: Garda Ampuh",
        "2. Latar belakang dan masalah",
        "Anak muda putus sekolah.",
        "5. Hasil yang dicapai",
        "Ditemukan: 6",
        "sumber: okezone, 5 Jan 2017",
        "Top 99 Inovasi Pelayanan Publik — KemenPANRB (2017)",
        "[Diisi oleh instansi]",
    ):
        assert expected in text
    pdf = c.get(f"/kantor/inovasi/{decorated.pk}/proposal.pdf", **H)
    assert pdf.status_code == 200 and "Ditemukan: 6" in _text(pdf.content)
    # a draft for the agency: not for the public, nor for another agency's officer
    assert client_for().get(f"/kantor/inovasi/{decorated.pk}/proposal.pdf", **H).status_code == 302
    other = client_for(people["agency_officer"])  # agency A, not Dispendik
    assert other.get(f"/kantor/inovasi/{decorated.pk}/proposal.docx", **H).status_code == 404
