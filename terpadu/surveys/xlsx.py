"""The SKM report as an XLSX workbook (openpyxl): IKM per unsur, trend, respondent profile, plans."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from terpadu.surveys.selectors import Report

BOLD = Font(bold=True)
PROFILE_TITLES = {
    "age_band": "Usia",
    "sex": "Jenis kelamin",
    "education": "Pendidikan",
    "occupation": "Pekerjaan",
}


def _safe(value: Any) -> Any:
    """Text that a spreadsheet would read as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def report_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "IKM"
    unit = (
        report.service.name
        if report.service
        else (report.agency.name if report.agency else report.region.name)
    )
    result = report.result
    header = [
        ("Survei Kepuasan Masyarakat (PermenPANRB 14/2017)", ""),
        ("Unit/layanan", unit),
        ("Periode", report.period.label),
        ("Jumlah responden", result.n),
        ("Minimal sampel (Krejcie & Morgan)", report.sample.minimum or "–"),
        ("Jumlah pengguna layanan", report.sample.population or "–"),
    ]
    for line in header:
        sheet.append([_safe(v) for v in line])
    sheet["A1"].font = BOLD
    sheet.append([])
    sheet.append(["Kode", "Unsur", "Jumlah jawaban", "NRR", "NRR tertimbang", "Nilai konversi"])
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in report.rows:
        item = row["item"]
        sheet.append(
            [
                item.code,
                _safe(item.name),
                row["answers"],
                row["nrr"],
                row["weighted"],
                float(row["converted"]) if row["converted"] is not None else None,
            ]
        )
    sheet.append([])
    sheet.append(["IKM", float(result.ikm) if result.ikm is not None else None])
    sheet.append(["Mutu pelayanan", result.mutu])
    sheet.append(["Kinerja unit pelayanan", result.kinerja])
    sheet.append(["Unsur terendah", ", ".join(result.lowest())])
    for cell in sheet["A"]:
        if cell.value in ("IKM", "Mutu pelayanan", "Kinerja unit pelayanan", "Unsur terendah"):
            cell.font = BOLD
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 42

    if report.by_part or report.by_service:
        trend = book.create_sheet("Rincian")
        trend.append(["Periode/layanan", "Responden", "IKM", "Mutu", "Kinerja"])
        for period, part in report.by_part:
            trend.append([period.label, part.n, float(part.ikm or 0), part.mutu, part.kinerja])
        for service, part in report.by_service:
            trend.append(
                [_safe(service.name), part.n, float(part.ikm or 0), part.mutu, part.kinerja]
            )
        trend.column_dimensions["A"].width = 48

    profile = book.create_sheet("Profil responden")
    for name, rows in report.profile.items():
        profile.append([PROFILE_TITLES[name], "Jumlah"])
        profile[profile.max_row][0].font = BOLD
        for label, count in rows:
            profile.append([label, count])
        profile.append([])
    profile.column_dimensions["A"].width = 30

    plans = book.create_sheet("Rencana tindak lanjut")
    plans.append(["Periode", "Unsur", "Temuan", "Rencana", "Penanggung jawab", "Target", "Status"])
    for plan in report.plans:
        plans.append(
            [
                plan.period,
                plan.unsur_code,
                _safe(plan.finding),
                _safe(plan.action),
                _safe(plan.responsible),
                plan.target_date.isoformat(),
                str(plan.get_status_display()),
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
