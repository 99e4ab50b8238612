"""Output documents: a PDF (ReportLab) from the service's template, with a QR code to the
public verification page. The QR carries a signed token (see ``codes.py``)."""

from __future__ import annotations

import io
import string
from datetime import datetime
from typing import Any

import qrcode
from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from terpadu.applications.codes import document_token
from terpadu.applications.models import Application, DocumentTemplate
from terpadu.applications.sla import LOCAL_TZ
from terpadu.core.workdays import MONTH_NAMES

DEFAULT_BODY = (
    "Berdasarkan permohonan nomor $code yang diajukan oleh $applicant_name, "
    "$agency_name menerbitkan $title sebagaimana data berikut."
)


def long_date(moment: datetime) -> str:
    day = moment.astimezone(LOCAL_TZ).date()
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def verify_url(token: str) -> str:
    return f"{settings.BASE_URL}/verifikasi/{token}/"


def template_for(application: Application) -> tuple[str, str, str]:
    """(title, body, number prefix) of the service's document."""
    tpl = DocumentTemplate.objects.filter(service_id=application.service_id).first()
    if tpl is not None:
        return tpl.title, tpl.body, tpl.number_prefix
    title = application.service_version.product or application.service.name
    return title.split("(")[0].strip()[:200], DEFAULT_BODY, "474"


def _qr_png(text: str) -> bytes:
    image = qrcode.make(text, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        line = ""
        for word in words:
            if len(line) + len(word) + 1 > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return lines


def render_pdf(
    *,
    application: Application,
    document_id: int,
    number: str,
    title: str,
    body: str,
    issued_at: datetime,
    signer: str,
) -> bytes:
    """The document as PDF bytes (A4, one page)."""
    token = document_token(document_id, number)
    labels = {f["name"]: f["label"] for f in application.service_version.extra_fields or []}
    values: dict[str, Any] = {
        "code": application.display_code,
        "applicant_name": application.applicant_name,
        "agency_name": application.agency.name,
        "service_name": application.service.name,
        "title": title,
        "date": long_date(issued_at),
        **{k: str(v) for k, v in (application.data or {}).items() if not k.startswith("_")},
    }
    text = string.Template(body).safe_substitute(values)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(f"{title} {number}")
    pdf.setAuthor(application.agency.name)
    pdf.setSubject(f"verifikasi: {verify_url(token)}")
    width, height = A4
    y = height - 25 * mm
    pdf.setFont("Helvetica-Bold", 13)
    pdf.drawCentredString(width / 2, y, application.region.name.upper())
    y -= 7 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawCentredString(width / 2, y, application.agency.name.upper())
    y -= 5 * mm
    pdf.setFont("Helvetica", 9)
    if application.agency.address:
        pdf.drawCentredString(width / 2, y, application.agency.address[:110])
    y -= 4 * mm
    pdf.line(20 * mm, y, width - 20 * mm, y)
    y -= 14 * mm
    pdf.setFont("Helvetica-Bold", 15)
    pdf.drawCentredString(width / 2, y, title.upper()[:70])
    y -= 7 * mm
    pdf.setFont("Helvetica", 11)
    pdf.drawCentredString(width / 2, y, f"Nomor: {number}")
    y -= 14 * mm
    pdf.setFont("Helvetica", 11)
    for line in _wrap(text, 88):
        pdf.drawString(25 * mm, y, line)
        y -= 6 * mm
    y -= 4 * mm
    rows = [("Nama pemohon", application.applicant_name)]
    rows += [
        (labels.get(k, k.replace("_", " ").capitalize()), str(v))
        for k, v in (application.data or {}).items()
        if not k.startswith("_")
    ]
    rows.append(("Kode permohonan", application.display_code))
    for label, value in rows:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(25 * mm, y, label[:40])
        pdf.drawString(75 * mm, y, f": {value}"[:70])
        y -= 6 * mm
    y -= 10 * mm
    pdf.drawString(120 * mm, y, f"{application.region.name.split()[-1]}, {long_date(issued_at)}")
    y -= 6 * mm
    pdf.drawString(
        120 * mm, y, f"Kepala {application.agency.short_name or application.agency.name}"[:45]
    )
    y -= 6 * mm
    pdf.setFont("Helvetica-Oblique", 9)
    pdf.drawString(120 * mm, y, "Ditandatangani secara elektronik")
    y -= 5 * mm
    pdf.setFont("Helvetica", 10)
    pdf.drawString(120 * mm, y, signer[:45])
    qr = ImageReader(io.BytesIO(_qr_png(verify_url(token))))
    pdf.drawImage(qr, 22 * mm, 22 * mm, 38 * mm, 38 * mm)
    pdf.setFont("Helvetica", 8)
    pdf.drawString(64 * mm, 40 * mm, "Pindai kode QR untuk memeriksa keaslian dokumen ini,")
    pdf.drawString(64 * mm, 36 * mm, f"atau buka {settings.BASE_URL}/verifikasi/")
    pdf.drawString(64 * mm, 32 * mm, f"dan masukkan kode: {token}")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
