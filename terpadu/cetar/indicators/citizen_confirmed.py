"""Responsif — complaints closed by the reporter's own confirmation."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_complaint_day", "closed_confirmed"), f.get("ft_complaint_day", "closed"))


INDICATOR = Indicator(
    id="citizen_confirmed",
    letter="responsif",
    name_id="Penyelesaian dikonfirmasi pelapor",
    name_en="Citizen-confirmed resolution",
    formula=(
        "Pengaduan yang ditutup karena pelapor menyatakan selesai ÷ pengaduan yang ditutup "
        "setelah dijawab (dikonfirmasi atau otomatis setelah 10 hari kerja tanpa tanggapan) × 100 %"
    ),
    formula_en=(
        "complaints closed on the reporter's confirmation ÷ complaints closed after an answer "
        "(confirmed, or automatically after 10 silent working days) × 100 %"
    ),
    reads=("complaints.Complaint: closed_at, close_reason",),
    facts=("ft_complaint_day",),
    unit="%",
    direction="higher",
    target=50.0,
    caveats=(
        "Pengaduan yang ditolak atau digabung tidak dihitung.",
        "Pelapor anonim tanpa kontak jarang mengonfirmasi: angka ini dipengaruhi saluran.",
    ),
    compute=compute,
)
