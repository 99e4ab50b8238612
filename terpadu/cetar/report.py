"""The monthly CETAR report of one agency as a printable A4 PDF (ReportLab), from the facts.

What an agency head takes to a meeting: every indicator of the month beside the previous
month and the target, a 12-month chart of the headline indicators, and the indicators
furthest from their targets first.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from terpadu.cetar import selectors
from terpadu.cetar.indicators import HEADLINE, INDICATORS, Indicator
from terpadu.cetar.models import FtDimAgency
from terpadu.cetar.params import Period, month_label
from terpadu.cetar.selectors import Row, Slice
from terpadu.core.workdays import local_today

GREEN = colors.HexColor("#1b7a3a")
RED = colors.HexColor("#b3261e")
GREY = colors.HexColor("#8a8a8a")


def _gap(row: Row) -> float:
    """How far below target, relative (0 = met or unknown); for "lowest indicators"."""
    ind, v = row.indicator, row.value.value
    if v is None or ind.target is None or row.met is not False:
        return 0.0
    scale = abs(ind.target) or 1.0
    return (ind.target - v) / scale if ind.direction == "higher" else (v - ind.target) / scale


def lowest(rows: list[Row], n: int = 5) -> list[Row]:
    missed = [r for r in rows if _gap(r) > 0]
    return sorted(missed, key=_gap, reverse=True)[:n]


def _chart(indicator: Indicator, points: list[tuple[str, Row]]) -> Drawing:
    drawing = Drawing(80 * mm, 45 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 8 * mm, 8 * mm, 68 * mm, 30 * mm
    chart.data = [[r.value.value or 0 for _, r in points]]
    chart.categoryAxis.categoryNames = [k[5:] for k, _ in points]
    chart.categoryAxis.labels.fontSize = 6
    chart.valueAxis.labels.fontSize = 6
    chart.valueAxis.valueMin = 0
    if indicator.unit == "%":
        chart.valueAxis.valueMax = 100
    chart.bars[0].fillColor = colors.HexColor("#2f6fae")
    for i, (_k, r) in enumerate(points):
        if r.met is not None:
            chart.bars[(0, i)].fillColor = GREEN if r.met else RED
    drawing.add(chart)
    drawing.add(String(0, 41 * mm, f"{indicator.name_id} ({indicator.unit})", fontSize=7))
    return drawing


def agency_month_pdf(agency: FtDimAgency, period: Period) -> bytes:
    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Laporan CETAR {agency.short_name or agency.name} {period.label}",
        author="Terpadu",
    )
    s = Slice(period.first, period.last, region_ids=(agency.region_id,), agency_id=agency.id)
    rows = selectors.overview(s)
    story: list[object] = [
        Paragraph(f"Laporan CETAR — {agency.name}", styles["Title"]),
        Paragraph(
            f"Periode {period.label}. Dibandingkan dengan bulan sebelumnya dan target bawaan. "
            f"Dibuat {local_today():%d-%m-%Y} dari tabel fakta Terpadu; definisi setiap indikator "
            "ada di docs/indicators.md dan halaman dasbor CETAR.",
            styles["Normal"],
        ),
        Spacer(1, 4 * mm),
    ]
    worst = lowest(rows)
    story.append(Paragraph("Indikator paling jauh dari target", styles["Heading2"]))
    if worst:
        for r in worst:
            target = r.indicator.format(r.indicator.target)
            story.append(
                Paragraph(
                    f"• <b>{r.indicator.name_id}</b>: {r.text} (target {target})", styles["Normal"]
                )
            )
    else:
        story.append(
            Paragraph("Tidak ada indikator terukur yang di bawah target.", styles["Normal"])
        )
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("Semua indikator", styles["Heading2"]))
    data = [["Huruf", "Indikator", "Bulan ini", "Bulan lalu", "Target", "Tercapai"]]
    marks: list[tuple[int, bool | None]] = []
    for i, r in enumerate(rows, start=1):
        prev = r.indicator.format(r.previous) if r.previous is not None else "—"
        target = "—" if r.indicator.target is None else r.indicator.format(r.indicator.target)
        met = "—" if r.met is None else ("ya" if r.met else "belum")
        data.append(
            [
                r.indicator.letter_name,
                Paragraph(r.indicator.name_id, styles["BodyText"]),
                r.text,
                prev,
                target,
                met,
            ]
        )
        marks.append((i, r.met))
    table = Table(
        data, colWidths=[24 * mm, 62 * mm, 26 * mm, 26 * mm, 24 * mm, 16 * mm], repeatRows=1
    )
    style = [
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
        ("GRID", (0, 0), (-1, -1), 0.25, GREY),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    for i, ok in marks:
        if ok is not None:
            style.append(("TEXTCOLOR", (5, i), (5, i), GREEN if ok else RED))
    table.setStyle(TableStyle(style))
    story.append(table)
    story.append(Spacer(1, 5 * mm))
    story.append(Paragraph("Tren 12 bulan", styles["Heading2"]))
    first = (period.first.replace(day=1) - timedelta(days=330)).replace(day=1)
    trend = Slice(first, period.last, region_ids=(agency.region_id,), agency_id=agency.id)
    drawings = []
    for indicator in (
        HEADLINE["cepat"],
        HEADLINE["efektif"],
        HEADLINE["tanggap"],
        HEADLINE["responsif"],
    ):
        points = [(str(k), r) for k, r in selectors.series(trend, indicator, "month")]
        drawings.append(_chart(indicator, points))
    story.append(Table([drawings[:2], drawings[2:]]))
    story.append(
        Paragraph(
            "Batang hijau: target tercapai; merah: belum; biru: tanpa target. Nilai pada "
            "sel dengan kurang dari 5 orang disembunyikan.",
            styles["Italic"],
        )
    )
    doc.build(story)
    return buffer.getvalue()


def default_month(today: date | None = None) -> str:
    """The last finished month, ``YYYY-MM``."""
    today = today or local_today()
    last = today.replace(day=1) - timedelta(days=1)
    return f"{last.year:04d}-{last.month:02d}"


__all__ = ["INDICATORS", "agency_month_pdf", "default_month", "lowest", "month_label"]
