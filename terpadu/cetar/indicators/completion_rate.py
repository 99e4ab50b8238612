"""Efektif & efisien — completion rate as GOV.UK defines it."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(f.get("ft_application_day", "decided"), f.get("ft_application_day", "started"))


INDICATOR = Indicator(
    id="completion_rate",
    letter="efektif",
    name_id="Tingkat penyelesaian transaksi",
    name_en="Completion rate",
    formula=(
        "Transaksi yang tuntas (diputus, termasuk 'ditolak/tidak memenuhi syarat') ÷ transaksi "
        "yang dimulai (permohonan dibuat, termasuk draf daring) pada periode yang sama × 100 %"
    ),
    formula_en=(
        "completed transactions (decided, an outcome such as 'not eligible' included) ÷ "
        "transactions started (applications created, online drafts included) in the same period "
        "× 100 % — GOV.UK's 2015 definition"
    ),
    reads=(
        "applications.Application.created_at (started)",
        "applications.ApplicationEvent: first outcome (completed)",
    ),
    facts=("ft_application_day",),
    unit="%",
    direction="higher",
    target=85.0,
    caveats=(
        "Dihitung sebagai arus pada periode yang sama, seperti GOV.UK: pada periode pendek nilainya "
        "bisa melebihi 100 % bila banyak permohonan lama diputus.",
        "Draf daring yang ditinggalkan menurunkan angka ini (drop-out).",
    ),
    compute=compute,
)
