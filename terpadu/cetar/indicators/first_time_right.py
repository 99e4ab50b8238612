"""Efektif & efisien — approved without any perbaikan (first time right)."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_application_day", "approved_first_time"), f.get("ft_application_day", "decided")
    )


INDICATOR = Indicator(
    id="first_time_right",
    letter="efektif",
    name_id="Permohonan tuntas sekali jalan",
    name_en="First-time-right applications",
    formula=(
        "Permohonan yang disetujui tanpa pernah diminta perbaikan ÷ semua permohonan yang diputus "
        "× 100 %"
    ),
    formula_en="applications approved with no perbaikan ÷ all applications decided × 100 %",
    reads=(
        "applications.ApplicationEvent: entries into perbaikan before the decision",
        "applications.Application.status (approved or rejected)",
    ),
    facts=("ft_application_day",),
    unit="%",
    direction="higher",
    target=80.0,
    caveats=(
        "Permohonan yang ditolak dihitung sebagai tidak tuntas sekali jalan: penolakan berarti warga "
        "harus datang atau mengajukan lagi.",
    ),
    compute=compute,
)
