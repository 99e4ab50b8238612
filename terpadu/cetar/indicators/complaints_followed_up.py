"""Akuntabel — complaints forwarded to an agency that got its follow-up answer."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_complaint_day", "disposed_answered"), f.get("ft_complaint_day", "disposed")
    )


INDICATOR = Indicator(
    id="complaints_followed_up",
    letter="akuntabel",
    name_id="Pengaduan ditindaklanjuti",
    name_en="Complaints followed up",
    formula=(
        "Pengaduan yang diteruskan ke instansi pada periode itu dan sudah dijawab instansi ÷ "
        "pengaduan yang diteruskan pada periode itu × 100 %"
    ),
    formula_en=(
        "complaints forwarded to an agency in the period that have an answer ÷ complaints "
        "forwarded in the period × 100 %"
    ),
    reads=("complaints.Complaint.disposed_at", "complaints.ComplaintEvent 'answered'"),
    facts=("ft_complaint_day",),
    unit="%",
    direction="higher",
    target=95.0,
    caveats=(
        "Kohort menurut hari disposisi: angka periode terakhir masih bisa naik; fakta dihitung ulang "
        "tiap malam untuk 60 hari ke belakang.",
    ),
    compute=compute,
)
