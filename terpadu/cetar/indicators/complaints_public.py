"""Transparan — share of complaints published (not rahasia)."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_complaint_day", "submitted_public"), f.get("ft_complaint_day", "submitted")
    )


INDICATOR = Indicator(
    id="complaints_public",
    letter="transparan",
    name_id="Pengaduan yang terbuka untuk publik",
    name_en="Complaints open to the public",
    formula="Pengaduan masuk yang tidak bertanda rahasia ÷ semua pengaduan masuk × 100 %",
    formula_en="complaints received not marked rahasia (confidential) ÷ all complaints received × 100 %",
    reads=("complaints.Complaint: submitted_at, is_confidential",),
    facts=("ft_complaint_day",),
    unit="%",
    direction="higher",
    target=80.0,
    caveats=(
        "Merahasiakan pengaduan adalah hak pelapor (SP4N-LAPOR!): angka ini tidak boleh dikejar "
        "dengan menolak permintaan rahasia.",
        "Status rahasia dibaca saat fakta dibangun (petugas dapat mengubahnya saat verifikasi).",
    ),
    compute=compute,
)
