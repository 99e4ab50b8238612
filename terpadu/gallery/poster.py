"""The exhibition poster: A4 or A1 PDF (ReportLab) with the live figures as of the print
date and a QR code to the innovation's page.

Everything is drawn in A4 units and scaled, so A1 is the same layout 2.83× larger. The QR
code is drawn as vector squares from the ``qrcode`` matrix (sharp at any size).
"""

from __future__ import annotations

import io
from datetime import date

import qrcode
from reportlab.lib import colors
from reportlab.lib.pagesizes import A1, A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from terpadu.core.workdays import local_today
from terpadu.gallery import measures
from terpadu.gallery.models import Innovation

SIZES = {"a4": A4, "a1": A1}
GREEN = colors.HexColor("#0b6b3a")
GREY = colors.HexColor("#555555")
AMBER = colors.HexColor("#fff4e0")


def qr_matrix(payload: str) -> list[list[bool]]:
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    code.add_data(payload)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def outcome_lines(outcomes: list[measures.Outcome]) -> list[tuple[str, str]]:
    """(title, figures text) per measure; "belum ada data" kept as such."""
    out = []
    for o in outcomes:
        if o.figures:
            text = " · ".join(f"{f.label}: {f.text}" for f in o.figures)
        else:
            parts = []
            for f in (o.before, o.after):
                if f is not None:
                    parts.append(f"{f.label} ({f.period}): {f.text}")
            text = " · ".join(parts) or measures.NO_DATA
        out.append((o.title, text))
    return out


def render_poster(
    innovation: Innovation, *, size: str = "a4", url: str, as_of: date | None = None
) -> bytes:
    """The poster PDF. ``url`` is the live page the QR code points to."""
    day = as_of or local_today()
    width, height = SIZES[size]
    k = width / A4[0]
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), pageCompression=1)
    c.setTitle(f"Poster {innovation.name}")
    c.setAuthor(innovation.agency.name)
    c.setSubject(f"Inovasi pelayanan publik — angka per {day.strftime('%d/%m/%Y')}")
    margin = 36 * k
    inner = width - 2 * margin

    # header band
    c.setFillColor(GREEN)
    c.rect(0, height - 120 * k, width, 120 * k, stroke=0, fill=1)
    c.setFillColor(colors.white)
    c.setFont("Helvetica", 11 * k)
    c.drawString(margin, height - 30 * k, f"{innovation.agency.name} · {innovation.region.name}")
    title_lines = simpleSplit(innovation.name, "Helvetica-Bold", 30 * k, inner)
    y = height - 64 * k
    c.setFont("Helvetica-Bold", 30 * k)
    for line in title_lines[:2]:
        c.drawString(margin, y, line)
        y -= 32 * k
    y = height - 140 * k

    floor = margin + 130 * k + 40 * k  # keep clear of the QR code

    def paragraph(
        text: str,
        font: str,
        size_pt: float,
        color: colors.Color = colors.black,
        max_lines: int = 12,
    ) -> None:
        nonlocal y
        c.setFillColor(color)
        c.setFont(font, size_pt * k)
        for raw in text.splitlines() or [""]:
            for line in simpleSplit(raw, font, size_pt * k, inner)[:max_lines]:
                if y < floor:
                    return
                c.drawString(margin, y, line)
                y -= size_pt * 1.3 * k
        y -= 4 * k

    if innovation.tagline:
        paragraph(innovation.tagline, "Helvetica-Oblique", 14, GREY, 3)
    outcomes = measures.outcomes(innovation, day)
    paragraph(
        f"Hasil terukur per {day.strftime('%d/%m/%Y')} (langsung dari data Terpadu)",
        "Helvetica-Bold",
        13,
        GREEN,
    )
    if not outcomes:
        paragraph(measures.NO_DATA, "Helvetica", 10.5, GREY)
    for title, text in outcome_lines(outcomes):
        paragraph(title, "Helvetica-Bold", 11)
        paragraph(text, "Helvetica-Bold", 16, colors.black, 4)

    manual = list(innovation.manual_figures.all())
    if manual:
        lines = []
        for f in manual:
            value = f.value_text()
            lines.append(f"{f.label}: {value} ({f.period_label}) — sumber: {f.source}")
        box_lines = sum(len(simpleSplit(t, "Helvetica", 9.5 * k, inner - 12 * k)) for t in lines)
        box_h = (box_lines * 12.5 + 30) * k
        c.setFillColor(AMBER)
        if y - box_h > floor:
            c.rect(margin - 6 * k, y - box_h + 14 * k, inner + 12 * k, box_h, stroke=0, fill=1)
        paragraph(
            "Angka yang dicatat manual (bukan hasil pengukuran Terpadu)",
            "Helvetica-Bold",
            11,
            colors.HexColor("#6b3a00"),
        )
        for t in lines:
            paragraph(t, "Helvetica", 9.5, max_lines=3)
        y -= 12 * k

    awards = list(innovation.awards.all())
    if awards:
        paragraph("Penghargaan", "Helvetica-Bold", 13, GREEN)
        for a in awards[:5]:
            paragraph(a.display(), "Helvetica", 10.5, max_lines=2)

    if innovation.problem:
        paragraph("Masalah", "Helvetica-Bold", 13, GREEN)
        paragraph(innovation.problem, "Helvetica", 10.5, max_lines=7)
    if innovation.how_it_works:
        paragraph("Cara kerja", "Helvetica-Bold", 13, GREEN)
        paragraph(innovation.how_it_works, "Helvetica", 10.5, max_lines=9)

    # QR code to the live page, bottom right
    matrix = qr_matrix(url)
    side = 130 * k
    cell = side / len(matrix)
    x0, y0 = width - margin - side, margin + 14 * k
    c.setFillColor(colors.white)
    c.rect(x0, y0, side, side, stroke=0, fill=1)
    c.setFillColor(colors.black)
    for r, row in enumerate(matrix):
        for col, dark in enumerate(row):
            if dark:
                c.rect(x0 + col * cell, y0 + side - (r + 1) * cell, cell, cell, stroke=0, fill=1)
    c.setFont("Helvetica", 8 * k)
    c.setFillColor(GREY)
    c.drawRightString(width - margin, margin, url)
    c.setFont("Helvetica", 9 * k)
    c.drawString(margin, margin + 14 * k, "Pindai kode QR untuk angka terbaru.")
    c.drawString(margin, margin, f"Dicetak {day.strftime('%d/%m/%Y')} · Terpadu")
    c.showPage()
    c.save()
    return buffer.getvalue()
