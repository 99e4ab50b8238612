"""Responsif — complaints reopened by the reporter after the answer."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_complaint_day", "reopened"), f.get("ft_complaint_day", "first_answered"))


INDICATOR = Indicator(
    id="complaint_reopen_rate",
    letter="responsif",
    name_id="Pengaduan dibuka kembali",
    name_en="Complaint reopen rate",
    formula=(
        "Pengaduan yang pertama kali dijawab pada periode itu lalu dibuka kembali oleh pelapor "
        "(paling sedikit sekali) ÷ pengaduan yang pertama kali dijawab pada periode itu × 100 %"
    ),
    formula_en=(
        "complaints first answered in the period that the reporter reopened at least once ÷ "
        "complaints first answered in the period × 100 %"
    ),
    reads=("complaints.ComplaintEvent 'answered'", "complaints.Complaint.reopen_count"),
    facts=("ft_complaint_day",),
    unit="%",
    direction="lower",
    target=10.0,
    caveats=("Kohort menurut hari jawaban pertama; periode terakhir masih bisa naik.",),
    compute=compute,
)
