"""Tanggap — median working days from a complaint to its first response."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, percentile


def compute(f: Facts) -> Value:
    return percentile(f.hist("ft_complaint_hist"), 0.5)


INDICATOR = Indicator(
    id="complaint_first_response",
    letter="tanggap",
    name_id="Median waktu tanggapan pertama pengaduan",
    name_en="Median time to first response to a complaint",
    formula=(
        "Median (peringkat terdekat) hari kerja dari pengaduan masuk sampai tanggapan pertama "
        "(jawaban instansi, atau penolakan beralasan saat verifikasi)"
    ),
    formula_en=(
        "nearest-rank median of working days from submission to the first response (the "
        "agency's answer, or a reasoned rejection at verification)"
    ),
    reads=(
        "complaints.Complaint.submitted_at",
        "complaints.ComplaintEvent: first 'answered' or 'rejected'",
        "core.WorkCalendar via core.calendars (the agency's, or the regency's default)",
    ),
    facts=("ft_complaint_hist",),
    unit="hari kerja",
    direction="lower",
    target=5.0,
    caveats=(
        "Diteruskannya pengaduan ke instansi (disposisi) belum dihitung sebagai tanggapan.",
        "Pengaduan yang digabung dengan laporan lain tidak dihitung.",
    ),
    compute=compute,
    decimals=0,
)
