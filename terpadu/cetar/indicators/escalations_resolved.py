"""Akuntabel — overdue escalations resolved."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_complaint_day", "escalations_resolved"), f.get("ft_complaint_day", "escalated")
    )


INDICATOR = Indicator(
    id="escalations_resolved",
    letter="akuntabel",
    name_id="Eskalasi keterlambatan yang diselesaikan",
    name_en="Overdue escalations resolved",
    formula=(
        "Eskalasi (tahap pengaduan yang lewat batas dan dilaporkan ke pimpinan) pada periode itu "
        "yang sudah diselesaikan ÷ semua eskalasi pada periode itu × 100 %"
    ),
    formula_en=(
        "escalations (overdue complaint steps reported to the head) raised in the period that are "
        "resolved ÷ all escalations raised in the period × 100 %"
    ),
    reads=("complaints.Escalation: created_at, resolved_at, agency",),
    facts=("ft_complaint_day",),
    unit="%",
    direction="higher",
    target=90.0,
    caveats=(
        "Tanpa eskalasi pada periode itu: tidak ada data (bukan 100 %).",
        "Kohort menurut hari eskalasi; dihitung ulang tiap malam untuk 60 hari ke belakang.",
    ),
    compute=compute,
)
