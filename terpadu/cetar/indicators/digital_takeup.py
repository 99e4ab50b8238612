"""Efektif & efisien — digital take-up as GOV.UK defines it."""

from __future__ import annotations

from terpadu.cetar.indicators.base import Facts, Indicator, Value, ratio


def compute(f: Facts) -> Value:
    return ratio(
        f.get("ft_application_day", "decided_online"), f.get("ft_application_day", "decided")
    )


INDICATOR = Indicator(
    id="digital_takeup",
    letter="efektif",
    name_id="Pemanfaatan layanan daring",
    name_en="Digital take-up",
    formula=(
        "Transaksi tuntas yang diajukan daring ÷ semua transaksi tuntas dari semua saluran "
        "pada periode yang sama × 100 %"
    ),
    formula_en=(
        "completed digital transactions ÷ completed transactions from all channels in the same "
        "period × 100 % (GOV.UK)"
    ),
    reads=(
        "applications.Application.channel (online/counter)",
        "applications.ApplicationEvent: first outcome",
    ),
    facts=("ft_application_day",),
    unit="%",
    direction="higher",
    target=40.0,
    caveats=(
        "Permohonan yang diisikan petugas loket atas nama warga (bantuan) dihitung sebagai loket, "
        "bukan daring.",
    ),
    compute=compute,
)
