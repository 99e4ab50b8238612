"""A draft competition proposal (DOCX and PDF) for public-service innovation competitions
(KemenPANRB's KIPP/SINOVIK and the like), pre-filled from the innovation's data and its
live measured outcomes, for the agency to edit.

The sections follow the usual shape of such proposals (summary, problem, novelty and how
it works, goals and benefits, results, sustainability, replication, resources and
stakeholders, awards, contact). What the platform cannot know is left as a marked
placeholder; the agency checks it against the current year's competition guide.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from terpadu.core.workdays import local_today
from terpadu.gallery import measures
from terpadu.gallery.models import Innovation
from terpadu.gallery.poster import outcome_lines

FILL = "[Diisi oleh instansi]"


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: list[str]


def sections(innovation: Innovation, *, as_of: date | None = None) -> list[Section]:
    day = as_of or local_today()
    outcomes = measures.outcomes(innovation, day)
    results = [f"{title}: {text}" for title, text in outcome_lines(outcomes)]
    manual = [
        f"{f.label}: {f.value_text()}"
        f" ({f.period_label}; sumber: {f.source}{', ' + f.source_url if f.source_url else ''})"
        for f in innovation.manual_figures.all()
    ]
    replications = [
        f"{r.region.name}: {r.name} (tahap {r.get_stage_display().lower()})"
        for r in innovation.replications.all()
    ]
    start = innovation.start_date.strftime("%d/%m/%Y") if innovation.start_date else FILL
    return [
        Section(
            "1. Ringkasan",
            [
                f"{innovation.name} adalah inovasi {innovation.agency.name}, "
                f"{innovation.region.name}, bertema {innovation.get_theme_display().lower()}, "
                f"dimulai {start}, kini pada tahap {innovation.get_stage_display().lower()}.",
                innovation.tagline or FILL,
            ],
        ),
        Section("2. Latar belakang dan masalah", [innovation.problem or FILL]),
        Section("3. Kebaruan dan cara kerja inovasi", [innovation.how_it_works or FILL]),
        Section("4. Tujuan dan manfaat", [FILL]),
        Section(
            "5. Hasil yang dicapai",
            [
                f"Hasil terukur per {day.strftime('%d/%m/%Y')}, dihitung langsung dari data "
                "Terpadu (definisi setiap angka ada di halaman inovasi):",
                *(results or [measures.NO_DATA]),
                *(
                    [
                        "Angka yang dicatat manual dari sumber lain (bukan hasil pengukuran "
                        "Terpadu, tidak dijumlahkan dengan angka di atas):",
                        *manual,
                    ]
                    if manual
                    else []
                ),
            ],
        ),
        Section(
            "6. Keberlanjutan",
            [
                "Konfigurasi kerja inovasi (program, layanan, indikator) tersimpan di Terpadu "
                "dan dapat diekspor sebagai paket replikasi.",
                "Dasar hukum, anggaran, dan kelembagaan: " + FILL,
            ],
        ),
        Section(
            "7. Replikasi dan daya tular",
            [
                *(
                    ["Sudah direplikasi oleh:", *replications]
                    if replications
                    else ["Belum tercatat replikasi di Terpadu."]
                ),
                "Paket replikasi: unduh dari halaman inovasi (format terpadu.replication-kit).",
            ],
        ),
        Section("8. Sumber daya dan pemangku kepentingan", [FILL]),
        Section(
            "9. Penghargaan",
            [a.display() for a in innovation.awards.all()] or ["—"],
        ),
        Section(
            "10. Kontak",
            [
                ", ".join(
                    x
                    for x in (
                        innovation.contact_name,
                        innovation.contact_role,
                        innovation.contact_email,
                        innovation.contact_phone,
                    )
                    if x
                )
                or FILL
            ],
        ),
    ]


def _title(innovation: Innovation) -> str:
    return f"Proposal inovasi pelayanan publik: {innovation.name}"


NOTE = (
    "Konsep otomatis dari Terpadu. Periksa dan sesuaikan dengan pedoman kompetisi tahun "
    "berjalan sebelum dikirim."
)


def proposal_docx(innovation: Innovation, *, as_of: date | None = None) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = _title(innovation)
    doc.core_properties.author = innovation.agency.name
    doc.add_heading(_title(innovation), level=0)
    doc.add_paragraph(f"{innovation.agency.name} · {innovation.region.name}")
    doc.add_paragraph().add_run(NOTE).italic = True
    for section in sections(innovation, as_of=as_of):
        doc.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            doc.add_paragraph(text)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def proposal_pdf(innovation: Innovation, *, as_of: date | None = None) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, title=_title(innovation), author=innovation.agency.name
    )
    story = [
        Paragraph(escape(_title(innovation)), styles["Title"]),
        Paragraph(escape(f"{innovation.agency.name} · {innovation.region.name}"), styles["Normal"]),
        Paragraph(f"<i>{escape(NOTE)}</i>", styles["Normal"]),
        Spacer(1, 12),
    ]
    for section in sections(innovation, as_of=as_of):
        story.append(Paragraph(escape(section.heading), styles["Heading2"]))
        for text in section.paragraphs:
            story.append(Paragraph(escape(text).replace("\n", "<br/>"), styles["BodyText"]))
    doc.build(story)
    return out.getvalue()
