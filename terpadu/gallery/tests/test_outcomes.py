"""Live outcomes: the gallery's figures are the platform's own, and move with the data."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from terpadu.gallery import measures
from terpadu.gallery.models import Innovation
from terpadu.gallery.services import manual_figure_add, measure_add
from terpadu.gallery.tests.conftest import H, client_for, open_cases, resolve, skm, wib
from terpadu.outreach.selectors import report_by_area

pytestmark = pytest.mark.django_db


def _outcome(innovation: Innovation, kind: str, as_of: date | None = None) -> measures.Outcome:
    innovation = Innovation.objects.prefetch_related("measures").get(pk=innovation.pk)
    return next(o for o in measures.outcomes(innovation, as_of) if o.kind == kind)


def _figures(outcome: measures.Outcome) -> dict[str, float | None]:
    return {f.label: f.value for f in outcome.figures}


def test_outreach_figures_equal_the_programmes_report_and_follow_the_data(
    innovation, garda, regions
):
    cases = open_cases(garda, regions["bwi_village"], 5)
    resolve(cases[0])
    resolve(cases[1])
    from terpadu.outreach.services import case_transition

    case_transition(case=cases[2], actor=None, target="verified")
    case_transition(case=cases[3], actor=None, target="not_eligible", note="sudah SMA")

    report = report_by_area(garda)
    figures = _figures(_outcome(innovation, "outreach"))
    assert figures["Ditemukan"] == report["totals"]["total"] == 5
    assert figures["Selesai"] == report["success"] == 2
    assert figures["Ditangani"] == 3  # 2 resolved + 1 verified; not eligible is not handled

    # the programme's data changes → the gallery's figure changes, nothing cached
    resolve(cases[2])
    open_cases(garda, regions["bwi_village"], 2, start=10)
    figures = _figures(_outcome(innovation, "outreach"))
    assert figures == {"Ditemukan": 7.0, "Ditangani": 3.0, "Selesai": 3.0}
    assert report_by_area(garda)["success"] == 3

    page = client_for().get("/inovasi/garda-ampuh/", **H).content.decode()
    assert "Terukur langsung" in page
    assert "Banyuwangi" in page  # the per-kecamatan table


def test_outreach_trend_counts_cases_by_month(innovation, garda, regions):
    open_cases(garda, regions["bwi_village"], 3, when=wib(2026, 9, 3))
    (case,) = open_cases(garda, regions["bwi_village"], 1, start=5, when=wib(2026, 10, 1))
    resolve(case, when=wib(2026, 11, 2))
    outcome = _outcome(innovation, "outreach", as_of=date(2026, 11, 28))
    found, resolved = outcome.lines
    by_key = {p.key: p.value for p in found.points}
    assert by_key["2026-09"] == 3 and by_key["2026-10"] == 1 and by_key["2026-11"] == 0
    assert {p.key: p.value for p in resolved.points}["2026-11"] == 1
    assert len(found.points) == 12


def test_programme_not_running_here_says_no_data_not_zero(regions, agencies):
    from terpadu.gallery.services import innovation_create

    innovation = innovation_create(
        actor=None, agency=agencies["b"], name="Laskar SAKINA", theme="health", is_public=True
    )
    measure_add(actor=None, innovation=innovation, kind="outreach", programme_code="maternal")
    outcome = _outcome(innovation, "outreach")
    assert [f.text for f in outcome.figures] == ["belum ada data"] * 3
    assert not outcome.has_data


def test_ikm_before_and_after_the_pivot_date_and_live(regions, agencies):
    from terpadu.gallery.services import innovation_create

    innovation = innovation_create(
        actor=None, agency=agencies["a"], name="MPP", theme="public_service", is_public=True
    )
    measure_add(
        actor=None,
        innovation=innovation,
        kind="ikm",
        agency=agencies["a"],
        pivot_date=date(2026, 6, 1),
    )
    for _ in range(3):
        skm(agencies["a"], 2, wib(2026, 3, 10))  # before: all "2" → 50.00
        skm(agencies["a"], 4, wib(2026, 8, 10))  # after: all "4" → 100.00
    skm(agencies["b"], 1, wib(2026, 8, 10))  # another agency: not counted
    outcome = _outcome(innovation, "ikm", as_of=date(2026, 11, 28))
    assert outcome.before is not None and outcome.after is not None
    assert outcome.before.value == 50.0 and outcome.after.value == 100.0
    assert "mutu" in outcome.after.text and "n = 3" in outcome.after.text
    assert outcome.change_better is True
    skm(agencies["a"], 1, wib(2026, 9, 1))  # a new answer moves the figure
    after = _outcome(innovation, "ikm", as_of=date(2026, 11, 28)).after
    assert after is not None and after.value == pytest.approx(81.25)


def test_cetar_indicator_reads_the_fact_tables(regions, agencies):
    from terpadu.cetar.facts import build_days
    from terpadu.gallery.services import innovation_create

    innovation = innovation_create(
        actor=None, agency=agencies["a"], name="Dukcapil cepat", theme="civil_registration"
    )
    measure_add(
        actor=None,
        innovation=innovation,
        kind="cetar",
        indicator_id="ikm",
        agency=agencies["a"],
        pivot_date=date(2026, 6, 1),
    )
    for _ in range(5):
        skm(agencies["a"], 3, wib(2026, 8, 10))
    as_of = date(2026, 11, 28)
    before_build = _outcome(innovation, "cetar", as_of=as_of)
    assert before_build.after is not None and not before_build.after.has_data
    build_days(date(2026, 8, 1), date(2026, 8, 31), audit=False)
    outcome = _outcome(innovation, "cetar", as_of=as_of)
    assert outcome.after is not None and outcome.after.value == pytest.approx(75.0)
    assert outcome.before is not None and not outcome.before.has_data
    assert outcome.definition  # the indicator's formula is shown
    august = {p.key: p.value for p in outcome.lines[0].points}["2026-08"]
    assert august == pytest.approx(75.0)


def test_hand_entered_figures_are_labelled_and_never_summed(innovation, garda, regions):
    cases = open_cases(garda, regions["bwi_village"], 4)
    resolve(cases[0])
    manual_figure_add(
        actor=None,
        innovation=innovation,
        label="Anak putus sekolah yang ditangani",
        value="5093",
        period_label="s.d. 31 Des 2016",
        source="okezone, 5 Jan 2017",
        source_url="http://news.okezone.com/read/2017/01/05/65/1584142/",
    )
    # measured figures are still the platform's alone
    assert _figures(_outcome(innovation, "outreach")) == {
        "Ditemukan": 4.0,
        "Ditangani": 1.0,
        "Selesai": 1.0,
    }
    page = client_for().get("/inovasi/garda-ampuh/", **H).content.decode()
    assert "Angka yang dicatat manual" in page and "Bukan hasil pengukuran Terpadu" in page
    assert "okezone, 5 Jan 2017" in page and "5.093" in page
    assert "5.097" not in page and "5.094" not in page  # never added to the measured ones
    manual_section = page.split('id="angka-manual"')[1]
    measured_section = page.split('id="hasil-terukur"')[1].split('id="angka-manual"')[0]
    assert "5.093" in manual_section and "5.093" not in measured_section

    api = client_for().get("/api/v1/gallery/innovations/garda-ampuh/outcomes", **H).json()
    assert [o["measured"] for o in api["measured"]] == [True]
    assert api["manual"][0]["measured"] is False
    assert api["manual"][0]["source"] == "okezone, 5 Jan 2017"
    assert Decimal(api["manual"][0]["value"]) == Decimal("5093")


def test_a_manual_figure_needs_a_source(innovation):
    from terpadu.core.errors import DomainError

    with pytest.raises(DomainError) as caught:
        manual_figure_add(
            actor=None, innovation=innovation, label="x", value="1", period_label="2016", source=""
        )
    assert [e.field for e in caught.value.errors] == ["source"]
    assert innovation.manual_figures.count() == 0
